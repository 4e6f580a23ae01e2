# streamc — the two commands of the quick start are `make demo` and `make test`.
BUILD ?= build
JOBS  ?= $(shell nproc)

.PHONY: all deps configure build test demo clean format

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	@python3 scripts/run-tests.py $(BUILD)

# Checks the bundled click-monitoring example and prints its optimised,
# fused plan.
demo: build
	@cd examples && ../$(BUILD)/bin/streamc check clicks.stream && \
	  echo "clicks.stream: no errors; its optimised plan:" && \
	  ../$(BUILD)/bin/streamc check --emit=plan-opt clicks.stream

format:
	@find compiler test -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

# streamc — the two commands of the quick start are `make demo` and `make test`.
BUILD ?= build
JOBS  ?= $(shell nproc)

.PHONY: all deps configure build test demo bench clean format

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

# Runs a bundled example end to end (JIT-compiled), after showing its fused
# plan, and runs the windowed click-monitoring example with its config.
demo: build
	@cd examples && \
	  echo "== examples/slow_requests.stream, optimised plan:" && \
	  ../$(BUILD)/bin/streamc check --emit=plan-opt slow_requests.stream && \
	  echo && echo "== streamc run slow_requests.stream:" && \
	  ../$(BUILD)/bin/streamc run slow_requests.stream && \
	  echo && echo "== streamc run clicks.stream --config clicks.yaml (windows):" && \
	  ../$(BUILD)/bin/streamc run clicks.stream --config clicks.yaml

# Every benchmark in one run, against the hand-written baselines in
# bench/baseline/ (results: docs/performance.md).
bench: build
	@bench/all.sh

format:
	@find compiler test -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

#!/usr/bin/env bash
# Throughput of the Yahoo Streaming Benchmark (examples/ysb.stream: generate
# ad events, keep the views, look up their campaign, count per campaign in
# tumbling windows) with EVENTS events written to null(), under the JIT
# (`streamc run`) and as a built executable; and of the generator alone (a
# filter that matches nothing), so that the share of the lookup and window in
# the cost shows as a ratio. The generator alone runs twice: reading the 3
# fields the benchmark reads (ad_id, event_type, event_time), and reading all
# 7 (a sink of the whole record keeps every field; adds the user and page
# UUIDs, the ad type and the IP address). Best of 3 runs each.
#
# Usage: bench/ysb.sh [EVENTS]   (default 10,000,000)
# Builds streamc first (cmake --build build), unless $STREAMC names one to use.
set -euo pipefail
events=${1:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [[ -n "${STREAMC:-}" ]]; then
  streamc=$STREAMC
else
  if [[ ! -f "$root/build/build.ninja" ]]; then
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$root/build" >/dev/null
  streamc="$root/build/bin/streamc"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The program reads data/ysb-campaigns.csv relative to the working directory.
mkdir data
cp "$root/examples/data/ysb-campaigns.csv" data/
sed -e "s/events: 100_000, seed: 1/events: $events, seed: 1/" \
  -e 's/^sink out = stdout(format: "json")/sink out = null()/' \
  "$root/examples/ysb.stream" >ysb.stream
if ! grep -q "events: $events, seed: 1" ysb.stream || ! grep -q '^sink out = null()' ysb.stream; then
  echo "error: examples/ysb.stream changed; update the sed expressions in $0" >&2
  exit 1
fi
# The generator alone: the same schema and source, no table, nothing passes.
generator_only() { # the pipeline's stages after `from events`
  sed -e '/^table /d' -e '/^from events/,$d' ysb.stream
  printf '%s\n' 'from events' '| where event_type == "nothing"' "$@" '| into out'
}
generator_only '| select { ad_id, event_time }' >generator.stream
generator_only >generator-all.stream

export streamc
"$streamc" build ysb.stream -o ysb
"$streamc" build generator.stream -o generator
"$streamc" build generator-all.stream -o generator-all

# Runs each command 3 times; prints its best wall-clock and best CPU (user +
# system) seconds. CPU time is steadier than wall clock on a busy machine.
python3 - "$events" <<'PY'
import os, resource, subprocess, sys, time

events = int(sys.argv[1])
streamc = os.environ["streamc"]
runs = [("ysb, built executable", ["./ysb"]),
        ("ysb, streamc run (JIT, incl. compile)", [streamc, "run", "ysb.stream"]),
        ("generator alone, built executable", ["./generator"]),
        ("generator alone, streamc run", [streamc, "run", "generator.stream"]),
        ("generator, 7 fields, built executable", ["./generator-all"]),
        ("generator, 7 fields, streamc run", [streamc, "run", "generator-all.stream"])]
best = {}
print(f"{events:,} events, best of 3{'':16s} wall s   M events/s    CPU s")
for name, cmd in runs:
    wall = cpu = float("inf")
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        wall = min(wall, time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    best[name] = cpu
    print(f"{name:40s} {wall:7.3f}  {events / wall / 1e6:8.2f}  {cpu:9.3f}")
print("ysb / generator alone (CPU time): built executable "
      f"{best[runs[0][0]] / best[runs[2][0]]:.2f}x, "
      f"streamc run {best[runs[1][0]] / best[runs[3][0]]:.2f}x")
PY

#!/usr/bin/env bash
# Throughput of a keyed tumbling window on generated events, against the
# same query hand-written as one C++ loop (bench/baseline/window_tumbling.cpp), in
# one run: sequence events -> tumbling(1s) by n % 100 -> count, sum, max.
# Also the generator alone (a filter that keeps nothing), so the window's
# own cost shows. Usage: bench/window_tumbling.sh [EVENTS] (default 50M).
set -euo pipefail
events=${1:-50000000}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
streamc="$here/../build/bin/streamc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > window.stream <<STREAM
schema S { n: i64, ts: timestamp }
source s: S = generate(kind: "sequence", events: $events) with event_time = ts
sink out = null()
from s
| window tumbling(1s) by k: n % 100 aggregate { c: count(), total: sum(n), hi: max(n) }
| into out
STREAM
cat > generator.stream <<STREAM
schema S { n: i64, ts: timestamp }
source s: S = generate(kind: "sequence", events: $events) with event_time = ts
sink out = null()
from s | where n < 0 | into out
STREAM
"$streamc" build window.stream -o window
"$streamc" build generator.stream -o generator
c++ -O2 -march=native -o baseline "$here/baseline/window_tumbling.cpp"
report() {
  printf '%-44s %7.3f s  %8.1f M events/s\n' "$1" "$2" "$(python3 -c "print($events / $2 / 1e6)")"
}
report "hand-written C++ loop (the limit)" "$(best_of_3 ./baseline "$events")"
report "streamc build: window" "$(best_of_3 ./window)"
report "streamc run (JIT, with compilation): window" "$(best_of_3 "$streamc" run window.stream)"
report "streamc build: generator alone" "$(best_of_3 ./generator)"

#!/usr/bin/env bash
# Memory of a long windowed run with many keys: a tumbling(100ms) window
# keyed by 50,000 distinct (integer, string) keys per window, with count,
# sum, max, approx_count_distinct and median, over N generated events, as a
# built executable. Prints the peak resident memory per N: it should stay
# flat once windows fire (state is open windows x keys, not events).
# Usage: bench/window_memory.sh [N...] (default 1000000 4000000 16000000).
# Needs a built streamc (make) and GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
streamc="$here/../build/bin/streamc"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 4000000 16000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > memory.stream <<'STREAM'
schema S { n: i64, ts: timestamp }
param events: i64 = 1000
source s: S = generate(kind: "sequence", events: events) with event_time = ts
sink out = null()
from s
| window tumbling(100ms) by k: n % 50_000, tag: string(n % 7) aggregate {
    c: count(), t: sum(n), hi: max(n), d: approx_count_distinct(n), p: median(n)
  }
| into out
STREAM
"$streamc" build memory.stream -o memory
printf '%12s  %14s  %10s\n' events "peak RSS (MB)" "seconds"
for n in "${sizes[@]}"; do
  /usr/bin/time -f '%M %e' -o time.txt ./memory --param events="$n"
  read -r kb secs < time.txt
  printf '%12s  %14.1f  %10s\n' "$n" "$(echo "$kb / 1024" | bc -l)" "$secs"
done

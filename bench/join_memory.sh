#!/usr/bin/env bash
# Memory of a long interval join over two time-sorted files: orders and
# payments of N records each (a payment 0-2 s after its order, 100 keys),
# joined on the key within 5 s, as a built executable reading both files.
# Prints the peak resident memory per N: it should stay flat (the scheduler
# reads the two files least watermark first, and the join keeps only the
# last 5 s of each side), while the input grows.
# Usage: bench/join_memory.sh [N...] (default 250000 1000000 4000000).
# Needs a built streamc (make) and GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
streamc="$here/../build/bin/streamc"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250000 1000000 4000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > join.stream <<'STREAM'
schema Order { id: i64, k: i64, ts: timestamp, note: string }
schema Payment { id: i64, k: i64, ts: timestamp, amount: i64 }
source orders: Order = file("orders.csv") with event_time = ts
source payments: Payment = file("payments.csv") with event_time = ts
sink out = null()
from orders | join payments on k == payments.k and payments.id == id within 5s
| select { id, note, amount } | into out
STREAM
"$streamc" build join.stream -o join
printf '%12s  %14s  %10s  %8s\n' records "peak RSS (MB)" "seconds" pairs
for n in "${sizes[@]}"; do
  # 10 records per second of event time: 50 per side in the interval.
  awk -v n="$n" 'BEGIN { print "id,k,ts,note"; for (i = 0; i < n; i++)
    printf "%d,%d,%d,order number %d\n", i, i % 100, i * 100, i }' > orders.csv
  awk -v n="$n" 'BEGIN { print "id,k,ts,amount"; for (i = 0; i < n; i++)
    printf "%d,%d,%d,%d\n", i, i % 100, i * 100 + (i * 7919) % 2000, i % 997 }' > payments.csv
  /usr/bin/time -f '%M %e' -o time.txt ./join -v 2> run.log
  read -r kb secs < time.txt
  pairs=$(sed -n 's/^sink out: \([0-9]*\) records.*/\1/p' run.log)
  printf '%12s  %14.1f  %10s  %8s\n' "$n" "$(echo "$kb / 1024" | bc -l)" "$secs" "$pairs"
done

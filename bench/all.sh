#!/usr/bin/env bash
# Every benchmark in one run (`make bench`), each script with its default
# size; the ones with a hand-written baseline (bench/baseline/) run it in
# the same run, so ratios compare on this machine as it is now. Results
# are written up in docs/performance.md. Needs a built streamc (make).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
failed=0
for script in stateless_csv.sh ysb.sh window_tumbling.sh window_memory.sh join_memory.sh; do
  echo "== bench/$script"
  if ! "$here/$script"; then
    echo "bench/$script failed" >&2
    failed=1
  fi
  echo
done
exit $failed

#!/usr/bin/env bash
# Throughput of a stateless where/extend/select pipeline over CSV, as a built
# executable and under the JIT. Usage: bench/stateless_csv.sh [ROWS]
# (default 2,000,000). Needs a built streamc (make).
set -euo pipefail
rows=${1:-2000000}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
streamc="$here/../build/bin/streamc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - "$rows" <<'PY'
import random, sys
random.seed(1)
urls = ['/home', '/checkout', '/search', '/product/42', '/health']
regions = ['eu-west', 'us-east', 'ap-south', '']
with open('clicks.csv', 'w') as f:
    f.write('ts,user,url,latency_ms,region\n')
    for i in range(int(sys.argv[1])):
        f.write(f'{1704067200000 + i},u{random.randint(0, 9999)},{random.choice(urls)},'
                f'{random.randint(1, 3000)},{random.choice(regions)}\n')
PY
cat > pipeline.stream <<'STREAM'
schema Click { ts: timestamp, user: string, url: string, latency_ms: i64, region: string? }
source clicks: Click = file("clicks.csv")
sink out = null()
from clicks
| where latency_ms > 1000 and url != "/health"
| extend { sec: latency_ms / 1000.0 }
| select { url, sec }
| into out
STREAM
"$streamc" build pipeline.stream -o pipeline
bytes=$(stat -c %s clicks.csv)
aot=$(best_of_3 ./pipeline)
jit=$(best_of_3 "$streamc" run pipeline.stream)
python3 - "$rows" "$bytes" "$aot" "$jit" <<'PY'
import sys
rows, size, aot, jit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
for name, t in (("built executable", aot), ("streamc run (JIT, incl. compile)", jit)):
    print(f"{name:34s} {t:6.3f} s  {rows / t / 1e6:6.2f} M records/s  {size / t / 1e6:6.1f} MB/s")
PY

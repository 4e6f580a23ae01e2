#!/usr/bin/env python3
"""Property test of `extend over` (LANGUAGE.md §6.1, §6.2) against a
straightforward reference: random keyed streams, out of order within and
beyond max_delay (late records), nulls; rows(n), range(d) and unbounded
frames; count, sum, min, max, avg, first, last, ewma, zscore and
linreg_predict, and over unbounded frames logreg_predict and kmeans_assign;
a second stage of only the aggregates that merge exactly (count, min, max,
first, last, arg_max) and a third of those that merge cheaply (sum, avg,
stddev, zscore, covar_pop), each of which keeps two stacks of partial
aggregates; the last two also over a field never null (id), whose
aggregates share the state's count of records.
Each record's output is compared field by field (floats to
1e-9 relative). Usage: over_reference.py STREAMC SEEDS WORKDIR."""
import csv
import json
import math
import os
import random
import subprocess
import sys

FRAMES = [("rows", 1), ("rows", 3), ("range", 2000), ("range", 0), ("unbounded", None)]


def gen_records(rng, n):
    records, t = [], 0
    for i in range(n):
        t += rng.choice([0, 0, 100, 500, 1000, 1500])
        jitter = rng.choice([0, 0, 0, -300, -900, -2500, -4000])  # some late
        records.append({
            "id": i, "ts": max(0, t + jitter), "k": rng.choice(["a", "b", "c"]),
            "v": None if rng.random() < 0.1 else rng.randint(-50, 50),
            "x": None if rng.random() < 0.1 else round(rng.uniform(-10, 10), 1),
            "b": rng.random() < 0.5,
        })
    return records


def processing_order(records, max_delay):
    """The records that are not late, in the order extend over processes
    them: event time, ties by arrival."""
    kept, largest = [], None
    for r in records:
        watermark = None if largest is None else largest - max_delay
        if watermark is None or r["ts"] >= watermark:
            kept.append(r)
        largest = r["ts"] if largest is None else max(largest, r["ts"])
    return sorted(kept, key=lambda r: (r["ts"], r["id"]))


def frame_of(history, r, kind, size):
    if kind == "rows":
        return history[len(history) - size:] if size > 0 else []
    if kind == "range":
        return [h for h in history if h["ts"] >= r["ts"] - size]
    return history


def nonnull(vals):
    return [v for v in vals if v is not None]


def moments(vals):
    vs = nonnull(vals)
    if len(vs) < 2:
        return None
    mean = math.fsum(vs) / len(vs)
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in vs) / (len(vs) - 1))


def ewma(vals, alpha=0.5):
    s = None
    for v in nonnull(vals):
        s = float(v) if s is None else alpha * v + (1 - alpha) * s
    return s


def linreg(pairs, x):
    pairs = [(y, xx) for y, xx in pairs if y is not None and xx is not None]
    if x is None or len(pairs) < 2:
        return None
    mx = math.fsum(p[1] for p in pairs) / len(pairs)
    my = math.fsum(p[0] for p in pairs) / len(pairs)
    sxx = math.fsum((p[1] - mx) ** 2 for p in pairs)
    sxy = math.fsum((p[1] - mx) * (p[0] - my) for p in pairs)
    if sxx <= 1e-9:
        return None
    return my + sxy / sxx * (x - mx)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def expected(records, max_delay, kind, size):
    out, history, weights, centroids = {}, {}, {}, {}
    for r in processing_order(records, max_delay):
        h = history.setdefault(r["k"], [])
        before = frame_of(h, r, kind, size - 1 if kind == "rows" else size)
        frame = before + [r]
        vs = [f["v"] for f in frame]
        m = moments([f["v"] for f in before])
        z = None
        if m and r["v"] is not None and m[1] > 0:
            z = (r["v"] - m[0]) / m[1]
        present = nonnull(vs)
        out[r["id"]] = {
            "n": len(present), "total": sum(present) if present else None,
            "lo": min(present) if present else None, "hi": max(present) if present else None,
            "mean": (math.fsum(present) / len(present)) if present else None,
            "first_v": present[0] if present else None, "last_v": present[-1] if present else None,
            "e": ewma(vs), "z": z,
            "fit": linreg([(f["v"], f["x"]) for f in before], r["x"]),
        }
        # The second pipeline: aggregates that merge exactly (two stacks).
        best = None
        for f in frame:
            if f["v"] is not None and (best is None or f["v"] > best["v"]):
                best = f
        out[r["id"] + EXACT] = {
            "n2": len(present), "lo2": min(present) if present else None,
            "hi2": max(present) if present else None,
            "f2": present[0] if present else None, "l2": present[-1] if present else None,
            "am2": best["id"] if best else None, "c2": len(frame),
            "mi2": min(f["id"] for f in frame), "la2": frame[-1]["id"],
        }
        # The third: aggregates that merge cheaply (two stacks as well).
        pairs = [(f["v"], f["x"]) for f in frame if f["v"] is not None and f["x"] is not None]
        cov = None
        if pairs:
            mx = math.fsum(p[1] for p in pairs) / len(pairs)
            my = math.fsum(p[0] for p in pairs) / len(pairs)
            cov = math.fsum((p[1] - mx) * (p[0] - my) for p in pairs) / len(pairs)
        sd = moments(vs)
        out[r["id"] + CHEAP] = {
            "n3": len(present), "total3": sum(present) if present else None,
            "mean3": (math.fsum(present) / len(present)) if present else None,
            "sd3": sd[1] if sd else None, "z3": z, "cov3": cov,
            "ids3": sum(f["id"] for f in frame),
            "idm3": math.fsum(f["id"] for f in frame) / len(frame),
        }
        if kind == "unbounded":
            # logreg_predict(b, x, rate: 0.1): predict, then learn.
            w = weights.setdefault(r["k"], [0.0, 0.0])
            p = None if r["x"] is None else sigmoid(w[0] + w[1] * r["x"])
            if r["x"] is not None:
                step = 0.1 * ((1.0 if r["b"] else 0.0) - p)
                w[0] += step
                w[1] += step * r["x"]
            # kmeans_assign(x, v, k: 2).
            cs = centroids.setdefault(r["k"], [])
            c = None
            if r["x"] is not None and r["v"] is not None:
                point = (r["x"], float(r["v"]))
                if len(cs) < 2:
                    cs.append([1, list(point)])
                    c = len(cs) - 1
                else:
                    dist = [sum((point[d] - cc[1][d]) ** 2 for d in range(2)) for cc in cs]
                    c = min(range(len(cs)), key=lambda i: (dist[i], i))
                    cs[c][0] += 1
                    for d in range(2):
                        cs[c][1][d] += (point[d] - cs[c][1][d]) / cs[c][0]
            out[r["id"]].update({"p": p, "cluster": c})
        h.append(r)
    return out


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


# The second and third pipelines' rows: their records' ids plus these.
EXACT = 1000000
CHEAP = 2000000


def run_case(streamc, seed, work):
    rng = random.Random(seed)
    records = gen_records(rng, rng.randint(5, 60))
    max_delay = rng.choice([0, 1000, 3000])
    kind, size = rng.choice(FRAMES)
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "in.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "ts", "k", "v", "x", "b"])
        for r in records:
            w.writerow([r["id"], r["ts"], r["k"], "" if r["v"] is None else r["v"],
                        "" if r["x"] is None else r["x"], "true" if r["b"] else "false"])
    frame = {"rows": "rows(%d)" % (size or 0), "range": "range(%dms)" % (size or 0),
             "unbounded": "unbounded"}[kind]
    learning = extra = ""
    if kind == "unbounded":
        learning = ", p: logreg_predict(b, x), cluster: kmeans_assign(x, v, k: 2)"
        extra = ", p, cluster"
    program = """schema R { id: i64, ts: timestamp, k: string, v: i64?, x: f64?, b: bool }
source r: R = file("in.csv", format: "csv") with event_time = ts, max_delay = %dms
from r
| extend over %s by k {
    n: count(v), total: sum(v), lo: min(v), hi: max(v), mean: avg(v), first_v: first(v),
    last_v: last(v), e: ewma(v, alpha: 0.5), z: zscore(v), fit: linreg_predict(v, x)%s
  }
| select { id, n, total, lo, hi, mean, first_v, last_v, e, z, fit%s }
from r
| extend over %s by k {
    n2: count(v), lo2: min(v), hi2: max(v), f2: first(v), l2: last(v), am2: arg_max(id, v),
    c2: count(), mi2: min(id), la2: last(id)
  }
| select { id: id + %d, n2, lo2, hi2, f2, l2, am2, c2, mi2, la2 }
from r
| extend over %s by k {
    n3: count(v), total3: sum(v), mean3: avg(v), sd3: stddev(v), z3: zscore(v),
    cov3: covar_pop(v, x), ids3: sum(id), idm3: avg(id)
  }
| select { id: id + %d, n3, total3, mean3, sd3, z3, cov3, ids3, idm3 }
""" % (max_delay, frame, learning, extra, frame, EXACT, frame, CHEAP)
    with open(os.path.join(work, "p.stream"), "w") as f:
        f.write(program)
    p = subprocess.run([streamc, "run", "p.stream"], cwd=work, capture_output=True, text=True)
    if p.returncode != 0:
        return "exit %d: %s" % (p.returncode, p.stderr.strip())
    got = {}
    for line in p.stdout.splitlines():
        row = json.loads(line)
        got[row.pop("id")] = row
    want = expected(records, max_delay, kind, size)
    if set(got) != set(want):
        return "records %s, expected %s" % (sorted(got), sorted(want))
    for i, row in want.items():
        for name, value in row.items():
            if not same(value, got[i][name]):
                return "record %d, %s: %r, expected %r (%s, max_delay %d)" % (
                    i, name, got[i][name], value, frame, max_delay)
    return None


def main():
    streamc, seeds, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    failed = 0
    for seed in range(seeds):
        problem = run_case(streamc, seed, os.path.join(work, str(seed)))
        if problem:
            failed += 1
            if failed <= 3:
                print("seed %d: %s" % (seed, problem))
    print("extend over property test: %d seeds, %d failed" % (seeds, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

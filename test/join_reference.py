#!/usr/bin/env python3
"""Property test of interval joins: random two-source programs over random
out-of-order event streams, compared with a straightforward reference of
LANGUAGE.md §5-§6.

  join_reference.py --streamc STREAMC [--runner "CMD..."] [--seeds N] [--work DIR]
  join_reference.py --self-test

The reference: a record is late when its event time is behind its own
source's watermark (the largest event time the source had before it, minus
max_delay), in file order; late records are dropped and counted. Every pair
of records that are not late, satisfy the condition and whose event times
are within the interval (`within d`: at most d apart, 0 included; `within
(before, after)`: r's in [l's - before, l's + after]) is emitted exactly
once; `within unbounded` pairs every two records, late ones included. Output rows are compared
as multisets, and the late count with the -v summary. Conditions: an
equality key (string or i64, nullable), an equality plus a residual, two
keys, and no equality at all (a nested loop); this side is sometimes the
`union` of two sources with different delays. On a mismatch the seed, the
program, the input and the difference are printed.
"""
import argparse
import collections
import json
import os
import random
import re
import shlex
import subprocess
import sys

SCHEMAS = """schema L { ts: timestamp, k: string?, n: i64?, v: i64 }
schema R { ts: timestamp, k: string?, n: i64?, w: i64 }
"""

# (condition text, python predicate over (l, r))
CONDITIONS = [
    ("k == r.k", lambda l, r: l["k"] is not None and l["k"] == r["k"]),
    ("n == r.n", lambda l, r: l["n"] is not None and l["n"] == r["n"]),
    ("k == r.k and r.w > v", lambda l, r: l["k"] is not None and l["k"] == r["k"] and r["w"] > l["v"]),
    ("r.n == n and k == r.k", lambda l, r: None not in (l["n"], l["k"]) and l["n"] == r["n"] and l["k"] == r["k"]),
    ("r.w >= v * 2", lambda l, r: r["w"] >= l["v"] * 2),
    ("v + 1 == r.w - 1", lambda l, r: l["v"] + 1 == r["w"] - 1),
]


def gen_stream(rng, n, max_delay, value_field):
    """Records in arrival order: event times mostly increasing, some out of
    order within max_delay, a few late beyond it."""
    t = rng.randrange(0, 5000)
    out = []
    for _ in range(n):
        t += rng.choice([0, 1, 7, 50, 300, 1000, 2500])
        ts = t
        r = rng.random()
        if r < 0.15:
            ts = max(0, t - rng.randrange(0, max_delay + 1))  # within the delay
        elif r < 0.2:
            ts = max(0, t - max_delay - rng.randrange(1, 4000))  # late
        out.append({
            "ts": ts,
            "k": rng.choice(["a", "b", "c", None]),
            "n": rng.choice([1, 2, 3, None]),
            value_field: rng.randrange(0, 10),
        })
    return out


def late_flags(stream, max_delay):
    flags, largest = [], None
    for rec in stream:
        wm = None if largest is None else largest - max_delay
        flags.append(wm is not None and rec["ts"] < wm)
        largest = rec["ts"] if largest is None else max(largest, rec["ts"])
    return flags


def make_case(seed):
    rng = random.Random(seed)
    cond, pred = rng.choice(CONDITIONS)
    # `within d` (0 included), `within (before, after)`, `within unbounded`.
    form = rng.choice(["symmetric", "symmetric", "before_after", "unbounded"])
    if form == "symmetric":
        before = after = rng.choice([0, 1, 500, 1000, 3000, 10000])
        interval = f"{before}ms"
    elif form == "before_after":
        before, after = rng.choice([0, 500, 3000]), rng.choice([0, 1000, 10000])
        interval = f"({before}ms, {after}ms)"
    else:
        before = after = None
        interval = "unbounded"
    dl, dr = rng.choice([0, 0, 1000, 3000]), rng.choice([0, 2000])
    left = gen_stream(rng, rng.randrange(0, 60), dl, "v")
    right = gen_stream(rng, rng.randrange(0, 60), dr, "w")
    # Sometimes this side is the union of l and a second source l2, with a
    # delay of its own: lateness is per source, the union drops nothing.
    d2 = rng.choice([0, 1500])
    left2 = gen_stream(rng, rng.randrange(0, 40), d2, "v") if rng.random() < 0.3 else None
    program = SCHEMAS + f"""source l: L = file("l.jsonl") with event_time = ts, max_delay = {dl}ms
source r: R = file("r.jsonl") with event_time = ts, max_delay = {dr}ms
"""
    this = "l"
    if left2 is not None:
        program += f"""source l2: L = file("l2.jsonl") with event_time = ts, max_delay = {d2}ms
let lu = from l | union l2
"""
        this = "lu"
    program += f"from {this} | join r on {cond} within {interval} | select {{ lt: ts, v, rt: r_ts, w }}\n"
    lf, rf = late_flags(left, dl), late_flags(right, dr)
    if left2 is not None:
        lf += late_flags(left2, d2)
        left = left + left2
    if form == "unbounded":  # every record is kept to the end: none is late
        lf, rf = [False] * len(lf), [False] * len(rf)
    rows = collections.Counter()
    for l, ll in zip(left, lf):
        for r, rl in zip(right, rf):
            in_interval = form == "unbounded" or l["ts"] - before <= r["ts"] <= l["ts"] + after
            if not ll and not rl and in_interval and pred(l, r):
                rows[(l["ts"], l["v"], r["ts"], r["w"])] += 1
    return {"seed": seed, "program": program, "left": left[:len(left) - len(left2 or [])],
            "left2": left2, "right": right,
            "rows": rows, "late": sum(lf) + sum(rf)}


def ms(text):
    """RFC 3339 (as streamc writes it) to epoch ms."""
    import datetime
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (t - epoch) // datetime.timedelta(milliseconds=1)


def run_case(case, args):
    work = os.path.join(args.work, str(case["seed"]))
    os.makedirs(work, exist_ok=True)
    for name, recs in (("l.jsonl", case["left"]), ("r.jsonl", case["right"]),
                       ("l2.jsonl", case["left2"] or [])):
        with open(os.path.join(work, name), "w") as f:
            for rec in recs:
                f.write(json.dumps(rec) + "\n")
    prog = os.path.join(work, "join.stream")
    with open(prog, "w") as f:
        f.write(case["program"])
    runner = shlex.split(args.runner) if args.runner else [args.streamc, "run"]
    p = subprocess.run(runner + [prog, "-v"], cwd=work, capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0:
        return f"exit status {p.returncode}: {p.stderr}"
    got = collections.Counter()
    for line in p.stdout.splitlines():
        o = json.loads(line)
        got[(ms(o["lt"]), o["v"], ms(o["rt"]), o["w"])] += 1
    m = re.search(r"join at \S+: (\d+) late records dropped", p.stderr)
    late = int(m.group(1)) if m else None
    if late is None and re.search(r"join at \S+: state kept to the end", p.stderr):
        late = 0  # an unbounded join drops nothing
    problems = []
    if got != case["rows"]:
        missing = case["rows"] - got
        extra = got - case["rows"]
        problems.append(f"missing {sorted(missing.elements())[:20]}, unexpected {sorted(extra.elements())[:20]}")
    if late != case["late"]:
        problems.append(f"late: expected {case['late']}, got {late}")
    return "; ".join(problems)


def self_test():
    # Late flags follow each source's own watermark, in arrival order.
    assert late_flags([{"ts": 10}, {"ts": 5}, {"ts": 9}], 2) == [False, True, False]
    # The interval is inclusive.
    case = make_case(0)
    assert isinstance(case["rows"], collections.Counter)
    l = {"ts": 0, "k": "a", "n": 1, "v": 1}
    r = {"ts": 10, "k": "a", "n": 1, "w": 5}
    assert CONDITIONS[0][1](l, r) and not CONDITIONS[0][1](dict(l, k=None), dict(r, k=None))
    print("self-test passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--streamc")
    ap.add_argument("--runner")
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--work", default="join-property.work")
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    failed = ran = pairs = 0
    for seed in range(args.seeds):
        case = make_case(seed)
        problem = run_case(case, args)
        ran += 1
        pairs += sum(case["rows"].values())
        if problem:
            failed += 1
            if failed == 1:
                print(f"seed {seed} FAILED: {problem}\n--- program\n{case['program']}"
                      f"--- l.jsonl / r.jsonl in {os.path.join(args.work, str(seed))}")
    # The counts show the cases ran and compared something (the test checks them).
    print(f"{ran - failed} of {ran} cases agree with the reference ({pairs} pairs)")
    return 1 if failed else 0


sys.exit(main())

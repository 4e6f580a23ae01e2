#!/usr/bin/env python3
"""Differential test of the regular-expression built-ins (LANGUAGE.md §7)
against Python's `re`, on patterns whose meaning both engines share (RE2
syntax without what Python lacks; \\w \\d \\s \\b are ASCII in RE2, so Python
runs with re.ASCII).

One program holds every (pattern, function) pair as a field of one select;
random strings (ASCII, a two-byte and a three-byte character, empty ones,
nulls) go through it under the JIT and a built executable (--runner, the
test suite's %run), and every value must equal Python's:

  regexp_like(s, p)        re.search(p, s) is not None
  regexp_extract(s, p, g)  re.search(p, s).group(g), null without a match
                           or when the group took no part in it
  regexp_replace(s, p, r)  re.sub(p, r', s), r' being r with \\0 as \\g<0>

regexp_replace is compared only on patterns that cannot match the empty
string: RE2 and Python differ on where empty matches may fall.
"""
import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys

# (pattern, can match the empty string)
PATTERNS = [
    (r"a", False), (r"a+b", False), (r"(a|b)c", False), (r"^x", False), (r"x$", False),
    (r"[0-9]+", False), (r"(\d+)-(\d+)", False), (r"a.c", False), (r"(ab)*c", False),
    (r"[^a ]+", False), (r"\bab\b", False), (r"(a)|(b)", False), (r"x{2,3}", False),
    (r"(?i)AB", False), (r"a*?b", False), (r"(a+)(b*)", False), (r"\s+", False),
    (r"(é+)(.)", False), (r"[aé€]{2}", False), (r"\w+", False), (r"(x|1)(0?)", False),
    (r"a*", True), (r"(b?)", True), (r"^", True), (r"(c*)$", True),
]
REWRITES = [r"<\0>", r"[\1]", r"\\", r"-", r""]
ALPHABET = ["a", "b", "c", "x", "0", "1", "-", " ", "é", "€", "A", "B"]


def py_rewrite(r):
    return r.replace("\\0", "\\g<0>")


def groups_of(p):
    return re.compile(p).groups


def expected(s, fields):
    out = {}
    for name, fn, p, arg in fields:
        if s is None:
            out[name] = None
            continue
        m = re.search(p, s, re.ASCII)
        if fn == "like":
            out[name] = m is not None
        elif fn == "extract":
            out[name] = m.group(arg) if m else None
        else:
            out[name] = re.sub(p, py_rewrite(arg), s, flags=re.ASCII)
    return out


def build_fields(rng):
    fields = []
    for i, (p, empty) in enumerate(PATTERNS):
        fields.append((f"l{i}", "like", p, None))
        for g in range(groups_of(p) + 1):
            fields.append((f"e{i}_{g}", "extract", p, g))
        if not empty:
            for j, r in enumerate(REWRITES):
                if "\\1" in r and groups_of(p) < 1:
                    continue
                fields.append((f"r{i}_{j}", "replace", p, r))
    return fields


def program(fields):
    lit = lambda v: json.dumps(v, ensure_ascii=False)
    entries = []
    for name, fn, p, arg in fields:
        if fn == "like":
            entries.append(f"  {name}: regexp_like(s, {lit(p)})")
        elif fn == "extract":
            entries.append(f"  {name}: regexp_extract(s, {lit(p)}, {arg})")
        else:
            entries.append(f"  {name}: regexp_replace(s, {lit(p)}, {lit(arg)})")
    return ("schema R { s: string? }\n"
            "source src: R = file(\"in.jsonl\")\n"
            "sink out = stdout(format: \"json\")\n"
            "from src | select {\n" + ",\n".join(entries) + "\n} | into out\n")


def random_string(rng):
    if rng.random() < 0.05:
        return None
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def self_test():
    fields = build_fields(random.Random(0))
    e = expected("xab 12-34 é€", fields)
    assert e["l0"] is True and e["e6_1"] == "12" and e["e6_2"] == "34"
    assert e["e11_2"] is None and e["e11_1"] == "a"  # (a)|(b): group 2 takes no part
    assert expected(None, fields)["l0"] is None
    assert py_rewrite(r"<\0>") == r"<\g<0>>"
    print("self-test passed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--runner")
    ap.add_argument("--work")
    ap.add_argument("--strings", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.self_test:
        self_test()
        return 0
    rng = random.Random(a.seed)
    fields = build_fields(rng)
    strings = [random_string(rng) for _ in range(a.strings)]
    os.makedirs(a.work, exist_ok=True)
    with open(os.path.join(a.work, "prog.stream"), "w") as f:
        f.write(program(fields))
    with open(os.path.join(a.work, "in.jsonl"), "w") as f:
        for s in strings:
            f.write(json.dumps({"s": s}, ensure_ascii=False) + "\n")
    run = subprocess.run(shlex.split(a.runner) + ["prog.stream"], cwd=a.work,
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout, run.stderr, file=sys.stderr)
        return 1
    lines = run.stdout.splitlines()
    if len(lines) != len(strings):
        print(f"{len(lines)} records out for {len(strings)} in", file=sys.stderr)
        return 1
    values = disagree = 0
    for s, line in zip(strings, lines):
        got, want = json.loads(line), expected(s, fields)
        for name, _, p, _ in fields:
            values += 1
            if got.get(name, "missing") != want[name]:
                disagree += 1
                if disagree <= 10:
                    print(f"disagree: {name} pattern {p!r} on {s!r}: streamc {got.get(name)!r}, "
                          f"Python {want[name]!r}", file=sys.stderr)
    print(f"{len(strings)} strings, {len(PATTERNS)} patterns, {len(fields)} calls: "
          f"{values - disagree} of {values} values agree")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Property test for windowed aggregation: streamc against a reference.

The reference below is a direct, deliberately naive transcription of the
window semantics of the language contract (LANGUAGE.md §6): it keeps every
record of every open window in a list and computes each aggregate from that
list when the window fires. It is compared with streamc on random programs
over random event streams.

  window_reference.py --self-test
      checks the reference against hand-computed cases.
  window_reference.py --streamc STREAMC [--runner "CMD..."] [--seeds N] [--work DIR]
      generates N random cases (seeds 0..N-1, or --seed-list 3,17), runs each
      program through the runner (default: `STREAMC run`; the lit test uses
      test/run-jit-aot.py, which also builds an executable and requires both
      to agree) with -v, and compares the output rows, the `source s: N
      records read` line and the per-window late-record count with the
      reference. The first mismatching case is printed in full (seed, program,
      input file, expected and actual rows) and the exit status is 1.
      --shrink minimises a failing case (fewer records, fewer pipelines)
      before printing it.

Semantics implemented (one source, records processed in file order):
  * Watermark W starts at -inf. For each record of the source (also one that
    a `where` before the window drops), the record is first assigned with the
    current W, then max_event_time grows, W = max_event_time - max_delay, and
    every time window with end <= W fires. At end of input W = +inf.
  * tumbling(size): [s, s+size), s = floor(t/size)*size.
    sliding(size, slide): every [s, s+size) with s a multiple of slide that
    contains t. A record is late for a window with end <= W; it enters the
    others; a record that enters none is dropped and counted as late (with
    slide > size, a record between two windows is in none and is dropped
    without being counted: docs/language.md §15).
  * session(gap), per key: a record with t + gap <= W is late (dropped,
    counted); otherwise it merges with every unfired session of its key whose
    [first, last+gap) overlaps or touches [t, t+gap); the window is
    [first, last+gap).
  * count(n), per key: emits when the n-th record arrives, and each key's
    partial window at end of input; window_start/end = min/max event time.
  * A window after a window gets the first one's result rows as records with
    event time window_end - 1ms, one by one in emission order, before the
    watermark moves on to it (so they are never late).
  * where/extend/select before the first window apply per record (select
    keeps the event time); where/extend/select after a window apply per row.
  * `late into` sinks get the records a window drops as late (compared as a
    multiset with the reference's).
  * Keys: nulls form one group. Aggregates skip nulls (but count());
    first/last by arrival; percentile = linear interpolation between closest
    ranks; stddev/variance are sample statistics.
Comparison: time windows must come in non-decreasing window_end, rows of one
window_end are compared as a multiset; count windows are compared per key in
order. Floats with relative tolerance 1e-9.
"""
import argparse
import concurrent.futures
import difflib
import json
import math
import os
import random
import re
import shlex
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from fractions import Fraction

INF = float("inf")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# ---------------------------------------------------------------------------
# Values and SQL-style null helpers


def fmt_ts(ms):
    dt = EPOCH + timedelta(milliseconds=ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def fmt_dur(ms):
    if ms % 60000 == 0 and ms:
        return "%dm" % (ms // 60000)
    if ms % 1000 == 0:
        return "%ds" % (ms // 1000)
    return "%dms" % ms


def idiv(a, b):
    """i64 division truncating toward zero (null-propagating)."""
    if a is None or b is None:
        return None
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def imod(a, b):
    """i64 modulo with the sign of the dividend (C semantics)."""
    if a is None or b is None:
        return None
    return a - b * idiv(a, b)


def cmp(op, a, b):
    if a is None or b is None:
        return None
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]


def or3(a, b):
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def not3(a):
    return None if a is None else (not a)


# ---------------------------------------------------------------------------
# Records: dicts {ts, k, g, v, x, s, _i (arrival index)}.

FIELDS = ["ts", "k", "g", "v", "x", "s"]


class Expr:
    """A record expression: text for the program, ev(record) for the reference."""

    def __init__(self, text, typ, ev):
        self.text, self.typ, self.ev = text, typ, ev


def fld(name, typ):
    return Expr(name, typ, lambda r, n=name: r[n])


ARG_V = fld("v", "i64")
ARG_X = fld("x", "f64")
ARG_S = fld("s", "str")
ARG_TS = fld("ts", "ts")
ARG_G = fld("g", "i64")
ARG_V2 = Expr("v * 2", "i64", lambda r: None if r["v"] is None else r["v"] * 2)
ARG_BIG = Expr("if v > 50 then v else null", "i64",
               lambda r: r["v"] if (r["v"] is not None and r["v"] > 50) else None)
# Never null: the aggregates that count values then share the state's count
# of records (countsRows) instead of keeping their own.
ARG_VN = Expr("coalesce(v, 7)", "i64", lambda r: 7 if r["v"] is None else r["v"])
ARG_XV = Expr("x + v", "f64",
              lambda r: None if (r["x"] is None or r["v"] is None) else r["x"] + r["v"])

# ---------------------------------------------------------------------------
# Aggregates: fn(values_in_arrival_order_without_nulls, n_records) -> value


def _nonnull(vals):
    return [v for v in vals if v is not None]


def agg_sum(vals, typ):
    vs = _nonnull(vals)
    if not vs:
        return None
    return sum(vs) if typ != "f64" else math.fsum(vs)


class Approx:
    """An expected value known only within [lo, hi] (sketches beyond their
    exact range)."""

    def __init__(self, lo, hi, what):
        self.lo, self.hi, self.what = lo, hi, what

    def __repr__(self):
        return "%s in [%r, %r]" % (self.what, self.lo, self.hi)


def agg_avg(vals):
    vs = _nonnull(vals)
    if not vs:
        return None
    if len(vs) > 300:
        return math.fsum(vs) / len(vs)
    return float(sum(Fraction(v) for v in vs) / len(vs))


def agg_var(vals):
    vs = _nonnull(vals)
    if len(vs) < 2:
        return None
    if len(vs) > 300:  # exact rationals get slow; two-pass fsum is within 1e-12
        mean = math.fsum(vs) / len(vs)
        return math.fsum((v - mean) ** 2 for v in vs) / (len(vs) - 1)
    fs = [Fraction(v) for v in vs]
    mean = sum(fs) / len(fs)
    return sum((f - mean) ** 2 for f in fs) / (len(fs) - 1)


def _interpolate(vs, p):
    pos = Fraction(p).limit_denominator(10 ** 6) * (len(vs) - 1)
    lo = math.floor(pos)
    hi = math.ceil(pos)
    frac = pos - lo
    return float(Fraction(vs[lo]) + (Fraction(vs[hi]) - Fraction(vs[lo])) * frac)


# Up to this many values per window and key, percentile is exact; beyond, a
# t-digest must stay within RANK_ERROR of the rank (docs/language.md §8).
PERCENTILE_EXACT = 300
RANK_ERROR = 0.01
# approx_count_distinct is exact up to this many distinct values; beyond, a
# HyperLogLog (standard error 0.8%): accepted within HLL_ERROR (5 sigma).
HLL_EXACT = 256
HLL_ERROR = 0.04


def agg_percentile(vals, p):
    vs = sorted(_nonnull(vals))
    if not vs:
        return None
    if len(vs) > PERCENTILE_EXACT:
        return Approx(_interpolate(vs, max(0, p - RANK_ERROR)),
                      _interpolate(vs, min(1, p + RANK_ERROR)), "percentile(%s)" % p)
    return _interpolate(vs, p)


def agg_approx_distinct(vals):
    d = len(set(_nonnull(vals)))
    if d > HLL_EXACT:
        return Approx(math.floor(d * (1 - HLL_ERROR)), math.ceil(d * (1 + HLL_ERROR)),
                      "approx_count_distinct (exact %d)" % d)
    return d


def _comoments(ys, xs):
    """n, the means and the sums of squared and co-deviations of the pairs
    with no null, exactly (rationals)."""
    pairs = [(Fraction(y), Fraction(x)) for y, x in zip(ys, xs) if y is not None and x is not None]
    n = len(pairs)
    if n == 0:
        return 0, 0, 0, 0, 0, 0, 0
    my = sum(y for y, _ in pairs) / n
    mx = sum(x for _, x in pairs) / n
    sxx = sum((x - mx) ** 2 for _, x in pairs)
    syy = sum((y - my) ** 2 for y, _ in pairs)
    sxy = sum((x - mx) * (y - my) for y, x in pairs)
    return n, mx, my, sxx, syy, sxy


def agg_comoment(kind, ys, xs):
    """regr_*, corr and covar_* as SQL (PostgreSQL) defines them."""
    n, mx, my, sxx, syy, sxy = _comoments(ys, xs)[:6]
    if kind == "covar_pop":
        return None if n == 0 else float(sxy / n)
    if n < 2:
        return None
    if kind == "covar_samp":
        return float(sxy / (n - 1))
    if kind == "corr":
        if sxx == 0 or syy == 0:
            return None
        return max(-1.0, min(1.0, float(sxy) / math.sqrt(sxx * syy)))
    if sxx == 0:
        return None
    if kind == "regr_slope":
        return float(sxy / sxx)
    if kind == "regr_intercept":
        return float(my - sxy / sxx * mx)
    if kind == "regr_r2":
        return 1.0 if syy == 0 else min(1.0, float(sxy * sxy / (sxx * syy)))
    raise ValueError(kind)


def agg_ewma(vals, alpha):
    """s1 = x1, sk = a*xk + (1 - a)*s(k-1), in arrival order (LANGUAGE.md §6.2)."""
    s = None
    for v in _nonnull(vals):
        s = float(v) if s is None else alpha * v + (1 - alpha) * s
    return s


def agg_arg_extreme(largest, vals, bys):
    """v of the first record (by arrival) with the largest / smallest by."""
    best = None
    for v, b in zip(vals, bys):
        if b is not None and (best is None or (b > best[1] if largest else b < best[1])):
            best = (v, b)
    return None if best is None else best[0]


COMOMENTS = ("regr_slope", "regr_intercept", "regr_r2", "corr", "covar_samp", "covar_pop")


class Agg:
    """One aggregate call: text, result type, and fn(list of records) -> value."""

    def __init__(self, text, typ, fn):
        self.text, self.typ, self.fn = text, typ, fn


def make_agg(kind, arg=None, p=None, arg2=None):
    """An aggregate of `arg` (and `arg2`: x of regr_*/corr/covar_*, `by` of
    arg_max/arg_min); `p` is percentile's p or ewma's alpha."""
    if kind in COMOMENTS:
        return Agg("%s(%s, %s)" % (kind, arg.text, arg2.text), "f64",
                   lambda rs: agg_comoment(kind, [arg.ev(r) for r in rs], [arg2.ev(r) for r in rs]))
    if kind in ("arg_max", "arg_min"):
        return Agg("%s(%s, %s)" % (kind, arg.text, arg2.text), arg.typ,
                   lambda rs: agg_arg_extreme(kind == "arg_max", [arg.ev(r) for r in rs],
                                              [arg2.ev(r) for r in rs]))
    if kind == "ewma":
        return Agg("ewma(%s, alpha: %s)" % (arg.text, p), "f64",
                   lambda rs: agg_ewma([arg.ev(r) for r in rs], p))
    if kind == "count" and arg is None:
        return Agg("count()", "i64", lambda rs: len(rs))
    vals = (lambda rs: [arg.ev(r) for r in rs])
    t = arg.typ
    if kind == "count":
        return Agg("count(%s)" % arg.text, "i64", lambda rs: len(_nonnull(vals(rs))))
    if kind == "sum":
        return Agg("sum(%s)" % arg.text, t, lambda rs: agg_sum(vals(rs), t))
    if kind in ("min", "max"):
        f = min if kind == "min" else max
        return Agg("%s(%s)" % (kind, arg.text), t,
                   lambda rs: (lambda vs: f(vs) if vs else None)(_nonnull(vals(rs))))
    if kind == "avg":
        return Agg("avg(%s)" % arg.text, "f64", lambda rs: agg_avg(vals(rs)))
    if kind == "first":
        return Agg("first(%s)" % arg.text, t,
                   lambda rs: (lambda vs: vs[0] if vs else None)(_nonnull(vals(rs))))
    if kind == "last":
        return Agg("last(%s)" % arg.text, t,
                   lambda rs: (lambda vs: vs[-1] if vs else None)(_nonnull(vals(rs))))
    if kind == "count_distinct":
        return Agg("%s(%s)" % (kind, arg.text), "i64", lambda rs: len(set(_nonnull(vals(rs)))))
    if kind == "approx_count_distinct":
        return Agg("%s(%s)" % (kind, arg.text), "i64", lambda rs: agg_approx_distinct(vals(rs)))
    if kind == "variance":
        return Agg("variance(%s)" % arg.text, "f64",
                   lambda rs: (lambda v: None if v is None else float(v))(agg_var(vals(rs))))
    if kind == "stddev":
        return Agg("stddev(%s)" % arg.text, "f64",
                   lambda rs: (lambda v: None if v is None else math.sqrt(v))(agg_var(vals(rs))))
    if kind == "median":
        return Agg("median(%s)" % arg.text, "f64", lambda rs: agg_percentile(vals(rs), 0.5))
    if kind == "percentile":
        return Agg("percentile(%s, %s)" % (arg.text, p), "f64",
                   lambda rs: agg_percentile(vals(rs), p))
    raise ValueError(kind)


class Entry:
    """An entry of the aggregate block: name, text, type, fn(records) -> value."""

    def __init__(self, name, text, typ, fn):
        self.name, self.text, self.typ, self.fn = name, text, typ, fn


def entry_agg(name, agg):
    return Entry(name, agg.text, agg.typ, agg.fn)


# ---------------------------------------------------------------------------
# Pipelines


class Key:
    def __init__(self, name, text, typ, ev):
        self.name, self.text, self.typ, self.ev = name, text, typ, ev

    def by_text(self):
        return self.name if self.text == self.name else "%s: %s" % (self.name, self.text)


KEY_K = Key("k", "k", "str", lambda r: r["k"])
KEY_G = Key("g", "g", "i64", lambda r: r["g"])
KEY_B = Key("b", "g % 3", "i64", lambda r: imod(r["g"], 3))


class Pipeline:
    """One window stage: spec + keys + entries, stages before it (only on the
    first window of a pipeline) and after it, and optionally a further window
    stage (`then`) fed by this one's results."""

    def __init__(self, kind, params, keys, entries, pre=None, post=(), late_sink=None, then=None):
        self.late_sink = late_sink  # sink name for `late into`, or None
        self.kind = kind            # tumbling / sliding / session / count
        self.params = params        # ms values (count: n)
        self.keys = keys
        self.entries = entries
        if pre is None:
            pre = []
        elif isinstance(pre, tuple):  # a (text, predicate) of PRE_WHERE
            pre = [pre_where(*pre)]
        self.pre = list(pre)        # [(text, fn(record) -> record or None)]
        self.post = list(post)      # [(text, fn(rows) -> rows)]
        self.then = then

    def stages(self):
        out, p = [], self
        while p is not None:
            out.append(p)
            p = p.then
        return out

    def final(self):
        return self.stages()[-1]

    def spec_text(self):
        if self.kind == "count":
            return "count(%d)" % self.params[0]
        return "%s(%s)" % (self.kind, ", ".join(fmt_dur(p) for p in self.params))

    def window_line(self):
        by = ""
        if self.keys:
            by = " by " + ", ".join(k.by_text() for k in self.keys)
        agg = ", ".join("%s: %s" % (e.name, e.text) for e in self.entries)
        late = " late into %s" % self.late_sink if self.late_sink else ""
        return "| window %s%s aggregate { %s }%s" % (self.spec_text(), by, agg, late)

    def lines(self, source):
        """Program lines as (text, is_window_line)."""
        out = [("from %s" % source, False)]
        for text, _ in self.pre:
            out.append(("| " + text, False))
        for st in self.stages():
            out.append((st.window_line(), True))
            for text, _ in st.post:
                out.append(("| " + text, False))
        return out


# ---------------------------------------------------------------------------
# The reference


def _windows_of(kind, params, t):
    if kind == "tumbling":
        size = params[0]
        s = (t // size) * size
        return [(s, s + size)]
    size, slide = params
    s = (t // slide) * slide
    out = []
    while s + size > t:
        out.append((s, s + size))
        s -= slide
    out.reverse()
    return out


class WindowOp:
    """One window stage. assign() takes a record (its event time in "_t") with
    the stage's current watermark; advance(W) fires the windows that end at or
    before W and then makes W current. Both return the result rows, after the
    stage's post stages, in emission order."""

    def __init__(self, pipe):
        self.p = pipe
        self.W = -INF
        self.late = 0
        self.late_out = []
        self.open_w = {}      # time windows: (start, end, key) -> [records]
        self.sessions = {}    # key -> list of [first, last, [records]]
        self.counts = {}      # key -> [records]
        self.gap = pipe.params[0] if pipe.kind == "session" else None

    def _emit(self, start, end, key, recs, out):
        p = self.p
        recs = sorted(recs, key=lambda r: r["_i"])
        row = [("window_start", start, "ts"), ("window_end", end, "ts")]
        row += [(k.name, kv, k.typ) for k, kv in zip(p.keys, key)]
        row += [(e.name, e.fn(recs), e.typ) for e in p.entries]
        rows = [row]
        for _, fn in p.post:
            rows = fn(rows)
        out.extend(rows)

    def _late(self, r):
        self.late += 1
        self.late_out.append(r)

    def assign(self, r):
        p, W, out = self.p, self.W, []
        t = r["_t"]
        key = tuple(k.ev(r) for k in p.keys)
        if p.kind in ("tumbling", "sliding"):
            entered = False
            ws = _windows_of(p.kind, p.params, t)
            for (s, e) in ws:
                if e <= W:
                    continue
                self.open_w.setdefault((s, e, key), []).append(r)
                entered = True
            # With slide > size a record between windows is in none: it is
            # dropped without being late (docs/language.md §15).
            if ws and not entered:
                self._late(r)
        elif p.kind == "session":
            gap = self.gap
            if t + gap <= W:
                self._late(r)
            else:
                ss = self.sessions.setdefault(key, [])
                merged = [t, t, [r]]
                keep = []
                for s in ss:
                    if t <= s[1] + gap and s[0] <= t + gap:  # overlap or touch
                        merged = [min(merged[0], s[0]), max(merged[1], s[1]), merged[2] + s[2]]
                    else:
                        keep.append(s)
                keep.append(merged)
                ss[:] = keep
        else:  # count: never late
            lst = self.counts.setdefault(key, [])
            lst.append(r)
            if len(lst) == p.params[0]:
                ts = [x["_t"] for x in lst]
                self._emit(min(ts), max(ts), key, lst, out)
                self.counts[key] = []
        return out

    def advance(self, W):
        ready, out = [], []
        if self.p.kind in ("tumbling", "sliding"):
            for wk in [wk for wk in self.open_w if wk[1] <= W]:
                ready.append((wk[1], wk[0], wk[2], self.open_w.pop(wk)))
        elif self.p.kind == "session":
            for key, ss in self.sessions.items():
                keep = []
                for s in ss:
                    if s[1] + self.gap <= W:
                        ready.append((s[1] + self.gap, s[0], key, s[2]))
                    else:
                        keep.append(s)
                ss[:] = keep
        ready.sort(key=lambda x: x[0])
        for end, start, key, recs in ready:
            self._emit(start, end, key, recs, out)
        self.W = max(self.W, W)
        return out

    def finish(self):
        out = self.advance(INF)
        if self.p.kind == "count":
            for key, lst in self.counts.items():
                if lst:
                    ts = [x["_t"] for x in lst]
                    self._emit(min(ts), max(ts), key, lst, out)
            self.counts = {}
        return out


def run_reference(records, max_delay, pipe):
    """Runs a pipeline over the source records; returns (rows, ops)."""
    ops = [WindowOp(st) for st in pipe.stages()]
    rows = []
    arrivals = [0] * len(ops)

    def feed(k, items):
        for r in items:
            push(k, ops[k].assign(r))

    def push(k, out):
        """Rows produced by stage k go to stage k+1 (as records whose event
        time is window_end - 1ms), or to the output."""
        if k + 1 == len(ops):
            rows.extend(out)
            return
        recs = []
        for row in out:
            rec = {n: v for n, v, _ in row}
            rec["_t"] = rec["window_end"] - 1
            rec["_i"] = arrivals[k + 1]
            arrivals[k + 1] += 1
            recs.append(rec)
        feed(k + 1, recs)

    max_t = -INF
    for r in records:
        rec = dict(r, _t=r["ts"])
        for _, fn in pipe.pre:
            rec = fn(rec)
            if rec is None:
                break
        if rec is not None:
            feed(0, [rec])
        # The source's watermark moves after every record it reads (also one
        # that a `where` drops); each stage fires, its results reach the next
        # stage before the watermark does.
        max_t = max(max_t, r["ts"])
        W = max_t - max_delay
        for k in range(len(ops)):
            push(k, ops[k].advance(W))
    for k in range(len(ops)):
        push(k, ops[k].finish())
    return rows, ops


def reference(records, max_delay, pipe, late_out=None):
    """Returns (rows, lates): rows are lists of (name, value, type) in output
    order; lates the number of records each window stage dropped as late (the
    first stage's are appended to late_out)."""
    rows, ops = run_reference(records, max_delay, pipe)
    if late_out is not None:
        late_out.extend(ops[0].late_out)
    return rows, [op.late for op in ops]


# ---------------------------------------------------------------------------
# Post-window stages (over output rows)


def _get(row, name):
    for n, v, _ in row:
        if n == name:
            return v
    raise KeyError(name)


def _extend(row, items):
    row = list(row)
    for name, val, typ in items:
        for i, (n, _, _) in enumerate(row):
            if n == name:
                row[i] = (name, val, typ)
                break
        else:
            row.append((name, val, typ))
    return row


def pre_where(text, pred):
    return ("where " + text, lambda r: r if pred(r) is True else None)


def pre_extend(text, fn):
    """fn(record) -> {field: new value} (replaced in place or added)."""
    return ("extend { %s }" % text, lambda r: dict(r, **fn(r)))


def pre_select(fields):
    def f(r):
        out = {n: r[n] for n in fields}
        out["_t"], out["_i"] = r["_t"], r["_i"]
        return out
    return ("select { %s }" % ", ".join(fields), f)


def post_where(text, pred):
    return ("where " + text, lambda rows: [r for r in rows if pred(r) is True])


def post_extend(text, fn):
    return ("extend { %s }" % text, lambda rows: [_extend(r, fn(r)) for r in rows])


def post_select(names):
    def f(rows):
        return [[next(c for c in r if c[0] == n) for n in names] for r in rows]
    return ("select { %s }" % ", ".join(names), f)


# ---------------------------------------------------------------------------
# Program and data text


def csv_field(v, typ):
    if v is None:
        return ""
    if typ == "f64":
        return repr(v)
    return str(v)


def write_csv(records):
    lines = [",".join(FIELDS)]
    types = {"ts": "ts", "k": "str", "g": "i64", "v": "i64", "x": "f64", "s": "str"}
    for r in records:
        lines.append(",".join(csv_field(r[f], types[f]) for f in FIELDS))
    return "\n".join(lines) + "\n"


class Case:
    def __init__(self, seed, records, max_delay, pipes, k_nullable, use_sink=False,
                 compiler_args=()):
        self.seed, self.records, self.max_delay, self.pipes = seed, records, max_delay, pipes
        self.k_nullable, self.use_sink = k_nullable, use_sink
        self.compiler_args = list(compiler_args)
        self.program, self.window_pos = self._program()

    def _program(self):
        lines = [
            "// window property test, seed %s" % self.seed,
            "schema E { ts: timestamp, k: string%s, g: i64?, v: i64?, x: f64?, s: string? }"
            % ("?" if self.k_nullable else ""),
            'source s: E = file("input.csv", format: "csv") with event_time = ts, max_delay = %s'
            % fmt_dur(self.max_delay),
        ]
        if self.use_sink:
            lines.append('sink out = stdout(format: "json")')
        for p in self.pipes:
            if p.late_sink:
                lines.append('sink %s = file("%s.jsonl", format: "json")' % (p.late_sink, p.late_sink))
        pos = []
        for p in self.pipes:
            pl = p.lines("s")
            if self.use_sink:
                pl.append(("| into out", False))
            pp = []
            for text, is_window in pl:
                if is_window:
                    pp.append((len(lines) + 1, 3))
                lines.append(text)
            pos.append(pp)
        return "\n".join(lines) + "\n", pos

    def expected(self):
        return [reference(self.records, self.max_delay, p) for p in self.pipes]

    def expected_late_records(self):
        out = []
        for p in self.pipes:
            lst = []
            reference(self.records, self.max_delay, p, lst)
            out.append(lst)
        return out


# ---------------------------------------------------------------------------
# Random generation

AGG_CHOICES = [
    ("count", [ARG_V, ARG_X, ARG_S, ARG_BIG, ARG_VN]),
    ("sum", [ARG_V, ARG_X, ARG_V2, ARG_XV, ARG_VN]),
    ("min", [ARG_V, ARG_X, ARG_S, ARG_TS, ARG_VN]),
    ("max", [ARG_V, ARG_X, ARG_S, ARG_TS, ARG_VN]),
    ("avg", [ARG_V, ARG_X, ARG_VN]),
    ("first", [ARG_V, ARG_X, ARG_S, ARG_VN]),
    ("last", [ARG_V, ARG_X, ARG_S, ARG_VN]),
    ("count_distinct", [ARG_V, ARG_S, ARG_X, ARG_G]),
    ("approx_count_distinct", [ARG_V, ARG_S]),
    ("stddev", [ARG_V, ARG_X]),
    ("variance", [ARG_V, ARG_X]),
    ("median", [ARG_V, ARG_X]),
    ("percentile", [ARG_V, ARG_X]),
    ("regr_slope", [(ARG_X, ARG_V), (ARG_V, ARG_X), (ARG_XV, ARG_X)]),
    ("regr_intercept", [(ARG_X, ARG_V), (ARG_V, ARG_G)]),
    ("regr_r2", [(ARG_X, ARG_V), (ARG_V, ARG_X)]),
    ("corr", [(ARG_X, ARG_V), (ARG_XV, ARG_G)]),
    ("covar_samp", [(ARG_X, ARG_V), (ARG_V, ARG_G)]),
    ("covar_pop", [(ARG_X, ARG_V), (ARG_V, ARG_X)]),
    ("arg_max", [(ARG_S, ARG_V), (ARG_V, ARG_X), (ARG_X, ARG_S), (ARG_S, ARG_TS)]),
    ("arg_min", [(ARG_S, ARG_V), (ARG_V, ARG_X), (ARG_G, ARG_S)]),
    ("ewma", [ARG_V, ARG_X]),  # not in sliding or session windows: they merge states
]

PRE_WHERE = [
    ("v is null or v > 10", lambda r: or3(r["v"] is None, cmp(">", r["v"], 10))),
    ('k != "a"', lambda r: cmp("!=", r["k"], "a")),
    ("g is not null", lambda r: r["g"] is not None),
    ("v % 3 != 0", lambda r: cmp("!=", imod(r["v"], 3), 0)),
    ("x is null or x < 50.0", lambda r: or3(r["x"] is None, cmp("<", r["x"], 50.0))),
    ('not (s == "b")', lambda r: not3(cmp("==", r["s"], "b"))),
]


PRE_EXTEND = [
    pre_extend("v: v - 5", lambda r: {"v": None if r["v"] is None else r["v"] - 5}),
    pre_extend("x: coalesce(x, 0.5), v2: v * v",
               lambda r: {"x": 0.5 if r["x"] is None else r["x"],
                          "v2": None if r["v"] is None else r["v"] * r["v"]}),
]


def gen_big_pipeline(rng, idx):
    """A window large enough (> 300 values, > 256 distinct) for the sketches
    behind percentile/median and approx_count_distinct to leave their exact
    range: compared within their documented error."""
    sfx = "_%d" % idx
    kind = rng.choice(["tumbling", "sliding", "session", "count"])
    params = {"tumbling": [600000], "sliding": [600000, 300000], "session": [30000],
              "count": [rng.choice([400, 700])]}[kind]
    keys = [KEY_K] if rng.random() < 0.25 else []
    arg = rng.choice([ARG_X, ARG_V, ARG_XV])
    entries = [entry_agg("n" + sfx, make_agg("count")),
               entry_agg("p" + sfx, make_agg("percentile", arg, rng.choice([0, 0.05, 0.3, 0.9, 1]))),
               entry_agg("med" + sfx, make_agg("median", rng.choice([ARG_X, ARG_V]))),
               entry_agg("ad" + sfx, make_agg("approx_count_distinct", rng.choice([ARG_X, ARG_TS]))),
               entry_agg("d" + sfx, make_agg("count_distinct", ARG_X)),
               entry_agg("sd" + sfx, make_agg("stddev", ARG_X))]
    rng.shuffle(entries)
    return Pipeline(kind, params, keys, entries)


def gen_pipeline(rng, idx):
    """One random pipeline; aggregate names carry the suffix _<idx> so that the
    rows of several pipelines on one stdout can be told apart."""
    sfx = "_%d" % idx
    kind = rng.choice(["tumbling", "sliding", "session", "count"])
    if kind == "tumbling":
        params = [rng.choice([500, 1000, 1500, 2000, 3000, 5000, 10000])]
    elif kind == "sliding":
        size = rng.choice([1000, 2000, 3000, 4000, 5000, 6000, 10000])
        slide = rng.choice([s for s in (250, 500, 1000, 1500, 2000, 3000, 4000) if s <= size])
        if rng.random() < 0.1:  # hopping windows with gaps between them
            size, slide = rng.choice([(500, 1000), (1000, 1500), (1000, 3000), (2000, 2500)])
        params = [size, slide]
    elif kind == "session":
        params = [rng.choice([250, 500, 1000, 1500, 2000, 3000])]
    else:
        params = [rng.choice([1, 2, 3, 4, 5, 7])]
    keys = rng.choice([[], [], [KEY_K], [KEY_K], [KEY_G], [KEY_K, KEY_G], [KEY_B], [KEY_B, KEY_K]])
    entries = [entry_agg("n" + sfx, make_agg("count"))]
    used = {"n"}
    for _ in range(rng.randint(1, 7)):
        kindA, args = rng.choice(AGG_CHOICES)
        while kindA == "ewma" and kind in ("sliding", "session"):
            kindA, args = rng.choice(AGG_CHOICES)
        arg, arg2 = rng.choice(args), None
        if isinstance(arg, tuple):
            arg, arg2 = arg
        if kindA == "avg" and arg.typ not in ("i64", "f64"):
            arg = ARG_V
        p = None
        if kindA == "percentile":
            p = rng.choice([0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1])
        elif kindA == "ewma":
            p = rng.choice([0.1, 0.25, 0.5, 0.9, 1])
        base = {"count": "c", "sum": "sm", "min": "lo", "max": "hi", "avg": "a", "first": "f",
                "last": "l", "count_distinct": "d", "approx_count_distinct": "ad",
                "stddev": "sd", "variance": "var", "median": "med", "percentile": "p",
                "regr_slope": "slope", "regr_intercept": "icpt", "regr_r2": "r2", "corr": "cor",
                "covar_samp": "cvs", "covar_pop": "cvp", "arg_max": "amax", "arg_min": "amin",
                "ewma": "ew"}[kindA]
        name = base
        i = 2
        while name in used:
            name = "%s%d" % (base, i)
            i += 1
        used.add(name)
        entries.append(entry_agg(name + sfx, make_agg(kindA, arg, p, arg2)))
    # Occasionally an entry that is an expression over aggregates.
    r = rng.random()
    if r < 0.15:
        sv, n = make_agg("sum", ARG_V), make_agg("count")
        entries.append(Entry("r" + sfx, "sum(v) / count()", "i64",
                             lambda rs: idiv(sv.fn(rs), n.fn(rs))))
    elif r < 0.25:
        mx, mn = make_agg("max", ARG_V), make_agg("min", ARG_V)
        entries.append(Entry("rng" + sfx, "max(v) - min(v)", "i64",
                             lambda rs: (lambda a, b: None if a is None or b is None else a - b)(
                                 mx.fn(rs), mn.fn(rs))))
    elif r < 0.32:
        cv, n = make_agg("count", ARG_V), make_agg("count")
        entries.append(Entry("pct" + sfx, "100.0 * count(v) / count()", "f64",
                             lambda rs: 100.0 * cv.fn(rs) / n.fn(rs)))
    rng.shuffle(entries)

    pre = []
    if rng.random() < 0.3:
        pre.append(pre_where(*rng.choice(PRE_WHERE)))
    if rng.random() < 0.1:
        pre.append(rng.choice(PRE_EXTEND))
    if rng.random() < 0.1 and not any(re.search(r"\bts\b", e.text) for e in entries):
        pre.append(pre_select(["k", "g", "v", "x", "s"]))  # drops ts: event time stays
    rng.shuffle(pre)
    post = gen_post(rng, sfx, "n" + sfx, keys, entries) if rng.random() < 0.4 else []
    late_sink = ("lt" + sfx) if (kind != "count" and rng.random() < 0.3) else None
    p = Pipeline(kind, params, keys, entries, pre, post, late_sink)
    if kind != "count" and rng.random() < 0.2:
        p.then = gen_then(rng, sfx, p)
    return p


def gen_post(rng, sfx, nname, keys, entries):
    choices = [
        lambda: post_where("%s > 1" % nname, lambda row: cmp(">", _get(row, nname), 1)),
        lambda: post_where("%s %% 2 == 0" % nname,
                           lambda row: cmp("==", imod(_get(row, nname), 2), 0)),
        lambda: post_extend("span%s: window_end - window_start" % sfx,
                            lambda row: [("span" + sfx,
                                          _get(row, "window_end") - _get(row, "window_start"),
                                          "dur")]),
        lambda: post_extend(
            "half%s: %s / 2, wide%s: window_end > window_start + 3s" % (sfx, nname, sfx),
            lambda row: [("half" + sfx, idiv(_get(row, nname), 2), "i64"),
                         ("wide" + sfx, _get(row, "window_end") > _get(row, "window_start") + 3000,
                          "bool")]),
        lambda: post_select(["window_start", "window_end"] + [k.name for k in keys]
                            + [nname] + [e.name for e in entries if e.name != nname][:1]),
    ]
    return [c() for c in rng.sample(choices, rng.randint(1, 2))]


def gen_then(rng, sfx, first):
    """A second window over the first one's results (event time window_end - 1ms)."""
    glob = not first.keys
    kind = rng.choice(["tumbling", "sliding", "session"] + (["count"] if glob else []))
    if kind == "tumbling":
        params = [rng.choice([4000, 5000, 10000, 20000])]
    elif kind == "sliding":
        params = list(rng.choice([(10000, 5000), (20000, 5000), (6000, 4000), (8000, 3000)]))
    elif kind == "session":
        params = [rng.choice([1000, 2000, 5000, 10000])]
    else:
        params = [rng.choice([2, 3])]
    keys = [KEY_K] if (KEY_K in first.keys and rng.random() < 0.6) else []
    n = fld("n" + sfx, "i64")
    choices = [("w_sum", make_agg("sum", n)), ("w_max", make_agg("max", n)),
               ("w_avg", make_agg("avg", n)), ("w_lo", make_agg("min", fld("window_start", "ts"))),
               ("w_hi", make_agg("max", fld("window_end", "ts"))),
               ("w_d", make_agg("count_distinct", n)), ("w_med", make_agg("median", n)),
               ("w_sd", make_agg("stddev", n))]
    if glob:  # arrival order within one firing is defined only for a global first window
        choices += [("w_f", make_agg("first", n)), ("w_l", make_agg("last", n))]
    entries = [entry_agg("w_n" + sfx, make_agg("count"))]
    entries += [entry_agg(name + sfx, agg) for name, agg in rng.sample(choices, rng.randint(1, 4))]
    rng.shuffle(entries)
    post = gen_post(rng, sfx, "w_n" + sfx, keys, entries)[:1] if rng.random() < 0.3 else []
    return Pipeline(kind, params, keys, entries, None, post)


def gen_case(seed, compiler_args=()):
    rng = random.Random(seed)
    max_delay = rng.choice([0, 0, 250, 500, 1000, 2000, 3000, 5000])
    big = rng.random() < 0.12
    n = rng.randint(700, 1500) if big else rng.randint(20, 300)
    npipes = rng.choice([2, 3, 3, 4])
    pipes = [gen_pipeline(rng, i) for i in range(npipes)]
    if big:
        pipes.append(gen_big_pipeline(rng, npipes))
    nkeys = rng.randint(2, 5)
    keys = ["a", "b", "c", "d", "e"][:nkeys]
    k_nullable = rng.random() < 0.3
    base = rng.choice([1735689600000] * 5 + [-20000])
    step = rng.choice([250, 250, 500, 100])
    late_p = rng.choice([0.0, 0.1, 0.25, 0.4])
    cur = base
    records = []
    for i in range(n):
        cur += step * rng.choice([0, 0, 1, 1, 1, 2, 3, 4, 8])
        if rng.random() < 0.04:  # an idle gap: windows fire with nothing in between
            cur += step * rng.randint(10, 40)
        t = cur
        if rng.random() < late_p:
            t -= step * rng.randint(1, (max_delay + 4000) // step + 1)
        rec = {
            "_i": i,
            "ts": t,
            "k": None if (k_nullable and rng.random() < 0.15) else rng.choice(keys),
            "g": None if rng.random() < 0.1 else rng.randint(0, 4),
            "v": None if rng.random() < 0.1 else rng.randint(-20, 120),
            "x": None if rng.random() < 0.1 else round(rng.uniform(-20, 120), rng.choice([0, 1, 2])),
            "s": None if rng.random() < 0.1 else rng.choice(["a", "b", "cc", "d", "ee", "f"]),
        }
        if rec["x"] == 0:
            rec["x"] = 0.0  # never -0.0
        records.append(rec)
    return Case(seed, records, max_delay, pipes, k_nullable, use_sink=rng.random() < 0.3,
                compiler_args=compiler_args)


# ---------------------------------------------------------------------------
# Comparison


def canon_value(v, typ):
    """How the expected value is shown (and compared for exact types)."""
    if v is None:
        return None
    if isinstance(v, Approx):
        return "~ " + repr(v)
    if typ == "ts":
        return fmt_ts(v)
    return v


def value_matches(exp, act, typ):
    if exp is None or act is None:
        return exp is None and act is None
    if isinstance(exp, Approx):
        if isinstance(act, bool) or not isinstance(act, (int, float)):
            return False
        if typ == "i64" and not isinstance(act, int):
            return False
        eps = 1e-9 * max(1.0, abs(exp.lo), abs(exp.hi))
        return exp.lo - eps <= act <= exp.hi + eps
    if typ == "ts":
        return act == fmt_ts(exp)
    if typ == "f64":
        if isinstance(act, bool) or not isinstance(act, (int, float)):
            return False
        return math.isclose(float(exp), float(act), rel_tol=1e-9, abs_tol=1e-9)
    if typ in ("i64", "dur"):
        return isinstance(act, int) and not isinstance(act, bool) and act == exp
    if typ == "bool":
        return act is exp
    return act == exp


def row_text(row):
    return json.dumps({n: canon_value(v, t) for n, v, t in row})


def row_matches(exp, act):
    """act: list of (name, json value)."""
    if [n for n, _, _ in exp] != [n for n, _ in act]:
        return False
    return all(value_matches(ev, av, t) for (_, ev, t), (_, av) in zip(exp, act))


def _sortkey(v):
    if v is None:
        return (0, "")
    if isinstance(v, bool):
        return (1, str(v))
    if isinstance(v, (int, float)):
        return (2, float(v), "")
    return (3, str(v))


def _exp_sortkey(row, names):
    d = {n: canon_value(v, t) for n, v, t in row}
    return tuple(_sortkey(d.get(n)) for n in names)


def _act_sortkey(row, names):
    d = dict(row)
    return tuple(_sortkey(d.get(n)) for n in names)


def compare_pipeline(pipe, exp_rows, act_rows):
    """Returns None or a description of the first difference."""
    key_names = [k.name for k in pipe.keys]
    # Within one window_end, rows are told apart by window_start and the keys.
    exact = ["window_start", "window_end"] + key_names
    if pipe.kind == "count":
        def group_exp(r):
            d = {n: v for n, v, _ in r}
            return tuple(_sortkey(d.get(k)) for k in key_names)

        def group_act(r):
            d = dict(r)
            return tuple(_sortkey(d.get(k)) for k in key_names)
        groups_e, groups_a = {}, {}
        for r in exp_rows:
            groups_e.setdefault(group_exp(r), []).append(r)
        for r in act_rows:
            groups_a.setdefault(group_act(r), []).append(r)
        for g in sorted(set(groups_e) | set(groups_a)):
            e, a = groups_e.get(g, []), groups_a.get(g, [])
            for i in range(max(len(e), len(a))):
                if i >= len(e):
                    return "unexpected row (key group %s, #%d): %s" % (g, i, json.dumps(dict(a[i])))
                if i >= len(a):
                    return "missing row (key group %s, #%d): %s" % (g, i, row_text(e[i]))
                if not row_matches(e[i], a[i]):
                    return ("row #%d of key group differs:\n  expected %s\n  actual   %s"
                            % (i, row_text(e[i]), json.dumps(dict(a[i]))))
        return None
    # Time windows: non-decreasing window_end, multiset per window_end.
    ends = [dict(r).get("window_end") for r in act_rows]
    for i in range(1, len(ends)):
        if isinstance(ends[i], str) and isinstance(ends[i - 1], str) and ends[i] < ends[i - 1]:
            return ("rows not in non-decreasing window_end: row %d has %s after %s"
                    % (i, ends[i], ends[i - 1]))
    ge, ga = {}, {}
    for r in exp_rows:
        ge.setdefault(fmt_ts(_get(r, "window_end")), []).append(r)
    for r in act_rows:
        ga.setdefault(str(dict(r).get("window_end")), []).append(r)
    for end in sorted(set(ge) | set(ga)):
        e = sorted(ge.get(end, []), key=lambda r: _exp_sortkey(r, exact))
        a = sorted(ga.get(end, []), key=lambda r: _act_sortkey(r, exact))
        for i in range(max(len(e), len(a))):
            if i >= len(e):
                return "unexpected row (window_end %s): %s" % (end, json.dumps(dict(a[i])))
            if i >= len(a):
                return "missing row (window_end %s): %s" % (end, row_text(e[i]))
            if not row_matches(e[i], a[i]):
                return ("row of window_end %s differs:\n  expected %s\n  actual   %s"
                        % (end, row_text(e[i]), json.dumps(dict(a[i]))))
    return None


LATE_RE = re.compile(r"window at (\S+?):(\d+):(\d+): (\d+) late records? dropped")
READ_RE = re.compile(r"^source s: (\d+) records? read", re.M)


def run_case(case, args, workdir):
    os.makedirs(workdir, exist_ok=True)
    prog = os.path.join(workdir, "program.stream")
    with open(prog, "w") as f:
        f.write(case.program)
    with open(os.path.join(workdir, "input.csv"), "w") as f:
        f.write(write_csv(case.records))
    for p in case.pipes:
        if p.late_sink and os.path.exists(os.path.join(workdir, p.late_sink + ".jsonl")):
            os.remove(os.path.join(workdir, p.late_sink + ".jsonl"))
    runner = shlex.split(args.runner) if args.runner else [args.streamc, "run"]
    cmd = runner + [prog, "-v"] + case.compiler_args
    t0 = time.time()
    p = subprocess.run(cmd, cwd=workdir, capture_output=True, timeout=args.timeout)
    return p, time.time() - t0


def check_case(case, args, workdir):
    """Returns (ok, report_text, seconds)."""
    exp = case.expected()
    try:
        p, secs = run_case(case, args, workdir)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ss" % args.timeout, args.timeout
    out = p.stdout.decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    problems = []
    if p.returncode != 0:
        problems.append("exit status %d; stderr:\n%s" % (p.returncode, err.rstrip()))
        return False, "\n".join(problems), secs
    # Split stdout rows between pipelines by their field names.
    by_pipe = [[] for _ in case.pipes]
    owner = {}
    for i, pipe in enumerate(case.pipes):
        for n in [e.name for e in pipe.final().entries]:
            owner[n] = i
    for ln, line in enumerate(out.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=list)
        except ValueError:
            problems.append("stdout line %d is not JSON: %r" % (ln, line))
            continue
        idx = {owner[n] for n, _ in obj if n in owner}
        if len(idx) != 1:
            problems.append("stdout line %d belongs to no single pipeline: %s" % (ln, line))
            continue
        by_pipe[idx.pop()].append(obj)
    for i, (pipe, (rows, late)) in enumerate(zip(case.pipes, exp)):
        d = compare_pipeline(pipe.final(), rows, by_pipe[i])
        if d:
            problems.append("pipeline %d (window at line %d): %s" % (i, case.window_pos[i][-1][0], d))
            problems.append(side_by_side(rows, by_pipe[i]))
    # Run summary.
    m = READ_RE.search(err)
    if m and int(m.group(1)) != len(case.records):
        problems.append("summary says %s records read, input has %d" % (m.group(1), len(case.records)))
    lates = {}
    for m in LATE_RE.finditer(err):
        lates[(int(m.group(2)), int(m.group(3)))] = int(m.group(4))
    other_late = [l for l in err.splitlines() if "late record" in l and not LATE_RE.search(l)]
    if other_late:
        problems.append("unrecognised late line(s) in stderr: %s" % other_late)
    for i, (pipe, (rows, stage_lates)) in enumerate(zip(case.pipes, exp)):
        for pos, late in zip(case.window_pos[i], stage_lates):
            got = lates.pop(pos, None)
            if got is not None and got != late:
                problems.append("pipeline %d (window at %d:%d): %d late records dropped, expected %d"
                                % (i, pos[0], pos[1], got, late))
            elif got is None and late and not args.lenient_late:
                problems.append("pipeline %d (window at %d:%d): no late-records line, expected %d "
                                "dropped" % (i, pos[0], pos[1], late))
    for pos, n in lates.items():
        problems.append("late line for unknown window %d:%d (%d)" % (pos[0], pos[1], n))
    # `late into` sinks (written by the last run: the built executable with %run).
    for i, (pipe, recs) in enumerate(zip(case.pipes, case.expected_late_records())):
        if not pipe.late_sink:
            continue
        path = os.path.join(workdir, pipe.late_sink + ".jsonl")
        if not os.path.exists(path):
            problems.append("pipeline %d: late sink %s was not written" % (i, path))
            continue
        want = sorted(json.dumps(late_record_json(r)) for r in recs)
        got = []
        with open(path) as f:
            for line in f:
                if line.strip():
                    try:
                        obj = json.loads(line, object_pairs_hook=dict)
                        if isinstance(obj.get("x"), int) and not isinstance(obj.get("x"), bool):
                            obj["x"] = float(obj["x"])  # an integral float may print as 3
                        got.append(json.dumps(obj))
                    except ValueError:
                        got.append("not JSON: " + line.rstrip())
        got.sort()
        if got != want:
            diff = list(difflib.unified_diff(want, got, "expected late records", "actual (%s)" % path,
                                             lineterm="", n=1))[:60]
            problems.append("pipeline %d: late records sent to %s differ (compared as sorted lists):\n%s"
                            % (i, pipe.late_sink, "\n".join("  " + l for l in diff)))
    return (not problems), "\n".join(problems), secs


def late_record_json(r):
    """A record at the window's input as JSON (fields in source order)."""
    return {f: (fmt_ts(v) if f == "ts" else v) for f, v in r.items() if not f.startswith("_")}


def side_by_side(exp_rows, act_rows, limit=80):
    e = [row_text(r) for r in exp_rows]
    a = [json.dumps(dict(r)) for r in act_rows]
    diff = list(difflib.unified_diff(e, a, "expected", "actual", lineterm="", n=2))
    if len(diff) > limit:
        diff = diff[:limit] + ["... (%d more diff lines)" % (len(diff) - limit)]
    return "  (diff in output order; time windows are compared per window_end as multisets)\n" + \
        "\n".join("  " + l for l in diff)


def describe(case, report, workdir):
    exp = case.expected()
    out = ["=" * 78, "MISMATCH seed %s%s" % (case.seed,
           (" (compiler args %s)" % " ".join(case.compiler_args)) if case.compiler_args else ""),
           "work dir: %s (program.stream, input.csv)" % workdir,
           "reproduce: python3 %s --streamc STREAMC --seed-list %s%s --shrink"
           % (os.path.relpath(os.path.abspath(__file__)), case.seed,
              (" --compiler-args='%s'" % " ".join(case.compiler_args)) if case.compiler_args else ""),
           "--- program.stream", case.program.rstrip(),
           "--- input.csv (%d records)" % len(case.records), write_csv(case.records).rstrip(),
           "--- problems", report, "--- expected rows (reference)"]
    for i, (rows, lates) in enumerate(exp):
        out.append("pipeline %d: %d rows, late records dropped per window: %s"
                   % (i, len(rows), ", ".join(map(str, lates))))
        out += ["  " + row_text(r) for r in rows[:40]]
        if len(rows) > 40:
            out.append("  ... (%d more)" % (len(rows) - 40))
    out += ["=" * 78]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Shrinking


def with_records(case, records, pipes=None):
    recs = [dict(r, _i=i) for i, r in enumerate(records)]
    return Case(case.seed, recs, case.max_delay, pipes if pipes is not None else case.pipes,
                case.k_nullable, case.use_sink, case.compiler_args)


def failure_class(report):
    """A coarse class of a failure, so that shrinking keeps the same failure."""
    first = report.splitlines()[0] if report else ""
    for pat in ("exit status", "timed out", "unexpected row", "missing row", "differs",
                "non-decreasing", "late records dropped, expected", "no late-records line",
                "late records sent", "late sink", "records read", "not JSON", "no single pipeline"):
        if pat in first:
            return pat + (" " + first.split()[2] if pat == "exit status" else "")
    return first


def shrink(case, args, workdir, budget=400):
    """Greedy minimisation of a failing case that keeps its failure class."""
    _, report, _ = check_case(case, args, workdir)
    want = failure_class(report)
    tries = [0]

    def fails(c):
        if tries[0] >= budget:
            return False
        tries[0] += 1
        ok, rep, _ = check_case(c, args, workdir)
        return not ok and failure_class(rep) == want

    def replace_pipe(c, i, q):
        pipes = list(c.pipes)
        pipes[i] = q
        return with_records(c, c.records, pipes)

    def variants(p):
        """Simpler versions of one pipeline (its first window stage)."""
        def mk(**kw):
            a = dict(kind=p.kind, params=p.params, keys=p.keys, entries=p.entries, pre=p.pre,
                     post=p.post, late_sink=p.late_sink, then=p.then)
            a.update(kw)
            return Pipeline(**a)
        sel = [x for x in p.post if x[0].startswith("select")]
        if p.then is not None:
            yield mk(then=None)
        for j in range(len(p.post)):
            yield mk(post=p.post[:j] + p.post[j + 1:])
        for j in range(len(p.pre)):
            yield mk(pre=p.pre[:j] + p.pre[j + 1:])
        if p.late_sink:
            yield mk(late_sink=None)
        if p.keys and not sel and p.then is None:
            for j in range(len(p.keys)):
                yield mk(keys=p.keys[:j] + p.keys[j + 1:])
        for e in p.entries:
            if e.name.startswith("n_") or any(e.name in x[0] for x in sel):
                continue
            yield mk(entries=[x for x in p.entries if x is not e])

    def shrink_records(c):
        recs = c.records
        chunk = max(1, len(recs) // 2)
        while chunk >= 1 and tries[0] < budget:
            i, changed = 0, False
            while i < len(recs) and tries[0] < budget:
                cand = recs[:i] + recs[i + chunk:]
                if cand and fails(with_records(c, cand)):
                    recs, changed = cand, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        return with_records(c, recs)

    changed = True
    while changed and tries[0] < budget:
        changed = False
        for i in range(len(case.pipes)):
            if len(case.pipes) > 1:
                c = with_records(case, case.records, case.pipes[:i] + case.pipes[i + 1:])
                if fails(c):
                    case, changed = c, True
                    break
        if changed:
            continue
        case = shrink_records(case)
        for i in range(len(case.pipes)):
            for q in variants(case.pipes[i]):
                c = replace_pipe(case, i, q)
                if fails(c):
                    case, changed = c, True
                    break
            if changed:
                break
    check_case(case, args, workdir)  # leave the shrunk case's files in workdir
    return case


# ---------------------------------------------------------------------------
# Self-test: hand-computed expectations


def R(ts_s, k=None, g=None, v=None, x=None, s=None):
    return {"ts": int(round(ts_s * 1000)), "k": k, "g": g, "v": v, "x": x, "s": s}


def _entries(*specs):
    return [entry_agg(name, agg) for name, agg in specs]


def self_test():
    S = 1000
    cases = []
    # A: tumbling, one late record.
    cases.append(("tumbling with a late record", 0,
                  Pipeline("tumbling", [10 * S], [], _entries(("n", make_agg("count")),
                                                               ("total", make_agg("sum", ARG_V)))),
                  [R(1, v=1), R(12, v=2), R(5, v=3), R(15), R(25, v=4)],
                  [(0, 10 * S, 1, 1), (10 * S, 20 * S, 2, 2), (20 * S, 30 * S, 1, 4)], 1))
    # B: sliding; t=8 is late for [0,10) but enters [5,15); t=4 enters none.
    cases.append(("sliding, partly late record", 2 * S,
                  Pipeline("sliding", [10 * S, 5 * S], [KEY_K],
                           _entries(("n", make_agg("count")), ("lo", make_agg("min", ARG_V)))),
                  [R(3, "a", v=10), R(9, "a", v=20), R(14, "b", v=5), R(8, "a", v=1),
                   R(4, "b", v=7), R(30, "a")],
                  [(-5 * S, 5 * S, "a", 1, 10), (0, 10 * S, "a", 2, 10), (5 * S, 15 * S, "a", 2, 1),
                   (5 * S, 15 * S, "b", 1, 5), (10 * S, 20 * S, "b", 1, 5),
                   (25 * S, 35 * S, "a", 1, None), (30 * S, 40 * S, "a", 1, None)], 1))
    # C: a session bridging two sessions; first/last by arrival.
    cases.append(("session merge bridging two sessions", 100 * S,
                  Pipeline("session", [5 * S], [KEY_K],
                           _entries(("n", make_agg("count")), ("f", make_agg("first", ARG_V)),
                                    ("l", make_agg("last", ARG_V)), ("total", make_agg("sum", ARG_V)))),
                  [R(0, "a", v=1), R(10, "a", v=2), R(4, "a"), R(7, "a", v=3), R(20, "b", v=5)],
                  [(0, 15 * S, "a", 4, 1, 3, 6), (20 * S, 25 * S, "b", 1, 5, 5, 5)], 0))
    # D: a late session record (t + gap <= W) is dropped.
    cases.append(("session with a late record", 0,
                  Pipeline("session", [2 * S], [],
                           _entries(("n", make_agg("count")), ("f", make_agg("first", ARG_V)),
                                    ("l", make_agg("last", ARG_V)))),
                  [R(0, v=1), R(1, v=2), R(5, v=3), R(2.5, v=4), R(4, v=5)],
                  [(0, 3 * S, 2, 1, 2), (4 * S, 7 * S, 2, 3, 5)], 1))
    # E: a record overlapping a fired session starts a new one instead.
    cases.append(("session does not merge with a fired one", 1 * S,
                  Pipeline("session", [2 * S], [],
                           _entries(("n", make_agg("count")), ("total", make_agg("sum", ARG_V)))),
                  [R(0, v=1), R(1, v=2), R(4, v=3), R(2.5, v=4)],
                  [(0, 3 * S, 2, 3), (2500, 6 * S, 2, 7)], 0))
    # F: count windows with a null key group and partial flush.
    cases.append(("count windows, null key, partial flush", 0,
                  Pipeline("count", [2], [KEY_K],
                           _entries(("n", make_agg("count")), ("total", make_agg("sum", ARG_V)))),
                  [R(5, "a", v=1), R(3, None, v=2), R(1, "a", v=3), R(7, None), R(2, "b", v=4),
                   R(9, "a", v=5)],
                  [(1 * S, 5 * S, "a", 2, 4), (3 * S, 7 * S, None, 2, 2), (2 * S, 2 * S, "b", 1, 4),
                   (9 * S, 9 * S, "a", 1, 5)], 0))
    # G: tumbling with a null key group; count(v), count_distinct, avg.
    cases.append(("null key group", 0,
                  Pipeline("tumbling", [5 * S], [KEY_K],
                           _entries(("n", make_agg("count")), ("c", make_agg("count", ARG_V)),
                                    ("d", make_agg("count_distinct", ARG_V)),
                                    ("a", make_agg("avg", ARG_V)))),
                  [R(1, None, v=2), R(2, "a", v=2), R(3, None), R(4, None, v=4), R(4, None, v=2)],
                  [(0, 5 * S, None, 4, 3, 2, 8 / 3), (0, 5 * S, "a", 1, 1, 1, 2.0)], 0))
    # H: statistics.
    cases.append(("stddev, variance, median, percentile", 0,
                  Pipeline("tumbling", [10 * S], [],
                           _entries(("sd", make_agg("stddev", ARG_V)),
                                    ("va", make_agg("variance", ARG_V)),
                                    ("me", make_agg("median", ARG_V)),
                                    ("p9", make_agg("percentile", ARG_V, 0.9)),
                                    ("p0", make_agg("percentile", ARG_V, 0)),
                                    ("p25x", make_agg("percentile", ARG_X, 0.25)))),
                  [R(1, v=4, x=2.0), R(2, v=1), R(3, v=10, x=5.0), R(4, v=2), R(5, v=3),
                   R(15, v=7, x=1.5)],
                  [(0, 10 * S, math.sqrt(12.5), 12.5, 3.0, 7.6, 1.0, 2.75),
                   (10 * S, 20 * S, None, None, 7.0, 7.0, 7.0, 1.5)], 0))
    # I: a record dropped by `where` still advances the watermark; post stages.
    cases.append(("where before the window, extend/where after", 0,
                  Pipeline("tumbling", [10 * S], [], _entries(("n", make_agg("count"))),
                           pre=PRE_WHERE[0],
                           post=[post_where("n > 1", lambda row: cmp(">", _get(row, "n"), 1)),
                                 post_extend("span: window_end - window_start",
                                             lambda row: [("span", _get(row, "window_end")
                                                           - _get(row, "window_start"), "dur")])]),
                  [R(1, v=20), R(2, v=30), R(15, v=5), R(8, v=40), R(21, v=11), R(22, v=3)],
                  [(0, 10 * S, 2, 10 * S)], 1))
    # J: sliding windows whose slide does not divide the size, negative times.
    cases.append(("sliding(3s, 2s) around the epoch", 0,
                  Pipeline("sliding", [3 * S, 2 * S], [], _entries(("n", make_agg("count")))),
                  [R(-1), R(0.5), R(2.9)],
                  # t=-1: [-4,-1)? no (-1 not < -1); [-2,1) yes. t=0.5: [-2,1), [0,3).
                  # t=2.9: [0,3), [2,5).
                  [(-2 * S, 1 * S, 2), (0, 3 * S, 2), (2 * S, 5 * S, 1)], 0))
    # L: hopping windows (slide > size): a record between windows is in none
    # and is not counted as late.
    cases.append(("sliding(1s, 2s): records between windows", 0,
                  Pipeline("sliding", [1 * S, 2 * S], [], _entries(("n", make_agg("count")))),
                  [R(0.5), R(1.5), R(2.1), R(0.2)],
                  [(0, 1 * S, 1), (2 * S, 3 * S, 1)], 1))
    # M: a window over a window's results (event time window_end - 1ms); the
    # results of one firing reach the next window one by one.
    n_ = fld("n", "i64")
    cases.append(("tumbling over tumbling", 0,
                  Pipeline("tumbling", [1 * S], [], _entries(("n", make_agg("count"))),
                           then=Pipeline("tumbling", [3 * S], [],
                                         _entries(("c", make_agg("count")),
                                                  ("t", make_agg("sum", n_))))),
                  [R(0.5), R(1.5), R(2.5), R(3.5)],
                  [(0, 3 * S, 3, 3), (3 * S, 6 * S, 1, 1)], [0, 0]))
    cases.append(("count(2) over tumbling, one firing", 10 * S,
                  Pipeline("tumbling", [1 * S], [], _entries(("n", make_agg("count"))),
                           then=Pipeline("count", [2], [],
                                         _entries(("c", make_agg("count")),
                                                  ("t", make_agg("sum", n_))))),
                  [R(0.5), R(1.5), R(2.5), R(3.5), R(4.5)],
                  [(999, 1999, 2, 2), (2999, 3999, 2, 2), (4999, 4999, 1, 1)], [0, 0]))
    # N: extend and select before the window (the event time survives select).
    cases.append(("extend and select before the window", 0,
                  Pipeline("tumbling", [10 * S], [KEY_K],
                           _entries(("n", make_agg("count")), ("t", make_agg("sum", ARG_V))),
                           pre=[pre_extend("v: v - 5", lambda r: {"v": None if r["v"] is None
                                                                  else r["v"] - 5}),
                                pre_select(["k", "v"])]),
                  [R(1, "a", v=10), R(2, "a"), R(3, "b", v=1)],
                  [(0, 10 * S, "a", 2, 5), (0, 10 * S, "b", 1, -4)], 0))
    # K: count(1), string min/max, timestamp max.
    cases.append(("count(1), string and timestamp aggregates", 0,
                  Pipeline("count", [1], [], _entries(("lo", make_agg("min", ARG_S)),
                                                      ("hi", make_agg("max", ARG_TS)))),
                  [R(2, s="b"), R(1)],
                  [(2 * S, 2 * S, "b", 2 * S), (1 * S, 1 * S, None, 1 * S)], 0))

    failures = 0
    for name, delay, pipe, recs, want, want_late in cases:
        recs = [dict(r, _i=i) for i, r in enumerate(recs)]
        rows, lates = reference(recs, delay, pipe)
        late = lates[0] if isinstance(want_late, int) else lates
        got = [tuple(v for _, v, _ in r) for r in rows]
        if pipe.kind == "count":  # only the order within a key is defined
            nk = 2 + len(pipe.keys)
            got.sort(key=lambda r: repr(r[2:nk]))
            want = sorted(want, key=lambda r: repr(r[2:nk]))
        ok = late == want_late and len(got) == len(want)
        if ok:
            for g, w in zip(got, want):
                for a, b in zip(g, w):
                    if isinstance(a, float) or isinstance(b, float):
                        ok = ok and a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12)
                    else:
                        ok = ok and a == b
                ok = ok and len(g) == len(w)
        print("%s: %s" % ("ok  " if ok else "FAIL", name))
        if not ok:
            failures += 1
            print("  want %s late=%s\n  got  %s late=%s" % (want, want_late, got, late))
    # The generator produces programs for every seed without error.
    for seed in range(200):
        c = gen_case(seed)
        c.expected()
    # The comparer accepts the reference's own rows, rendered as streamc would.
    for seed in range(50):
        c = gen_case(seed)
        for pipe, (rows, _) in zip(c.pipes, c.expected()):
            def as_json(v, t):
                return v.lo if isinstance(v, Approx) else canon_value(v, t)
            act = [[(n, as_json(v, t)) for n, v, t in r] for r in reversed(rows)]
            if pipe.final().kind == "count":
                act = [[(n, as_json(v, t)) for n, v, t in r] for r in rows]
            d = compare_pipeline(pipe.final(), rows, act if pipe.final().kind == "count" else
                                 sorted(act, key=lambda r: dict(r)["window_end"]))
            if d:
                failures += 1
                print("FAIL: comparer rejects the reference itself (seed %d): %s" % (seed, d))
    print("self-test: %s" % ("passed" if not failures else "%d failure(s)" % failures))
    return 1 if failures else 0


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--streamc")
    ap.add_argument("--runner", help="command prefix that runs a program (default: STREAMC run)")
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--seed-list", help="comma-separated seeds (instead of --seeds)")
    ap.add_argument("--work", default="window-property.work")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--shrink", action="store_true", help="minimise the first failing case")
    ap.add_argument("--all", action="store_true", help="report every failing seed, not only the first")
    ap.add_argument("--lenient-late", action="store_true",
                    help="do not require a late-records line when the reference drops records")
    ap.add_argument("--print", dest="print_seed", type=int, help="print the program and input of a seed")
    ap.add_argument("--compiler-args", default="", help="extra compiler arguments, e.g. '-O0'")
    args = ap.parse_args()

    if args.self_test:
        return self_test()
    cargs = shlex.split(args.compiler_args)
    if args.print_seed is not None:
        c = gen_case(args.print_seed, cargs)
        print(c.program)
        print(write_csv(c.records))
        for i, (rows, lates) in enumerate(c.expected()):
            print("pipeline %d: late per window %s" % (i, lates))
            for r in rows:
                print("  " + row_text(r))
        return 0
    if not args.streamc and not args.runner:
        ap.error("--streamc or --runner is required")
    seeds = ([int(s) for s in args.seed_list.split(",")] if args.seed_list
             else list(range(args.first_seed, args.first_seed + args.seeds)))
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.time()

    def one(seed):
        case = gen_case(seed, cargs)
        wd = os.path.join(args.work, "seed-%d" % seed)
        ok, report, secs = check_case(case, args, wd)
        return seed, case, wd, ok, report, secs, sum(len(rows) for rows, _ in case.expected())

    results = []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        for r in ex.map(one, seeds):
            results.append(r)
    failed = [r for r in results if not r[3]]
    for seed, case, wd, ok, report, secs, _ in (failed if args.all else failed[:1]):
        if args.shrink:
            small = shrink(case, args, wd + "-shrunk")
            ok2, report2, _ = check_case(small, args, wd + "-shrunk")
            if not ok2:
                case, wd, report = small, wd + "-shrunk", report2
        print(describe(case, report, wd))
    kinds = {}
    for _, case, _, _, _, _, _ in results:
        for p in case.pipes:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
    # The counts show the cases ran and compared rows (the test checks them).
    print("window property test: %d seeds, %d pipelines (%s), %d rows, %d failed%s, %.1fs"
          % (len(results), sum(kinds.values()),
             ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
             sum(r[6] for r in results), len(failed),
             (" (seeds %s)" % ",".join(str(r[0]) for r in failed)) if failed else "",
             time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

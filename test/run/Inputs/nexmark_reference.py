#!/usr/bin/env python3
"""Reference of examples/nexmark_analytics.stream (NEXMark Q4, Q6, Q9, Q18, Q19)
computed straight from its input files, compared with the CSV files a run
wrote. Usage: nexmark_reference.py DATA_DIR OUTPUT_DIR. Prints one line per
query and exits 1 on the first difference."""
import csv
import datetime
import decimal
import sys
from collections import defaultdict


def ms(text):
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return round(t.timestamp() * 1000)


def round2(x):
    """round(x, 2) as streamc computes it: halves away from zero."""
    return float(decimal.Decimal(x).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP))


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    data, out = sys.argv[1], sys.argv[2]
    auctions = {int(a["id"]): a for a in rows(data + "/nexmark_auctions.csv")}
    bids = rows(data + "/nexmark_bids.csv")

    # Q9: bids at or above the reserve, made while the auction was open and
    # at most an hour after it was created; the highest (first on a tie).
    best = {}
    last_bid = {}  # the auction's last such bid: its winner's event time
    for b in bids:
        a = auctions.get(int(b["auction"]))
        t, price = ms(b["date_time"]), int(b["price"])
        if a is None or price < int(a["reserve"]) or t > ms(a["expires"]):
            continue
        if not (t - 3600_000 <= ms(a["date_time"]) <= t):
            continue
        key = int(b["auction"])
        last_bid[key] = max(last_bid.get(key, t), t)
        if key not in best or price > best[key][0]:
            best[key] = (price, int(b["bidder"]), t, int(a["category"]))
    q9 = {(k, v[3], v[0], v[1], v[2]) for k, v in best.items()}

    # Q4: the average winning price per category, rounded to 2 places.
    per_category = defaultdict(list)
    for k, v in best.items():
        per_category[v[3]].append(v[0])
    q4 = {(c, len(ps), round2(sum(ps) / len(ps))) for c, ps in per_category.items()}

    # Q6: per seller, over their last 10 winners in event-time order (the
    # auction's last bid less 1 ms), the average price and how many.
    closed = sorted((last_bid[k] - 1, int(auctions[k]["seller"]), k, v[0])
                    for k, v in best.items())
    for a, b in zip(closed, closed[1:]):
        if a[:2] == b[:2]:  # the order of a tie is not defined
            sys.exit("q6: auctions %d and %d of seller %d tie" % (a[2], b[2], a[1]))
    frames = defaultdict(list)
    q6 = set()
    for _, seller, auction, price in closed:
        frame = (frames[seller] + [price])[-10:]
        frames[seller] = frame
        q6.add((seller, auction, price, round2(sum(frame) / len(frame)), len(frame)))

    # Q18: the last bid of each bidder on each auction, in file order.
    last = {}
    count = defaultdict(int)
    for b in bids:
        key = (int(b["bidder"]), int(b["auction"]))
        last[key] = (int(b["price"]), ms(b["date_time"]))
        count[key] += 1
    q18 = {(k[0], k[1], v[0], v[1], count[k]) for k, v in last.items()}

    # Q19: the three highest distinct (bidder, price) bids per auction; ties
    # by the window rows' fields ascending: window_start and window_end (the
    # first and last time of the bid), then bidder.
    times = defaultdict(list)
    for b in bids:
        times[(int(b["auction"]), int(b["bidder"]), int(b["price"]))].append(ms(b["date_time"]))
    per_auction = defaultdict(list)
    for (auction, bidder, price), ts in times.items():
        per_auction[auction].append((-price, min(ts), max(ts), bidder, price))
    q19 = set()
    for auction, candidates in per_auction.items():
        for rank, c in enumerate(sorted(candidates)[:3], 1):
            q19.add((auction, rank, c[4], c[3]))

    def actual(name, parse):
        return {parse(r) for r in rows("%s/nexmark-%s.csv" % (out, name))}

    got = {
        "q9": actual("q9", lambda r: (int(r["auction"]), int(r["category"]), int(r["price"]),
                                      int(r["bidder"]), ms(r["at"]))),
        "q4": actual("q4", lambda r: (int(r["category"]), int(r["auctions"]),
                                      float(r["avg_price"]))),
        "q6": actual("q6", lambda r: (int(r["seller"]), int(r["auction"]), int(r["price"]),
                                      float(r["avg_price"]), int(r["auctions"]))),
        "q18": actual("q18", lambda r: (int(r["bidder"]), int(r["auction"]), int(r["price"]),
                                        ms(r["at"]), int(r["bids"]))),
        "q19": actual("q19", lambda r: (int(r["auction"]), int(r["rank"]), int(r["price"]),
                                        int(r["bidder"]))),
    }
    want = {"q9": q9, "q4": q4, "q6": q6, "q18": q18, "q19": q19}
    failed = False
    for name in ("q4", "q6", "q9", "q18", "q19"):
        missing, extra = want[name] - got[name], got[name] - want[name]
        print("%s: %d rows, %d missing, %d unexpected" % (name, len(want[name]), len(missing),
                                                          len(extra)))
        for r in sorted(missing)[:5]:
            print("  missing   ", r)
        for r in sorted(extra)[:5]:
            print("  unexpected", r)
        failed |= bool(missing or extra)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Feeds a program's stdin without a pause for a while and checks that its
output comes while the input is still busy, not only at its end: a CSV
column `id` (0, 1, 2, ...) goes to the program's standard input for
SECONDS, then stdin closes. The program is expected to write, in order, the
records whose id is a multiple of EVERY, as {"id":N} lines.

usage: busy-writer.py PERIOD_MS SECONDS EVERY -- COMMAND...
  PERIOD_MS > 0: one record every PERIOD_MS ms (a trickle: the program
  finds its input empty between records);
  PERIOD_MS = 0: a flood, `seq` output relayed in 1 MiB writes into a 1 MiB
  pipe, faster than the program reads it, so it (almost) never finds its
  input empty and never waits: only the flush interval delivers its output.

Prints `first output while the writer ran: early` when the first line came
within the first half of the writer's time (else `late`, with the times),
`output in the second half of the writer's time: yes` when output went on
coming (else `none`); for a trickle, `every record out within 0.5 s of its
write` (else the slowest); then `output: every expected record, in order`
(or what differed), and `exit STATUS`.
"""
import fcntl
import json
import os
import subprocess
import sys
import threading
import time

F_SETPIPE_SZ = 1031


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def main():
    split = sys.argv.index("--")
    period_ms, seconds, every = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    cmd = sys.argv[split + 1:]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    fd = proc.stdin.fileno()

    lines, times = [], []

    def read():
        for line in proc.stdout:
            times.append(time.monotonic())
            lines.append(line.decode())

    reader = threading.Thread(target=read)
    reader.start()

    write_all(fd, b"id\n")
    start = time.monotonic()
    stop = start + seconds
    last = -1  # the last id written
    written_at = []  # trickle: when each id was written
    if period_ms > 0:
        while time.monotonic() < stop:
            last += 1
            written_at.append(time.monotonic())
            write_all(fd, b"%d\n" % last)
            time.sleep(period_ms / 1000)
    else:
        try:
            fcntl.fcntl(fd, F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        seq = subprocess.Popen(["seq", "0", "999999999999"], stdout=subprocess.PIPE)
        src = seq.stdout.fileno()
        tail = b""  # the end of what was written, for the last id
        while True:
            chunk = os.read(src, 1 << 20)
            done = time.monotonic() >= stop
            if done:  # whole lines only
                chunk = chunk[:chunk.rfind(b"\n") + 1]
            write_all(fd, chunk)
            tail = (tail + chunk)[-64:]
            if done:
                break
        last = int(tail.splitlines()[-1])
        seq.kill()
        seq.wait()
    stopped = time.monotonic()
    proc.stdin.close()
    reader.join(timeout=30)
    proc.wait(timeout=30)

    half = start + seconds / 2
    if times and times[0] < half:
        print("first output while the writer ran: early")
    else:
        came = f"{times[0] - start:.2f} s" if times else "never"
        print(f"first output while the writer ran: late (first line after {came}, "
              f"writer stopped after {stopped - start:.2f} s)")
    if any(half <= t < stopped for t in times):
        print("output in the second half of the writer's time: yes")
    else:
        print("output in the second half of the writer's time: none")
    if written_at:
        delays = []
        for line, t in zip(lines, times):
            try:
                delays.append(t - written_at[json.loads(line)["id"]])
            except (ValueError, KeyError, IndexError, TypeError):
                pass  # reported below, as a difference from the expected output
        slowest = max(delays, default=float("inf"))
        print("every record out within 0.5 s of its write" if slowest < 0.5
              else f"slowest record out {slowest:.2f} s after its write")
    want = ['{"id":%d}\n' % i for i in range(0, last + 1, every)]
    if lines == want:
        print("output: every expected record, in order")
    else:
        print(f"output: {len(lines)} lines, expected {len(want)}; first difference:")
        for got, exp in zip(lines + ["<none>\n"], want + ["<none>\n"]):
            if got != exp:
                sys.stdout.write("  got " + got + "  expected " + exp)
                break
    print(f"exit {proc.returncode}")


main()

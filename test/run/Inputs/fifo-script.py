"""Feeds a program's sources through fifos, step by step, and prints what it
writes after each step, so a test can check *when* output appears.

usage: fifo-script.py SCRIPT COMMAND...

The program gets `--param NAME=PATH` for every fifo NAME the script writes
to. SCRIPT lines (blank lines and `#` comments are skipped):
  NAME TEXT   write TEXT and a newline to fifo NAME
  wait S      print the lines the program writes within S seconds, then `--`
  close NAME  close fifo NAME (its source ends)
At the end every fifo is closed, the rest of the output is printed, then
`exit N`.
"""
import os
import select
import subprocess
import sys
import tempfile
import time


def main():
    script, cmd = sys.argv[1], sys.argv[2:]
    steps = []
    for line in open(script):
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            steps.append((word, rest))
    names = sorted({w for w, _ in steps if w not in ("wait", "close")} |
                   {r for w, r in steps if w == "close"})
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in names}
        for p in paths.values():
            os.mkfifo(p)
        # O_RDWR: neither side's open waits for the other.
        fds = {n: os.open(p, os.O_RDWR) for n, p in paths.items()}
        params = [a for n in names for a in ("--param", f"{n}={paths[n]}")]
        proc = subprocess.Popen(cmd + params, stdout=subprocess.PIPE)
        out = proc.stdout.fileno()
        pending = b""
        for word, rest in steps:
            if word == "wait":
                deadline = time.monotonic() + float(rest)
                while (left := deadline - time.monotonic()) > 0:
                    if not select.select([out], [], [], left)[0]:
                        break
                    chunk = os.read(out, 65536)
                    if not chunk:
                        break
                    pending += chunk
                *lines, pending = pending.split(b"\n")
                for l in lines:
                    print(l.decode())
                print("--", flush=True)
            elif word == "close":
                os.close(fds.pop(rest))
            else:
                os.write(fds[word], rest.encode() + b"\n")
        for fd in fds.values():
            os.close(fd)
        rest, _ = proc.communicate(timeout=30)
        sys.stdout.write((pending + rest).decode())
        print(f"exit {proc.returncode}")


main()

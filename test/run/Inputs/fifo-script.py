"""Feeds a program's sources through fifos, step by step, and prints what it
writes after each step, so a test can check *when* output appears.

usage: fifo-script.py [--stderr] SCRIPT COMMAND...

The program gets `--param NAME=PATH` for every fifo NAME the script names.
SCRIPT lines (blank lines and `#` comments are skipped):
  NAME TEXT     write TEXT and a newline to fifo NAME
  wait S        print the lines the program writes within S seconds, then `--`
  close NAME    close fifo NAME (its source ends)
  open NAME     open fifo NAME for writing only now (a fifo some `open` line
                names has no writer before it; the others are opened, without
                waiting for the program, before it starts)
  never NAME    fifo NAME is never opened by a writer
  silent NAME   fifo NAME is opened (before the program starts) but never written
  signal SIG S  send signal SIG (TERM, INT) and wait for the exit: prints
                `fast` when it came within S seconds, else `slow (X s)`
At the end every fifo is closed, the rest of the output is printed, then
`exit N`; with --stderr, then each line of standard error after `stderr: `.
"""
import os
import select
import subprocess
import sys
import tempfile
import time

from stopwatch import signal_and_time


def open_writer(path, limit=10.0):
    """Opens fifo `path` for writing once the program has it open for reading
    (O_NONBLOCK fails with ENXIO until then); blocking writes after that."""
    deadline = time.monotonic() + limit
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.set_blocking(fd, True)
            return fd
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"fifo-script.py: no reader opened {path} within {limit} s")
            time.sleep(0.01)


def main():
    args = sys.argv[1:]
    with_stderr = args[0] == "--stderr"
    if with_stderr:
        args = args[1:]
    script, cmd = args[0], args[1:]
    steps = []
    for line in open(script):
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            steps.append((word, rest))
    controls = ("wait", "close", "open", "never", "silent", "signal")
    names = sorted({w for w, _ in steps if w not in controls} |
                   {r for w, r in steps if w in ("close", "open", "never", "silent")})
    late = {r for w, r in steps if w in ("open", "never")}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in names}
        for p in paths.values():
            os.mkfifo(p)
        # O_RDWR: neither side's open waits for the other.
        fds = {n: os.open(p, os.O_RDWR) for n, p in paths.items() if n not in late}
        params = [a for n in names for a in ("--param", f"{n}={paths[n]}")]
        proc = subprocess.Popen(cmd + params, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE if with_stderr else None)
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
            elif word == "open":
                fds[rest] = open_writer(paths[rest])
            elif word in ("never", "silent"):
                pass
            elif word == "signal":
                sig, secs = rest.split()
                signal_and_time(proc, sig, secs)
            else:
                os.write(fds[word], rest.encode() + b"\n")
        for fd in fds.values():
            os.close(fd)
        try:
            rest, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, err = proc.communicate()
            print("killed after 30 s")
        sys.stdout.write((pending + rest).decode())
        print(f"exit {proc.returncode}")
        if with_stderr:
            for line in err.decode().splitlines():
                print("stderr: " + line)


main()

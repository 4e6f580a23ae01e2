"""Runs a program whose standard input is a pipe the script holds open, and
plays a session against it: writes records, waits for what they produce
while the pipe stays open and silent, sends a signal. Prints what it saw,
so a test can FileCheck both the output and when it came.

usage: stdin-session.py STEP... -- COMMAND...

steps, in order:
  write:TEXT          writes TEXT to the program's stdin (`\\n` is a newline)
  lines:N:SECS        waits at most SECS for N lines of output (stdin open);
                      prints them, then `live`, or `only K of N lines within SECS s`
  quiet:SECS          stdin open and silent for SECS: prints each line that
                      comes meanwhile, then `quiet`
  total:FIELD:T:SECS  reads JSON rows for at most SECS (stdin open) until the
                      FIELD values add up to T, and 0.3 s more for any extra
                      row; prints `total FIELD=X in K row(s) while stdin open`
                      and, when rows have window_start and window_end,
                      `window sizes (ms): ...`
  signal:NAME:SECS    sends SIGNAME and waits for the exit: prints `fast`
                      when it came within SECS, else `slow (X s)`
  close               closes stdin
Then (stdin closed if still open) the rest of the output, `exit STATUS`, and
each line of standard error prefixed by `stderr: `.
"""
import datetime
import json
import os
import select
import subprocess
import sys
import time

from stopwatch import signal_and_time


class Output:
    """The program's standard output, read line by line with a deadline."""

    def __init__(self, proc):
        self.fd = proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buffer = b""
        self.eof = False

    def line(self, deadline):
        """The next line, or None at the deadline or the end."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                self.eof = not chunk
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode() + "\n"

    def rest(self):
        os.set_blocking(self.fd, True)
        while chunk := os.read(self.fd, 65536):
            self.buffer += chunk
        return self.buffer.decode()


def millis(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def main():
    split = sys.argv.index("--")
    steps, cmd = sys.argv[1:split], sys.argv[split + 1:]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = Output(proc)
    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "write":
            proc.stdin.write(arg.replace("\\n", "\n").encode())
            proc.stdin.flush()
        elif kind == "lines":
            n, secs = arg.split(":")
            deadline = time.monotonic() + float(secs)
            got = []
            while len(got) < int(n) and (line := out.line(deadline)) is not None:
                got.append(line)
            sys.stdout.write("".join(got))
            print("live" if len(got) == int(n) else f"only {len(got)} of {n} lines within {secs} s")
        elif kind == "quiet":
            deadline = time.monotonic() + float(arg)
            while (line := out.line(deadline)) is not None:
                sys.stdout.write(line)
            print("quiet")
        elif kind == "total":
            field, want, secs = arg.split(":")
            deadline = time.monotonic() + float(secs)
            total, rows, sizes = 0, 0, set()
            while (line := out.line(deadline)) is not None:
                row = json.loads(line)
                total += row[field]
                rows += 1
                if "window_start" in row and "window_end" in row:
                    sizes.add(round(millis(row["window_end"]) - millis(row["window_start"])))
                if total >= int(want):
                    deadline = min(deadline, time.monotonic() + 0.3)
            print(f"total {field}={total} in {rows} row(s) while stdin open")
            if sizes:
                print("window sizes (ms): " + " ".join(str(s) for s in sorted(sizes)))
        elif kind == "signal":
            name, secs = arg.split(":")
            signal_and_time(proc, name, secs)
        elif kind == "close":
            proc.stdin.close()
        else:
            sys.exit(f"stdin-session.py: unknown step {step!r}")
    if not proc.stdin.closed:
        proc.stdin.close()
    sys.stdout.write(out.rest())
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print("killed after 30 s")
    print(f"exit {proc.returncode}")
    for line in proc.stderr.read().decode().splitlines():
        print("stderr: " + line)
    sys.stdout.flush()


main()

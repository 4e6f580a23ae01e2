#!/usr/bin/env python3
"""Drives the REPL on a real terminal (a pseudo-terminal), as a user would:
types statements, checks what the screen shows, presses Tab, Ctrl-C and
Ctrl-D, and checks that the process exits cleanly.

usage: pty-driver.py STREAMC WORKDIR

WORKDIR is emptied and used as the working directory and HOME; the history
file is WORKDIR/history ($STREAMC_HISTORY). Prints one line per step and
exits 0, or prints the screen so far and exits 1.
"""
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time

TIMEOUT = 15.0  # seconds for one expectation; normally met in milliseconds

CLICKS = """ts,user,url,latency_ms,region
2025-03-14T09:00:00.407Z,u6120,/product/42,112,eu-west
2025-03-14T09:00:10.170Z,u3406,/checkout,590,us-east
2025-03-14T09:00:41.002Z,u6120,/checkout,1240,eu-west
2025-03-14T09:01:03.250Z,u2231,/checkout,2310,eu-west
2025-03-14T09:01:05.000Z,u0317,/search,75,us-east
"""

FOOTER = r"\d+ rows? · compiled in \d+ ms · ran in \d+ ms"


class Failure(Exception):
    pass


class Terminal:
    """A process on a pseudo-terminal, and everything it has shown."""

    def __init__(self, argv, cwd, env):
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = ""
        self.mark = 0  # expectations look after the previous match
        self.status = None

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the child is gone
            data = b""
        if not data:
            return None
        self.screen += data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return True

    def expect(self, pattern, what):
        """Waits until `pattern` (a regex) appears after the last match."""
        regex = re.compile(pattern)
        deadline = time.time() + TIMEOUT
        while True:
            m = regex.search(self.screen, self.mark)
            if m:
                self.mark = m.end()
                print(f"ok: {what}")
                return m
            left = deadline - time.time()
            if left <= 0 or self._read(min(left, 0.2)) is None:
                raise Failure(f"{what}: expected /{pattern}/")

    def type(self, text):
        os.write(self.fd, text.encode())

    def prompt(self):
        """Waits for the prompt: the editor reads the terminal from then on
        (a key typed earlier would meet the terminal's own line editing)."""
        regex = re.compile(r"streamc> ")
        deadline = time.time() + TIMEOUT
        while not regex.search(self.screen, self.mark):
            left = deadline - time.time()
            if left <= 0 or self._read(min(left, 0.2)) is None:
                raise Failure("expected the prompt")
        self.mark = regex.search(self.screen, self.mark).end()

    def wait(self, what):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            self._read(0.05)  # keep the pty drained
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                print(f"ok: {what} (exit status {self.status})")
                return self.status
        raise Failure(f"{what}: the process did not exit")

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass


def first_session(streamc, work, env):
    """`streamc repl`: declare, query, fix a typo, complete, stream and
    interrupt, read stdin and interrupt, save, quit."""
    t = Terminal([streamc, "repl"], work, env)
    try:
        t.prompt()
        t.type("schema Click { ts: timestamp, user: string, url: string, latency_ms: i64, region: string? }\r")
        t.expect(r"defined schema Click\n", "a schema is declared")
        t.prompt()
        t.type('source clicks: Click = file("clicks.csv") with event_time = ts\r')
        t.expect(r"defined source clicks\n", "a CSV source is declared")

        t.prompt()
        t.type("from clicks | where latency_ms > 500 | select { user, latency_ms }\r")
        t.expect(r"user   latency_ms\n-----  ----------\nu3406         590\nu6120        1240\n"
                 r"u2231        2310\n" + FOOTER + r"\n", "a query shows a table and a footer")

        t.prompt()
        t.type("from clicks | where latncy_ms > 1000\r")
        t.expect(r"<input>:1:21: error: unknown name 'latncy_ms'; did you mean 'latency_ms'\?\n"
                 r" 1 \| from clicks \| where latncy_ms > 1000\n"
                 r"   \|                     \^~~~~~~~~\n", "a typo: the caret under the input line")
        t.prompt()
        t.type("from clicks | where latency_ms > 1000 | select { url }\r")
        t.expect(r"url\n---------\n/checkout\n/checkout\n2 rows · ", "the corrected query runs")

        t.prompt()
        t.type("from cl\t")
        t.expect(r"from clicks ", "Tab completes a declared name")
        t.type("|\r")
        t.expect(r"\.\.\.> ", "a line ending with '|' continues")
        t.type("where user == \"u0317\" | select { user }\r")
        t.expect(r"user\n-----\nu0317\n1 row · ", "the two lines run as one query")

        t.prompt()
        t.type("from clicks | wh")
        t.expect(r"from clicks \| wh", "a line is being typed")
        t.type("\x03")
        t.expect(r"\n", "Ctrl-C at the prompt abandons the line")
        t.prompt()
        t.type("from clicks | where user == \"u2231\" | select { url }\r")
        t.expect(r"url\n---------\n/checkout\n1 row · ", "the next line starts afresh")

        t.prompt()
        t.type("schema Tick { n: i64 }\r")
        t.prompt()
        t.type('source ticks: Tick = generate(kind: "sequence", rate: 50)\r')
        t.expect(r"defined source ticks\n", "an endless generator is declared")
        t.prompt()
        t.type("from ticks | select { n, double: n * 2 }\r")
        t.expect(r"n         double\n--------  --------\n", "a stream shows its header at once")
        t.expect(r"\n +3 +6\n", "rows stream as they come")
        t.type("\x03")
        t.expect(r"\ninterrupted\n\d+ rows · compiled in \d+ ms · ran in \d+ ms\n",
                 "Ctrl-C stops the query")
        t.prompt()
        print("ok: the prompt is back")

        t.type("schema Event { a: i64, b: string }\r")
        t.prompt()
        t.type("source typed: Event = stdin()\r")
        t.expect(r"defined source typed\n", "a stdin source is declared")
        t.prompt()
        t.type("from typed | extend { c: a * 10 }\r")
        t.expect(r"a         b             c\n--------  ------------  --------\n",
                 "a stdin query waits for input")
        t.type('{"a": 4, "b": "four"}\r')
        t.expect(r"\n +4  four +40\n", "a line typed into the query is a row")
        t.type("\x03")
        t.expect(r"\ninterrupted\n1 row · compiled in \d+ ms · ran in \d+ ms\n",
                 "Ctrl-C stops a read of the terminal")

        t.prompt()
        t.type(":schema ticks\r")
        t.expect(r"source ticks\n  n  i64\n", ":schema shows a source's fields")
        t.prompt()
        t.type(":save session.stream\r")
        t.expect(r"saved 6 declarations to session.stream\n", ":save writes the session")
        t.prompt()
        t.type(":quit\r")
        if t.wait(":quit leaves") != 0:
            raise Failure("the REPL exited with a failure status")
    except Failure:
        t.kill()
        raise
    finally:
        print("--- screen of `streamc repl` ---\n" + t.screen + "\n---", file=sys.stderr)


def second_session(streamc, work, env):
    """Bare `streamc` on a terminal: the history of the first session, the
    saved file loaded, Ctrl-D leaves."""
    t = Terminal([streamc], work, env)
    try:
        t.expect(r"streamc \d", "bare `streamc` starts the REPL")
        t.prompt()
        t.type("\x10")  # Ctrl-P: the previous line of the history
        t.expect(r":quit", "the history survives the session")
        t.type("\x03")
        t.expect(r"\n", "Ctrl-C clears the recalled line")
        t.prompt()
        t.type(":load session.stream\r")
        t.expect(r"loaded 6 declarations from session.stream\n", ":load reads the saved session")
        t.prompt()
        t.type("from clicks | where user == \"u0317\" | select { user, url }\r")
        t.expect(r"user   url\n-----  -------\nu0317  /search\n1 row · ", "its source works")
        t.prompt()
        t.type("\x04")
        if t.wait("Ctrl-D on an empty line leaves") != 0:
            raise Failure("the REPL exited with a failure status")
    except Failure:
        t.kill()
        raise
    finally:
        print("--- screen of `streamc` ---\n" + t.screen + "\n---", file=sys.stderr)


def main():
    streamc, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(work, "clicks.csv"), "w") as f:
        f.write(CLICKS)
    env = dict(os.environ)
    env.update(TERM="dumb", NO_COLOR="1", HOME=work,
               STREAMC_HISTORY=os.path.join(work, "history"))
    try:
        first_session(streamc, work, env)
        for command in ("check", "run"):
            done = subprocess.run([streamc, command, "session.stream"], cwd=work,
                                  capture_output=True, text=True, timeout=TIMEOUT)
            if done.returncode != 0:
                raise Failure(f"streamc {command} session.stream failed:\n" + done.stderr)
            print(f"ok: streamc {command} accepts the saved session")
        second_session(streamc, work, env)
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

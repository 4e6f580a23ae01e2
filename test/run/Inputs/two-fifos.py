"""Runs a program whose two sources read the fifos `a` and `b` (given as
`--param a=PATH --param b=PATH`), and checks that both make progress while
the other stays open and silent: a record written to b must come out while a
has nothing, then one written to a while b has nothing. Prints each line the
program wrote, with `live` or `late`, then the rest and the exit status.

usage: two-fifos.py SECONDS COMMAND...
"""
import os
import select
import subprocess
import sys
import tempfile


def read_line(proc, limit):
    ready, _, _ = select.select([proc.stdout], [], [], limit)
    if not ready:
        return None
    return proc.stdout.readline().decode()


def main():
    limit, cmd = float(sys.argv[1]), sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("a", "b")}
        for p in paths.values():
            os.mkfifo(p)
        # O_RDWR: opening does not wait for the reader, and the program's
        # open does not wait for a writer.
        fds = {n: os.open(p, os.O_RDWR) for n, p in paths.items()}
        proc = subprocess.Popen(cmd + ["--param", f"a={paths['a']}", "--param", f"b={paths['b']}"],
                                stdout=subprocess.PIPE)
        for name, record in (("b", b'{"id": 1}\n'), ("a", b'{"id": 2}\n')):
            os.write(fds[name], record)
            line = read_line(proc, limit)
            if line is None:
                print(f"nothing from {name} within {limit} s")
            else:
                sys.stdout.write(line)
                print("live")
        for fd in fds.values():
            os.close(fd)
        rest, _ = proc.communicate(timeout=30)
        sys.stdout.write(rest.decode())
        print(f"exit {proc.returncode}")


main()

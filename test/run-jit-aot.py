#!/usr/bin/env python3
"""Runs a program both ways — `streamc run` (JIT) and `streamc build` plus the
built executable (AOT) — and fails unless their standard output, every file
their sinks wrote, exit status and run summary (the `source ...`/`sink
...`/`window ...` lines on standard error, and the `table ...` notes at
start-up) are identical. (The runtime names each file a sink opens in
$STREAMC_TEST_OUTPUT_LOG; each run's files are read right after it, since
the other run writes the same paths.) Prints the JIT's
output and exits with its status, so a test FileChecks one result that both
paths produced. (Compile-time diagnostics differ by design: `run` prints
them, a built executable does not.)

usage: run-jit-aot.py STREAMC PROGRAM [ARGS...]
  --param k=v, --config FILE and -v go to both; other arguments (-O2, --disable-pass=...)
  are compiler options and go to `streamc run` and `streamc build`.
Standard input, when given, is fed to both runs.
"""
import os
import subprocess
import sys
import tempfile


def run_logging_outputs(cmd, stdin, log):
    """Runs cmd; returns its result and {path: bytes} of each regular file
    its sinks wrote."""
    env = dict(os.environ, STREAMC_TEST_OUTPUT_LOG=log)
    result = subprocess.run(cmd, input=stdin, capture_output=True, env=env)
    files = {}
    if os.path.exists(log):
        for path in open(log).read().splitlines():
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    files[os.path.abspath(path)] = f.read()
    return result, files


def main() -> int:
    streamc, rest = sys.argv[1], sys.argv[2:]
    program = next(a for a in rest if a.endswith(".stream"))
    args = [a for a in rest if a is not program]
    params, compiler = [], []
    i = 0
    while i < len(args):
        if args[i] in ("--param", "--config") and i + 1 < len(args):
            params += args[i:i + 2]
            i += 2
            continue
        runtime_flag = args[i].startswith(("--param=", "--config=")) or args[i] in ("-v", "--verbose")
        (params if runtime_flag else compiler).append(args[i])
        i += 1
    stdin = sys.stdin.buffer.read() if not sys.stdin.isatty() else b""

    with tempfile.TemporaryDirectory() as tmp:
        jit, jit_files = run_logging_outputs([streamc, "run", program] + compiler + params, stdin,
                                             os.path.join(tmp, "jit.log"))
        exe = os.path.join(tmp, "program")
        build = subprocess.run([streamc, "build", program, "-o", exe] + compiler,
                               capture_output=True)
        if build.returncode != 0:
            # A program that does not compile fails the same way in both.
            if (build.returncode, build.stderr) != (jit.returncode, jit.stderr):
                sys.stderr.write("run-jit-aot: build failed differently from run\n")
                sys.stderr.write(build.stderr.decode(errors="replace"))
                return 99
            aot, aot_files = jit, jit_files
        else:
            aot, aot_files = run_logging_outputs([exe] + params, stdin,
                                                 os.path.join(tmp, "aot.log"))
    def summary(err):
        prefixes = (b"source ", b"sink ", b"window ", b"join ", b"table ")
        return [l for l in err.splitlines() if l.startswith(prefixes)]

    for path in sorted(set(jit_files) | set(aot_files)):
        a, b = jit_files.get(path), aot_files.get(path)
        if a != b:
            sys.stderr.write(f"run-jit-aot: JIT and AOT differ in the file {path}:\n"
                             f"--- JIT\n{a!r}\n--- AOT\n{b!r}\n")
            return 99
    for what, a, b in (("stdout", jit.stdout, aot.stdout),
                       ("run summary", summary(jit.stderr), summary(aot.stderr)),
                       ("exit status", jit.returncode, aot.returncode)):
        if a != b:
            sys.stderr.write(f"run-jit-aot: JIT and AOT differ in {what}:\n"
                             f"--- JIT\n{a!r}\n--- AOT\n{b!r}\n")
            return 99
    sys.stdout.buffer.write(jit.stdout)
    sys.stdout.flush()  # the program's stdout comes before its summary
    sys.stderr.buffer.write(jit.stderr)
    return jit.returncode


if __name__ == "__main__":
    sys.exit(main())

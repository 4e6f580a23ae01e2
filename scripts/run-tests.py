#!/usr/bin/env python3
"""Runs every test suite through lit (FileCheck suites and GoogleTest
binaries) and ends with one line: `N passed, N failed[, N skipped]`."""
import json
import os
import subprocess
import sys
import tempfile

LIT = "/usr/lib/llvm-19/build/utils/lit/lit.py"


def main() -> int:
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    suites = [os.path.join(build, "test"), os.path.join(build, "test", "unit")]
    extra = sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "results.json")
        cmd = [sys.executable, LIT, "-sv", "-o", out] + extra + suites
        status = subprocess.call(cmd)
        try:
            with open(out) as f:
                tests = json.load(f)["tests"]
        except (OSError, ValueError, KeyError):
            print("lit produced no results")
            print("0 passed, 1 failed")
            return 1
    passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
    skipped = sum(t["code"] == "UNSUPPORTED" for t in tests)
    failed = len(tests) - passed - skipped
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

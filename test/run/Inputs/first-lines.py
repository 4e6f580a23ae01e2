"""Reads N lines from standard input and prints them, then `live` if they all
came within SECONDS of starting, else `late after X s`; then drains the rest.

usage: first-lines.py N SECONDS
"""
import sys
import time

count, limit = int(sys.argv[1]), float(sys.argv[2])
start = time.monotonic()
lines = [sys.stdin.readline() for _ in range(count)]
elapsed = time.monotonic() - start
sys.stdout.write("".join(lines))
print("live" if elapsed < limit else f"late after {elapsed:.1f} s")
sys.stdout.flush()
sys.stdin.read()

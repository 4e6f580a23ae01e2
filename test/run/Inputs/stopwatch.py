"""Shared by the session scripts (stdin-session.py, fifo-script.py)."""
import signal
import subprocess
import time


def signal_and_time(proc, name, limit):
    """Sends SIG<name> to proc and waits (up to 10 s) for its exit; prints
    `fast` when it came within `limit` seconds, else `slow (X s)`."""
    start = time.monotonic()
    proc.send_signal(getattr(signal, "SIG" + name))
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    took = time.monotonic() - start
    print("fast" if took < float(limit) else f"slow ({took:.2f} s)")

#!/usr/bin/env python3
"""Runs a command against a Kafka cluster: a real one, or a fresh mock.

usage: with-kafka.py [--tool PATH] [--mock-brokers N] [--] CMD [ARG...]

If the environment variable STREAMC_KAFKA_BROKERS is set (and not empty), it
is the bootstrap address of a real cluster and is used as is. Otherwise this
starts `streamc-kafka-test mock` (librdkafka's in-process mock cluster, N
brokers, default 1) for the duration of CMD. The tool is found from --tool or
else the environment variable STREAMC_KAFKA_TEST_TOOL.

CMD runs with stdin, stdout and stderr passed through, and with:
  KAFKA_BROKERS   the bootstrap address ("host:port[,host:port...]")
  TOPIC_PREFIX    unique per invocation ("t<pid>_<hex>_"); tests name their
                  topics and groups ${TOPIC_PREFIX}something, so runs against
                  a shared real cluster do not see each other's data
  STREAMC_KAFKA_MOCK_CONTROL
                  only with the mock: its control socket, through which
                  `streamc-kafka-test create-topic` creates topics (the
                  2.0.2 mock has no CreateTopics request); removed from the
                  environment for a real cluster

The mock is always stopped afterwards (stdin closed; killed if it does not
exit within 5 s). The exit status is CMD's (128+N if a signal N ended it);
2 if the mock does not print its address within 10 s, or on a usage error.
"""

import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


def fail(msg):
    sys.stderr.write("with-kafka: %s\n" % msg)
    sys.exit(2)


def parse_args(argv):
    tool = os.environ.get("STREAMC_KAFKA_TEST_TOOL", "")
    brokers = "1"
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a in ("--tool", "--mock-brokers"):
            if i + 1 >= len(argv):
                fail("%s needs a value" % a)
            if a == "--tool":
                tool = argv[i + 1]
            else:
                brokers = argv[i + 1]
            i += 2
            continue
        if a.startswith("--"):
            fail("unknown option %s" % a)
        break
    cmd = argv[i:]
    if not cmd:
        fail("usage: with-kafka.py [--tool PATH] [--mock-brokers N] [--] CMD [ARG...]")
    return tool, brokers, cmd


class Mock:
    """A running `streamc-kafka-test mock`."""

    def __init__(self, tool, brokers):
        if not tool:
            fail("no streamc-kafka-test: pass --tool or set STREAMC_KAFKA_TEST_TOOL "
                 "(or set STREAMC_KAFKA_BROKERS to use a real cluster)")
        self.dir = tempfile.mkdtemp(prefix="streamc-kafka-")
        self.control = os.path.join(self.dir, "control")
        self.proc = None
        try:
            self.proc = subprocess.Popen(
                [tool, "mock", "--brokers", brokers, "--control", self.control],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as e:
            self.stop()
            fail("cannot start %s: %s" % (tool, e))
        self.bootstrap = self._read_bootstrap()

    def _read_bootstrap(self):
        fd = self.proc.stdout.fileno()
        data = b""
        deadline = time.monotonic() + START_TIMEOUT
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                self.proc.kill()
                self.stop()
                fail("the mock Kafka cluster did not start within %d s" % START_TIMEOUT)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                status = self.proc.wait()
                self.stop()
                fail("the mock Kafka cluster exited (status %d) before printing its address"
                     % status)
            data += chunk
        line = data.split(b"\n", 1)[0].decode().strip()
        if not line:
            self.stop()
            fail("the mock Kafka cluster printed an empty address")
        return line

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # EOF: the mock's signal to exit
            except OSError:
                pass
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    f.close()
                except OSError:
                    pass
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    tool, mock_brokers, cmd = parse_args(argv)

    # A SIGTERM (e.g. lit's timeout) still stops the mock, via the finally.
    def on_term(sig, frame):
        raise SystemExit(128 + sig)
    signal.signal(signal.SIGTERM, on_term)

    env = dict(os.environ)
    env["TOPIC_PREFIX"] = "t%d_%s_" % (os.getpid(), secrets.token_hex(4))
    mock = None
    child = None
    try:
        real = os.environ.get("STREAMC_KAFKA_BROKERS", "")
        if real:
            env["KAFKA_BROKERS"] = real
            env.pop("STREAMC_KAFKA_MOCK_CONTROL", None)
        else:
            mock = Mock(tool, mock_brokers)
            env["KAFKA_BROKERS"] = mock.bootstrap
            env["STREAMC_KAFKA_MOCK_CONTROL"] = mock.control
        try:
            child = subprocess.Popen(cmd, env=env)
        except OSError as e:
            fail("cannot run %s: %s" % (cmd[0], e))
        try:
            status = child.wait()
        except KeyboardInterrupt:
            status = child.wait()
        return 128 - status if status < 0 else status
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if mock is not None:
            mock.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

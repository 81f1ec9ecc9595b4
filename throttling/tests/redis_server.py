"""A redis-server of the tests' own on a free loopback port, which a test may stop and start again."""

import shutil
import socket
import subprocess
import tempfile
import time

import redis


class RedisServer:
    def __init__(self):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = tempfile.mkdtemp(prefix="throttling-redis-")
        self.process = None

    def start(self):
        # No persistence: a restart forgets the counters, as the README says of this setup.
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 (a fixed program, arguments from this file)
            [*command, "--dir", self.directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def flush(self):
        redis.Redis.from_url(self.url).flushdb()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

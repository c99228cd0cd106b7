"""Make sure a Redis answers at REDIS_URL, starting a private one when none does.

Used by `make run` and `make test` through scripts/run.py and scripts/with_redis.py.
Standard library only, so it works before anything is installed.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "redis://127.0.0.1:6379/0"
RUN_DIR = Path(__file__).resolve().parent.parent / ".run"

HOW_TO_GET_REDIS = """\
No Redis answers at {url} and there is no redis-server program to start one.
Get one of these, then run the command again:
  - Debian/Ubuntu:  sudo apt-get install redis-server
  - Fedora:         sudo dnf install redis
  - macOS:          brew install redis
  - or point REDIS_URL at a Redis you already have, e.g.
        REDIS_URL=redis://my-redis-host:6379/0 make run
"""


def answers(url: str, timeout: float = 1.0) -> bool:
    """True when something at url speaks Redis (a PING gets +PONG)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            if parts.password:
                user = parts.username or "default"
                conn.sendall(_command("AUTH", user, parts.password))
                conn.recv(64)
            conn.sendall(_command("PING"))
            return conn.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def _command(*words: str) -> bytes:
    out = [f"*{len(words)}\r\n".encode()]
    for word in words:
        data = word.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    path = parts.path or "/0"
    return urlunsplit(("redis", f"127.0.0.1:{port}", path, "", ""))


def start_private_redis(url: str) -> tuple[str, subprocess.Popen]:
    """Start redis-server on a free loopback port; return its URL and process."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.stderr.write(HOW_TO_GET_REDIS.format(url=url))
        raise SystemExit(1)
    RUN_DIR.mkdir(exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(RUN_DIR),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Its own session: Ctrl-C reaches the supervisor, which stops Redis last.
        start_new_session=True,
    )
    private_url = with_port(url, port)
    deadline = time.monotonic() + 10
    while not answers(private_url):
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read() if process.stdout else ""
            process.kill()
            sys.stderr.write(f"redis-server did not start:\n{output}\n")
            raise SystemExit(1)
        time.sleep(0.05)
    return private_url, process


def ensure_redis() -> tuple[str, subprocess.Popen | None]:
    """The URL of a Redis that answers, and the process if it had to be started."""
    url = os.environ.get("REDIS_URL") or DEFAULT_URL
    if answers(url):
        return url, None
    print(f"No Redis answers at {url}; starting a private redis-server.", file=sys.stderr)
    return start_private_redis(url)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()

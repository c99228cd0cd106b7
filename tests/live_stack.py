"""Start and stop the real processes (daphne, Celery worker, beat) for end-to-end tests."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playground.processes import process_commands
from tests.redis_urls import LIVE_STACK_DB, redis_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveStack:
    """The whole playground as `make run` starts it, isolated in a temporary folder."""

    def __init__(self, workdir: Path, tick_interval: float = 0.5, redis_db: int = LIVE_STACK_DB):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{workdir / 'live.sqlite3'}",
            REDIS_URL=redis_url(redis_db),
            TICK_INTERVAL=str(tick_interval),
            # Its own queue and channel prefix: a leftover stack cannot steal its work.
            CELERY_QUEUE=f"live-{self.port}",
            CHANNEL_PREFIX=f"live{self.port}",
            PYTHONUNBUFFERED="1",
            DJANGO_SETTINGS_MODULE="playground.settings",
        )
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands = process_commands(
            BIN,
            host="127.0.0.1",
            port=self.port,
            beat_schedule=workdir / "beat-schedule",
            worker_name=f"test-{self.port}@%h",
        )

    def start(self) -> None:
        self.manage("migrate", "--noinput", "-v", "0")
        self.start_web()
        self.start_worker()
        self.start_beat()

    def start_web(self) -> None:
        self._spawn("web", self.commands["web"])
        self._wait_for_http()

    def start_worker(self) -> None:
        self._spawn("worker", self.commands["worker"])

    def start_beat(self) -> None:
        self._spawn("beat", self.commands["beat"])

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_process(name)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout.strip()

    def new_playground(self, seed: int | None = None) -> str:
        """Create a playground; return its id."""
        args = ["newplayground"] + (["--seed", str(seed)] if seed is not None else [])
        path = self.manage(*args).splitlines()[-1]
        return path.strip("/").split("/")[-1]

    def ws_url(self, playground_id: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/playgrounds/{playground_id}/"

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text() if path.exists() else ""

    def _spawn(self, name: str, command: list[str]) -> None:
        logfile = open(self.workdir / f"{name}.log", "a")  # noqa: SIM115 - kept open by the child
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait_for_http(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"daphne did not answer in {timeout}s:\n{self.log('web')}")


def receive_json(connection, timeout: float) -> dict:
    return json.loads(connection.recv(timeout=timeout))

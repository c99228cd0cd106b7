"""Start the whole playground in one terminal: daphne, a Celery worker and celery beat.

Every process's output is shown with a coloured prefix; Ctrl-C stops them all.
If nothing answers at REDIS_URL, a private redis-server is started and stopped too.
Settings: HOST (default 127.0.0.1; 0.0.0.0 lets phones in the room join), PORT
(default 8000), WORKER_CONCURRENCY (default 2).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from redis_supervisor import RUN_DIR, ensure_redis, stop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playground.processes import process_commands

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COLOURS = {"web": "36", "worker": "33", "beat": "35", "redis": "32"}


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    if not port_free(host, port):
        print(f"Port {port} on {host} is taken. Try: PORT={port + 1} make run", file=sys.stderr)
        return 1
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )
    redis_url, redis_process = ensure_redis()
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    RUN_DIR.mkdir(exist_ok=True)
    commands = process_commands(
        BIN,
        host=host,
        port=port,
        beat_schedule=RUN_DIR / "celerybeat-schedule",
        concurrency=int(os.environ.get("WORKER_CONCURRENCY", "2")),
    )
    processes = {}
    if redis_process is not None:
        processes["redis"] = redis_process
        pipe_output("redis", redis_process)
    for name, command in commands.items():
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        processes[name] = process
        pipe_output(name, process)

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    announce_when_ready(host, port, redis_url, stopping)
    code = 0
    while not stopping.is_set():
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"\n{name} exited with code {process.returncode}; stopping everything.")
                code = process.returncode or 1
                stopping.set()
                break
        stopping.wait(0.5)
    shutdown(processes)
    return code


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def pipe_output(name: str, process: subprocess.Popen) -> None:
    prefix = f"{name:>6} | "
    if sys.stdout.isatty():
        prefix = f"\033[{COLOURS.get(name, '0')}m{prefix}\033[0m"

    def pump():
        for line in process.stdout:
            sys.stdout.write(prefix + line)
            sys.stdout.flush()

    threading.Thread(target=pump, daemon=True).start()


def announce_when_ready(host: str, port: int, redis_url: str, stopping: threading.Event) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"

    def wait():
        deadline = time.monotonic() + 60
        while not stopping.is_set() and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.3)
        else:
            return
        lines = [f"  Harbour playground ready: {url}", f"  Redis: {redis_url}"]
        if host in ("0.0.0.0", "::"):
            lines.append(f"  Others on your network: http://{lan_address()}:{port}/")
        lines.append("  Ctrl-C stops everything.")
        width = max(len(line) for line in lines) + 2
        print("\n" + "=" * width + "\n" + "\n".join(lines) + "\n" + "=" * width + "\n", flush=True)

    threading.Thread(target=wait, daemon=True).start()


def lan_address() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            # No packet is sent: connecting a UDP socket only picks the outgoing address.
            sock.connect(("192.0.2.1", 9))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def shutdown(processes: dict) -> None:
    print("\nStopping web, worker and beat...", flush=True)
    for name, process in processes.items():
        if name != "redis" and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for name, process in processes.items():
        if name == "redis":
            continue
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    stop(processes.get("redis"))
    print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())

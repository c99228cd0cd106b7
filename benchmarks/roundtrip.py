"""End to end on the real stack: how long an action takes to come back, and tick fan-out."""

import statistics
import tempfile
import threading
import time
from pathlib import Path

import orjson
from websockets.sync.client import connect

from tests.live_stack import LiveStack


def _until(ws, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        message = orjson.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        if predicate(message):
            return message


def run(actions: int = 40, viewers: int = 100) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        stack = LiveStack(Path(folder), tick_interval=1.0)
        stack.start()
        try:
            return _measure(stack, actions, viewers)
        finally:
            stack.stop()


def _measure(stack, actions, viewers):
    playground_id = stack.new_playground(seed=1)
    rows = []
    with connect(stack.ws_url(playground_id)) as ws:
        _until(ws, lambda m: m["type"] == "snapshot")
        acks, deltas = [], []
        for index in range(actions):
            replicas = 4 + index % 2 * 2
            time.sleep(0.25)  # stay under a connection's action rate limit (5 per second)
            started = time.perf_counter()
            ws.send(
                orjson.dumps(
                    {
                        "type": "action",
                        "id": f"b{index}",
                        "action": "scale",
                        "args": {"deployment": "web", "replicas": replicas},
                    }
                ).decode()
            )
            seen_delta = seen_ack = None
            while seen_delta is None or seen_ack is None:
                message = orjson.loads(ws.recv(timeout=10))
                if message["type"] == "error":
                    raise RuntimeError(f"action refused: {message['message']}")
                if message["type"] == "ack" and message["id"] == f"b{index}":
                    seen_ack = time.perf_counter()
                elif message["type"] == "delta" and any(
                    c["object"]["kind"] == "Deployment" for c in message["changes"]
                ):
                    seen_delta = time.perf_counter()
            acks.append((seen_ack - started) * 1000)
            deltas.append((seen_delta - started) * 1000)
    rows.append(
        (
            "action -> delta seen by sender, median / p95",
            f"{statistics.median(deltas):.1f} / {_p95(deltas):.1f} ms",
        )
    )
    rows.append(
        ("action -> ack, median / p95", f"{statistics.median(acks):.1f} / {_p95(acks):.1f} ms")
    )

    arrivals: dict[int, list[float]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def listen(ws):
        while not stop.is_set():
            try:
                message = orjson.loads(ws.recv(timeout=0.5))
            except TimeoutError:
                continue
            except Exception:
                return
            if message["type"] == "delta":
                with lock:
                    arrivals.setdefault(message["version"], []).append(time.perf_counter())

    sockets = [connect(stack.ws_url(playground_id), max_size=None) for _ in range(viewers)]
    threads = [threading.Thread(target=listen, args=(ws,), daemon=True) for ws in sockets]
    try:
        for thread in threads:
            thread.start()
        time.sleep(8)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for ws in sockets:
            ws.close()
    complete = [times for times in arrivals.values() if len(times) == viewers]
    spreads = sorted(max(times) - min(times) for times in complete)
    rows.append(
        (
            f"tick delta to {viewers} viewers: first-to-last arrival, median / max",
            f"{statistics.median(spreads) * 1000:.1f} / {spreads[-1] * 1000:.1f} ms "
            f"({len(complete)} ticks)",
        )
    )
    return rows


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

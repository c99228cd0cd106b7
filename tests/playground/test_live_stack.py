"""The real parts together: daphne, a Celery worker, celery beat, Redis and the database."""

import time

import pytest
import redis
from websockets.sync.client import connect

from tests.live_stack import LiveStack, receive_json
from tests.playground.conftest import pods
from tests.redis_urls import RESTART_STACK_DB

pytestmark = pytest.mark.live


def next_of_type(ws, kind: str, timeout: float = 10.0, where=lambda m: True) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = receive_json(ws, timeout=max(0.1, deadline - time.monotonic()))
        if message["type"] == kind and where(message):
            return message
    raise AssertionError(f"no {kind} message within {timeout}s")


def test_beat_and_the_worker_tick_and_daphne_pushes_the_tick(live_stack):
    playground_id = live_stack.new_playground(seed=3)
    with connect(live_stack.ws_url(playground_id)) as ws:
        snapshot = next_of_type(ws, "snapshot")
        # A delta queued behind the snapshot may already be in it; the next one is news.
        delta = next_of_type(ws, "delta", 15, lambda m: m["version"] > snapshot["version"])
        assert delta["from"] >= snapshot["version"]
        assert delta["time"] > snapshot["time"]


def test_an_action_travels_through_the_worker_and_comes_back_to_everyone(live_stack):
    playground_id = live_stack.new_playground(seed=4)
    with (
        connect(live_stack.ws_url(playground_id)) as actor,
        connect(live_stack.ws_url(playground_id)) as watcher,
    ):
        snapshot = next_of_type(actor, "snapshot")
        next_of_type(watcher, "snapshot")
        victim = pods(snapshot["objects"], "web")[0]["metadata"]["name"]
        actor.send(
            f'{{"type": "action", "id": "k1", "action": "delete_pod", '
            f'"args": {{"name": "{victim}"}}}}'
        )
        ack = next_of_type(actor, "ack")
        assert ack == {"type": "ack", "id": "k1", "message": f'pod "{victim}" deleted'}

        def kills_victim(message):
            return any(
                c["object"]["metadata"]["name"] == victim
                and c["object"]["metadata"].get("deletionTimestamp")
                for c in message["changes"]
            )

        next_of_type(watcher, "delta", where=kills_victim)


def test_nothing_is_lost_when_every_process_restarts_and_redis_is_flushed(tmp_path):
    stack = LiveStack(tmp_path, redis_db=RESTART_STACK_DB)
    stack.start()
    try:
        playground_id = stack.new_playground(seed=5)
        with connect(stack.ws_url(playground_id)) as ws:
            next_of_type(ws, "snapshot")
            ws.send(
                '{"type": "action", "id": "s1", "action": "scale", '
                '"args": {"deployment": "web", "replicas": 4}}'
            )
            next_of_type(ws, "ack")
            before = next_of_type(ws, "delta")
        for name in ("beat", "worker", "web"):
            stack.stop_process(name)
        redis.Redis.from_url(stack.env["REDIS_URL"]).flushdb()
        stack.start()
        with connect(stack.ws_url(playground_id)) as ws:
            after = next_of_type(ws, "snapshot")
            assert after["version"] >= before["version"]
            web = next(
                o
                for o in after["objects"]
                if o["kind"] == "Deployment" and o["metadata"]["name"] == "web"
            )
            assert web["spec"]["replicas"] == 4
            tick = next_of_type(ws, "delta", 15, lambda m: m["version"] > after["version"])
            assert tick["time"] > after["time"]
    finally:
        stack.stop()

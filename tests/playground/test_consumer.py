"""The websocket consumer against the real Redis channel layer."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from playground import services
from playground.asgi import application
from playground.protocol import MAX_MESSAGE_BYTES
from tests.playground.conftest import pods

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(playground_id: str):
    communicator = WebsocketCommunicator(application, f"/ws/playgrounds/{playground_id}/")
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.fixture
async def playground_id():
    created = await database_sync_to_async(services.create_playground)(seed=11)
    return created.id


async def test_it_sends_the_whole_cluster_first(playground_id):
    ws = await connect(playground_id)
    snapshot = await ws.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    assert snapshot["version"] == 1
    assert snapshot["settings"] == {
        "paused": False,
        "speed": 1.0,
        "strategy": "LeastAllocated",
        "proxyMode": "iptables",
    }
    assert len(pods(snapshot["objects"], "web")) == 6
    assert all({"apiVersion", "kind", "metadata"} <= o.keys() for o in snapshot["objects"])
    workloads = [o for o in snapshot["objects"] if o["kind"] in ("Node", "Pod", "Deployment")]
    assert all({"spec", "status"} <= o.keys() for o in workloads)
    await ws.disconnect()


async def test_every_viewer_gets_the_same_delta_after_a_change(playground_id):
    first, second = await connect(playground_id), await connect(playground_id)
    snapshot = await first.receive_json_from(timeout=5)
    await second.receive_json_from(timeout=5)
    victim = pods(snapshot["objects"], "web")[0]["metadata"]["name"]

    await database_sync_to_async(services.perform_action)(
        playground_id, {"action": "delete_pod", "name": victim}
    )
    deltas = [await ws.receive_json_from(timeout=5) for ws in (first, second)]
    assert deltas[0] == deltas[1]
    delta = deltas[0]
    assert (delta["type"], delta["from"], delta["version"]) == ("delta", 1, 2)
    changed = {(c["type"], c["object"]["metadata"]["name"]) for c in delta["changes"]}
    assert ("MODIFIED", victim) in changed
    assert any(kind == "ADDED" for kind, _ in changed)
    assert {e["reason"] for e in delta["events"]} >= {"Killing", "SuccessfulCreate"}
    await first.disconnect()
    await second.disconnect()


async def test_a_missing_playground_gets_an_error_and_a_close(db):
    ws = WebsocketCommunicator(application, "/ws/playgrounds/nosuchplace/")
    await ws.connect()
    message = await ws.receive_json_from(timeout=5)
    assert message["type"] == "error"
    assert "does not exist" in message["message"]
    assert (await ws.receive_output(timeout=5))["code"] == 4404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{oops", "not valid JSON"),
        ('{"type": "action", "id": "a1", "action": "sink_everything"}', "unknown action"),
        ('{"type": "dance"}', "unknown message type"),
        ('{"type": "ping", "x": "' + "y" * MAX_MESSAGE_BYTES + '"}', "too large"),
    ],
)
async def test_bad_messages_get_an_error_and_change_nothing(playground_id, text, expected):
    ws = await connect(playground_id)
    await ws.receive_json_from(timeout=5)
    await ws.send_to(text_data=text)
    reply = await ws.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    assert expected in reply["message"]
    # The connection survives and the playground is unchanged.
    await ws.send_json_to({"type": "resync"})
    again = await ws.receive_json_from(timeout=5)
    assert again["type"] == "snapshot"
    assert again["version"] == 1
    await ws.disconnect()


async def test_it_answers_pings_and_resyncs(playground_id):
    ws = await connect(playground_id)
    await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
    await ws.send_json_to({"type": "resync"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    await ws.disconnect()


async def test_a_flood_of_actions_is_refused_politely(playground_id, monkeypatch):
    from playground import tasks

    queued = []
    # Only the hand-off to the broker is replaced: the flood must not reach the worker at all.
    monkeypatch.setattr(tasks.apply_pending, "apply_async", lambda *a, **k: queued.append(a))
    ws = await connect(playground_id)
    await ws.receive_json_from(timeout=5)
    for index in range(40):
        await ws.send_json_to({"type": "control", "id": f"c{index}", "control": "resume"})
    await ws.send_json_to({"type": "ping"})
    replies = []
    while not replies or replies[-1]["type"] != "pong":
        replies.append(await ws.receive_json_from(timeout=5))
    assert len(queued) < 40
    assert any("slow down" in r.get("message", "") for r in replies)
    await ws.disconnect()

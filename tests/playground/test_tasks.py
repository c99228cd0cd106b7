"""Celery tasks called as functions: they act, broadcast and answer the sender."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from playground import tasks
from playground.models import Playground

pytestmark = pytest.mark.django_db(transaction=True)


def receive(channel: str) -> dict:
    import orjson

    message = async_to_sync(get_channel_layer().receive)(channel)
    return orjson.loads(message["text"])


@pytest.fixture
def reply_channel():
    return async_to_sync(get_channel_layer().new_channel)()


def test_an_action_is_acknowledged_to_its_sender(playground, reply_channel):
    tasks.apply_action(
        playground.id, {"action": "scale", "deployment": "web", "replicas": 8}, reply_channel, "c1"
    )
    assert receive(reply_channel) == {
        "type": "ack",
        "id": "c1",
        "message": "deployment.apps/web scaled",
    }
    assert Playground.objects.get(pk=playground.pk).version == 2


def test_a_bad_action_gets_an_error_for_its_sender_and_changes_nothing(playground, reply_channel):
    tasks.apply_action(
        playground.id, {"action": "delete_pod", "name": "ghost"}, reply_channel, "c2"
    )
    reply = receive(reply_channel)
    assert reply["type"] == "error"
    assert reply["id"] == "c2"
    assert '"ghost" not found' in reply["message"]
    assert Playground.objects.get(pk=playground.pk).version == 1


def test_an_engine_crash_is_reported_not_raised(playground, reply_channel, monkeypatch):
    from cluster_sim import Cluster

    def explode(self, action):
        raise RuntimeError("boom")

    monkeypatch.setattr(Cluster, "apply", explode)
    tasks.apply_action(
        playground.id, {"action": "rollback", "deployment": "web"}, reply_channel, "c3"
    )
    assert receive(reply_channel)["message"].startswith("internal error")
    assert Playground.objects.get(pk=playground.pk).version == 1


def test_beat_queues_ticks_only_for_active_playgrounds(playground, monkeypatch):
    queued = []
    monkeypatch.setattr(
        tasks.tick_playground, "apply_async", lambda args, **kw: queued.append(args)
    )
    assert tasks.tick_active_playgrounds() == 1
    assert queued == [(playground.id,)]


def test_a_tick_task_advances_the_playground(playground):
    assert tasks.tick_playground(playground.id) is True
    assert Playground.objects.get(pk=playground.pk).version == 2

"""Celery tasks called as functions: they act, broadcast and answer the sender."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from playground import mailbox, services, tasks
from playground.models import Playground

pytestmark = pytest.mark.django_db(transaction=True)


def receive(channel: str) -> dict:
    import orjson

    message = async_to_sync(get_channel_layer().receive)(channel)
    return orjson.loads(message["text"])


@pytest.fixture
def reply_channel():
    return async_to_sync(get_channel_layer().new_channel)()


def post(playground, reply_channel, message_id, name, args, kind="action"):
    mailbox.post(
        playground.id,
        {"type": kind, "name": name, "args": args, "reply_to": reply_channel, "id": message_id},
    )


def test_an_action_is_acknowledged_to_its_sender(playground, reply_channel):
    post(playground, reply_channel, "c1", "scale", {"deployment": "web", "replicas": 8})
    assert tasks.apply_pending(playground.id) == 1
    assert receive(reply_channel) == {
        "type": "ack",
        "id": "c1",
        "message": "deployment.apps/web scaled",
    }
    assert Playground.objects.get(pk=playground.pk).version == 2


def test_actions_apply_in_the_order_they_arrived(playground, reply_channel):
    post(playground, reply_channel, "c1", "pause", {}, kind="control")
    post(playground, reply_channel, "c2", "scale", {"deployment": "web", "replicas": 2})
    post(playground, reply_channel, "c3", "scale", {"deployment": "web", "replicas": 9})
    answered = []
    assert services.apply_mailbox(playground.id, lambda item, ok, text: answered.append(item["id"]))
    assert answered == ["c1", "c2", "c3"]
    saved = Playground.objects.get(pk=playground.pk)
    assert saved.paused is True
    web = next(
        o
        for o in saved.state["objects"]
        if o["kind"] == "Deployment" and o["metadata"]["name"] == "web"
    )
    assert web["spec"]["replicas"] == 9
    assert tasks.apply_pending(playground.id) == 0


def test_a_bad_action_gets_an_error_for_its_sender_and_changes_nothing(playground, reply_channel):
    post(playground, reply_channel, "c2", "delete_pod", {"name": "ghost"})
    tasks.apply_pending(playground.id)
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
    post(playground, reply_channel, "c3", "rollback", {"deployment": "web"})
    post(playground, reply_channel, "c4", "speed", {"speed": 2}, kind="control")
    answered = []
    services.apply_mailbox(playground.id, lambda item, ok, text: answered.append((ok, text)))
    assert answered[0] == (False, "internal error: the action was not applied")
    assert answered[1] == (True, "speed 2x")
    assert Playground.objects.get(pk=playground.pk).speed == 2.0


def test_actions_wait_in_the_mailbox_while_the_lock_is_held(playground, reply_channel):
    from playground.locks import playground_lock

    post(playground, reply_channel, "c5", "scale", {"deployment": "web", "replicas": 3})
    services.ACTION_LOCK_WAIT, saved_wait = 0.1, services.ACTION_LOCK_WAIT
    try:
        with playground_lock(playground.id, wait=None), pytest.raises(services.PlaygroundBusy):
            services.apply_mailbox(playground.id, answer=lambda *a: None)
    finally:
        services.ACTION_LOCK_WAIT = saved_wait
    assert tasks.apply_pending(playground.id) == 1
    assert receive(reply_channel)["id"] == "c5"


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

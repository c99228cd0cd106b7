"""The mutation unit: lock, load, change, save with version + 1, broadcast."""

import pytest

from cluster_sim import ActionError, Cluster
from playground import services
from playground.locks import playground_lock
from playground.models import Playground
from tests.playground.conftest import pods


def reload(playground) -> Playground:
    return Playground.objects.get(pk=playground.pk)


def test_a_new_playground_is_the_demo_cluster_settled_and_saved(playground):
    snapshot = services.snapshot(playground.id)
    assert snapshot["type"] == "snapshot"
    assert snapshot["version"] == 1
    kinds = {o["kind"] for o in snapshot["objects"]}
    assert {"Node", "Pod", "ReplicaSet", "Deployment"} <= kinds
    assert len([o for o in snapshot["objects"] if o["kind"] == "Node"]) == 3
    assert len(pods(snapshot["objects"], "web")) == 6
    assert len(pods(snapshot["objects"], "api")) == 3
    assert all(p["spec"].get("nodeName") for p in pods(snapshot["objects"]))


def test_a_tick_advances_simulated_time_and_the_version(playground, settings):
    settings.TICK_INTERVAL = 1.0
    before = Cluster.from_state(playground.state).now
    assert services.tick(playground.id) is True
    after = reload(playground)
    assert after.version == 2
    assert Cluster.from_state(after.state).now == pytest.approx(before + 1.0)


def test_a_tick_that_finds_the_lock_taken_is_skipped(playground):
    with playground_lock(playground.id, wait=None) as held:
        assert held
        assert services.tick(playground.id) is False
    assert reload(playground).version == 1


def test_a_paused_playground_does_not_tick(playground):
    services.perform_control(playground.id, "pause", {})
    version = reload(playground).version
    assert services.tick(playground.id) is False
    assert reload(playground).version == version


def test_single_step_runs_exactly_one_tick_while_paused(playground, settings):
    settings.TICK_INTERVAL = 1.0
    services.perform_control(playground.id, "pause", {})
    services.perform_control(playground.id, "speed", {"speed": 4})
    start = Cluster.from_state(reload(playground).state).now
    services.perform_control(playground.id, "step", {})
    assert Cluster.from_state(reload(playground).state).now == pytest.approx(start + 4.0)


def test_killing_a_pod_makes_the_replacement_appear_at_once(playground):
    victim = pods(services.snapshot(playground.id)["objects"], "web")[0]["metadata"]["name"]
    message = services.perform_action(playground.id, {"action": "delete_pod", "name": victim})
    assert victim in message
    objects = services.snapshot(playground.id)["objects"]
    web = pods(objects, "web")
    terminating = [p for p in web if p["metadata"].get("deletionTimestamp")]
    assert [p["metadata"]["name"] for p in terminating] == [victim]
    assert len(web) == 7  # six active replicas plus the one terminating


@pytest.mark.parametrize(
    "action",
    [
        {"action": "delete_pod", "name": "no-such-pod"},
        {"action": "scale", "deployment": "web", "replicas": -1},
        {"action": "scale", "deployment": "nope", "replicas": 2},
        {"action": "remove_node", "name": "ship-99"},
        {"action": "teleport"},
    ],
)
def test_bad_actions_raise_and_change_nothing(playground, action):
    with pytest.raises(ActionError):
        services.perform_action(playground.id, action)
    after = reload(playground)
    assert after.version == 1
    assert after.state == playground.state


def test_absurd_replica_counts_are_capped_and_the_message_says_so(playground):
    message = services.perform_action(
        playground.id, {"action": "scale", "deployment": "web", "replicas": 10**9}
    )
    assert "50" in message
    deployment = next(
        o
        for o in services.snapshot(playground.id)["objects"]
        if o["kind"] == "Deployment" and o["metadata"]["name"] == "web"
    )
    assert deployment["spec"]["replicas"] == 50


@pytest.mark.parametrize("speed", [0, 3, 16, "fast", True, None])
def test_impossible_speeds_are_refused(playground, speed):
    with pytest.raises(ActionError, match="speed must be one of"):
        services.perform_control(playground.id, "speed", {"speed": speed})
    assert reload(playground).speed == 1.0


def test_actions_on_a_missing_playground_say_so(db):
    with pytest.raises(services.PlaygroundMissing, match="does not exist"):
        services.perform_action("doesnotexist", {"action": "rollback", "deployment": "web"})


def test_a_write_that_lost_its_lock_does_not_overwrite_a_newer_version(playground):
    def step_while_someone_else_writes(loaded, cluster):
        cluster.step(1.0)
        # Another writer commits a newer version while this one is computing.
        Playground.objects.filter(pk=loaded.pk).update(version=loaded.version + 1)
        return True

    with pytest.raises(services.PlaygroundBusy):
        services._mutate(playground.id, step_while_someone_else_writes, wait=None)
    after = reload(playground)
    assert after.state == playground.state


def test_only_watched_running_playgrounds_are_ticked(playground, settings):
    from datetime import timedelta

    from django.utils import timezone

    assert services.active_playground_ids() == [playground.id]
    Playground.objects.filter(pk=playground.pk).update(
        last_seen_at=timezone.now() - timedelta(seconds=settings.IDLE_AFTER + 1)
    )
    assert services.active_playground_ids() == []


def test_a_kubectl_command_that_only_looks_saves_nothing(playground):
    table = services.perform_action(playground.id, {"action": "kubectl", "command": "get pods"})
    assert table.startswith("NAME ")
    assert "web-" in table
    assert reload(playground).version == 1  # no save, so no delta to every viewer
    message = services.perform_action(
        playground.id, {"action": "kubectl", "command": "scale deployment web --replicas=7"}
    )
    assert message == "deployment.apps/web scaled"
    assert reload(playground).version == 2

"""User actions: messages, validation, and no change at all on bad input."""

import json

import pytest

from cluster_sim import ActionError
from tests.cluster_sim.conftest import act, get, objects_of, pods, reasons, terminating


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({}, "unknown action None"),
        ({"action": "explode"}, "unknown action 'explode'"),
        ("delete_pod", "an action is an object"),
        ({"action": "delete_pod"}, "delete_pod needs name"),
        ({"action": "delete_pod", "name": "nope"}, 'pods "nope" not found'),
        ({"action": "delete_pod", "name": 7}, "name must be a non-empty string"),
        ({"action": "delete_pod", "name": "x", "now": True}, "delete_pod does not take now"),
        (
            {"action": "scale", "deployment": "nope", "replicas": 1},
            'deployments.apps "nope" not found',
        ),
        (
            {"action": "scale", "deployment": "web", "replicas": -1},
            "replicas must be a whole number from 0 to 50",
        ),
        (
            {"action": "scale", "deployment": "web", "replicas": 2.5},
            "replicas must be a whole number",
        ),
        (
            {"action": "scale", "deployment": "web", "replicas": True},
            "replicas must be a whole number",
        ),
        (
            {"action": "scale", "deployment": "web", "replicas": "3"},
            "replicas must be a whole number",
        ),
        ({"action": "scale", "deployment": "web"}, "scale needs replicas"),
        (
            {"action": "set_image", "deployment": "web", "image": "Not An Image"},
            "not a valid container image",
        ),
        (
            {"action": "set_image", "deployment": "web", "image": "a" * 256},
            "not a valid container image",
        ),
        (
            {"action": "set_image", "deployment": "web", "image": ""},
            "image must be a non-empty string",
        ),
        (
            {"action": "set_image", "deployment": "web", "image": "nginx", "container": "db"},
            'unable to find container named "db"',
        ),
        (
            {"action": "rollback", "deployment": "web"},
            'no rollout history found for deployment "web"',
        ),
        ({"action": "rollback", "deployment": "db"}, 'deployments.apps "db" not found'),
        ({"action": "add_node", "size": "huge"}, "size must be one of small, medium, large"),
        ({"action": "remove_node", "name": "ship-9"}, 'nodes "ship-9" not found'),
        (
            {"action": "set_strategy", "strategy": "Random"},
            "strategy must be LeastAllocated or MostAllocated",
        ),
    ],
)
def test_bad_actions_raise_and_change_nothing(demo, action, message):
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError, match=message.replace("(", r"\(").replace(".", r"\.")):
        demo.apply(action)
    assert json.dumps(demo.to_state(), sort_keys=True) == before
    assert demo.take_changes() == ([], [])


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "ghcr.io/example/api:1.0",
        "localhost:5000/team/app_v2:latest",
        "registry.k8s.io/pause:3.10",
        "busybox@sha256:" + "a" * 64,
    ],
)
def test_sane_image_references_are_accepted(demo, image):
    assert (
        demo.apply({"action": "set_image", "deployment": "web", "image": image})
        == "deployment.apps/web image updated"
    )


def test_scaling_above_fifty_is_capped_and_says_so(demo):
    message = act(demo, action="scale", deployment="web", replicas=80)
    assert message == "deployment.apps/web scaled (capped at 50 replicas, the playground's limit)"
    assert get(demo, "Deployment", "web")["spec"]["replicas"] == 50


def test_add_node_names_the_next_free_ship(demo):
    assert act(demo, action="add_node", size="large") == "node/ship-4 created"
    node = get(demo, "Node", "ship-4")
    assert node["status"]["allocatable"] == {"cpu": "8", "memory": "16Gi", "pods": "110"}
    assert node["metadata"]["labels"]["playground.k8s/size"] == "large"
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == "ship-4"
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("True", "KubeletReady")


def test_the_harbour_holds_at_most_ten_ships(demo):
    for _ in range(7):
        act(demo, action="add_node", size="small")
    with pytest.raises(ActionError, match="at most 10 ships"):
        demo.apply({"action": "add_node", "size": "small"})


def test_remove_node_drains_the_ship_and_deletes_it_once_empty(demo):
    on_ship = [p["metadata"]["name"] for p in pods(demo) if p["spec"]["nodeName"] == "ship-3"]
    assert on_ship
    assert (
        act(demo, action="remove_node", name="ship-3") == "node/ship-3 drained and will be deleted"
    )
    node = get(demo, "Node", "ship-3")
    assert node["spec"]["unschedulable"] is True
    assert node["spec"]["taints"] == [
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
    ]
    evicted = [p for p in pods(demo) if p["metadata"]["name"] in on_ship]
    assert all(terminating(p) for p in evicted)
    assert all(
        any(
            c["type"] == "DisruptionTarget" and c["reason"] == "EvictionByEvictionAPI"
            for c in p["status"]["conditions"]
        )
        for p in evicted
    )
    active = [p for p in pods(demo) if not terminating(p)]
    assert len(active) == 9  # replacements exist already
    assert all(p["spec"].get("nodeName") in ("ship-1", "ship-2") for p in active)
    with pytest.raises(ActionError, match="already being drained"):
        demo.apply({"action": "remove_node", "name": "ship-3"})
    demo.step(29)
    assert get(demo, "Node", "ship-3") is not None
    demo.step(1)
    assert get(demo, "Node", "ship-3") is None
    assert [p["spec"]["nodeName"] for p in pods(demo) if p["spec"]["nodeName"] == "ship-3"] == []
    assert reasons(demo.recent_events(), "RemovingNode")[0]["message"] == (
        "Node ship-3 event: Removing Node ship-3 from Controller"
    )
    assert all(p["status"]["phase"] == "Running" for p in pods(demo))


def test_the_last_ship_cannot_be_removed(demo):
    act(demo, action="remove_node", name="ship-1")
    act(demo, action="remove_node", name="ship-2")
    with pytest.raises(ActionError, match="ship-3 is the last ship"):
        demo.apply({"action": "remove_node", "name": "ship-3"})


def test_a_freed_name_is_reused_by_the_next_ship(demo):
    act(demo, action="remove_node", name="ship-2")
    demo.step(30)
    assert [n["metadata"]["name"] for n in objects_of(demo, "Node")] == ["ship-1", "ship-3"]
    assert act(demo, action="add_node", size="small") == "node/ship-2 created"
    assert get(demo, "Node", "ship-2")["spec"]["podCIDR"] == "10.244.4.0/24"


def test_set_strategy_is_kept_in_the_settings(demo):
    assert act(demo, action="set_strategy", strategy="MostAllocated") == (
        "scheduler scoring strategy set to MostAllocated"
    )
    assert demo.to_state()["settings"] == {"strategy": "MostAllocated"}


def test_deleting_a_terminating_pod_again_is_harmless(demo):
    name = pods(demo)[0]["metadata"]["name"]
    act(demo, action="delete_pod", name=name)
    first = demo.to_state()
    assert act(demo, action="delete_pod", name=name) == f'pod "{name}" deleted'
    assert demo.to_state() == first

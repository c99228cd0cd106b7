"""The Cluster facade: demo, clock, determinism, persistence, purity."""

import ast
import contextlib
import json
import pathlib
import sys

import pytest

from cluster_sim import Cluster
from tests.cluster_sim.conftest import act, objects_of, pods

ENGINE = pathlib.Path(__file__).resolve().parents[2] / "cluster_sim"


def script(cluster):
    """The same user story, step by step; returns everything the viewers would receive."""
    received = [cluster.take_changes()]
    for action in (
        {"action": "delete_pod", "name": pods(cluster, "web")[0]["metadata"]["name"]},
        {"action": "scale", "deployment": "web", "replicas": 10},
        {"action": "set_image", "deployment": "web", "image": "nginx:1.28"},
        {"action": "add_node", "size": "medium"},
        {"action": "remove_node", "name": "ship-2"},
        {"action": "rollback", "deployment": "web"},
    ):
        cluster.apply(action)
        cluster.reconcile()
        received.append(cluster.take_changes())
        for _ in range(8):
            cluster.step(1.5)
            received.append(cluster.take_changes())
    return received


def test_the_demo_opens_on_a_settled_cluster():
    cluster = Cluster.demo(seed=3)
    nodes = objects_of(cluster, "Node")
    assert [(n["metadata"]["name"], n["status"]["allocatable"]["cpu"]) for n in nodes] == [
        ("ship-1", "2"),
        ("ship-2", "4"),
        ("ship-3", "8"),
    ]
    assert len(pods(cluster, "web-")) == 6
    assert len(pods(cluster, "api-")) == 3
    assert all(p["status"]["phase"] == "Running" for p in pods(cluster))
    assert cluster.now == 12  # 10 s to settle, then 2 s of traffic
    reasons = {e["reason"] for e in cluster.recent_events()}
    assert {
        "ScalingReplicaSet",
        "SuccessfulCreate",
        "Scheduled",
        "Pulling",
        "Pulled",
        "Started",
    } <= reasons


def test_every_object_has_the_api_shape():
    cluster = Cluster.demo(seed=3)
    for obj in cluster.objects():
        meta = obj["metadata"]
        assert obj["apiVersion"] in (
            "v1",
            "apps/v1",
            "scheduling.k8s.io/v1",
            "coordination.k8s.io/v1",
            "discovery.k8s.io/v1",
            "metrics.k8s.io/v1beta1",
        )
        assert {"name", "uid", "resourceVersion", "creationTimestamp"} <= set(meta)
        assert meta["creationTimestamp"].startswith("2026-01-01T00:00:")
        assert int(meta["resourceVersion"]) > 0
        assert ("namespace" in meta) == (obj["kind"] not in ("Node", "PriorityClass"))
        if obj["kind"] == "PriorityClass":  # value and friends live at the top level, no spec
            assert {"value", "globalDefault"} <= set(obj)
            assert "spec" not in obj
        elif obj["kind"] == "Lease":  # spec only, like the real one
            assert "status" not in obj
        elif obj["kind"] in ("ConfigMap", "Secret"):  # data at the top level, no spec
            assert "spec" not in obj
            assert "status" not in obj
        elif obj["kind"] == "EndpointSlice":
            assert {"addressType", "endpoints", "ports"} <= set(obj)
        elif obj["kind"] == "PodMetrics":
            assert {"timestamp", "window", "containers"} <= set(obj)
        else:
            assert {"spec", "status"} <= set(obj)
        if obj["kind"] == "Lease":  # a node heartbeat
            assert meta["namespace"] == "kube-node-lease"
            assert "renewTime" in obj["spec"]


def test_take_changes_returns_the_journal_and_events_once():
    cluster = Cluster.demo(seed=3, traffic=False)  # traffic rewrites its Service every second
    changes, events = cluster.take_changes()
    assert changes[0]["type"] == "ADDED"
    assert changes[0]["object"]["kind"] == "Node"
    assert len(events) == len(cluster.recent_events())
    assert cluster.take_changes() == ([], [])
    cluster.step(1)
    assert cluster.take_changes() == ([], [])  # a settled cluster is quiet


def test_step_advances_in_sub_steps_of_at_most_one_second():
    cluster = Cluster.empty(seed=1)
    cluster.step(2.5)
    assert cluster.now == 2.5
    cluster.step(0)
    assert cluster.now == 2.5
    for _ in range(4):
        cluster.step(0.25)
    assert cluster.now == 3.5
    with pytest.raises(ValueError, match="dt must be"):
        cluster.step(-1)


def test_the_same_seed_and_actions_give_the_same_journal_and_events():
    assert script(Cluster.demo(seed=11)) == script(Cluster.demo(seed=11))


def test_a_different_seed_gives_different_names():
    names = [{p["metadata"]["name"] for p in pods(Cluster.demo(seed=seed))} for seed in (1, 2)]
    assert names[0] != names[1]


def test_state_round_trips_through_json_and_continues_identically():
    cluster = Cluster.demo(seed=5)
    act(cluster, action="set_image", deployment="web", image="nginx:1.28")
    cluster.step(2)
    act(
        cluster, action="scale", deployment="api", replicas=30
    )  # some pods pending, back-offs running
    state = json.loads(json.dumps(cluster.to_state()))
    copy = Cluster.from_state(state)
    assert copy.to_state() == cluster.to_state()
    assert copy.now == cluster.now
    cluster.take_changes()
    assert script(copy)[1:] == script(cluster)[1:]
    assert copy.to_state() == cluster.to_state()


def test_state_keeps_no_undelivered_changes():
    cluster = Cluster.demo(seed=5)
    copy = Cluster.from_state(cluster.to_state())
    assert copy.take_changes() == ([], [])
    assert copy.recent_events() == cluster.recent_events()


def test_scheduling_decisions_survive_a_round_trip():
    cluster = Cluster.demo(seed=5)
    name = pods(cluster)[0]["metadata"]["name"]
    copy = Cluster.from_state(json.loads(json.dumps(cluster.to_state())))
    assert copy.scheduling_decision(name) == cluster.scheduling_decision(name)
    assert copy.scheduling_decision(name)["winner"] == pods(cluster)[0]["spec"]["nodeName"]


def test_the_engine_imports_only_the_standard_library():
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root == "__future__", (
                    f"{path.name} imports {root}"
                )


def test_the_engine_never_reads_the_wall_clock_or_the_global_rng():
    forbidden = (
        "time.time",
        "datetime.now",
        "datetime.utcnow",
        "random.random(",
        "random.choice",
        "random.randint",
    )
    for path in ENGINE.rglob("*.py"):
        text = path.read_text()
        for word in forbidden:
            assert word not in text, f"{path.name} uses {word}"
        assert "import time" not in text


def test_random_poking_never_breaks_the_engine():
    """Seeded random actions (good and bad) at random times: no crash, exact round trips, and
    every Deployment completes once nothing is left pending."""
    import random

    from cluster_sim import ActionError

    rng = random.Random(2024)
    cluster = Cluster.demo(seed=2024)
    for turn in range(40):
        names = [p["metadata"]["name"] for p in pods(cluster)] or ["none"]
        ships = [n["metadata"]["name"] for n in objects_of(cluster, "Node")]
        action = rng.choice(
            [
                {"action": "delete_pod", "name": rng.choice(names)},
                {
                    "action": "scale",
                    "deployment": rng.choice(["web", "api"]),
                    "replicas": rng.choice([0, 2, 7, 30, 60]),
                },
                {
                    "action": "set_image",
                    "deployment": rng.choice(["web", "api"]),
                    "image": f"nginx:1.{rng.randint(1, 4)}",
                },
                {"action": "rollback", "deployment": rng.choice(["web", "api"])},
                {"action": "add_node", "size": rng.choice(["small", "medium", "large"])},
                {"action": "remove_node", "name": rng.choice(ships)},
                {
                    "action": "set_strategy",
                    "strategy": rng.choice(["LeastAllocated", "MostAllocated"]),
                },
            ]
        )
        with contextlib.suppress(ActionError):
            act(cluster, **action)
        cluster.step(rng.choice([0.25, 1, 3, 8, 20]))
        if turn % 10 == 0:
            copy = Cluster.from_state(json.loads(json.dumps(cluster.to_state())))
            assert copy.to_state() == cluster.to_state()
    cluster.step(120)
    if all(p["spec"].get("nodeName") for p in pods(cluster)):
        for deployment in objects_of(cluster, "Deployment"):
            status, wanted = deployment["status"], deployment["spec"]["replicas"]
            assert status["updatedReplicas"] == status["availableReplicas"] == wanted


def test_saving_and_loading_around_every_tick_changes_nothing():
    """The Django side loads, changes and saves the cluster for every tick and action; the
    deltas must be exactly those of a cluster that stayed in memory."""
    kept = Cluster.demo(seed=9)
    kept.take_changes()
    state = kept.to_state()

    def reloaded(change):
        nonlocal state
        cluster = Cluster.from_state(json.loads(json.dumps(state)))
        change(cluster)
        state = cluster.to_state()
        return cluster.take_changes()

    def both(change):
        change(kept)
        assert reloaded(change) == kept.take_changes()

    for action in (
        {"action": "scale", "deployment": "api", "replicas": 30},
        {"action": "delete_pod", "name": pods(kept, "web")[0]["metadata"]["name"]},
        {"action": "set_image", "deployment": "web", "image": "nginx:1.28"},
        {"action": "remove_node", "name": "ship-3"},
        {"action": "add_node", "size": "large"},
        {"action": "rollback", "deployment": "web"},
    ):
        both(lambda cluster, action=action: (cluster.apply(action), cluster.reconcile()))
        for _ in range(12):
            both(lambda cluster: cluster.step(0.75))
    assert state == kept.to_state()

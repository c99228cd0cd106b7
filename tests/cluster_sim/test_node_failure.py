"""Ships that sink (NODE-1..NODE-5): heartbeats, NotReady, unreachable taints, eviction."""

import pytest

from cluster_sim import ActionError
from cluster_sim.node_health import zone_state
from cluster_sim.timestamps import seconds_since_epoch
from tests.cluster_sim.conftest import (
    act,
    add_deployment,
    cluster_with,
    get,
    pods,
    reasons,
    terminating,
)


def ready(cluster, name):
    node = get(cluster, "Node", name)
    return next(c for c in node["status"]["conditions"] if c["type"] == "Ready")


def taints(cluster, name):
    return get(cluster, "Node", name)["spec"].get("taints", [])


def on(cluster, name):
    return [p for p in pods(cluster) if p["spec"].get("nodeName") == name]


def pod_ready(pod):
    return next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")["status"]


def test_a_sunk_ship_turns_not_ready_after_the_grace_period(demo):
    assert demo.now == 10  # the last lease renewal of every kubelet was at 10 s
    assert act(demo, action="sink_node", name="ship-3") == (
        "node/ship-3 sunk: its kubelet stopped posting node status"
    )
    annotations = get(demo, "Node", "ship-3")["metadata"]["annotations"]
    assert annotations["playground.k8s/last-lease-renew"] == "2026-01-01T00:00:10Z"
    demo.step(50)  # 60 s: exactly 50 s without a renewal is not "more than" the grace
    assert ready(demo, "ship-3")["status"] == "True"
    demo.step(5)  # the controller's next look, every 5 s
    cond = ready(demo, "ship-3")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    )
    assert cond["lastTransitionTime"] == "2026-01-01T00:01:05Z"
    node = get(demo, "Node", "ship-3")
    assert all(c["status"] == "Unknown" for c in node["status"]["conditions"])
    assert taints(demo, "ship-3") == [
        {
            "key": "node.kubernetes.io/unreachable",
            "effect": "NoSchedule",
            "timeAdded": "2026-01-01T00:01:05Z",
        },
        {
            "key": "node.kubernetes.io/unreachable",
            "effect": "NoExecute",
            "timeAdded": "2026-01-01T00:01:05Z",
        },
    ]
    stranded = on(demo, "ship-3")
    assert stranded
    assert all(pod_ready(p) == "False" for p in stranded)
    assert all(p["status"]["phase"] == "Running" for p in stranded)
    events = demo.recent_events()
    assert [e["message"] for e in reasons(events, "NodeNotReady")] == [
        "Node ship-3 status is now: NodeNotReady"
    ] + ["Node is not ready"] * len(stranded)
    with pytest.raises(ActionError, match="already sunk"):
        demo.apply({"action": "sink_node", "name": "ship-3"})


def test_pods_are_evicted_300_s_after_the_taint_and_replaced_elsewhere(demo):
    act(demo, action="sink_node", name="ship-3")
    demo.step(55)  # NotReady and tainted at 65 s
    stranded = [p["metadata"]["name"] for p in on(demo, "ship-3")]
    demo.step(299)
    assert not any(terminating(p) for p in on(demo, "ship-3"))
    demo.step(1)  # 365 s = timeAdded + tolerationSeconds 300
    gone = on(demo, "ship-3")
    assert [p["metadata"]["name"] for p in gone] == stranded
    assert all(terminating(p) for p in gone)
    for pod in gone:
        target = next(c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget")
        assert (target["status"], target["reason"]) == ("True", "DeletionByTaintManager")
    marked = reasons(demo.recent_events(), "TaintManagerEviction")
    assert [e["message"] for e in marked] == [
        f"Marking for deletion Pod default/{n}" for n in stranded
    ]
    demo.step(5)
    running = [p for p in pods(demo) if not terminating(p)]
    assert len(running) == 9
    assert all(
        p["spec"]["nodeName"] != "ship-3" and p["status"]["phase"] == "Running" for p in running
    )
    demo.step(600)  # the kubelet cannot confirm: Terminating for as long as the ship is down
    assert [p["metadata"]["name"] for p in on(demo, "ship-3")] == stranded
    assert act(demo, action="raise_node", name="ship-3") == (
        "node/ship-3 raised: its kubelet is posting node status again"
    )
    assert ready(demo, "ship-3")["status"] == "True"
    assert on(demo, "ship-3") == []  # their deadlines passed long ago: finished at once
    demo.step(5)
    assert taints(demo, "ship-3") == []
    assert len(pods(demo)) == 9


def test_raising_a_ship_before_eviction_makes_its_pods_ready_again(demo):
    act(demo, action="sink_node", name="ship-2")
    demo.step(60)
    assert all(pod_ready(p) == "False" for p in on(demo, "ship-2"))
    act(demo, action="raise_node", name="ship-2")
    assert all(pod_ready(p) == "True" and not terminating(p) for p in on(demo, "ship-2"))
    demo.step(5)
    assert taints(demo, "ship-2") == []
    demo.step(400)
    assert len(pods(demo)) == 9
    with pytest.raises(ActionError, match="only a sunk ship can be raised"):
        demo.apply({"action": "raise_node", "name": "ship-2"})


def test_a_second_lost_node_is_tainted_at_least_10_s_after_the_first(demo):
    act(demo, action="sink_node", name="ship-2")
    act(demo, action="sink_node", name="ship-3")
    demo.step(80)
    added = {
        name: seconds_since_epoch(
            next(t for t in taints(demo, name) if t["effect"] == "NoExecute")["timeAdded"]
        )
        for name in ("ship-2", "ship-3")
    }
    assert added["ship-3"] - added["ship-2"] >= 10


@pytest.mark.parametrize(
    ("ready", "not_ready", "state"),
    [
        (2, 1, "Normal"),
        (1, 2, "Normal"),  # "more than 2" not-ready nodes are needed for a partial disruption
        (2, 3, "PartialDisruption"),
        (3, 3, "Normal"),  # 50 % < 55 %
        (0, 3, "FullDisruption"),
    ],
)
def test_zone_states(ready, not_ready, state):
    assert zone_state(ready, not_ready) == state


def test_a_partially_disrupted_zone_of_a_small_cluster_stops_evictions():
    cluster = cluster_with("small", "small", "small", "small", "small")
    for name in ("ship-1", "ship-2", "ship-3"):
        act(cluster, action="sink_node", name=name)
    cluster.step(120)
    assert ready(cluster, "ship-1")["status"] == "Unknown"
    for name in ("ship-1", "ship-2", "ship-3"):
        assert [t["effect"] for t in taints(cluster, name)] == ["NoSchedule"]


def test_when_every_zone_is_down_nothing_is_evicted(demo):
    for name in ("ship-1", "ship-2", "ship-3"):
        act(demo, action="sink_node", name=name)
    demo.step(400)
    assert not any(terminating(p) for p in pods(demo))
    assert all(
        [t["effect"] for t in taints(demo, n)] == ["NoSchedule"]
        for n in ("ship-1", "ship-2", "ship-3")
    )


def test_a_fully_disrupted_zone_is_evicted_when_another_zone_is_healthy():
    cluster = cluster_with("medium", "medium")
    act(cluster, action="label_node", name="ship-1", labels={"topology.kubernetes.io/zone": "a"})
    act(cluster, action="label_node", name="ship-2", labels={"topology.kubernetes.io/zone": "b"})
    add_deployment(cluster, replicas=2)
    cluster.step(5)
    act(cluster, action="sink_node", name="ship-1")
    cluster.step(60)
    assert [t["effect"] for t in taints(cluster, "ship-1")] == ["NoSchedule", "NoExecute"]


def test_a_no_execute_taint_evicts_intolerant_pods_at_once_and_tolerant_ones_stay(demo):
    act(
        demo,
        action="set_tolerations",
        deployment="api",
        tolerations=[{"key": "storm", "operator": "Exists", "effect": "NoExecute"}],
    )
    demo.step(60)  # the rollout replaces the api pods
    assert act(demo, action="taint_node", name="ship-1", key="storm", effect="NoExecute") == (
        "node/ship-1 tainted"
    )
    left = [p for p in on(demo, "ship-1") if not terminating(p)]
    assert left
    assert all(p["metadata"]["name"].startswith("api") for p in left)
    demo.step(600)
    assert [p["metadata"]["name"] for p in on(demo, "ship-1")] == [
        p["metadata"]["name"] for p in left
    ]


def test_leases_are_renewed_every_10_s_until_the_ship_sinks(demo):
    def renew(name):
        lease = next(
            o for o in demo.objects() if o["kind"] == "Lease" and o["metadata"]["name"] == name
        )
        assert lease["metadata"]["namespace"] == "kube-node-lease"
        assert lease["spec"]["leaseDurationSeconds"] == 40
        return lease["spec"]["renewTime"]

    assert renew("ship-1") == "2026-01-01T00:00:10.000000Z"
    demo.step(9)
    assert renew("ship-1") == "2026-01-01T00:00:10.000000Z"
    demo.step(1)
    assert renew("ship-1") == "2026-01-01T00:00:20.000000Z"
    act(demo, action="sink_node", name="ship-2")
    demo.step(30)
    assert renew("ship-2") == "2026-01-01T00:00:20.000000Z"
    assert renew("ship-1") == "2026-01-01T00:00:50.000000Z"
    act(demo, action="remove_node", name="ship-3")
    demo.step(31)
    assert not any(o["metadata"]["name"] == "ship-3" for o in demo.objects())

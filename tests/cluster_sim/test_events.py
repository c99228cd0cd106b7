"""Kubernetes Events: shape, names, aggregation, the 200 kept."""

import re

from cluster_sim import Cluster


def node(cluster):
    return cluster.store.list("Node")[0]


def test_an_event_has_the_core_v1_shape():
    cluster = Cluster.empty(seed=1)
    cluster.nodes.add(cluster, "small")
    event = cluster.recent_events(1)[0]
    assert event["apiVersion"] == "v1"
    assert event["kind"] == "Event"
    assert re.fullmatch(r"ship-1\.[0-9a-f]{16}", event["metadata"]["name"])
    assert event["involvedObject"]["kind"] == "Node"
    assert event["involvedObject"]["name"] == "ship-1"
    assert event["source"] == {"component": "node-controller"}
    assert event["type"] == "Normal"
    assert event["firstTimestamp"] == event["lastTimestamp"] == "2026-01-01T00:00:00Z"
    assert event["count"] == 1


def test_identical_events_are_aggregated_into_a_count():
    cluster = Cluster.empty(seed=1)
    cluster.nodes.add(cluster, "small")
    cluster.take_changes()
    cluster.now = 5.0
    for _ in range(3):
        cluster.recorder.record(cluster, node(cluster), "Warning", "Test", "same", "kubelet")
    _, events = cluster.take_changes()
    assert [e["count"] for e in events] == [1, 2, 3]
    assert len({e["metadata"]["name"] for e in events}) == 1
    assert cluster.recent_events(1)[0]["count"] == 3


def test_only_the_last_200_events_are_kept():
    cluster = Cluster.empty(seed=1)
    cluster.nodes.add(cluster, "small")
    for i in range(250):
        cluster.recorder.record(cluster, node(cluster), "Normal", "Test", f"message {i}", "kubelet")
    kept = cluster.recent_events(1000)
    assert len(kept) == 200
    assert kept[-1]["message"] == "message 249"
    assert [e["message"] for e in cluster.recent_events(2)] == ["message 248", "message 249"]

"""Filters and scores of the full default profile, with numbers from SCH-12..SCH-17, SCH-21."""

import math

import pytest

from cluster_sim.scheduler.affinity import node_affinity_filter, node_affinity_raw, normalize
from cluster_sim.scheduler.plugins import NodeInfo, node_name
from cluster_sim.scheduler.scores import (
    MIB,
    image_locality,
    prefer_no_schedule_count,
    requested_to_capacity_ratio,
    shape_score,
)
from cluster_sim.scheduler.scoring import num_feasible_nodes_to_find
from cluster_sim.scheduler.spread import SpreadFilter, spread_scores

BIN_PACKING = [{"utilization": 0, "score": 0}, {"utilization": 100, "score": 10}]
SPREADING = [{"utilization": 0, "score": 10}, {"utilization": 100, "score": 0}]


def node(name="ship", labels=None, taints=None, images=()):
    return {
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"taints": taints or []},
        "status": {
            "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "images": [{"names": [image], "sizeBytes": 1} for image in images],
        },
    }


def pod(labels=None, **spec):
    return {
        "metadata": {"name": "p", "namespace": "default", "labels": labels or {}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec},
        "status": {},
    }


def test_taint_toleration_score_is_reverse_normalized():
    soft = {"key": "k", "effect": "PreferNoSchedule"}
    counts = {
        "a": prefer_no_schedule_count(pod(), node(taints=[])),
        "b": prefer_no_schedule_count(pod(), node(taints=[soft])),
        "c": prefer_no_schedule_count(
            pod(), node(taints=[soft, {"key": "j", "effect": "PreferNoSchedule"}])
        ),
    }
    assert counts == {"a": 0, "b": 1, "c": 2}
    assert normalize(counts, reverse=True) == {"a": 100, "b": 50, "c": 0}
    assert normalize({"a": 1, "b": 3}, reverse=True) == {"a": 67, "b": 0}
    assert normalize({"a": 0, "b": 0}, reverse=True) == {"a": 100, "b": 100}
    tolerant = pod(tolerations=[{"key": "k", "operator": "Exists"}])
    assert prefer_no_schedule_count(tolerant, node(taints=[soft])) == 0


def test_node_affinity_filter_and_preferred_score():
    required = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "gpus", "operator": "Gt", "values": ["1"]}]},
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
                ]
            },
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 3,
                    "preference": {"matchExpressions": [{"key": "ssd", "operator": "Exists"}]},
                },
                {
                    "weight": 7,
                    "preference": {
                        "matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["b"]}]
                    },
                },
            ],
        }
    }
    p = pod(affinity=required, nodeSelector={"os": "linux"})
    info = lambda labels: NodeInfo.build(node(labels={"os": "linux", **labels}), [])  # noqa: E731
    assert node_affinity_filter(p, info({"gpus": "2"}), None) is None
    assert node_affinity_filter(p, info({"zone": "a"}), None) is None
    assert node_affinity_filter(p, info({"gpus": "1"}), None) == (
        ["node(s) didn't match Pod's node affinity/selector"],
        True,
    )
    no_os = NodeInfo.build(node(labels={"zone": "a"}), [])
    assert node_affinity_filter(p, no_os, None)[0] == [
        "node(s) didn't match Pod's node affinity/selector"
    ]
    raw = {
        "a": node_affinity_raw(p, node(labels={"zone": "b"})),
        "b": node_affinity_raw(p, node(labels={"zone": "b", "ssd": ""})),
        "c": node_affinity_raw(p, node(labels={"zone": "a", "ssd": ""})),
    }
    assert raw == {"a": 0, "b": 3, "c": 10}
    assert normalize(raw) == {"a": 0, "b": 30, "c": 100}
    assert normalize({"a": 3, "b": 7}) == {"a": 42, "b": 100}


def test_node_name_filter():
    p = pod(nodeName="ship-2")
    assert node_name(p, NodeInfo.build(node("ship-1"), []), None) == (
        ["node(s) didn't match the requested node name"],
        True,
    )
    assert node_name(p, NodeInfo.build(node("ship-2"), []), None) is None


def spread_infos(counts):
    infos = []
    for index, count in enumerate(counts):
        name = f"ship-{index + 1}"
        pods = [pod({"app": "web"}) for _ in range(count)]
        infos.append(NodeInfo.build(node(name, {"kubernetes.io/hostname": name}), pods))
    return infos


def test_pod_topology_spread_score_formula():
    """Three ships holding 0, 1, 2 replicas: weight ln(3 + 2); raw = round(count x w + 2)
    = 2, 4, 5; normalized 100 x (5 + 2 - raw) div 5 = 100, 60, 40."""
    infos = spread_infos([0, 1, 2])
    selector = {"matchLabels": {"app": "web"}}
    constraints = [
        {"topologyKey": "kubernetes.io/hostname", "maxSkew": 3, "labelSelector": selector},
        {"topologyKey": "topology.kubernetes.io/zone", "maxSkew": 5, "labelSelector": selector},
    ]
    assert round(1 * math.log(5) + 2) == 4
    scores = spread_scores(constraints, False, pod({"app": "web"}), infos, infos)
    assert scores == {"ship-1": 100, "ship-2": 60, "ship-3": 40}
    assert spread_scores([], False, pod(), infos, infos) is None


def test_pod_topology_spread_filter_checks_max_skew():
    infos = spread_infos([0, 2, 1])
    constraint = {
        "topologyKey": "kubernetes.io/hostname",
        "maxSkew": 1,
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchLabels": {"app": "web"}},
    }
    p = pod({"app": "web"}, topologySpreadConstraints=[constraint])
    check = SpreadFilter(p, infos)
    assert check(p, infos[0], None) is None  # 0 + 1 - 0 = 1
    assert check(p, infos[1], None) == (
        ["node(s) didn't match pod topology spread constraints"],
        False,
    )
    assert check(p, infos[2], None) == (
        ["node(s) didn't match pod topology spread constraints"],
        False,
    )
    unlabeled = NodeInfo.build(node("raft"), [])
    assert check(p, unlabeled, None) == (
        ["node(s) didn't match pod topology spread constraints (missing required label)"],
        True,
    )


@pytest.mark.parametrize(
    ("shape", "utilization", "score"),
    [
        (BIN_PACKING, 0, 0),
        (BIN_PACKING, 50, 50),
        (BIN_PACKING, 100, 100),
        (SPREADING, 30, 70),
        ([{"utilization": 20, "score": 2}, {"utilization": 60, "score": 8}], 10, 20),  # clamped
        ([{"utilization": 20, "score": 2}, {"utilization": 60, "score": 8}], 90, 80),
        ([{"utilization": 20, "score": 2}, {"utilization": 60, "score": 8}], 30, 35),
    ],
)
def test_requested_to_capacity_ratio_interpolates_the_shape(shape, utilization, score):
    assert shape_score(shape, utilization) == score


def test_requested_to_capacity_ratio_counts_only_positive_resources():
    assert requested_to_capacity_ratio(BIN_PACKING, [(500, 1000), (300, 1000)]) == 40
    assert requested_to_capacity_ratio(BIN_PACKING, [(1500, 1000), (250, 1000)]) == 63  # 62.5
    steps = [
        {"utilization": 0, "score": 0},
        {"utilization": 50, "score": 0},
        {"utilization": 100, "score": 10},
    ]
    assert requested_to_capacity_ratio(steps, [(200, 1000), (800, 1000)]) == 60


def test_image_locality_scales_by_spread_and_clamps():
    mine = node(images=["nginx:1.27"])
    # 192 MB on 1 of 3 nodes: 64 MB; 100 x (64e6 - 23 MiB) div (1000 MiB - 23 MiB) = 3
    assert image_locality(pod(), mine, {"nginx:1.27": 1}, 3) == 3
    assert image_locality(pod(), mine, {"nginx:1.27": 3}, 3) == (
        100 * (192_000_000 - 23 * MIB) // (1000 * MIB - 23 * MIB)
    )
    assert image_locality(pod(), node(), {}, 3) == 0  # absent
    tiny = pod()
    tiny["spec"]["containers"][0]["image"] = "busybox:1.36"
    assert image_locality(tiny, node(images=["busybox:1.36"]), {"busybox:1.36": 3}, 3) == 0


@pytest.mark.parametrize(
    ("nodes", "found"), [(10, 10), (50, 50), (99, 99), (500, 230), (5000, 500), (6000, 300)]
)
def test_percentage_of_nodes_to_score(nodes, found):
    assert num_feasible_nodes_to_find(nodes) == found

"""Filter and score plugins with numbers worked out from the formulas in SCH-8..SCH-13."""

import pytest

from cluster_sim.scheduler.plugins import (
    NodeInfo,
    balanced_allocation_score,
    least_requested,
    most_requested,
    node_resources_fit,
    node_unschedulable,
    resources_fit_score,
    taint_toleration,
)

GI = 2**30
MI = 2**20


def node(cpu="4", memory="8Gi", pods="110", **spec):
    return {
        "metadata": {"name": "ship"},
        "spec": spec,
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods}},
    }


def pod(cpu=None, memory=None, tolerations=()):
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    return {
        "spec": {
            "containers": [{"name": "c", "resources": {"requests": requests} if requests else {}}],
            "tolerations": list(tolerations),
        }
    }


def info_with(*pods, **node_args):
    return NodeInfo.build(node(**node_args), list(pods))


def test_node_info_sums_real_and_non_zero_requests():
    info = info_with(pod("250m", "128Mi"), pod())
    assert (info.pods, info.cpu, info.memory) == (2, 250, 128 * MI)
    assert (info.nonzero_cpu, info.nonzero_memory) == (350, 328 * MI)


def test_node_unschedulable_rejects_cordoned_nodes_as_unresolvable():
    assert node_unschedulable(pod(), info_with(), (0, 0)) is None
    cordoned = NodeInfo.build(node(unschedulable=True), [])
    assert node_unschedulable(pod(), cordoned, (0, 0)) == (["node(s) were unschedulable"], True)
    toleration = {
        "key": "node.kubernetes.io/unschedulable",
        "operator": "Exists",
        "effect": "NoSchedule",
    }
    assert node_unschedulable(pod(tolerations=[toleration]), cordoned, (0, 0)) is None


def test_taint_toleration_names_the_first_untolerated_taint():
    tainted = NodeInfo.build(
        node(taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]), []
    )
    assert taint_toleration(pod(), tainted, (0, 0)) == (
        ["node(s) had untolerated taint {dedicated: gpu}"],
        True,
    )
    bare = NodeInfo.build(node(taints=[{"key": "k", "effect": "NoExecute"}]), [])
    assert taint_toleration(pod(), bare, (0, 0)) == (["node(s) had untolerated taint {k: }"], True)
    soft = NodeInfo.build(node(taints=[{"key": "k", "effect": "PreferNoSchedule"}]), [])
    assert taint_toleration(pod(), soft, (0, 0)) is None


def test_resources_fit_reports_every_insufficient_resource_at_once():
    full = info_with(pod("3800m", "7900Mi"))
    assert node_resources_fit(pod(), full, (500, 512 * MI)) == (
        ["Insufficient cpu", "Insufficient memory"],
        False,
    )
    assert node_resources_fit(pod(), full, (200, 100 * MI)) is None


def test_resources_fit_counts_pod_slots_even_for_best_effort_pods():
    crowded = info_with(pod(), pod(), pods="2")
    assert node_resources_fit(pod(), crowded, (0, 0)) == (["Too many pods"], False)
    roomy = info_with(pod("4", "8Gi"))
    assert node_resources_fit(pod(), roomy, (0, 0)) is None  # BestEffort needs only a slot


def test_resources_fit_ignores_the_non_zero_defaults_when_filtering():
    # 3950m requested of 4000m: a pod without requests still fits (100m counts only for scoring).
    assert node_resources_fit(pod(), info_with(pod("3950m")), (0, 0)) is None


def test_per_resource_scores_truncate_like_go_integers():
    assert least_requested(1000, 4000) == 75
    assert least_requested(805_306_368, 8 * GI) == 90  # 90.625
    assert least_requested(5000, 4000) == 0
    assert most_requested(805_306_368, 8 * GI) == 9  # 9.375
    assert most_requested(5000, 4000) == 100


def test_least_and_most_allocated_on_a_concrete_node():
    """4 CPU / 8Gi node holding 2 x (250m, 128Mi); incoming pod 500m / 512Mi.

    cpu 1000/4000, memory 768Mi/8Gi: LeastAllocated (75 + 90) // 2 = 82,
    MostAllocated (25 + 9) // 2 = 17.
    """
    info = info_with(pod("250m", "128Mi"), pod("250m", "128Mi"))
    incoming = pod("500m", "512Mi")
    assert resources_fit_score("LeastAllocated", incoming, info) == 82
    assert resources_fit_score("MostAllocated", incoming, info) == 17


def test_scoring_uses_non_zero_requests_for_pods_without_requests():
    """A request-less pod counts 100m / 200Mi: cpu 100/2000 -> 95, memory 200Mi/4Gi -> 95."""
    assert resources_fit_score("LeastAllocated", pod(), info_with(cpu="2", memory="4Gi")) == 95


def test_balanced_allocation_on_a_concrete_node():
    """f_cpu = 0.25, f_mem = 0.09375: 100 x (1 - 0.078125) = 92.1875 -> 92."""
    info = info_with(pod("250m", "128Mi"), pod("250m", "128Mi"))
    assert balanced_allocation_score((500, 512 * MI), info) == 92


def test_balanced_allocation_caps_fractions_at_one_and_skips_best_effort_pods():
    info = info_with(pod("4", "1Gi"))
    # f_cpu = min(1, 4.5/4) = 1, f_mem = 1.5Gi/8Gi = 0.1875: 100 x (1 - 0.40625) = 59.375 -> 59
    assert balanced_allocation_score((500, 512 * MI), info) == 59
    assert balanced_allocation_score((0, 0), info) == 0


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [("1", "2Gi", 100), ("2", "0", 75), ("0", "8Gi", 50)],
)
def test_balanced_allocation_range_is_50_to_100(cpu, memory, expected):
    assert (
        balanced_allocation_score((1000 * int(cpu), int(memory[:-2] or 0) * GI), info_with())
        == expected
    )

"""Priority and preemption (SCH-24) and the exact unschedulable messages (SCH-23)."""

import pytest

from cluster_sim.priority import create_demo_classes
from tests.cluster_sim.conftest import (
    act,
    add_deployment,
    cluster_with,
    get,
    pods,
    reasons,
    terminating,
)


def condition(pod, type_):
    return next((c for c in pod["status"].get("conditions", []) if c["type"] == type_), None)


def test_the_message_lists_taints_and_resources_with_the_preemption_suffix():
    cluster = cluster_with("small", "small", "small")
    act(
        cluster,
        action="taint_node",
        name="ship-1",
        key="dedicated",
        value="gpu",
        effect="NoSchedule",
    )
    add_deployment(cluster, cpu="3")
    (pod,) = pods(cluster)
    assert condition(pod, "PodScheduled")["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu},"
        " 2 Insufficient cpu."
        " preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,"
        " 2 No preemption victims found for incoming pod."
    )


def test_tolerations_and_priority_class_reach_the_pods(demo):
    act(
        demo,
        action="set_tolerations",
        deployment="web",
        tolerations=[
            {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}
        ],
    )
    act(demo, action="set_priority_class", deployment="web", priorityClassName="high-priority")
    demo.step(120)
    web = [p for p in pods(demo, "web") if not terminating(p)]
    assert len(web) == 6
    for pod in web:
        assert pod["spec"]["priority"] == 1000
        assert pod["spec"]["priorityClassName"] == "high-priority"
        assert pod["spec"]["tolerations"][0] == {
            "key": "dedicated",
            "operator": "Equal",
            "value": "gpu",
            "effect": "NoSchedule",
        }
    classes = {
        pc["metadata"]["name"]: pc["value"]
        for pc in demo.objects()
        if pc["kind"] == "PriorityClass"
    }
    assert classes == {"high-priority": 1000, "low-priority": -10}
    act(demo, action="set_priority_class", deployment="web", priorityClassName="")
    assert "priorityClassName" not in get(demo, "Deployment", "web")["spec"]["template"]["spec"]


def with_class(cluster, name, cpu, priority_class):
    from cluster_sim.objects import new_deployment

    d = new_deployment(
        cluster, name, image="nginx:1.27", container_name=name, cpu=cpu, memory="64Mi", replicas=1
    )
    d["spec"]["template"]["spec"]["priorityClassName"] = priority_class
    cluster.store.create(d)
    cluster.reconcile()


def test_preemption_evicts_the_lowest_priority_victims_on_the_best_node():
    cluster = cluster_with("small", "small")
    create_demo_classes(cluster)
    with_class(cluster, "low", "1500m", "low-priority")
    add_deployment(cluster, name="mid", cpu="1500m")
    cluster.step(60)
    (low,) = [p for p in pods(cluster, "low") if not terminating(p)]
    (mid,) = pods(cluster, "mid")
    assert low["spec"]["priority"] == -10
    assert mid["spec"]["priority"] == 0
    assert low["spec"]["nodeName"] != mid["spec"]["nodeName"]
    with_class(cluster, "vip", "1", "high-priority")
    cluster.step(2)
    (vip,) = pods(cluster, "vip")
    assert vip["spec"]["priority"] == 1000
    assert vip["status"]["nominatedNodeName"] == low["spec"]["nodeName"]
    assert cluster.scheduling_decision(vip["metadata"]["name"])["preemption"] == {
        "nominatedNode": low["spec"]["nodeName"],
        "victims": [low["metadata"]["name"]],
    }
    victim = get(cluster, "Pod", low["metadata"]["name"])
    assert terminating(victim)
    target = condition(victim, "DisruptionTarget")
    assert (target["reason"], target["message"]) == (
        "PreemptionByScheduler",
        "default-scheduler: preempting to accommodate a higher priority pod",
    )
    (preempted,) = reasons(cluster.recent_events(), "Preempted")
    assert preempted["message"] == (
        f"Preempted by pod {vip['metadata']['uid']} on node {low['spec']['nodeName']}"
    )
    assert not terminating(get(cluster, "Pod", mid["metadata"]["name"]))
    failed = [
        e["message"]
        for e in reasons(cluster.recent_events(), "FailedScheduling")
        if e["involvedObject"]["name"] == vip["metadata"]["name"]
    ]
    assert failed[0] == "0/2 nodes are available: 2 Insufficient cpu."  # preemption succeeded
    assert len(failed) == 1  # parked until the victim is gone (a deleted pod frees room)
    cluster.step(40)
    vip = get(cluster, "Pod", vip["metadata"]["name"])
    assert vip["spec"]["nodeName"] == low["spec"]["nodeName"]
    assert "nominatedNodeName" not in vip["status"]
    (replacement,) = pods(cluster, "low")
    assert condition(replacement, "PodScheduled")["message"] == (
        "0/2 nodes are available: 2 Insufficient cpu."
        " preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    )


def test_an_unknown_priority_class_is_refused_at_pod_creation(demo):
    from cluster_sim.store import clone

    d = demo.store.get("Deployment", "api")
    with demo.store.edit(d):
        spec = clone(d["spec"])
        spec["template"]["spec"]["priorityClassName"] = "ghost"
        d["spec"] = spec
        d["metadata"]["generation"] += 1
    demo.reconcile()
    failed = reasons(demo.recent_events(), "FailedCreate")
    assert failed
    assert failed[-1]["message"].endswith(
        "is forbidden: no PriorityClass with name ghost was found"
    )


def test_a_nominated_pod_does_not_preempt_again_while_its_victims_terminate():
    from cluster_sim.scheduler.preemption import TERMINATING, eligible

    cluster = cluster_with("small")
    create_demo_classes(cluster)
    with_class(cluster, "low", "1500m", "low-priority")
    cluster.step(10)
    with_class(cluster, "vip", "1", "high-priority")
    (vip,) = pods(cluster, "vip")
    assert vip["status"]["nominatedNodeName"] == "ship-1"
    assert eligible(cluster, cluster.store.get("Pod", vip["metadata"]["name"])) == TERMINATING
    assert TERMINATING == "not eligible due to a terminating pod on the nominated node."


@pytest.mark.parametrize(("budget", "victim"), [(False, "b"), (True, "a")])
def test_victims_spare_pods_protected_by_a_budget_when_possible(budget, victim):
    """Two equal low-priority pods, room needed for one: without a budget the later-started
    one goes (the earlier is reprieved first); a budget on it makes the other go instead."""
    cluster = cluster_with("small")
    create_demo_classes(cluster)
    with_class(cluster, "a", "800m", "low-priority")
    cluster.step(5)
    with_class(cluster, "b", "800m", "low-priority")
    cluster.step(5)
    if budget:
        act(cluster, action="create_pdb", deployment="b", minAvailable=1)
    with_class(cluster, "vip", "1", "high-priority")
    doomed = [p["metadata"]["name"][0] for p in pods(cluster) if terminating(p)]
    assert doomed == [victim]

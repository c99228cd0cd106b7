"""Ship actions (NODE-6, NODE-7), disruption budgets (NODE-8) and template actions."""

import json

import pytest

from cluster_sim import ACTION_NAMES, ActionError
from tests.cluster_sim.conftest import act, get, objects_of, pods, terminating


def on(cluster, name):
    return [p for p in pods(cluster) if p["spec"].get("nodeName") == name]


def test_every_new_action_is_exported():
    for name in (
        "cordon",
        "uncordon",
        "drain",
        "sink_node",
        "raise_node",
        "taint_node",
        "untaint_node",
        "label_node",
        "create_pdb",
        "delete_pdb",
        "set_tolerations",
        "set_node_selector",
        "set_priority_class",
    ):
        assert name in ACTION_NAMES


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"action": "cordon", "name": "ship-9"}, 'nodes "ship-9" not found'),
        ({"action": "add_node", "size": "small", "name": "Ship_1"}, "RFC 1123 label"),
        (
            {"action": "add_node", "size": "small", "name": "ship-1"},
            'nodes "ship-1" already exists',
        ),
        ({"action": "add_node", "size": "small", "labels": {"bad key!": "x"}}, "is invalid"),
        ({"action": "add_node", "size": "small", "labels": {"a": "b c"}}, "is invalid"),
        (
            {"action": "add_node", "size": "small", "labels": {f"k{i}": "v" for i in range(11)}},
            "at most 10 labels",
        ),
        (
            {"action": "add_node", "size": "small", "taints": [{"key": "gpu", "effect": "Never"}]},
            "effect must be one of NoSchedule, PreferNoSchedule, NoExecute",
        ),
        ({"action": "taint_node", "name": "ship-1", "key": "a", "effect": "Bad"}, "effect must be"),
        ({"action": "untaint_node", "name": "ship-1", "key": "gpu"}, 'taint "gpu" not found'),
        (
            {"action": "untaint_node", "name": "ship-1", "key": "node.kubernetes.io/unreachable"},
            "managed by the node controller",
        ),
        (
            {"action": "label_node", "name": "ship-1", "labels": {"gone": None}},
            'label "gone" not found',
        ),
        (
            {"action": "label_node", "name": "ship-1", "labels": {"kubernetes.io/hostname": "x"}},
            "are set by the kubelet",
        ),
        ({"action": "raise_node", "name": "ship-1"}, "only a sunk ship can be raised"),
        ({"action": "create_pdb", "deployment": "web"}, "exactly one of minAvailable"),
        ({"action": "create_pdb", "deployment": "web", "minAvailable": "150%"}, "percentage"),
        ({"action": "create_pdb", "deployment": "web", "minAvailable": -1}, "whole number"),
        (
            {"action": "delete_pdb", "name": "web-pdb"},
            'poddisruptionbudgets.policy "web-pdb" not found',
        ),
        (
            {
                "action": "set_tolerations",
                "deployment": "web",
                "tolerations": [{"operator": "Equal"}],
            },
            "operator must be Exists when `key` is empty",
        ),
        (
            {
                "action": "set_tolerations",
                "deployment": "web",
                "tolerations": [{"key": "a", "effect": "NoSchedule", "tolerationSeconds": 5}],
            },
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
        (
            {"action": "set_node_selector", "deployment": "web", "nodeSelector": []},
            "labels must be",
        ),
        (
            {"action": "set_priority_class", "deployment": "web", "priorityClassName": "vip"},
            'priorityclasses.scheduling.k8s.io "vip" not found',
        ),
        (
            {
                "action": "set_strategy",
                "strategy": "RequestedToCapacityRatio",
                "shape": [{"utilization": 5}],
            },
            "shape must be",
        ),
        (
            {"action": "set_strategy", "strategy": "MostAllocated", "shape": []},
            "shape is only used",
        ),
    ],
)
def test_bad_ship_actions_raise_and_change_nothing(demo, action, message):
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError, match=message.replace("(", r"\(").replace(".", r"\.")):
        demo.apply(action)
    assert json.dumps(demo.to_state(), sort_keys=True) == before


def test_add_node_with_a_name_labels_and_taints(demo):
    message = act(
        demo,
        action="add_node",
        size="medium",
        name="gpu-ship",
        labels={"topology.kubernetes.io/zone": "harbour-b", "gpu": "true"},
        taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}],
    )
    assert message == "node/gpu-ship created"
    node = get(demo, "Node", "gpu-ship")
    assert node["metadata"]["labels"]["gpu"] == "true"
    assert node["spec"]["taints"] == [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]


def test_cordon_keeps_pods_and_filters_new_ones(demo):
    before = len(on(demo, "ship-1"))
    assert act(demo, action="cordon", name="ship-1") == "node/ship-1 cordoned"
    assert act(demo, action="cordon", name="ship-1") == "node/ship-1 already cordoned"
    node = get(demo, "Node", "ship-1")
    assert node["spec"]["unschedulable"] is True
    assert node["spec"]["taints"] == [
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
    ]
    assert len(on(demo, "ship-1")) == before
    old = {p["metadata"]["name"] for p in pods(demo)}
    act(demo, action="scale", deployment="web", replicas=9)
    new = [p for p in pods(demo, "web") if p["metadata"]["name"] not in old]
    assert len(new) == 3
    assert all(p["spec"]["nodeName"] != "ship-1" for p in new)
    name = new[-1]["metadata"]["name"]
    decision = demo.scheduling_decision(name)
    verdict = next(v for v in decision["nodes"] if v["node"] == "ship-1")
    assert verdict == {
        "node": "ship-1",
        "feasible": False,
        "filter": "NodeUnschedulable",
        "reasons": ["node(s) were unschedulable"],
    }
    assert act(demo, action="uncordon", name="ship-1") == "node/ship-1 uncordoned"
    assert "taints" not in get(demo, "Node", "ship-1")["spec"]
    assert act(demo, action="uncordon", name="ship-1") == "node/ship-1 already uncordoned"


def test_drain_waits_for_the_disruption_budget(demo):
    assert act(demo, action="create_pdb", deployment="api", minAvailable=3) == (
        "poddisruptionbudget.policy/api-pdb created"
    )
    pdb = get(demo, "PodDisruptionBudget", "api-pdb")
    assert pdb["spec"]["selector"] == {"matchLabels": {"app": "api"}}
    assert {
        k: pdb["status"][k]
        for k in ("expectedPods", "desiredHealthy", "currentHealthy", "disruptionsAllowed")
    } == {"expectedPods": 3, "desiredHealthy": 3, "currentHealthy": 3, "disruptionsAllowed": 0}
    api_pod = next(p for p in on(demo, "ship-3") if p["metadata"]["name"].startswith("api"))
    name = api_pod["metadata"]["name"]
    message = act(demo, action="drain", name="ship-3")
    lines = message.split("\n")
    assert lines[0] == "node/ship-3 cordoned"
    assert f"evicting pod default/{name}" in lines
    assert (
        f'error when evicting pods/"{name}" -n "default" (will retry after 5s): '
        "Cannot evict pod as it would violate the pod's disruption budget."
    ) in lines
    assert "node/ship-3 drained" not in lines
    demo.step(30)
    assert [p["metadata"]["name"] for p in on(demo, "ship-3")] == [name]
    assert not terminating(on(demo, "ship-3")[0])
    # Lower the budget: the next retry (every 5 s) succeeds.
    act(demo, action="delete_pdb", name="api-pdb")
    act(demo, action="create_pdb", deployment="api", maxUnavailable="34%")  # ceil(1.02) = 2 may go
    assert get(demo, "PodDisruptionBudget", "api-pdb")["status"]["desiredHealthy"] == 1
    demo.step(5)
    (evicted,) = on(demo, "ship-3")
    assert terminating(evicted)
    target = next(c for c in evicted["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert target["reason"] == "EvictionByEvictionAPI"
    demo.step(31)
    assert on(demo, "ship-3") == []
    assert get(demo, "Node", "ship-3") is not None  # drain keeps the node (cordoned)


def test_remove_node_respects_budgets_too(demo):
    act(demo, action="create_pdb", deployment="web", minAvailable="100%")
    message = act(demo, action="remove_node", name="ship-3")
    assert message.startswith("node/ship-3 drained and will be deleted (")
    demo.step(60)
    assert get(demo, "Node", "ship-3") is not None
    act(demo, action="delete_pdb", name="web-pdb")
    demo.step(40)
    assert get(demo, "Node", "ship-3") is None


def test_taint_untaint_and_label(demo):
    assert act(
        demo, action="taint_node", name="ship-2", key="dedicated", value="gpu", effect="NoSchedule"
    ) == ("node/ship-2 tainted")
    act(demo, action="taint_node", name="ship-2", key="dedicated", value="ml", effect="NoSchedule")
    assert get(demo, "Node", "ship-2")["spec"]["taints"] == [
        {"key": "dedicated", "value": "ml", "effect": "NoSchedule"}
    ]
    assert (
        act(demo, action="untaint_node", name="ship-2", key="dedicated") == "node/ship-2 untainted"
    )
    assert (
        act(demo, action="label_node", name="ship-2", labels={"disk": "ssd"})
        == "node/ship-2 labeled"
    )
    assert (
        act(demo, action="label_node", name="ship-2", labels={"disk": None})
        == "node/ship-2 unlabeled"
    )
    assert "disk" not in get(demo, "Node", "ship-2")["metadata"]["labels"]


def test_node_selector_rolls_out_and_filters(demo):
    act(demo, action="label_node", name="ship-2", labels={"disk": "ssd"})
    assert act(
        demo, action="set_node_selector", deployment="web", nodeSelector={"disk": "ssd"}
    ) == ("deployment.apps/web patched")
    assert act(
        demo, action="set_node_selector", deployment="web", nodeSelector={"disk": "ssd"}
    ) == ("deployment.apps/web patched (no change)")
    demo.step(200)
    web = [p for p in pods(demo, "web") if not terminating(p)]
    assert len(web) == 6
    assert all(p["spec"]["nodeName"] == "ship-2" for p in web)


def test_a_pdb_counts_pods_with_percentages(demo):
    act(demo, action="create_pdb", deployment="web", minAvailable="50%")
    status = get(demo, "PodDisruptionBudget", "web-pdb")["status"]
    assert (status["expectedPods"], status["desiredHealthy"], status["disruptionsAllowed"]) == (
        6,
        3,
        3,
    )
    act(demo, action="create_pdb", deployment="api", maxUnavailable=1)
    status = get(demo, "PodDisruptionBudget", "api-pdb")["status"]
    assert (status["expectedPods"], status["desiredHealthy"], status["disruptionsAllowed"]) == (
        3,
        2,
        1,
    )
    assert len(objects_of(demo, "PodDisruptionBudget")) == 2

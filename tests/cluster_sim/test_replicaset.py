"""The ReplicaSet controller in the demo cluster (RS-1..RS-4, POD-12)."""

import re

from tests.cluster_sim.conftest import act, pods, reasons, replica_sets, terminating


def test_a_killed_pod_is_replaced_at_once_and_lingers_terminating_for_30_seconds(demo):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    act(demo, action="delete_pod", name=victim)
    _, events = demo.take_changes()
    web = pods(demo, "web")
    assert len(web) == 7  # replicas + 1 while the old one terminates
    assert [p["metadata"]["name"] for p in web if terminating(p)] == [victim]
    (created,) = reasons(events, "SuccessfulCreate")
    replacement = created["message"].removeprefix("Created pod: ")
    assert re.fullmatch(r"web-[456789bcdf]+-[bcdfghjklmnpqrstvwxz2456789]{5}", replacement)
    new = next(p for p in web if p["metadata"]["name"] == replacement)
    assert new["spec"]["nodeName"]  # already scheduled, ContainerCreating
    assert created["involvedObject"]["kind"] == "ReplicaSet"
    assert created["source"]["component"] == "replicaset-controller"
    demo.step(29)
    assert victim in [p["metadata"]["name"] for p in pods(demo, "web")]
    demo.step(1)
    web = pods(demo, "web")
    assert victim not in [p["metadata"]["name"] for p in web]
    assert len(web) == 6
    assert all(p["status"]["phase"] == "Running" for p in web)


def test_scaling_up_creates_pods_and_reports_status(demo):
    assert act(demo, action="scale", deployment="web", replicas=9) == "deployment.apps/web scaled"
    _, events = demo.take_changes()
    assert len(reasons(events, "SuccessfulCreate")) == 3
    demo.step(5)
    (rs,) = replica_sets(demo, "web")
    assert rs["spec"]["replicas"] == 9
    assert rs["status"] == {
        "replicas": 9,
        "fullyLabeledReplicas": 9,
        "readyReplicas": 9,
        "availableReplicas": 9,
        "observedGeneration": 2,
    }


def test_scaling_down_deletes_not_yet_running_pods_first(demo):
    before = {p["metadata"]["name"] for p in pods(demo, "web")}
    act(demo, action="scale", deployment="web", replicas=8)
    fresh = {p["metadata"]["name"] for p in pods(demo, "web")} - before
    demo.take_changes()
    act(demo, action="scale", deployment="web", replicas=6)
    _, events = demo.take_changes()
    deleted = {
        e["message"].removeprefix("Deleted pod: ") for e in reasons(events, "SuccessfulDelete")
    }
    assert deleted == fresh


def test_scaling_down_running_pods_takes_them_from_the_most_crowded_ship(demo):
    web = pods(demo, "web")
    per_node = {}
    for pod in web:
        per_node.setdefault(pod["spec"]["nodeName"], []).append(pod["metadata"]["name"])
    crowded = max(per_node, key=lambda node: len(per_node[node]))
    act(demo, action="scale", deployment="web", replicas=5)
    _, events = demo.take_changes()
    (deleted,) = reasons(events, "SuccessfulDelete")
    assert deleted["message"].removeprefix("Deleted pod: ") in per_node[crowded]


def test_the_pods_carry_the_template_labels_owner_and_defaults(demo):
    pod = pods(demo, "web")[0]
    (rs,) = replica_sets(demo, "web")
    assert pod["metadata"]["labels"] == rs["spec"]["template"]["metadata"]["labels"]
    assert pod["metadata"]["generateName"] == f"{rs['metadata']['name']}-"
    assert pod["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": rs["metadata"]["name"],
            "uid": rs["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    spec = pod["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["priority"] == 0
    assert {(t["key"], t["tolerationSeconds"]) for t in spec["tolerations"]} == {
        ("node.kubernetes.io/not-ready", 300),
        ("node.kubernetes.io/unreachable", 300),
    }
    assert spec["containers"][0]["resources"] == {"requests": {"cpu": "250m", "memory": "128Mi"}}

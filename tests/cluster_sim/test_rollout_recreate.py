"""The Recreate strategy (DEP-7): old pods all gone before a new one exists."""

import json

from tests.cluster_sim.conftest import act, get, reasons, replica_sets

REVISION = "deployment.kubernetes.io/revision"
STEP = "playground.k8s/rollout-step"


def step(cluster, name="web"):
    return json.loads(get(cluster, "Deployment", name)["metadata"]["annotations"][STEP])


def test_set_rollout_to_recreate_drops_rolling_update_and_rolls_nothing(demo):
    assert (
        act(demo, action="set_rollout", deployment="web", strategy="Recreate")
        == "deployment.apps/web patched"
    )
    web = get(demo, "Deployment", "web")
    assert web["spec"]["strategy"] == {"type": "Recreate"}
    assert len(replica_sets(demo, "web")) == 1
    assert web["metadata"]["annotations"][REVISION] == "1"
    assert step(demo)["strategy"] == "Recreate"
    assert (step(demo)["maxSurge"], step(demo)["maxTotal"], step(demo)["minAvailable"]) == (0, 6, 0)


def test_recreate_never_runs_old_and_new_pods_together(demo):
    act(demo, action="set_rollout", deployment="web", strategy="Recreate")
    demo.take_changes()
    overlap = []

    def check(change, obj, before):
        live = [
            p
            for p in demo.store.list("Pod")
            if p["metadata"]["name"].startswith("web-")
            and p["status"].get("phase") not in ("Succeeded", "Failed")
        ]
        images = {p["spec"]["containers"][0]["image"] for p in live}
        if len(images) > 1:
            overlap.append(demo.now)

    demo.store.listeners.append(check)
    started = demo.now
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    (old,) = replica_sets(demo, "web")  # no new ReplicaSet while old pods exist
    assert old["spec"]["replicas"] == 0
    assert step(demo)["phase"] == "ScalingDown"
    assert step(demo)["text"].startswith(
        f"Scaled down old ReplicaSet {old['metadata']['name']} from 6 to 0: Recreate stops"
    )
    demo.step(1)
    assert step(demo)["phase"] == "WaitingForOldPods"
    assert "6 old pods to stop (6 terminating)" in step(demo)["text"]
    demo.step(28)  # the apps ignore SIGTERM: each takes its whole 30 s grace period
    assert len(replica_sets(demo, "web")) == 1
    demo.step(1)
    assert demo.now == started + 30
    new = next(
        rs for rs in replica_sets(demo, "web") if rs["metadata"]["annotations"][REVISION] == "2"
    )
    assert new["spec"]["replicas"] == 6
    demo.step(30)
    _, events = demo.take_changes()
    assert [e["message"] for e in reasons(events, "ScalingReplicaSet")] == [
        f"Scaled down replica set {old['metadata']['name']} from 6 to 0",
        f"Scaled up replica set {new['metadata']['name']} from 0 to 6",
    ]
    assert overlap == []
    web = get(demo, "Deployment", "web")
    assert web["status"]["updatedReplicas"] == 6 == web["status"]["availableReplicas"]
    conditions = {c["type"]: c["reason"] for c in web["status"]["conditions"]}
    assert conditions == {
        "Available": "MinimumReplicasAvailable",
        "Progressing": "NewReplicaSetAvailable",
    }
    assert step(demo)["phase"] == "Complete"


def test_recreate_reports_unavailable_while_it_waits(demo):
    act(demo, action="set_rollout", deployment="web", strategy="Recreate")
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(5)
    web = get(demo, "Deployment", "web")
    available = next(c for c in web["status"]["conditions"] if c["type"] == "Available")
    assert (available["status"], available["reason"]) == ("False", "MinimumReplicasUnavailable")
    assert web["status"]["availableReplicas"] == 0


def test_force_deleting_the_old_pods_lets_recreate_continue_at_once(demo):
    act(demo, action="set_rollout", deployment="web", strategy="Recreate")
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    for pod in [p for p in demo.store.list("Pod") if p["metadata"]["name"].startswith("web-")]:
        act(demo, action="delete_pod", name=pod["metadata"]["name"], grace_period=0, force=True)
    assert len(replica_sets(demo, "web")) == 2
    assert step(demo)["phase"] in ("ScalingUp", "WaitingForAvailable")


def test_undo_under_recreate_reuses_the_old_replica_set_after_the_new_pods_are_gone(demo):
    act(demo, action="set_rollout", deployment="web", strategy="Recreate")
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(60)
    first = next(
        rs for rs in replica_sets(demo, "web") if rs["metadata"]["annotations"][REVISION] == "1"
    )
    assert act(demo, action="rollback", deployment="web") == "deployment.apps/web rolled back"
    reused = demo.store.get("ReplicaSet", first["metadata"]["name"])
    assert reused["metadata"]["annotations"][REVISION] == "3"
    assert reused["spec"]["replicas"] == 0  # still waiting for the nginx:1.28 pods to stop
    demo.step(60)
    assert len(replica_sets(demo, "web")) == 2
    reused = demo.store.get("ReplicaSet", first["metadata"]["name"])
    assert reused["spec"]["replicas"] == 6 == reused["status"]["availableReplicas"]
    assert {
        p["spec"]["containers"][0]["image"]
        for p in demo.store.list("Pod")
        if p["metadata"]["name"].startswith("web-")
    } == {"nginx:1.27"}

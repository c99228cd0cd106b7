"""The Deployment controller: rolling updates, revisions, rollback, history, scaling (DEP-*)."""

import pytest

from cluster_sim.controllers.deployment_util import resolve_fenceposts
from tests.cluster_sim.conftest import act, cordon, get, pods, reasons, replica_sets

REVISION = "deployment.kubernetes.io/revision"


def revisions(cluster, deployment="web"):
    return sorted(
        int(rs["metadata"]["annotations"][REVISION]) for rs in replica_sets(cluster, deployment)
    )


def by_revision(cluster, deployment="web"):
    return {
        int(rs["metadata"]["annotations"][REVISION]): rs for rs in replica_sets(cluster, deployment)
    }


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable"),
    [(10, 3, 2), (3, 1, 0), (1, 1, 0), (4, 1, 1), (6, 2, 1), (0, 0, 1)],
)
def test_fenceposts_round_surge_up_and_unavailable_down(replicas, surge, unavailable):
    d = {
        "spec": {
            "replicas": replicas,
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        }
    }
    assert resolve_fenceposts(d) == (surge, unavailable)


def test_fenceposts_never_both_zero():
    d = {
        "spec": {
            "replicas": 10,
            "strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}},
        }
    }
    assert resolve_fenceposts(d) == (0, 1)


def test_the_demo_deployment_has_a_hashed_replica_set_and_revision_1(demo):
    web = get(demo, "Deployment", "web")
    (rs,) = replica_sets(demo, "web")
    template_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{template_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {
        "app": "web",
        "pod-template-hash": template_hash,
    }
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == template_hash
    assert rs["metadata"]["annotations"] == {
        REVISION: "1",
        "deployment.kubernetes.io/desired-replicas": "6",
        "deployment.kubernetes.io/max-replicas": "8",
    }
    assert web["metadata"]["annotations"][REVISION] == "1"
    assert {k: v for k, v in web["status"].items() if k != "conditions"} == {
        "observedGeneration": 1,
        "replicas": 6,
        "updatedReplicas": 6,
        "readyReplicas": 6,
        "availableReplicas": 6,
        "unavailableReplicas": 0,
    }
    conditions = {c["type"]: (c["status"], c["reason"]) for c in web["status"]["conditions"]}
    assert conditions == {
        "Available": ("True", "MinimumReplicasAvailable"),
        "Progressing": ("True", "NewReplicaSetAvailable"),
    }


def test_a_rolling_update_of_10_replicas_stays_within_13_pods_and_8_available(demo):
    """Sums of ReplicaSet spec.replicas never pass R + surge = 13; available pods never drop
    below R - unavailable = 8, checked after every single write."""
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    demo.take_changes()
    seen = {"max_spec": 0, "min_available": 10}

    def check(change, obj, before):
        web_rs = [
            rs for rs in demo.store.list("ReplicaSet") if rs["metadata"]["name"].startswith("web-")
        ]
        available = [
            p
            for p in demo.store.list("Pod")
            if p["metadata"]["name"].startswith("web-")
            and not p["metadata"].get("deletionTimestamp")
            and any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in p["status"].get("conditions", ())
            )
        ]
        seen["max_spec"] = max(seen["max_spec"], sum(rs["spec"]["replicas"] for rs in web_rs))
        seen["min_available"] = min(seen["min_available"], len(available))

    demo.store.listeners.append(check)
    assert (
        act(demo, action="set_image", deployment="web", image="nginx:1.28")
        == "deployment.apps/web image updated"
    )
    _, events = demo.take_changes()
    scaling = [e["message"] for e in reasons(events, "ScalingReplicaSet")]
    new_rs = next(
        rs for rs in replica_sets(demo, "web") if rs["metadata"]["annotations"][REVISION] == "2"
    )
    old_rs = next(
        rs for rs in replica_sets(demo, "web") if rs["metadata"]["annotations"][REVISION] == "1"
    )
    new, old = new_rs["metadata"]["name"], old_rs["metadata"]["name"]
    assert scaling[:2] == [
        f"Scaled up replica set {new} from 0 to 3",
        f"Scaled down replica set {old} from 10 to 8",
    ]
    for _ in range(60):
        demo.step(1)
    assert seen["max_spec"] == 13
    assert seen["min_available"] >= 8
    web = get(demo, "Deployment", "web")
    assert web["status"]["updatedReplicas"] == 10 == web["status"]["availableReplicas"]
    assert [p["spec"]["containers"][0]["image"] for p in pods(demo, "web")] == ["nginx:1.28"] * 10
    assert web["metadata"]["annotations"][REVISION] == "2"
    assert web["metadata"]["generation"] == 3 == web["status"]["observedGeneration"]
    progressing = next(c for c in web["status"]["conditions"] if c["type"] == "Progressing")
    assert (progressing["reason"], progressing["message"]) == (
        "NewReplicaSetAvailable",
        f'ReplicaSet "{new}" has successfully progressed.',
    )


def test_a_new_rollout_reports_a_new_replica_set_created(demo):
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    new = by_revision(demo)[2]["metadata"]["name"]
    progressing = next(
        c
        for c in get(demo, "Deployment", "web")["status"]["conditions"]
        if c["type"] == "Progressing"
    )
    assert progressing["reason"] in ("NewReplicaSetCreated", "ReplicaSetUpdated")
    assert new in progressing["message"]


def test_rollback_reuses_the_previous_replica_set_and_renumbers_it(demo):
    for image in ("nginx:1.28", "nginx:1.29"):
        act(demo, action="set_image", deployment="web", image=image)
        demo.step(60)
    assert revisions(demo) == [1, 2, 3]
    second = by_revision(demo)[2]["metadata"]["name"]
    assert act(demo, action="rollback", deployment="web") == "deployment.apps/web rolled back"
    demo.step(60)
    assert revisions(demo) == [1, 3, 4]
    reused = by_revision(demo)[4]
    assert reused["metadata"]["name"] == second
    assert reused["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert {p["spec"]["containers"][0]["image"] for p in pods(demo, "web")} == {"nginx:1.28"}
    assert all(p["metadata"]["name"].startswith(second) for p in pods(demo, "web"))
    assert get(demo, "Deployment", "web")["metadata"]["annotations"][REVISION] == "4"


def test_rollback_without_history_is_an_error(demo):
    from cluster_sim import ActionError

    with pytest.raises(ActionError, match=r'^no rollout history found for deployment "web"$'):
        demo.apply({"action": "rollback", "deployment": "web"})


def test_history_beyond_the_revision_limit_is_cleaned_up(demo):
    for minor in range(12):
        act(demo, action="set_image", deployment="api", image=f"ghcr.io/example/api:1.{minor + 1}")
        demo.step(40)
    assert revisions(demo, "api") == list(range(3, 14))  # 10 old + the current one


def test_scaling_keeps_the_revision_and_emits_a_scaling_event(demo):
    act(demo, action="scale", deployment="web", replicas=4)
    _, events = demo.take_changes()
    (rs,) = replica_sets(demo, "web")
    assert [e["message"] for e in reasons(events, "ScalingReplicaSet")] == [
        f"Scaled down replica set {rs['metadata']['name']} from 6 to 4"
    ]
    assert revisions(demo) == [1]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "4"


def test_scaling_mid_rollout_is_proportional(demo):
    """The documented example: R 10 (surge 3, unavailable 2) stuck at old 8 / new 5, scaled to 15
    gives old 11 / new 7."""
    web = demo.store.get("Deployment", "web")
    with demo.store.edit(web):
        web["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": 3, "maxUnavailable": 2}
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    for node in ("ship-1", "ship-2", "ship-3"):
        cordon(demo, node)  # new pods can never start: the rollout gets stuck
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(5)
    sizes = {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()}
    assert sizes == {1: 8, 2: 5}
    act(demo, action="scale", deployment="web", replicas=15)
    sizes = {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()}
    assert sizes == {1: 11, 2: 7}


def test_a_stuck_rollout_exceeds_its_progress_deadline(demo):
    for node in ("ship-1", "ship-2", "ship-3"):
        cordon(demo, node)
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(620)
    web = get(demo, "Deployment", "web")
    progressing = next(c for c in web["status"]["conditions"] if c["type"] == "Progressing")
    new = by_revision(demo)[2]["metadata"]["name"]
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "False",
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{new}" has timed out progressing.',
    )

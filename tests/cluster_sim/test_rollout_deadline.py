"""A bad release stalls, old pods keep serving, the deadline is reported, undo heals it
(DEP-4, DEP-8, DEP-11, DEP-12)."""

import json

from tests.cluster_sim.conftest import act, get, replica_sets

REVISION = "deployment.kubernetes.io/revision"
BAD = "ghcr.io/example/api:1.1-bad"
STEP = "playground.k8s/rollout-step"


def progressing(cluster, name="api"):
    d = get(cluster, "Deployment", name)
    return next(c for c in d["status"]["conditions"] if c["type"] == "Progressing")


def by_revision(cluster, name="api"):
    return {int(rs["metadata"]["annotations"][REVISION]): rs for rs in replica_sets(cluster, name)}


def test_a_bad_release_with_a_readiness_probe_times_out_and_undo_heals_it(demo):
    act(demo, action="set_probe", deployment="api", probe="readiness", enabled=True)
    demo.step(60)
    started = demo.now
    act(demo, action="set_image", deployment="api", image=BAD)
    new = by_revision(demo)[3]["metadata"]["name"]
    # R 3: surge 1, unavailable 0 -> one bad pod, the three old ones keep serving.
    for _ in range(600):
        demo.step(1)
        d = get(demo, "Deployment", "api")
        assert d["status"]["availableReplicas"] >= 3
        assert {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()} == {
            1: 0,
            2: 3,
            3: 1,
        }
    assert demo.now == started + 600
    assert progressing(demo)["status"] == "True"  # not yet: the deadline must be passed
    demo.step(1)
    cond = progressing(demo)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False",
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{new}" has timed out progressing.',
    )
    step = json.loads(get(demo, "Deployment", "api")["metadata"]["annotations"][STEP])
    assert step["phase"] == "Stalled"
    assert "600 s" in step["text"]
    assert "3 pods serving" in step["text"]
    demo.step(120)
    assert progressing(demo)["reason"] == "ProgressDeadlineExceeded"  # no automatic rollback

    assert act(demo, action="rollback", deployment="api") == "deployment.apps/api rolled back"
    demo.step(60)
    d = get(demo, "Deployment", "api")
    healed = by_revision(demo)[4]
    assert healed["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert healed["spec"]["replicas"] == 3 == healed["status"]["availableReplicas"]
    assert by_revision(demo)[3]["spec"]["replicas"] == 0
    cond = progressing(demo)
    assert (cond["status"], cond["reason"]) == ("True", "NewReplicaSetAvailable")
    assert d["status"]["availableReplicas"] == 3 == d["status"]["updatedReplicas"]
    step = json.loads(d["metadata"]["annotations"][STEP])
    assert step["phase"] == "Complete"


def test_a_bad_release_without_a_probe_stalls_on_min_ready_seconds(demo):
    """Without a probe the crashing pod is Ready for 5 s at each start, never the 10 s
    minReadySeconds asks for: it never becomes available, so the old pods are never scaled
    down and keep serving."""
    act(demo, action="set_rollout", deployment="api", minReadySeconds=10)
    demo.step(30)  # the running pods have been Ready for more than 10 s
    act(demo, action="set_image", deployment="api", image=BAD)
    for _ in range(300):
        demo.step(1)
        d = get(demo, "Deployment", "api")
        assert d["status"]["availableReplicas"] >= 3
    sizes = {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()}
    assert sizes == {1: 3, 2: 1}
    assert by_revision(demo)[2]["status"]["availableReplicas"] == 0
    assert get(demo, "Deployment", "api")["status"]["updatedReplicas"] == 1


def test_the_same_release_without_probe_or_min_ready_runs_through(demo):
    """For contrast (the README's warning): Ready at once, so the rollout completes although
    the pods crash a few seconds later."""
    act(demo, action="set_image", deployment="api", image=BAD)
    demo.step(30)
    assert {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()} == {1: 0, 2: 3}

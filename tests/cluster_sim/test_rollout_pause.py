"""Pause and resume (DEP-10): edits accumulate into one revision; scaling still works."""

import json

import pytest

from cluster_sim import ActionError
from tests.cluster_sim.conftest import act, cordon, get, pods, replica_sets

REVISION = "deployment.kubernetes.io/revision"
STEP = "playground.k8s/rollout-step"


def progressing(cluster, name="web"):
    d = get(cluster, "Deployment", name)
    return next(c for c in d["status"]["conditions"] if c["type"] == "Progressing")


def by_revision(cluster, name="web"):
    return {int(rs["metadata"]["annotations"][REVISION]): rs for rs in replica_sets(cluster, name)}


def test_edits_while_paused_become_one_revision_on_resume(demo):
    assert act(demo, action="pause_rollout", deployment="web") == "deployment.apps/web paused"
    cond = progressing(demo)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    act(demo, action="set_grace_period", deployment="web", seconds=10)
    act(demo, action="set_probe", deployment="web", probe="readiness", enabled=True)
    demo.step(60)
    assert list(by_revision(demo)) == [1]
    assert get(demo, "Deployment", "web")["metadata"]["annotations"][REVISION] == "1"
    assert {p["spec"]["containers"][0]["image"] for p in pods(demo, "web")} == {"nginx:1.27"}
    step = json.loads(get(demo, "Deployment", "web")["metadata"]["annotations"][STEP])
    assert step["phase"] == "Paused"
    assert "held until resume" in step["text"]

    assert act(demo, action="resume_rollout", deployment="web") == "deployment.apps/web resumed"
    demo.step(120)
    revisions = by_revision(demo)
    assert list(sorted(revisions)) == [1, 2]
    template = revisions[2]["spec"]["template"]["spec"]
    assert template["containers"][0]["image"] == "nginx:1.28"
    assert template["terminationGracePeriodSeconds"] == 10
    assert "readinessProbe" in template["containers"][0]
    assert revisions[1]["spec"]["replicas"] == 0
    assert revisions[2]["spec"]["replicas"] == 6
    assert progressing(demo)["reason"] == "NewReplicaSetAvailable"


def test_scaling_works_while_paused_and_keeps_the_revision(demo):
    act(demo, action="pause_rollout", deployment="web")
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    assert act(demo, action="scale", deployment="web", replicas=8) == "deployment.apps/web scaled"
    demo.step(20)
    (rs,) = replica_sets(demo, "web")
    assert rs["spec"]["replicas"] == 8
    assert len(pods(demo, "web")) == 8
    assert rs["metadata"]["annotations"][REVISION] == "1"


def test_a_paused_rollout_scales_proportionally_and_never_times_out(demo):
    act(demo, action="set_rollout", deployment="web", maxSurge=3, maxUnavailable=2)
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    for node in ("ship-1", "ship-2", "ship-3"):
        cordon(demo, node)
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(5)
    act(demo, action="pause_rollout", deployment="web")
    act(demo, action="scale", deployment="web", replicas=15)
    sizes = {rev: rs["spec"]["replicas"] for rev, rs in by_revision(demo).items()}
    assert sizes == {1: 11, 2: 7}
    demo.step(700)  # far past progressDeadlineSeconds (600)
    cond = progressing(demo)
    assert (cond["status"], cond["reason"]) == ("Unknown", "DeploymentPaused")
    act(demo, action="resume_rollout", deployment="web")
    cond = progressing(demo)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown",
        "DeploymentResumed",
        "Deployment is resumed",
    )
    demo.step(600)  # the deadline counts from the resume
    assert progressing(demo)["reason"] == "DeploymentResumed"
    demo.step(1)
    assert progressing(demo)["reason"] == "ProgressDeadlineExceeded"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            {"action": "rollback", "deployment": "web"},
            "you cannot rollback a paused deployment; resume it first with "
            "'kubectl rollout resume' and try again",
        ),
        (
            {"action": "restart_rollout", "deployment": "web"},
            'deployments.apps "web" can\'t restart paused deployment (run rollout resume first)',
        ),
        (
            {"action": "pause_rollout", "deployment": "web"},
            'deployments.apps "web" is already paused',
        ),
    ],
)
def test_a_paused_deployment_refuses_undo_restart_and_a_second_pause(demo, action, message):
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(30)
    act(demo, action="pause_rollout", deployment="web")
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError) as error:
        demo.apply(action)
    assert str(error.value) == message
    assert json.dumps(demo.to_state(), sort_keys=True) == before


def test_resume_of_a_running_deployment_is_refused(demo):
    with pytest.raises(ActionError, match=r'^deployments\.apps "web" is not paused$'):
        demo.apply({"action": "resume_rollout", "deployment": "web"})

"""Rollout actions: set_rollout validation, undo with --to-revision, restart, history limit,
grace periods and force deletion (DEP-2, DEP-3, DEP-8, DEP-9, DEP-10, POD-11, POD-12)."""

import json

import pytest

from cluster_sim import ActionError
from cluster_sim.actions import ACTION_NAMES, HANDLERS
from tests.cluster_sim.conftest import act, get, pods, replica_sets, terminating

REVISION = "deployment.kubernetes.io/revision"
HISTORY = "deployment.kubernetes.io/revision-history"


def by_revision(cluster, name="web"):
    return {int(rs["metadata"]["annotations"][REVISION]): rs for rs in replica_sets(cluster, name)}


def image_of(rs):
    return rs["spec"]["template"]["spec"]["containers"][0]["image"]


def three_revisions(demo):
    for image in ("nginx:1.28", "nginx:1.29"):
        act(demo, action="set_image", deployment="web", image=image)
        demo.step(60)
    assert sorted(by_revision(demo)) == [1, 2, 3]


def test_rollback_lives_in_the_rollout_module():
    from cluster_sim import rollout_actions

    assert HANDLERS["rollback"][0] is rollout_actions.rollback
    assert HANDLERS["rollback"][2] == ("to_revision",)
    for name in ("set_rollout", "pause_rollout", "resume_rollout", "restart_rollout"):
        assert name in ACTION_NAMES
    assert HANDLERS["delete_pod"][2] == ("grace_period", "force")


def test_undo_renumbers_1_2_3_into_1_3_4_with_revision_history(demo):
    three_revisions(demo)
    second = by_revision(demo)[2]["metadata"]["name"]
    assert act(demo, action="rollback", deployment="web") == "deployment.apps/web rolled back"
    demo.step(60)
    revisions = by_revision(demo)
    assert sorted(revisions) == [1, 3, 4]
    assert revisions[4]["metadata"]["name"] == second
    assert revisions[4]["metadata"]["annotations"][HISTORY] == "2"
    assert get(demo, "Deployment", "web")["metadata"]["annotations"][REVISION] == "4"
    assert all(p["metadata"]["name"].startswith(second) for p in pods(demo, "web"))


def test_undo_to_revision_1_then_back_to_4_grows_the_history(demo):
    three_revisions(demo)
    first = by_revision(demo)[1]["metadata"]["name"]
    assert (
        act(demo, action="rollback", deployment="web", to_revision=1)
        == "deployment.apps/web rolled back"
    )
    demo.step(60)
    revisions = by_revision(demo)
    assert sorted(revisions) == [2, 3, 4]
    assert revisions[4]["metadata"]["name"] == first
    assert image_of(revisions[4]) == "nginx:1.27"
    assert {p["spec"]["containers"][0]["image"] for p in pods(demo, "web")} == {"nginx:1.27"}
    act(demo, action="rollback", deployment="web", to_revision=2)
    demo.step(60)
    revisions = by_revision(demo)
    assert sorted(revisions) == [3, 4, 5]
    assert image_of(revisions[5]) == "nginx:1.28"
    assert revisions[5]["metadata"]["annotations"][HISTORY] == "2"
    act(demo, action="rollback", deployment="web", to_revision=4)
    demo.step(60)
    assert by_revision(demo)[6]["metadata"]["annotations"][HISTORY] == "1,4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"to_revision": 9}, "unable to find specified revision 9 in history"),
        ({"to_revision": -1}, "unable to find specified revision -1 in history"),
        ({"to_revision": "2"}, "to_revision must be a whole number"),
        ({"to_revision": True}, "to_revision must be a whole number"),
    ],
)
def test_undo_to_a_missing_revision_is_refused(demo, args, message):
    three_revisions(demo)
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError) as error:
        demo.apply({"action": "rollback", "deployment": "web", **args})
    assert str(error.value).startswith(message)
    assert json.dumps(demo.to_state(), sort_keys=True) == before


def test_undo_to_the_current_revision_is_skipped(demo):
    three_revisions(demo)
    assert act(demo, action="rollback", deployment="web", to_revision=3) == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)"
    )
    assert sorted(by_revision(demo)) == [1, 2, 3]


def test_undo_without_history(demo):
    with pytest.raises(ActionError, match=r'^no rollout history found for deployment "web"$'):
        demo.apply({"action": "rollback", "deployment": "web"})


def test_revision_history_limit_keeps_that_many_old_replica_sets(demo):
    assert (
        act(demo, action="set_rollout", deployment="web", revisionHistoryLimit=2)
        == "deployment.apps/web patched"
    )
    for minor in range(28, 33):
        act(demo, action="set_image", deployment="web", image=f"nginx:1.{minor}")
        demo.step(60)
    assert sorted(by_revision(demo)) == [4, 5, 6]  # 2 old + the current one
    act(demo, action="set_rollout", deployment="web", revisionHistoryLimit=0)
    act(demo, action="set_image", deployment="web", image="nginx:1.40")
    demo.step(60)
    assert sorted(by_revision(demo)) == [7]
    with pytest.raises(ActionError, match="no rollout history found"):
        demo.apply({"action": "rollback", "deployment": "web"})


def test_restart_stamps_the_template_and_rolls_out(demo):
    demo.step(50)
    assert act(demo, action="restart_rollout", deployment="web") == "deployment.apps/web restarted"
    web = get(demo, "Deployment", "web")
    stamp = web["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    assert stamp == "2026-01-01T00:01:00Z"
    demo.step(60)
    revisions = by_revision(demo)
    assert sorted(revisions) == [1, 2]
    assert revisions[2]["spec"]["replicas"] == 6
    assert all(
        p["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == stamp
        for p in pods(demo, "web")
    )


def test_set_rollout_changes_the_knobs_without_a_rollout(demo):
    message = act(
        demo,
        action="set_rollout",
        deployment="web",
        maxSurge=2,
        maxUnavailable="50%",
        minReadySeconds=5,
        progressDeadlineSeconds=120,
        revisionHistoryLimit=3,
    )
    assert message == "deployment.apps/web patched"
    spec = get(demo, "Deployment", "web")["spec"]
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 2, "maxUnavailable": "50%"},
    }
    assert (spec["minReadySeconds"], spec["progressDeadlineSeconds"]) == (5, 120)
    assert spec["revisionHistoryLimit"] == 3
    assert sorted(by_revision(demo)) == [1]
    assert by_revision(demo)[1]["spec"]["minReadySeconds"] == 5
    step = json.loads(
        get(demo, "Deployment", "web")["metadata"]["annotations"]["playground.k8s/rollout-step"]
    )
    assert (step["maxSurge"], step["maxUnavailable"], step["maxTotal"], step["minAvailable"]) == (
        2,
        3,
        8,
        3,
    )
    assert (
        act(demo, action="set_rollout", deployment="web", maxSurge=2)
        == "deployment.apps/web patched (no change)"
    )
    act(demo, action="set_rollout", deployment="web", strategy="Recreate")
    act(demo, action="set_rollout", deployment="web", strategy="RollingUpdate")
    assert get(demo, "Deployment", "web")["spec"]["strategy"]["rollingUpdate"] == {
        "maxSurge": "25%",
        "maxUnavailable": "25%",
    }


INVALID = 'The Deployment "web" is invalid: '


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"strategy": "BlueGreen"}, INVALID + 'spec.strategy.type: Unsupported value: "BlueGreen"'),
        (
            {"strategy": "Recreate", "maxSurge": 1},
            INVALID + "spec.strategy.rollingUpdate: Forbidden: may not be specified when "
            "strategy `type` is 'Recreate'",
        ),
        (
            {"maxSurge": -1},
            INVALID + "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater "
            "than or equal to 0",
        ),
        (
            {"maxUnavailable": "110%"},
            INVALID + "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not "
            "be greater than 100%",
        ),
        ({"maxSurge": "101%"}, INVALID + "spec.strategy.rollingUpdate.maxSurge: Invalid value"),
        ({"maxSurge": "ten"}, "a valid percent string must be a numeric string"),
        ({"maxSurge": 1.5}, "a valid percent string must be a numeric string"),
        (
            {"maxSurge": 0, "maxUnavailable": 0},
            INVALID + "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 "
            "when `maxSurge` is 0",
        ),
        (
            {"minReadySeconds": -1},
            INVALID + "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            {"minReadySeconds": 3601},
            INVALID + "spec.minReadySeconds: Invalid value: 3601: must be less than or equal to "
            "3600 (the playground's limit)",
        ),
        (
            {"minReadySeconds": 600},
            INVALID + "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than "
            "minReadySeconds",
        ),
        (
            {"minReadySeconds": 30, "progressDeadlineSeconds": 30},
            INVALID + "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than "
            "minReadySeconds",
        ),
        (
            {"revisionHistoryLimit": 51},
            INVALID + "spec.revisionHistoryLimit: Invalid value: 51: must be less than or equal "
            "to 50 (the playground's limit)",
        ),
        (
            {"revisionHistoryLimit": "3"},
            INVALID + 'spec.revisionHistoryLimit: Invalid value: "3": must be a whole number',
        ),
        (
            {"maxSurge": 101},
            INVALID + "spec.strategy.rollingUpdate.maxSurge: Invalid value: 101: must be less "
            "than or equal to 100 (the playground's limit)",
        ),
    ],
)
def test_set_rollout_refuses_invalid_specs_and_changes_nothing(demo, args, message):
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError) as error:
        demo.apply({"action": "set_rollout", "deployment": "web", **args})
    assert message in str(error.value)
    assert json.dumps(demo.to_state(), sort_keys=True) == before


def test_set_grace_period_is_a_template_change(demo):
    assert (
        act(demo, action="set_grace_period", deployment="web", seconds=5)
        == "deployment.apps/web patched"
    )
    demo.step(60)
    assert sorted(by_revision(demo)) == [1, 2]
    assert {p["spec"]["terminationGracePeriodSeconds"] for p in pods(demo, "web")} == {5}
    for bad in (-1, 301, "5", True):
        with pytest.raises(ActionError, match="seconds must be a whole number from 0 to 300"):
            demo.apply({"action": "set_grace_period", "deployment": "web", "seconds": bad})


def test_a_deleted_pod_is_replaced_at_once_and_vanishes_after_its_grace_period(demo):
    act(demo, action="set_grace_period", deployment="web", seconds=5)
    demo.step(60)
    victim = pods(demo, "web")[0]["metadata"]["name"]
    assert act(demo, action="delete_pod", name=victim) == f'pod "{victim}" deleted'
    pod = get(demo, "Pod", victim)
    assert terminating(pod)
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 5
    assert len(pods(demo, "web")) == 7  # POD-12: the replacement exists at once
    demo.step(4)
    assert get(demo, "Pod", victim) is not None
    demo.step(1)
    assert get(demo, "Pod", victim) is None
    assert len(pods(demo, "web")) == 6


def test_delete_with_a_grace_period_overrides_the_pods_own(demo):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    act(demo, action="delete_pod", name=victim, grace_period=3)
    assert get(demo, "Pod", victim)["metadata"]["deletionGracePeriodSeconds"] == 3
    demo.step(3)
    assert get(demo, "Pod", victim) is None


def test_grace_period_0_without_force_becomes_1(demo):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    assert act(demo, action="delete_pod", name=victim, grace_period=0) == f'pod "{victim}" deleted'
    assert get(demo, "Pod", victim)["metadata"]["deletionGracePeriodSeconds"] == 1


def test_force_delete_removes_the_pod_at_once_with_kubectls_warning(demo):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    message = act(demo, action="delete_pod", name=victim, grace_period=0, force=True)
    assert message == (
        "Warning: Immediate deletion does not wait for confirmation that the running resource "
        "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
        f'pod "{victim}" force deleted'
    )
    assert get(demo, "Pod", victim) is None
    assert len(pods(demo, "web")) == 6
    assert all(not terminating(p) for p in pods(demo, "web"))


def test_force_delete_of_a_terminating_pod_removes_it(demo):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    act(demo, action="delete_pod", name=victim)
    assert terminating(get(demo, "Pod", victim))
    act(demo, action="delete_pod", name=victim, force=True)
    assert get(demo, "Pod", victim) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"grace_period": -1}, "grace_period must be a whole number from 0 to 3600"),
        ({"grace_period": "5"}, "grace_period must be a whole number from 0 to 3600"),
        ({"force": "yes"}, "force must be true or false"),
        (
            {"force": True, "grace_period": 5},
            "--force and --grace-period greater than 0 cannot be specified together",
        ),
    ],
)
def test_delete_pod_refuses_bad_options(demo, args, message):
    victim = pods(demo, "web")[0]["metadata"]["name"]
    before = json.dumps(demo.to_state(), sort_keys=True)
    with pytest.raises(ActionError) as error:
        demo.apply({"action": "delete_pod", "name": victim, **args})
    assert str(error.value) == message
    assert json.dumps(demo.to_state(), sort_keys=True) == before

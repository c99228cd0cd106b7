"""RollingUpdate arithmetic with exact numbers (DEP-3, DEP-4, DEP-11, DEP-13)."""

import pytest

from cluster_sim import ActionError
from cluster_sim.controllers.deployment_util import resolve_fenceposts
from tests.cluster_sim.conftest import act, cordon, get, reasons, replica_sets

REVISION = "deployment.kubernetes.io/revision"


def by_revision(cluster, deployment="web"):
    return {
        int(rs["metadata"]["annotations"][REVISION]): rs for rs in replica_sets(cluster, deployment)
    }


def sizes(cluster, deployment="web"):
    return {
        rev: rs["spec"]["replicas"] for rev, rs in sorted(by_revision(cluster, deployment).items())
    }


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable"), [(10, 3, 2), (3, 1, 0), (1, 1, 0), (4, 1, 1)]
)
def test_the_documented_fenceposts_at_25_percent(replicas, surge, unavailable):
    d = {"spec": {"replicas": replicas, "strategy": {"rollingUpdate": {}}}}
    assert resolve_fenceposts(d) == (surge, unavailable)


def test_percentages_that_round_to_zero_are_accepted_and_unavailable_becomes_1(demo):
    """Only literal zeros are refused: 0% surge with 10% unavailable of 3 replicas (floor 0)
    resolves to surge 0, unavailable 1 (DEP-3)."""
    act(demo, action="scale", deployment="api", replicas=3)
    assert (
        act(demo, action="set_rollout", deployment="api", maxSurge="0%", maxUnavailable="10%")
        == "deployment.apps/api patched"
    )
    assert resolve_fenceposts(get(demo, "Deployment", "api")) == (0, 1)


def test_25_percent_of_10_never_passes_13_pods_or_drops_below_8_available(demo):
    """Checked after every single write: Σ RS spec.replicas ≤ 13 and Σ RS available ≥ 8; the
    first steps are new 3, old 8, new 5 (DEP-4)."""
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    demo.take_changes()
    seen = {"max_spec": 0, "min_available": 10, "available_pods": 10}

    def check(change, obj, before):
        web = [rs for rs in demo.store.list("ReplicaSet") if rs["metadata"]["name"][:4] == "web-"]
        seen["max_spec"] = max(seen["max_spec"], sum(rs["spec"]["replicas"] for rs in web))
        available = sum(rs["status"].get("availableReplicas", 0) for rs in web)
        seen["min_available"] = min(seen["min_available"], available)

    demo.store.listeners.append(check)
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    new = by_revision(demo)[2]["metadata"]["name"]
    old = by_revision(demo)[1]["metadata"]["name"]
    demo.step(60)
    _, events = demo.take_changes()
    scaling = [e["message"] for e in reasons(events, "ScalingReplicaSet")]
    assert scaling[:3] == [
        f"Scaled up replica set {new} from 0 to 3",
        f"Scaled down replica set {old} from 10 to 8",
        f"Scaled up replica set {new} from 3 to 5",
    ]
    assert seen["max_spec"] == 13
    assert seen["min_available"] == 8
    assert sizes(demo) == {1: 0, 2: 10}


@pytest.mark.parametrize(
    ("replicas", "steps", "settled"),
    [
        (10, [("up", 0, 3), ("down", 10, 8), ("up", 3, 5)], {1: 8, 2: 5}),
        (3, [("up", 0, 1)], {1: 3, 2: 1}),
        (1, [("up", 0, 1)], {1: 1, 2: 1}),
        (4, [("up", 0, 1), ("down", 4, 3), ("up", 1, 2)], {1: 3, 2: 2}),
    ],
)
def test_the_first_moment_of_each_fencepost_example(demo, replicas, steps, settled):
    """R=10 (surge 3, unavailable 2): new 3, old 8, new 5. R=3 and R=1 (surge 1,
    unavailable 0): one new pod, the old ones stay until it is available. R=4 (1, 1):
    new 1, old 3, new 2."""
    act(demo, action="scale", deployment="web", replicas=replicas)
    demo.step(10)
    demo.take_changes()
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    _, events = demo.take_changes()
    names = {
        1: by_revision(demo)[1]["metadata"]["name"],
        2: by_revision(demo)[2]["metadata"]["name"],
    }
    expected = [
        f"Scaled {way} replica set {names[2] if way == 'up' else names[1]} from {a} to {b}"
        for way, a, b in steps
    ]
    assert [e["message"] for e in reasons(events, "ScalingReplicaSet")] == expected
    assert sizes(demo) == settled
    demo.step(60)
    assert sizes(demo) == {1: 0, 2: replicas}


def test_both_zero_is_refused_with_the_api_message_and_changes_nothing(demo):
    before = get(demo, "Deployment", "web")
    for surge, unavailable, shown in ((0, 0, "0"), ("0%", "0%", "0%"), (0, "0%", "0%")):
        with pytest.raises(ActionError) as error:
            demo.apply(
                {
                    "action": "set_rollout",
                    "deployment": "web",
                    "maxSurge": surge,
                    "maxUnavailable": unavailable,
                }
            )
        assert str(error.value) == (
            'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: '
            f"Invalid value: {shown}: may not be 0 when `maxSurge` is 0"
        )
    assert get(demo, "Deployment", "web") == before


def test_proportional_scaling_of_a_stuck_rollout_follows_the_documented_example(demo):
    """R 10 (surge 3, unavailable 2) stuck at old 8 / new 5; scaled to 15 -> old 11 / new 7."""
    act(demo, action="set_rollout", deployment="web", maxSurge=3, maxUnavailable=2)
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    for node in ("ship-1", "ship-2", "ship-3"):
        cordon(demo, node)  # the new pods never start
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(5)
    assert sizes(demo) == {1: 8, 2: 5}
    act(demo, action="scale", deployment="web", replicas=15)
    assert sizes(demo) == {1: 11, 2: 7}
    assert get(demo, "Deployment", "web")["metadata"]["annotations"][REVISION] == "2"


def test_min_ready_seconds_counts_a_pod_available_only_strictly_after_it(demo):
    """DEP-11: Ready at t, minReadySeconds 10: not available at t + 10, available at t + 11."""
    act(demo, action="set_rollout", deployment="web", minReadySeconds=10)
    existing = {p["metadata"]["name"] for p in demo.store.list("Pod")}
    act(demo, action="scale", deployment="web", replicas=7)
    (rs,) = replica_sets(demo, "web")
    (name,) = [
        p["metadata"]["name"]
        for p in demo.store.list("Pod")
        if p["metadata"]["name"] not in existing
    ]
    ready_at = None
    for _ in range(30):
        demo.step(1)
        current = demo.store.get("Pod", name)
        ready = any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in current["status"].get("conditions", ())
        )
        if ready and ready_at is None:
            ready_at = demo.now
        if ready_at is not None and demo.now == ready_at + 10:
            assert (
                demo.store.get("ReplicaSet", rs["metadata"]["name"])["status"]["availableReplicas"]
                == 6
            )
        if ready_at is not None and demo.now == ready_at + 11:
            assert (
                demo.store.get("ReplicaSet", rs["metadata"]["name"])["status"]["availableReplicas"]
                == 7
            )
            return
    raise AssertionError("the pod never became available")

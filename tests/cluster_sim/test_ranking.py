"""Which pods a ReplicaSet deletes first (RS-3)."""

from cluster_sim.controllers.ranking import pods_to_delete
from cluster_sim.timestamps import rfc3339

NOW = 10_000.0


def make(uid, node="ship-1", phase="Running", ready_at=None, created=0.0, restarts=0, cost=None):
    conditions = []
    if ready_at is not None:
        conditions.append(
            {"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(ready_at)}
        )
    annotations = (
        {"controller.kubernetes.io/pod-deletion-cost": str(cost)} if cost is not None else {}
    )
    return {
        "metadata": {
            "name": uid,
            "uid": uid,
            "creationTimestamp": rfc3339(created),
            "annotations": annotations,
        },
        "spec": {"nodeName": node},
        "status": {
            "phase": phase,
            "conditions": conditions,
            "containerStatuses": [{"restartCount": restarts}],
        },
    }


def order(pods, related=None):
    return [p["metadata"]["uid"] for p in pods_to_delete(pods, related or pods, len(pods) - 1, NOW)]


def test_unassigned_pods_go_before_assigned_ones():
    pods = [make("a", ready_at=1), make("b", node="", phase="Pending"), make("c", ready_at=1)]
    assert order(pods)[0] == "b"


def test_pending_goes_before_unknown_before_running():
    pods = [make("run", ready_at=1), make("unk", phase="Unknown"), make("pend", phase="Pending")]
    assert order(pods) == ["pend", "unk"]


def test_not_ready_goes_before_ready():
    pods = [make("ready", ready_at=1), make("not-ready")]
    assert order(pods) == ["not-ready"]


def test_lower_deletion_cost_goes_first():
    pods = [
        make("cheap", ready_at=1, cost=-5),
        make("dear", ready_at=1, cost=100),
        make("plain", ready_at=1),
    ]
    assert order(pods) == ["cheap", "plain"]


def test_doubled_up_pods_go_first():
    pods = [
        make("alone", node="ship-1", ready_at=1),
        make("x", node="ship-2", ready_at=1),
        make("y", node="ship-2", ready_at=1),
    ]
    assert set(order(pods)) == {"x", "y"}


def test_rank_counts_the_whole_deployment_family_on_the_node():
    mine = [make("a", node="ship-1", ready_at=1), make("b", node="ship-2", ready_at=1)]
    family = [
        *mine,
        make("old-1", node="ship-2", ready_at=1),
        make("old-2", node="ship-2", ready_at=1),
    ]
    assert [p["metadata"]["uid"] for p in pods_to_delete(mine, family, 1, NOW)] == ["b"]


def test_more_recently_ready_goes_first_across_log2_buckets():
    pods = [make("old", ready_at=0), make("new", ready_at=9_990)]
    assert order(pods) == ["new"]


def test_same_log2_bucket_falls_back_to_uid_order():
    # 10 s and 12 s old are in the same floor(log2(ns)) bucket (33): the smaller UID goes first.
    pods = [make("b-uid", ready_at=NOW - 10), make("a-uid", ready_at=NOW - 12)]
    assert order(pods) == ["a-uid"]


def test_more_restarts_go_first():
    pods = [make("calm", ready_at=5), make("crashy", ready_at=5, restarts=4)]
    assert order(pods) == ["crashy"]


def test_newer_pods_go_first_when_nothing_else_differs():
    pods = [make("old", created=0), make("new", created=9_000)]
    assert order(pods) == ["new"]


def test_deleting_every_pod_needs_no_sorting():
    pods = [make("a", ready_at=1), make("b", node="", phase="Pending")]
    assert [p["metadata"]["uid"] for p in pods_to_delete(pods, pods, 2, NOW)] == ["a", "b"]

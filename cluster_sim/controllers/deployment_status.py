"""Deployment status and conditions (DEP-10, DEP-12): counts from ReplicaSets, Available,
Progressing (including the Unknown condition of a paused or resumed Deployment)."""

from ..podutil import get_condition
from ..store import clone
from ..timestamps import rfc3339, seconds_since_epoch
from . import deployment_util as util


def set_deployment_condition(status: dict, type_, state, reason, message, now) -> None:
    """SetDeploymentCondition: no change for the same status and reason; keep lastTransitionTime
    while the status stays the same."""
    conditions = status.setdefault("conditions", [])
    current = next((c for c in conditions if c["type"] == type_), None)
    if current is not None and current["status"] == state and current.get("reason") == reason:
        return
    stamp = rfc3339(now)
    condition = {
        "type": type_,
        "status": state,
        "lastUpdateTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }
    if current is not None and current["status"] == state:
        condition["lastTransitionTime"] = current["lastTransitionTime"]
    status["conditions"] = [c for c in conditions if c["type"] != type_] + [condition]


def calculate_status(cluster, d: dict, all_rs: list[dict], new_rs: dict | None) -> dict:
    available = sum(rs["status"].get("availableReplicas", 0) for rs in all_rs)
    total = sum(rs["spec"]["replicas"] for rs in all_rs)
    status = {
        "observedGeneration": d["metadata"].get("generation", 1),
        "replicas": sum(rs["status"].get("replicas", 0) for rs in all_rs),
        "updatedReplicas": new_rs["status"].get("replicas", 0) if new_rs is not None else 0,
        "readyReplicas": sum(rs["status"].get("readyReplicas", 0) for rs in all_rs),
        "availableReplicas": available,
        "unavailableReplicas": max(total - available, 0),
        "conditions": clone(d["status"].get("conditions", [])),
    }
    if "collisionCount" in d["status"]:
        status["collisionCount"] = d["status"]["collisionCount"]
    if available >= d["spec"]["replicas"] - util.max_unavailable(d):
        set_deployment_condition(
            status,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            cluster.now,
        )
    else:
        set_deployment_condition(
            status,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            cluster.now,
        )
    return status


def is_complete(d: dict, status: dict) -> bool:
    """DeploymentComplete: every replica updated and available, latest generation observed."""
    replicas = d["spec"]["replicas"]
    return (
        status.get("updatedReplicas") == replicas
        and status.get("replicas") == replicas
        and status.get("availableReplicas") == replicas
        and status.get("observedGeneration", 0) >= d["metadata"].get("generation", 1)
    )


def _progressing(old: dict, new: dict) -> bool:
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = new.get("replicas", 0) - new.get("updatedReplicas", 0)
    return (
        new.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
        or new_old < old_old
        or new.get("readyReplicas", 0) > old.get("readyReplicas", 0)
        or new.get("availableReplicas", 0) > old.get("availableReplicas", 0)
    )


def _timed_out(d, status, now) -> bool:
    cond = next((c for c in status.get("conditions", ()) if c["type"] == "Progressing"), None)
    if cond is None or cond.get("reason") == "NewReplicaSetAvailable":
        return False
    if cond.get("reason") == "ProgressDeadlineExceeded":
        return True
    deadline = d["spec"].get("progressDeadlineSeconds", 600)
    return seconds_since_epoch(cond["lastUpdateTime"]) + deadline < now


def sync_rollout_status(cluster, d: dict, all_rs: list[dict], new_rs: dict | None) -> None:
    """syncRolloutStatus: counts plus Progressing (complete, progressing or timed out)."""
    new = calculate_status(cluster, d, all_rs, new_rs)
    current = get_condition(d, "Progressing")
    complete_before = (
        new["replicas"] == new["updatedReplicas"]
        and current is not None
        and current.get("reason") == "NewReplicaSetAvailable"
    )
    name = new_rs["metadata"]["name"] if new_rs is not None else None
    if d["spec"].get("progressDeadlineSeconds") is not None and not complete_before:
        if is_complete(d, new):
            message = (
                f'ReplicaSet "{name}" has successfully progressed.'
                if name
                else f'Deployment "{d["metadata"]["name"]}" has successfully progressed.'
            )
            set_deployment_condition(
                new, "Progressing", "True", "NewReplicaSetAvailable", message, cluster.now
            )
        elif _progressing(d["status"], new):
            message = (
                f'ReplicaSet "{name}" is progressing.'
                if name
                else f'Deployment "{d["metadata"]["name"]}" is progressing.'
            )
            kept = (
                current["lastTransitionTime"] if current and current["status"] == "True" else None
            )
            new["conditions"] = [c for c in new["conditions"] if c["type"] != "Progressing"]
            set_deployment_condition(
                new, "Progressing", "True", "ReplicaSetUpdated", message, cluster.now
            )
            if kept:
                new["conditions"][-1]["lastTransitionTime"] = kept
        elif name and _timed_out(d, new, cluster.now):
            set_deployment_condition(
                new,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                f'ReplicaSet "{name}" has timed out progressing.',
                cluster.now,
            )
    d["status"] = new
    _requeue_stuck(cluster, d)


def _requeue_stuck(cluster, d: dict) -> None:
    """requeueStuckDeployment: look again right after the deadline would pass, so the timeout
    shows up on time instead of at the next periodic resync."""
    deadline = d["spec"].get("progressDeadlineSeconds")
    cond = get_condition(d, "Progressing")
    if deadline is None or cond is None or is_complete(d, d["status"]):
        return
    if cond.get("reason") in ("ProgressDeadlineExceeded", "NewReplicaSetAvailable"):
        return
    at = seconds_since_epoch(cond["lastUpdateTime"]) + deadline
    cluster.dirty.add_after("Deployment", d["metadata"]["uid"], at)


def check_paused_conditions(cluster, d: dict) -> None:
    """checkPausedConditions (DEP-10): Progressing=Unknown DeploymentPaused while paused, so the
    deadline is not checked; DeploymentResumed on resume, so the deadline counts from then.
    A reported timeout is never overwritten."""
    if d["spec"].get("progressDeadlineSeconds") is None:
        return
    cond = get_condition(d, "Progressing")
    if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
        return
    paused_shown = cond is not None and cond.get("reason") == "DeploymentPaused"
    status = d.setdefault("status", {})
    if d["spec"].get("paused") and not paused_shown:
        set_deployment_condition(
            status,
            "Progressing",
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused",
            cluster.now,
        )
    elif not d["spec"].get("paused") and paused_shown:
        set_deployment_condition(
            status,
            "Progressing",
            "Unknown",
            "DeploymentResumed",
            "Deployment is resumed",
            cluster.now,
        )

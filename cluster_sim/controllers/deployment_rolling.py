"""The two steps of a rolling-update sync (DEP-4) and history clean-up (DEP-9)."""

from ..timestamps import seconds_since_epoch
from . import deployment_util as util
from .deployment_scale import new_rs_new_replicas, scale_rs_and_record, spec_sum


def reconcile_new_rs(cluster, d, all_rs, new_rs) -> bool:
    replicas = d["spec"]["replicas"]
    if new_rs["spec"]["replicas"] == replicas:
        return False
    if new_rs["spec"]["replicas"] > replicas:
        return scale_rs_and_record(cluster, d, new_rs, replicas)
    return scale_rs_and_record(cluster, d, new_rs, new_rs_new_replicas(d, all_rs, new_rs))


def reconcile_old_rs(cluster, d, all_rs, old_active, new_rs) -> bool:
    if spec_sum(old_active) == 0:
        return False
    min_available = d["spec"]["replicas"] - util.max_unavailable(d)
    new_unavailable = new_rs["spec"]["replicas"] - new_rs["status"].get("availableReplicas", 0)
    max_scaled_down = spec_sum(all_rs) - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False
    cleaned = _cleanup_unhealthy(cluster, d, old_active, max_scaled_down)
    scaled = _scale_down_old(cluster, d, [*old_active, new_rs], old_active, min_available)
    return cleaned + scaled > 0


def _cleanup_unhealthy(cluster, d, old_active, max_cleanup) -> int:
    """Scale old ReplicaSets down by their unavailable replicas first, oldest first."""
    total = 0
    for rs in util.by_creation(old_active):
        if total >= max_cleanup:
            break
        replicas, available = rs["spec"]["replicas"], rs["status"].get("availableReplicas", 0)
        if replicas == 0 or replicas == available:
            continue
        count = min(max_cleanup - total, replicas - available)
        scale_rs_and_record(cluster, d, rs, replicas - count)
        total += count
    return total


def _scale_down_old(cluster, d, all_rs, old_active, min_available) -> int:
    available = sum(rs["status"].get("availableReplicas", 0) for rs in all_rs)
    if available <= min_available:
        return 0
    to_scale, total = available - min_available, 0
    for rs in util.by_creation(old_active):
        if total >= to_scale:
            break
        if rs["spec"]["replicas"] == 0:
            continue
        count = min(rs["spec"]["replicas"], to_scale - total)
        scale_rs_and_record(cluster, d, rs, rs["spec"]["replicas"] - count)
        total += count
    return total


def cleanup_history(cluster, d, old) -> None:
    """DEP-9: delete empty old ReplicaSets beyond revisionHistoryLimit, lowest revision first."""
    limit = d["spec"].get("revisionHistoryLimit")
    if limit is None:
        return
    alive = [rs for rs in old if not rs["metadata"].get("deletionTimestamp")]
    surplus = len(alive) - limit
    if surplus <= 0:
        return
    ordered = sorted(
        alive,
        key=lambda rs: (
            util.revision(rs),
            seconds_since_epoch(rs["metadata"]["creationTimestamp"]),
            rs["metadata"]["name"],
        ),
    )
    for rs in ordered[:surplus]:
        status = rs["status"]
        if status.get("replicas", 0) or rs["spec"]["replicas"]:
            continue
        if rs["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
            continue
        cluster.store.delete(rs)

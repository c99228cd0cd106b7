"""The Recreate strategy (DEP-7): every old pod stops before any new pod starts."""

from ..podutil import is_finished
from .deployment_rolling import cleanup_history
from .deployment_scale import active, all_of, scale_rs_and_record
from .deployment_status import is_complete, sync_rollout_status


def rollout_recreate(cluster, d, replica_sets, get_all_and_sync_revision) -> int:
    """rolloutRecreate: scale old ReplicaSets to 0; while any of their pods is not in a terminal
    phase (Terminating ones included) wait; then create the new ReplicaSet at full size.
    Returns how many old pods are still in the way (0 once the new ReplicaSet may run)."""
    # No new ReplicaSet yet: creating it now would start new pods next to old ones.
    new_rs, old = get_all_and_sync_revision(cluster, d, replica_sets, create=False)
    scaled_down = False
    for rs in active(old):
        scaled_down = scale_rs_and_record(cluster, d, rs, 0) or scaled_down
    in_the_way = old_pods_running(cluster, new_rs, old)
    if scaled_down or in_the_way:
        sync_rollout_status(cluster, d, all_of(old, new_rs), new_rs)
        return in_the_way
    if new_rs is None:
        new_rs, old = get_all_and_sync_revision(cluster, d, replica_sets, create=True)
    if new_rs is not None:
        scale_rs_and_record(cluster, d, new_rs, d["spec"]["replicas"])
    if is_complete(d, d["status"]):
        cleanup_history(cluster, d, old)
    sync_rollout_status(cluster, d, all_of(old, new_rs), new_rs)
    return 0


def old_pods_running(cluster, new_rs, old) -> int:
    """oldPodsRunning: old ReplicaSets still report replicas, or own pods that are Pending,
    Running or Unknown (being deleted or not). Returns the number of such pods."""
    reported = sum(rs["status"].get("replicas", 0) for rs in old)
    pods = [
        pod
        for rs in old
        if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]
        for pod in cluster.store.owned_by(rs["metadata"]["uid"], "Pod")
        if not is_finished(pod)
    ]
    return max(len(pods), reported)

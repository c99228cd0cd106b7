"""The API server's side of deleting a pod (POD-11): graceful on a node, at once otherwise."""

from .podutil import is_finished, is_terminating, set_condition
from .timestamps import rfc3339

DEFAULT_GRACE_SECONDS = 30
EVICTION = ("EvictionByEvictionAPI", "Eviction API: evicting")


def delete_pod(
    cluster,
    pod: dict,
    *,
    eviction: bool = False,
    disruption: tuple[str, str] | None = None,
    grace: int | None = None,
) -> None:
    """Mark a bound pod Terminating for its grace period; remove an unbound or finished one now.

    Setting deletionTimestamp is the whole of a graceful delete: the kubelet on the
    pod's node notices, stops the containers and finally removes the object.
    Deleting a pod that is already terminating changes nothing. disruption is the
    (reason, message) of the DisruptionTarget condition the deleter adds first;
    grace overrides the pod's terminationGracePeriodSeconds (0 removes it at once).
    """
    if is_terminating(pod):
        return
    if eviction:
        disruption = EVICTION
    if not pod["spec"].get("nodeName") or is_finished(pod) or grace == 0:
        cluster.store.delete(pod)
        return
    if grace is None:
        grace = pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS)
    with cluster.store.edit(pod):
        meta = pod["metadata"]
        # The API sets deletionTimestamp to the moment the grace period runs out.
        meta["deletionTimestamp"] = rfc3339(cluster.now + grace)
        meta["deletionGracePeriodSeconds"] = grace
        if disruption:
            reason, message = disruption
            set_condition(pod, "DisruptionTarget", "True", cluster.now, reason, message)

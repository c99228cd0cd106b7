"""DELETE as the API server does it, with background garbage collection of owned objects.

A Pod on a node is deleted gracefully (deletionTimestamp; the kubelet finishes it); a
Deployment takes its ReplicaSets and their Pods with it; a Node is drained first (the
playground's ship leaves the harbour as `remove_node` does); a Service takes its
EndpointSlices (and its traffic) with it.
"""

from .. import config_actions, hpa_actions, node_actions, service_actions
from ..deletion import delete_pod
from ..errors import ActionError
from ..store import clone
from .errors import ManifestError
from .read import entry_for, stored


def _collect(cluster, obj: dict) -> None:
    """Delete what obj controls (ReplicaSets, Pods), then obj: background propagation."""
    for child in cluster.store.owned_by(obj["metadata"]["uid"]):
        if child["kind"] == "Pod":
            delete_pod(cluster, child)
        elif child["kind"] == "ReplicaSet":
            _collect(cluster, child)
    cluster.store.delete(obj)


def delete_object(
    cluster, kind: str, name: str, namespace: str | None = "default", grace_period=None
) -> dict:
    """The object as the DELETE answers it: a copy with deletionTimestamp for a graceful pod
    delete, else the object as it was."""
    entry = entry_for(kind)
    kind = entry["kind"]
    if not entry["writable"] or kind == "Namespace":
        raise ManifestError(
            f'{entry["plural"]} "{name}" is forbidden: '
            f"the playground does not delete {entry['plural']}",
            403,
            "Forbidden",
        )
    obj = stored(cluster, entry, name, namespace)
    if grace_period is not None and (
        isinstance(grace_period, bool) or not isinstance(grace_period, int) or grace_period < 0
    ):
        raise ManifestError("gracePeriodSeconds must be a whole number >= 0", 400, "BadRequest")
    before = clone(obj)
    try:
        if kind == "Pod":
            delete_pod(cluster, obj, grace=grace_period)
            after = cluster.store.get("Pod", name)
            return (
                clone(after)
                if after is not None and after["metadata"]["uid"] == before["metadata"]["uid"]
                else before
            )
        if kind == "Node":
            node_actions.remove_node(cluster, name)
        elif kind == "Service":
            service_actions.delete_service(cluster, name)
        elif kind == "ConfigMap":
            config_actions.delete_configmap(cluster, name)
        elif kind == "Secret":
            config_actions.delete_secret(cluster, name)
        elif kind == "HorizontalPodAutoscaler":
            hpa_actions.delete_hpa(cluster, name)
        elif kind == "PodDisruptionBudget":
            node_actions.delete_pdb(cluster, name)
        else:  # Deployment, ReplicaSet, PriorityClass
            _collect(cluster, obj)
    except ActionError as error:
        if isinstance(error, ManifestError):
            raise
        raise ManifestError(str(error), 409, "Conflict") from None
    after = cluster.store.get(kind, name)
    return clone(after) if after is not None else before

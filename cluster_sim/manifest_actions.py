"""Manifest actions: kubectl apply/create/replace -f, delete and patch of any kind the
playground serves (cluster_sim/manifests does the work; nothing of a refused list changes)."""

from .errors import ActionError
from .manifests.apply import apply_documents
from .manifests.delete import delete_object
from .manifests.kinds import resource_name
from .manifests.read import entry_for
from .manifests.update import PATCH_TYPES, patch_object


def apply_manifest(cluster, documents, mode="apply") -> str:
    """kubectl apply -f (mode apply), create -f, replace -f: one line per document."""
    if not isinstance(documents, list):
        raise ActionError("documents must be a list of Kubernetes objects")
    return "\n".join(apply_documents(cluster, documents, mode=mode))


def delete_object_action(cluster, kind, name, namespace=None) -> str:
    """kubectl delete KIND NAME: `deployment.apps "web" deleted`."""
    if not isinstance(name, str) or not name:
        raise ActionError("name must be a non-empty string")
    entry = entry_for(kind) if isinstance(kind, str) else None
    if entry is None:
        raise ActionError("kind must be a kind such as Deployment, deploy or deployments.apps")
    delete_object(cluster, entry["kind"], name, namespace)
    return f'{resource_name(entry)} "{name}" deleted'


def patch_object_action(cluster, kind, name, patch, patchType="strategic", namespace=None) -> str:
    """kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]."""
    if patchType not in PATCH_TYPES:
        raise ActionError(f"patchType must be one of {', '.join(PATCH_TYPES)}")
    if not isinstance(name, str) or not name:
        raise ActionError("name must be a non-empty string")
    entry = entry_for(kind) if isinstance(kind, str) else None
    if entry is None:
        raise ActionError("kind must be a kind such as Deployment, deploy or deployments.apps")
    before = cluster.store.get(entry["kind"], name)
    version = before["metadata"]["resourceVersion"] if before else None
    after = patch_object(cluster, entry["kind"], name, namespace, patch, patchType)
    if after["metadata"]["resourceVersion"] == version:
        return f"{resource_name(entry)}/{name} patched (no change)"
    return f"{resource_name(entry)}/{name} patched"


HANDLERS: dict = {
    "apply_manifest": (apply_manifest, ("documents",), ("mode",)),
    "delete_object": (delete_object_action, ("kind", "name"), ("namespace",)),
    "patch_object": (patch_object_action, ("kind", "name", "patch"), ("patchType", "namespace")),
}

"""Helpers every action module shares: typed-argument checks, lookups, spec edits.

A change goes through change_spec so metadata.generation moves as the API server moves it.
"""

from . import validation
from .errors import ActionError
from .store import clone


def text(value, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ActionError(f"{what} must be a non-empty string")
    return value


def find_pod(cluster, name) -> dict:
    return validation.existing(cluster, "Pod", name, "pods")


def find_deployment(cluster, name) -> dict:
    return validation.existing(cluster, "Deployment", name, "deployments.apps", "deployment")


def patch_template(cluster, deployment: dict, field: str, value) -> str:
    """kubectl patch of one pod-template field (None removes it): a new template rolls out."""

    def change(spec):
        pod_spec = spec["template"]["spec"]
        if value is None:
            pod_spec.pop(field, None)
        else:
            pod_spec[field] = value

    return patch_spec(cluster, deployment, change)


def patch_spec(cluster, deployment: dict, change) -> str:
    """kubectl patch of a Deployment's spec; kubectl's answer says when nothing changed."""
    changed = change_spec(cluster, deployment, change)
    name = deployment["metadata"]["name"]
    return f"deployment.apps/{name} patched" + ("" if changed else " (no change)")


def change_spec(cluster, deployment: dict, change) -> bool:
    """Edit a Deployment's spec; the API server bumps metadata.generation when the spec changes.
    Returns whether it changed."""
    spec = clone(deployment["spec"])
    change(spec)
    if spec == deployment["spec"]:
        return False
    with cluster.store.edit(deployment):
        deployment["spec"] = spec
        deployment["metadata"]["generation"] = deployment["metadata"].get("generation", 1) + 1
    return True

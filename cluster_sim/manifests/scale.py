"""The scale subresource of Deployments (autoscaling/v1 Scale), as `kubectl scale` and the
HorizontalPodAutoscaler see it."""

from ..store import clone
from .errors import ManifestError
from .kinds import KINDS
from .patch import json_patch, merge_patch, strategic_merge
from .read import stored
from .update import patch_object


def _selector_text(deployment: dict) -> str:
    labels = deployment["spec"]["selector"].get("matchLabels") or {}
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items()))


def get_scale(cluster, name: str, namespace: str | None = "default") -> dict:
    deployment = stored(cluster, KINDS["Deployment"], name, namespace)
    meta = deployment["metadata"]
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": name,
            "namespace": meta["namespace"],
            "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"],
            "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": {"replicas": deployment["spec"]["replicas"]},
        "status": {
            "replicas": deployment.get("status", {}).get("replicas", 0),
            "selector": _selector_text(deployment),
        },
    }


def patch_scale(cluster, name: str, namespace, patch, patch_type: str = "merge") -> dict:
    """PATCH deployments/NAME/scale (kubectl scale sends a merge patch, the Python client a
    strategic one); PUT is patch_type "replace" with a whole Scale. Returns the new Scale."""
    scale = get_scale(cluster, name, namespace)
    if patch_type == "merge":
        wanted = merge_patch(scale, patch)
    elif patch_type == "strategic":
        wanted = strategic_merge(scale, patch)
    elif patch_type == "json":
        wanted = json_patch(scale, patch)
    elif patch_type == "replace":
        wanted = clone(patch)
        version = (wanted.get("metadata") or {}).get("resourceVersion")
        if version and version != scale["metadata"]["resourceVersion"]:
            from .apply import conflict

            raise conflict(KINDS["Deployment"], name)
    else:
        raise ManifestError(f"unsupported patch type {patch_type!r}", 415, "UnsupportedMediaType")
    replicas = (wanted.get("spec") or {}).get("replicas")
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        raise ManifestError(
            'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal '
            "into Go struct field ScaleSpec.spec.replicas of type int32",
            400,
            "BadRequest",
        )
    if replicas < 0:
        raise ManifestError(
            f'Scale.autoscaling "{name}" is invalid: spec.replicas: Invalid value: {replicas}: '
            "must be greater than or equal to 0",
            422,
            "Invalid",
        )
    patch_object(cluster, "Deployment", name, namespace, {"spec": {"replicas": replicas}}, "merge")
    return get_scale(cluster, name, namespace)

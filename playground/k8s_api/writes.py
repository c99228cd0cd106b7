"""create (POST), replace (PUT), patch (PATCH), delete (DELETE) and the scale subresource.

Each write is one function of the cluster run by playground.services.perform_api_write:
under the playground's lock, load, change, reconcile, save, broadcast, so browsers see it
live like a click. dryRun=All runs the same change on a copy and saves nothing."""

from cluster_sim import ActionError, Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.read import get_object
from playground import services

from .reads import load
from .status import ApiError, not_found

PATCH_TYPES = {
    "application/strategic-merge-patch+json": "strategic",
    "application/merge-patch+json": "merge",
    "application/json-patch+json": "json",
    "application/apply-patch+yaml": "apply",
}


def run_write(playground_id: str, change, dry_run: bool):
    """change(cluster) -> result; engine refusals become Status errors."""
    try:
        if dry_run:
            _, cluster = load(playground_id)
            return change(cluster)
        return services.perform_api_write(playground_id, change)
    except ManifestError as exc:
        raise ApiError(exc.code, exc.reason, exc.message, exc.details) from exc
    except ActionError as exc:
        raise ApiError(422, "Invalid", str(exc)) from exc
    except services.PlaygroundBusy as exc:
        raise ApiError(429, "TooManyRequests", str(exc), {"retryAfterSeconds": 1}) from exc
    except services.PlaygroundMissing as exc:
        raise ApiError(404, "NotFound", str(exc)) from exc


def _stored(cluster: Cluster, target, name: str) -> dict:
    found = get_object(cluster, target.entry["kind"], name, target.namespace)
    if found is None:
        raise not_found(target.entry["plural"], target.entry["group"], name)
    return found


def _check_body(target, body, name: str | None) -> dict:
    entry = target.entry
    if not isinstance(body, dict):
        raise ApiError(400, "BadRequest", "the request body must be a JSON object")
    body.setdefault("apiVersion", entry["apiVersion"])
    body.setdefault("kind", entry["kind"])
    if body["kind"] != entry["kind"] or body["apiVersion"] != entry["apiVersion"]:
        raise ApiError(
            400,
            "BadRequest",
            f"the API version in the data ({body['apiVersion']}) does not match the expected "
            f"API version ({entry['apiVersion']}) or kind {body['kind']} is not {entry['kind']}",
        )
    meta = body.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise ApiError(400, "BadRequest", "metadata must be an object")
    if entry["namespaced"]:
        given = meta.get("namespace")
        if given and target.namespace and given != target.namespace:
            raise ApiError(
                400,
                "BadRequest",
                "the namespace of the provided object does not match the namespace sent on "
                "the request",
            )
        meta["namespace"] = given or target.namespace or "default"
    if name is not None and meta.get("name", name) != name:
        raise ApiError(
            400,
            "BadRequest",
            "the name of the object "
            f"({meta.get('name')}) does not match the name on the URL ({name})",
        )
    if name is not None:
        meta["name"] = name
    return body


def _conflict(target, name: str) -> ApiError:
    entry = target.entry
    resource = f"{entry['plural']}.{entry['group']}" if entry["group"] else entry["plural"]
    return ApiError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {resource} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again",
        {"name": name, "group": entry["group"], "kind": entry["plural"]},
    )


def create(playground_id, target, body, dry_run=False) -> dict:
    from cluster_sim.manifests.apply import apply_documents

    body = _check_body(target, body, None)
    if not body["metadata"].get("name"):
        if body["metadata"].get("generateName"):
            raise ApiError(
                422, "Invalid", "metadata.generateName is not supported here; give a name"
            )
        raise ApiError(
            422, "Invalid", f'{target.entry["kind"]} "" is invalid: metadata.name: Required value'
        )

    def change(cluster):
        apply_documents(cluster, [body], mode="create")
        return _stored(cluster, target, body["metadata"]["name"])

    return run_write(playground_id, change, dry_run)


def replace(playground_id, target, body, dry_run=False) -> dict:
    from cluster_sim.manifests.apply import apply_documents

    body = _check_body(target, body, target.name)
    wanted_rv = body["metadata"].get("resourceVersion")

    def change(cluster):
        current = _stored(cluster, target, target.name)
        if wanted_rv and wanted_rv != current["metadata"]["resourceVersion"]:
            raise _conflict(target, target.name)
        apply_documents(cluster, [body], mode="replace")
        return _stored(cluster, target, target.name)

    return run_write(playground_id, change, dry_run)


def patch(playground_id, target, patch_body, patch_type: str, dry_run=False) -> dict:
    from cluster_sim.manifests.apply import apply_documents

    from cluster_sim.manifests.patch import patch_object

    kind, name, namespace = target.entry["kind"], target.name, target.namespace

    def change(cluster):
        if patch_type == "apply":
            # Server-side apply, simplified: the intent is merged into what is stored
            # (no managedFields, no conflicts), or created when absent.
            intent = _check_body(target, patch_body, name)
            if get_object(cluster, kind, name, namespace) is None:
                apply_documents(cluster, [intent], mode="create")
            else:
                patch_object(cluster, kind, name, namespace, intent, "merge")
        else:
            _stored(cluster, target, name)
            patch_object(cluster, kind, name, namespace, patch_body, patch_type)
        return _stored(cluster, target, name)

    return run_write(playground_id, change, dry_run)


def delete(playground_id, target, grace_period: int | None, dry_run=False) -> dict:
    from cluster_sim.manifests.delete import delete_object

    def change(cluster):
        _stored(cluster, target, target.name)
        return delete_object(
            cluster, target.entry["kind"], target.name, target.namespace, grace_period=grace_period
        )

    return run_write(playground_id, change, dry_run)


# deployments/{name}/scale (autoscaling/v1 Scale)


def scale_of(deployment: dict) -> dict:
    meta = deployment["metadata"]
    labels = (deployment["spec"].get("selector") or {}).get("matchLabels") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"],
            "namespace": meta.get("namespace", "default"),
            "uid": meta.get("uid"),
            "resourceVersion": meta.get("resourceVersion"),
            "creationTimestamp": meta.get("creationTimestamp"),
        },
        "spec": {"replicas": deployment["spec"].get("replicas", 1)},
        "status": {
            "replicas": deployment.get("status", {}).get("replicas", 0),
            "selector": ",".join(f"{k}={v}" for k, v in labels.items()),
        },
    }


def _replicas_of(scale: dict) -> int:
    replicas = (scale.get("spec") or {}).get("replicas")
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
        raise ApiError(
            422,
            "Invalid",
            f'Scale.autoscaling "{scale.get("metadata", {}).get("name", "")}" is invalid: '
            f"spec.replicas: Invalid value: {replicas!r}: must be greater than or equal to 0",
        )
    return replicas


def write_scale(playground_id, target, body, patch_type: str | None, dry_run=False) -> dict:
    """PUT (patch_type None) or PATCH the Scale; the deployment's spec.replicas changes."""
    from cluster_sim.manifests.patch import json_patch, merge_patch, patch_object

    kind, name, namespace = target.entry["kind"], target.name, target.namespace

    def change(cluster):
        deployment = _stored(cluster, target, name)
        scale = scale_of(deployment)
        if patch_type is None:
            wanted_rv = ((body or {}).get("metadata") or {}).get("resourceVersion")
            if wanted_rv and wanted_rv != scale["metadata"]["resourceVersion"]:
                raise _conflict(target, name)
            new = body
        elif patch_type == "json":
            new = json_patch(scale, body)
        else:
            new = merge_patch(scale, body)
        if not isinstance(new, dict):
            raise ApiError(400, "BadRequest", "the Scale must be a JSON object")
        replicas = _replicas_of(new)
        patch_object(cluster, kind, name, namespace, {"spec": {"replicas": replicas}}, "merge")
        return scale_of(_stored(cluster, target, name))

    return run_write(playground_id, change, dry_run)

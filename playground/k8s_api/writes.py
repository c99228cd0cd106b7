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
from .timeshift import offset_for, shift

PATCH_TYPES = {
    "application/strategic-merge-patch+json": "strategic",
    "application/merge-patch+json": "merge",
    "application/json-patch+json": "json",
    "application/apply-patch+yaml": "apply",
}


def run_write(playground_id: str, change, dry_run: bool, inputs=()):
    """change(cluster) -> result; engine refusals become Status errors. The inputs (request
    bodies) have their timestamps moved to the simulated clock first, the result back to
    the wall clock (timeshift.py)."""

    def timed(cluster):
        offset = offset_for(cluster.now, playground_id)
        for body in inputs:
            shift(body, -offset)
        return shift(change(cluster), offset)

    try:
        if dry_run:
            _, cluster = load(playground_id)
            return timed(cluster)
        return services.perform_api_write(playground_id, timed)
    except ManifestError as exc:
        # apply_documents names the document for the console; the API server does not.
        message = getattr(exc, "server_message", exc.message)
        raise ApiError(exc.code, exc.reason, message, exc.details) from exc
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

    return run_write(playground_id, change, dry_run, [body])


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

    return run_write(playground_id, change, dry_run, [body])


def patch(playground_id, target, patch_body, patch_type: str, dry_run=False) -> dict:
    from cluster_sim.manifests.apply import apply_documents
    from cluster_sim.manifests.update import patch_object

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

    return run_write(playground_id, change, dry_run, [patch_body])


def delete(playground_id, target, grace_period: int | None, dry_run=False) -> dict:
    from cluster_sim.manifests.delete import delete_object

    def change(cluster):
        _stored(cluster, target, target.name)
        return delete_object(
            cluster, target.entry["kind"], target.name, target.namespace, grace_period=grace_period
        )

    return run_write(playground_id, change, dry_run)


# deployments/{name}/scale (autoscaling/v1 Scale)


def read_scale(cluster, target) -> dict:
    from cluster_sim.manifests.scale import get_scale

    try:
        return get_scale(cluster, target.name, target.namespace)
    except ManifestError as exc:
        raise ApiError(exc.code, exc.reason, exc.message, exc.details) from exc


def write_scale(playground_id, target, body, patch_type: str, dry_run=False) -> dict:
    """PUT (patch_type "replace", a whole Scale) or PATCH the Scale; the Deployment's
    spec.replicas changes and the new Scale is the answer."""
    from cluster_sim.manifests.scale import patch_scale

    def change(cluster):
        return patch_scale(cluster, target.name, target.namespace, body, patch_type)

    return run_write(playground_id, change, dry_run, [body])


def evict(playground_id, target, body, dry_run=False) -> dict:
    """POST pods/{name}/eviction (kubectl drain): granted unless a PodDisruptionBudget
    forbids it, which is a 429 the client retries, as the API server answers."""
    from cluster_sim import disruption

    def change(cluster):
        pod = _stored(cluster, target, target.name)
        live = cluster.store.get("Pod", target.name, target.namespace or "default")
        refusal = disruption.evict(cluster, live)
        if refusal:
            raise ApiError(
                429,
                "TooManyRequests",
                refusal,
                {"causes": [{"reason": "DisruptionBudget", "message": refusal}]},
            )
        return pod

    run_write(playground_id, change, dry_run)
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "code": 201,
    }

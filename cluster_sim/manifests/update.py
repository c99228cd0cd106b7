"""PATCH of a stored object: the patched object is checked and written like an applied
manifest (strict fields, defaults, validation), so `kubectl patch`/`set image`/`rollout
restart`/`rollout undo` behave like the actions that do the same."""

from ..store import clone
from . import apply as apply_module
from .errors import ManifestError
from .patch import json_patch, merge_patch, strategic_merge
from .read import entry_for, stored

PATCH_TYPES = ("strategic", "merge", "json")
METADATA_ONLY = ("Pod", "ReplicaSet")  # the controllers own these; users may label/annotate


def patch_object(
    cluster,
    kind: str,
    name: str,
    namespace,
    patch,
    patch_type: str = "strategic",
    *,
    dry_run: bool = False,
) -> dict:
    """Apply the patch; the stored object (a copy). ManifestError and no change otherwise.
    dry_run: the object as it would be stored, nothing changes."""
    if dry_run:
        from ..cluster import Cluster

        trial = Cluster.from_state(cluster.to_state())
        return patch_object(trial, kind, name, namespace, patch, patch_type)
    entry = entry_for(kind)
    kind = entry["kind"]
    if patch_type not in PATCH_TYPES:
        raise ManifestError(
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json-patch+json, application/merge-patch+json, "
            "application/strategic-merge-patch+json",
            415,
            "UnsupportedMediaType",
        )
    current = stored(cluster, entry, name, namespace)
    if patch_type == "strategic":
        patched = strategic_merge(current, patch, kind)
    elif patch_type == "merge":
        if not isinstance(patch, dict):
            raise ManifestError(
                "the body of a merge patch must be a JSON object", 400, "BadRequest"
            )
        patched = merge_patch(current, patch)
    else:
        patched = json_patch(current, patch)
    if not isinstance(patched, dict):
        raise ManifestError("the patched object is not an object", 422, "Invalid")
    meta = patched.get("metadata")
    if not isinstance(meta, dict) or meta.get("name") != name or patched.get("kind") != kind:
        raise ManifestError(
            f'{apply_module.group_kind(entry)} "{name}" is invalid: metadata.name: Invalid value: '
            f'"{meta.get("name") if isinstance(meta, dict) else None}": field is immutable',
            422,
            "Invalid",
        )
    version = meta.get("resourceVersion")
    if version and version != current["metadata"]["resourceVersion"]:
        raise apply_module.conflict(entry, name)
    raw = patched
    entry, patched = apply_module.decode(patched, entry)
    if kind in METADATA_ONLY:
        _patch_metadata(cluster, entry, current, raw)
    else:
        apply_module.write_document(cluster, entry, patched, "update")
    return clone(cluster.store.get(kind, name))


def _patch_metadata(cluster, entry: dict, current: dict, patched: dict) -> None:
    rest = {k: v for k, v in patched.items() if k != "metadata"}
    if rest != {k: v for k, v in current.items() if k != "metadata"}:
        raise ManifestError(
            f"{entry['plural']} are owned by their controllers in the playground: only "
            "metadata.labels and metadata.annotations may be patched",
            422,
            "Invalid",
        )
    from .writers import label_errors

    errors = label_errors("metadata.labels", patched["metadata"].get("labels"))
    if errors:
        raise apply_module._invalid(entry, current["metadata"]["name"], errors)
    with cluster.store.edit(current):
        for field in ("labels", "annotations"):
            if patched["metadata"].get(field):
                current["metadata"][field] = dict(patched["metadata"][field])
            else:
                current["metadata"].pop(field, None)

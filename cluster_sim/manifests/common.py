"""What every kind's writer shares: field errors, metadata of new and updated objects,
the store write that says whether anything changed."""

import json

from .. import validation
from ..errors import ActionError
from ..names import generate_name
from ..objects import metadata
from ..store import clone

MAX_REPLICAS = 50  # the playground's limit, as for `scale`
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


class Invalid(Exception):
    """Field errors of one object (the API server's 422)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def quote(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def int_or_percent_errors(path: str, value) -> list[str]:
    try:
        validation.int_or_percent(value, path)
    except ActionError:
        return [
            f"{path}: Invalid value: {quote(value)}: a valid percent string must be a numeric "
            "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
            "is '[0-9]+%')"
        ]
    return []


def label_errors(path: str, labels) -> list[str]:
    errors = []
    for key, value in (labels or {}).items():
        try:
            validation.label_key(key)
        except ActionError as error:
            errors.append(f"{path}: Invalid value: {quote(key)}: {error}")
        try:
            validation.label_value(value)
        except ActionError as error:
            errors.append(f"{path}: Invalid value: {quote(value)}: {error}")
    return errors


def labels_text(labels: dict) -> str:
    """Go's %#v of a map[string]string, as immutability errors print it."""
    inner = ", ".join(f"{quote(k)}:{quote(v)}" for k, v in sorted(labels.items()))
    return "map[string]string{" + inner + "}"


# Shared metadata handling


def fresh_metadata(cluster, doc: dict, entry: dict, **fields) -> dict:
    meta = doc.get("metadata") or {}
    return metadata(
        cluster,
        meta["name"],
        namespaced=entry["namespaced"],
        labels=dict(meta["labels"]) if meta.get("labels") else None,
        annotations=dict(meta.get("annotations") or {}),
        **fields,
    )


def updated_metadata(current: dict, doc: dict) -> dict:
    """The stored metadata with the document's labels and annotations (system fields kept)."""
    meta = clone(current["metadata"])
    wanted = doc.get("metadata") or {}
    for field in ("labels", "annotations"):
        if wanted.get(field):
            meta[field] = dict(wanted[field])
        elif field == "annotations" and "annotations" in meta:
            meta["annotations"] = {}
        else:
            meta.pop(field, None)
    if "finalizers" in wanted:
        meta["finalizers"] = wanted["finalizers"]
    return meta


def store_write(cluster, current: dict | None, new: dict) -> bool:
    """Create new, or make current equal to new (in place: the store keeps that dict)."""
    if current is None:
        cluster.store.create(new)
        return True
    if new == current:
        return False
    with cluster.store.edit(current):
        current.clear()
        current.update(new)
    return True


def bump_generation(current: dict, new: dict, fields=("spec",)) -> None:
    if any(new.get(field) != current.get(field) for field in fields):
        new["metadata"]["generation"] = current["metadata"].get("generation", 1) + 1


def generated_name(cluster, kind: str, base: str) -> str:
    name = generate_name(base, cluster.rng)
    while cluster.store.get(kind, name) is not None:
        name = generate_name(base, cluster.rng)
    return name

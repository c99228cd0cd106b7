"""Reading objects as the API server serves them: get one, list with label/field selectors.

Events come from the event recorder (they are not in the store); Namespaces are the
fixed four every cluster has (the playground keeps everything in `default`).
"""

from ..store import clone
from ..timestamps import rfc3339
from .errors import ManifestError, not_found
from .kinds import KINDS, kind_for
from .selectors import fields_match, labels_match, parse_fields, parse_labels

NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def namespace_object(name: str) -> dict:
    """A built-in Namespace (Active, created with the cluster; a stable uid from its name)."""
    digest = sum(ord(c) * 31**i for i, c in enumerate(name)) % 16**12
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "uid": f"00000000-0000-4000-8000-{digest:012x}",
            "resourceVersion": "1",
            "creationTimestamp": rfc3339(0),
            "labels": {"kubernetes.io/metadata.name": name},
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def entry_for(kind: str) -> dict:
    entry = KINDS.get(kind) or kind_for(kind)
    if entry is None:
        raise ManifestError("the server could not find the requested resource", 404, "NotFound")
    return entry


def stored(cluster, entry: dict, name: str, namespace: str | None) -> dict:
    """The live object a write names, or the API's 404 (the playground has one namespace)."""
    obj = cluster.store.get(entry["kind"], name)
    if obj is None or (entry["namespaced"] and namespace not in (None, "", "default")):
        raise not_found(entry, name)
    return obj


def _all_of(cluster, kind: str) -> list[dict]:
    """Live objects of a kind (not copies)."""
    if kind == "Namespace":
        return [namespace_object(name) for name in NAMESPACES]
    if kind == "Event":
        return list(cluster.recorder.recent)
    return cluster.store.list(kind)


def get_object(cluster, kind: str, name: str, namespace: str | None = "default") -> dict | None:
    """A copy of the object, or None. Cluster-scoped kinds ignore the namespace."""
    entry = entry_for(kind)
    kind = entry["kind"]
    if kind in ("Namespace", "Event"):
        found = next(
            (
                obj
                for obj in _all_of(cluster, kind)
                if obj["metadata"]["name"] == name
                and (kind == "Namespace" or namespace in (None, obj["metadata"].get("namespace")))
            ),
            None,
        )
    elif entry["namespaced"]:
        found = cluster.store.get(kind, name, namespace or "default")
    else:
        found = cluster.store.get(kind, name)
    return clone(found) if found is not None else None


def list_objects(
    cluster,
    kind: str,
    namespace: str | None = None,
    label_selector: str = "",
    field_selector: str = "",
) -> list[dict]:
    """Copies of the matching objects, sorted by namespace and name as the API lists them.
    namespace None (or "") lists every namespace."""
    entry = entry_for(kind)
    kind = entry["kind"]
    labels = parse_labels(label_selector)
    fields = parse_fields(field_selector, kind)
    found = []
    for obj in _all_of(cluster, kind):
        meta = obj["metadata"]
        if entry["namespaced"] and namespace and meta.get("namespace", "default") != namespace:
            continue
        if labels and not labels_match(meta.get("labels"), labels):
            continue
        if fields and not fields_match(obj, fields):
            continue
        found.append(obj)
    if kind != "Event":  # Events are listed oldest first, as they were recorded
        found.sort(key=lambda obj: (obj["metadata"].get("namespace", ""), obj["metadata"]["name"]))
    return clone(found)

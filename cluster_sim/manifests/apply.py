"""kubectl apply / create / replace of a list of manifests (documents).

Every document is checked first (kind, strict fields and types, names) and the whole list
is then tried on a copy of the cluster, so a list with one bad document changes nothing;
only then is it applied for real. `apply` keeps kubectl's last-applied-configuration
annotation and merges like kubectl's client-side apply: the three-way strategic merge
patch from the last applied manifest to this one, applied to the live object.
"""

import datetime
import json

from ..errors import ActionError
from ..store import clone
from . import schema
from .errors import ManifestError
from .kinds import KINDS, kind_for_api, qualified_plural, resource_name
from .patch import strategic_merge, three_way_patch
from .read import NAMESPACES
from .writers import LAST_APPLIED, WRITERS, Invalid, generated_name, label_errors

MODES = ("apply", "create", "replace")
SUBDOMAIN_NAMED = (
    "Pod",
    "Deployment",
    "ConfigMap",
    "Secret",
    "Node",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "PriorityClass",
)


def apply_documents(cluster, documents, *, mode: str = "apply", dry_run: bool = False) -> list[str]:
    """Validate every document, then apply them in order; kubectl's line per document.
    dry_run (kubectl --dry-run=server): the same checks and lines, nothing stored."""
    if mode not in MODES:
        raise ManifestError(f"mode must be one of {', '.join(MODES)}", 400, "BadRequest")
    documents = expand_lists(documents) if isinstance(documents, list) else []
    if not documents:
        raise ManifestError(f"error: no objects passed to {mode}", 400, "BadRequest")
    checked = [_decode(index, doc) for index, doc in enumerate(documents, start=1)]
    from ..cluster import Cluster

    trial = Cluster.from_state(cluster.to_state())
    lines = _apply_all(trial, checked, mode)  # raises, naming the document, before any change
    if dry_run:
        return [f"{line} (server dry run)" for line in lines]
    return _apply_all(cluster, checked, mode)


def expand_lists(documents: list) -> list:
    """A `kind: List` (what `kubectl get -o yaml` prints for several objects) stands for its
    items, as kubectl expands it before sending anything."""
    expanded = []
    for doc in documents:
        if (
            isinstance(doc, dict)
            and doc.get("kind") == "List"
            and isinstance(doc.get("items"), list)
        ):
            expanded += expand_lists(doc["items"])
        elif doc is not None:  # an empty YAML document ("---" twice) is skipped
            expanded.append(doc)
    return expanded


def _apply_all(cluster, checked: list, mode: str) -> list[str]:
    lines = []
    for index, entry, doc in checked:
        try:
            lines.append(write_document(cluster, entry, clone(doc), mode))
        except ManifestError as error:
            raise _named(error, index, entry, doc) from None
    return lines


def _named(error: ManifestError, index: int, entry: dict, doc: dict) -> ManifestError:
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    name = meta.get("name") or meta.get("generateName") or ""
    name = name if isinstance(name, str) else ""
    named = ManifestError(
        f"document {index} ({entry['kind']}/{name}): {error.message}",
        error.code,
        error.reason,
        error.details,
    )
    named.server_message = error.message
    named.document = index
    return named


def group_kind(entry: dict) -> str:
    """`Deployment.apps`, `Service`: how the API server names a kind in 422 messages."""
    return f"{entry['kind']}.{entry['group']}" if entry["group"] else entry["kind"]


def decode(doc, entry: dict | None = None) -> tuple[dict, dict]:
    """The entry for a document and the document itself, or the API server's 400/404."""
    if not isinstance(doc, dict):
        raise ManifestError("Object 'Kind' is missing in the document", 400, "BadRequest")
    kind, api_version = doc.get("kind"), doc.get("apiVersion")
    if not isinstance(kind, str) or not kind:
        raise ManifestError(
            f"Object 'Kind' is missing in '{json.dumps(doc, default=str)[:200]}'", 400, "BadRequest"
        )
    if not isinstance(api_version, str) or not api_version:
        raise ManifestError(
            f"Object 'apiVersion' is missing in '{json.dumps(doc, default=str)[:200]}'",
            400,
            "BadRequest",
        )
    entry = entry or kind_for_api(api_version, kind)
    if entry is None:
        raise ManifestError(
            f'no matches for kind "{kind}" in version "{api_version}"',
            404,
            "NotFound",
        )
    doc = _prune(doc)
    unknown, wrong = (
        schema.check(entry["kind"], doc) if entry["kind"] in schema.SCHEMAS else ([], [])
    )
    prefix = (
        f'{entry["kind"]} in version "{entry["version"]}" cannot be handled as a {entry["kind"]}: '
    )
    if wrong:
        raise ManifestError(prefix + wrong[0], 400, "BadRequest")
    if unknown:
        fields = ", ".join(f'unknown field "{path}"' for path in unknown)
        raise ManifestError(prefix + f"strict decoding error: {fields}", 400, "BadRequest")
    return entry, doc


def _prune(value):
    """null means "not set" in a manifest (Go decodes it as the zero value): drop null fields,
    and a null list item becomes an empty object."""
    if isinstance(value, dict):
        return {key: _prune(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [{} if item is None else _prune(item) for item in value]
    if isinstance(value, datetime.datetime):  # a YAML timestamp: JSON has it as a string
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _decode(index: int, doc) -> tuple:
    try:
        entry, doc = decode(doc)
    except ManifestError as error:
        kind = doc.get("kind") if isinstance(doc, dict) else None
        kind = kind if isinstance(kind, str) and kind else "?"
        fake = KINDS.get(kind) or {"kind": kind}
        raise _named(error, index, fake, doc if isinstance(doc, dict) else {}) from None
    return index, entry, doc


def _invalid(entry: dict, name: str, errors: list[str]) -> ManifestError:
    body = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    causes = []
    for error in errors:
        field, _, message = error.partition(": ")
        causes.append({"field": field, "message": message})
    return ManifestError(
        f"{group_kind(entry)} {json.dumps(name)} is invalid: {body}",
        422,
        "Invalid",
        {"name": name, "group": entry["group"], "kind": entry["kind"], "causes": causes},
    )


def last_applied(doc: dict) -> str:
    """kubectl's annotation value: the manifest without the annotation, as compact JSON."""
    body = clone(doc)
    annotations = (body.get("metadata") or {}).get("annotations")
    if annotations:
        annotations.pop(LAST_APPLIED, None)
        if not annotations:
            del body["metadata"]["annotations"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str) + "\n"


def _live(cluster, entry: dict, name: str) -> dict | None:
    return cluster.store.get(entry["kind"], name)


def write_document(cluster, entry: dict, doc: dict, mode: str) -> str:
    """Create/update one decoded document; kubectl's line. Raises ManifestError (no change)."""
    kind = entry["kind"]
    meta = doc.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise ManifestError(
            f'{kind} in version "{entry["version"]}" cannot be handled as a {kind}: '
            "json: cannot unmarshal into metadata",
            400,
            "BadRequest",
        )
    namespace = meta.get("namespace")
    if entry["namespaced"]:
        if namespace not in (None, "", "default"):
            raise ManifestError(
                f'namespaces "{namespace}" not found '
                '(the playground has the namespace "default" only)',
                404,
                "NotFound",
                {"name": namespace, "kind": "namespaces"},
            )
        meta["namespace"] = "default"
    else:
        meta.pop("namespace", None)
    name = meta.get("name")
    if not name and meta.get("generateName") and mode == "create":
        name = meta["name"] = generated_name(cluster, kind, meta["generateName"])
    if not isinstance(name, str) or not name:
        raise _invalid(
            entry, "", ["metadata.name: Required value: name or generateName is required"]
        )
    prefix = f"{resource_name(entry)}/{name}"
    if kind == "Namespace":
        if name not in NAMESPACES:
            raise ManifestError(
                f'namespaces "{name}" is forbidden: the playground keeps everything in "default"',
                403,
                "Forbidden",
            )
        return f"{prefix} unchanged"
    writer = WRITERS.get(kind)
    if writer is None or not entry["writable"]:
        raise ManifestError(
            f"{qualified_plural(entry)} are made by the playground's controllers; "
            "write the Deployment instead"
            if kind in ("ReplicaSet", "Pod")
            else f"{qualified_plural(entry)} are written by the control plane, not by users",
            405,
            "MethodNotAllowed",
        )
    current = _live(cluster, entry, name)
    if mode == "create" and current is not None:
        raise ManifestError(
            f'{qualified_plural(entry)} "{name}" already exists',
            409,
            "AlreadyExists",
            {"name": name, "group": entry["group"], "kind": entry["plural"]},
        )
    if mode == "replace":
        if current is None:
            raise ManifestError(
                f'{qualified_plural(entry)} "{name}" not found',
                404,
                "NotFound",
                {"name": name, "group": entry["group"], "kind": entry["plural"]},
            )
        version = meta.get("resourceVersion")
        if version and version != current["metadata"]["resourceVersion"]:
            raise conflict(entry, name)
    if mode == "apply":
        meta.setdefault("annotations", {})[LAST_APPLIED] = last_applied(doc)
        if current is not None:
            original = None
            text = (current["metadata"].get("annotations") or {}).get(LAST_APPLIED)
            if text:
                try:
                    original = json.loads(text)
                except ValueError:
                    original = None
            doc = strategic_merge(current, three_way_patch(original, doc), kind)
    verb = {"create": "created", "replace": "replaced"}.get(mode, "configured")
    if mode == "apply" and current is None:
        verb = "created"
    changed = write_checked(cluster, entry, doc, current)
    if mode == "apply" and current is not None and not changed:
        verb = "unchanged"
    return f"{prefix} {verb}"


def write_checked(cluster, entry: dict, doc: dict, current: dict | None) -> bool:
    """Name and label checks, then the kind's writer; errors as the API server words them."""
    name = doc["metadata"]["name"]
    errors = []
    if entry["kind"] in SUBDOMAIN_NAMED:
        from ..configdata import name_errors

        errors += name_errors(name)
    errors += label_errors("metadata.labels", doc["metadata"].get("labels"))
    annotations = doc["metadata"].get("annotations") or {}
    if sum(len(k) + len(v or "") for k, v in annotations.items()) > 256 * 1024:
        errors.append("metadata.annotations: Too long: must have at most 262144 bytes")
    try:
        if errors:
            raise Invalid(errors)
        return WRITERS[entry["kind"]](cluster, doc, current)
    except Invalid as error:
        unique = list(dict.fromkeys(error.errors))
        raise _invalid(entry, name, unique) from None
    except ManifestError:
        raise
    except ActionError as error:
        text = str(error)
        if "cannot be handled as" in text:
            raise ManifestError(text, 400, "BadRequest") from None
        if " is invalid: " in text:
            raise ManifestError(text, 422, "Invalid") from None
        raise ManifestError(text, 403, "Forbidden") from None


def conflict(entry: dict, name: str) -> ManifestError:
    return ManifestError(
        f'Operation cannot be fulfilled on {qualified_plural(entry)} "{name}": the object has '
        "been modified; please apply your changes to the latest version and try again",
        409,
        "Conflict",
        {"name": name, "group": entry["group"], "kind": entry["plural"]},
    )

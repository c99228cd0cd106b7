"""The three patch types of the API server's PATCH verb.

- strategic merge patch (`application/strategic-merge-patch+json`, what kubectl apply/set/
  rollout restart send): maps merge, `null` deletes, lists of objects with a merge key
  (containers and env by name, volumeMounts by mountPath, ports by containerPort/port,
  conditions by type, ...) merge item by item; directives `$patch: replace|delete|merge`,
  `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`; every other
  list is replaced whole.
- JSON merge patch (RFC 7386, `application/merge-patch+json`, kubectl scale/label/annotate).
- JSON patch (RFC 6902, `application/json-patch+json`, kubectl rollout undo).
"""

from ..store import clone
from .errors import ManifestError

# Field name -> the merge key of its items (patchMergeKey in the Kubernetes types).
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "imagePullSecrets": "name",
    "conditions": "type",
    "readinessGates": "conditionType",
    "topologySpreadConstraints": "topologyKey",
    "hostAliases": "ip",
    "ownerReferences": "uid",
    "addresses": "type",
    "schedulingGates": "name",
    "resourceClaims": "name",
}


# Fields whose type has patchStrategy "retainKeys": kubectl apply lists the keys the manifest
# keeps, so a switch to Recreate drops the live (defaulted) rollingUpdate.
RETAIN_KEYS = ("strategy",)


def merge_key(field: str, items: list) -> str | None:
    if field == "ports":  # ContainerPort by containerPort, ServicePort by port
        if any(isinstance(item, dict) and "containerPort" in item for item in items):
            return "containerPort"
        return "port"
    return MERGE_KEYS.get(field)


def strategic_merge(target, patch, kind: str = ""):
    """A new object: target with the strategic merge patch applied (target is not changed)."""
    if not isinstance(patch, dict):
        raise ManifestError(
            "the body of a strategic merge patch must be a JSON object", 400, "BadRequest"
        )
    return _smp_map(clone(target) if isinstance(target, dict) else {}, patch)


def _smp_map(target: dict, patch: dict) -> dict:
    directive = patch.get("$patch")
    if directive == "replace":
        return {k: clone(v) for k, v in patch.items() if k != "$patch"}
    if directive == "delete":
        return {}
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            if isinstance(target.get(field), list) and isinstance(value, list):
                target[field] = [item for item in target[field] if item not in value]
            continue
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            if value.get("$patch") == "delete":
                target.pop(key, None)
            else:
                current = target.get(key)
                target[key] = _smp_map(current if isinstance(current, dict) else {}, value)
        elif isinstance(value, list):
            target[key] = _smp_list(key, target.get(key), value)
        else:
            target[key] = value
    if isinstance(retain, list):
        for key in list(target):
            if key not in retain:
                del target[key]
    for key, order in patch.items():
        if key.startswith("$setElementOrder/"):
            _reorder(target, key.split("/", 1)[1], order)
    return target


def _smp_list(field: str, current, patch: list) -> list:
    key = merge_key(field, patch) if patch else None
    if key is None or not all(isinstance(item, dict) for item in patch):
        if any(isinstance(item, dict) and item.get("$patch") == "replace" for item in patch):
            return [clone(i) for i in patch if not (isinstance(i, dict) and "$patch" in i)]
        return clone(patch)
    if any(item.get("$patch") == "replace" for item in patch):
        return [clone(item) for item in patch if "$patch" not in item]
    result = [clone(item) for item in current] if isinstance(current, list) else []
    for item in patch:
        index = next(
            (
                i
                for i, old in enumerate(result)
                if isinstance(old, dict) and old.get(key) == item.get(key)
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if index is not None:
                del result[index]
            continue
        if index is None:
            result.append(_smp_map({}, item))
        else:
            result[index] = _smp_map(result[index], item)
    return result


def _reorder(target: dict, field: str, order) -> None:
    """$setElementOrder: the listed items first in that order, then the rest as they were."""
    items = target.get(field)
    if not isinstance(items, list) or not isinstance(order, list) or not order:
        return
    if isinstance(order[0], dict):
        key = next(iter(order[0]), None)
        position = {o.get(key): i for i, o in enumerate(order) if isinstance(o, dict)}

        def rank(item):
            return position.get(item.get(key) if isinstance(item, dict) else None, len(order))
    else:
        position = {value: i for i, value in enumerate(order) if not isinstance(value, dict | list)}

        def rank(item):
            return (
                position.get(item, len(order)) if not isinstance(item, dict | list) else len(order)
            )

    target[field] = sorted(items, key=rank)


def three_way_patch(original, modified: dict) -> dict:
    """What kubectl apply sends: modified, plus nulls for fields it dropped since the last apply
    and `$patch: delete` for keyed list items it dropped (original = last-applied)."""
    return _diff(original if isinstance(original, dict) else {}, modified)


def _diff(original: dict, modified: dict) -> dict:
    patch = {}
    for key in original:
        if key not in modified:
            patch[key] = None
    for key, value in modified.items():
        before = original.get(key)
        if isinstance(value, dict):
            patch[key] = _diff(before if isinstance(before, dict) else {}, value)
            if key in RETAIN_KEYS:
                patch[key]["$retainKeys"] = sorted(value)
        elif isinstance(value, list):
            patch[key] = _diff_list(key, before, value)
        else:
            patch[key] = clone(value)
    return patch


def _diff_list(field: str, before, value: list) -> list:
    key = merge_key(field, value or (before or []))
    if key is None or not all(isinstance(item, dict) for item in value):
        return clone(value)
    old = {item.get(key): item for item in (before or []) if isinstance(item, dict) and key in item}
    items = []
    for item in value:
        previous = old.get(item.get(key))
        merged = _diff(previous, item) if isinstance(previous, dict) else clone(item)
        merged[key] = item.get(key)
        items.append(merged)
    kept = {item.get(key) for item in value}
    items += [{key: k, "$patch": "delete"} for k in old if k not in kept]
    # The new list's order wins (kubectl sends $setElementOrder for it).
    return items


def merge_patch(target, patch):
    """RFC 7386: objects merge, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return clone(patch)
    result = clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise ManifestError(
            f'invalid JSON pointer "{path}"',
            400,
            "BadRequest",
        )
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _walk(doc, parts: list[str], path: str):
    """Follow JSON-pointer parts down from doc; a missing step is json-patch's 422."""
    node = doc
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise ManifestError(f"doc is missing path: {path}: missing value", 422, "Invalid")
    return node


def _parent(doc, parts: list[str], path: str):
    return _walk(doc, parts[:-1], path)


def _get(doc, path: str):
    return _walk(doc, _pointer(path), path)


def _remove(doc, path: str):
    parts = _pointer(path)
    if not parts:
        raise ManifestError("the whole object cannot be removed", 422, "Invalid")
    parent = _parent(doc, parts, path)
    last = parts[-1]
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent.pop(int(last))
    raise ManifestError(f"doc is missing path: {path}: missing value", 422, "Invalid")


def _add(doc, path: str, value, replace: bool = False):
    parts = _pointer(path)
    if not parts:
        return clone(value)
    parent = _parent(doc, parts, path)
    last = parts[-1]
    if isinstance(parent, dict):
        if replace and last not in parent:
            raise ManifestError(f"doc is missing key: {path}: missing value", 422, "Invalid")
        parent[last] = clone(value)
    elif isinstance(parent, list):
        if last == "-" and not replace:
            parent.append(clone(value))
        elif last.isdigit() and int(last) <= len(parent) - (1 if replace else 0):
            if replace:
                parent[int(last)] = clone(value)
            else:
                parent.insert(int(last), clone(value))
        else:
            raise ManifestError(f"doc is missing path: {path}: missing value", 422, "Invalid")
    else:
        raise ManifestError(f"doc is missing path: {path}: missing value", 422, "Invalid")
    return doc


def json_patch(target, ops):
    """RFC 6902: add, remove, replace, move, copy, test, in order; any failure changes nothing."""
    if not isinstance(ops, list):
        raise ManifestError(
            "the body of a JSON patch must be a list of operations", 400, "BadRequest"
        )
    doc = clone(target)
    for op in ops:
        if not isinstance(op, dict) or not isinstance(op.get("path"), str):
            raise ManifestError("a JSON patch operation needs op and path", 400, "BadRequest")
        name, path = op.get("op"), op["path"]
        if name in ("add", "replace", "test") and "value" not in op:
            raise ManifestError(f'missing value for operation "{name}"', 400, "BadRequest")
        if name == "add":
            doc = _add(doc, path, op["value"])
        elif name == "replace":
            doc = _add(doc, path, op["value"], replace=True)
        elif name == "remove":
            _remove(doc, path)
        elif name in ("move", "copy"):
            source = op.get("from")
            if not isinstance(source, str):
                raise ManifestError(f'missing from for operation "{name}"', 400, "BadRequest")
            value = _remove(doc, source) if name == "move" else clone(_get(doc, source))
            doc = _add(doc, path, value)
        elif name == "test":
            if _get(doc, path) != op["value"]:
                raise ManifestError(f"testing value {path} failed: test failed", 422, "Invalid")
        else:
            raise ManifestError(f'unexpected kind of operation "{name}"', 400, "BadRequest")
    return doc

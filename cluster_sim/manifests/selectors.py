"""Label selectors (`app=web,tier!=db,env in (a,b),!canary`) and field selectors
(`metadata.name=web`, `involvedObject.uid=...`, `spec.nodeName=ship-1`), as the API server
parses them for list and watch."""

import re

from .errors import ManifestError

_SET = re.compile(r"^\s*(!?)\s*([^\s=!<>(),]+)\s*(?:(notin|in)\s*\(([^)]*)\))?\s*$")
_EQ = re.compile(r"^\s*([^\s=!<>(),]+)\s*(==|!=|=)\s*([^\s=!,()]*)\s*$")


def _split(selector: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part for part in parts if part.strip()]


def parse_labels(selector: str) -> list[tuple]:
    """[(key, op, values)] with op in = != in notin exists !exists."""
    requirements = []
    for part in _split(selector or ""):
        match = _EQ.match(part)
        if match:
            key, op, value = match.groups()
            requirements.append((key, "!=" if op == "!=" else "=", [value]))
            continue
        match = _SET.match(part)
        if not match:
            raise ManifestError(
                f"unable to parse requirement: found '{part.strip()}', expected: "
                "in, notin, =, ==, !=, gt, lt",
                400,
                "BadRequest",
            )
        bang, key, op, values = match.groups()
        if op:
            requirements.append((key, op, [v.strip() for v in values.split(",") if v.strip()]))
        else:
            requirements.append((key, "!exists" if bang else "exists", []))
    return requirements


def labels_match(labels: dict | None, requirements: list[tuple]) -> bool:
    labels = labels or {}
    for key, op, values in requirements:
        present = key in labels
        if op == "=" and labels.get(key) != values[0]:
            return False
        if op == "!=" and present and labels[key] == values[0]:
            return False
        if op == "in" and (not present or labels[key] not in values):
            return False
        if op == "notin" and present and labels[key] in values:
            return False
        if op == "exists" and not present:
            return False
        if op == "!exists" and present:
            return False
    return True


FIELDS_BY_KIND = {
    "Pod": ("spec.nodeName", "status.phase", "spec.schedulerName", "spec.restartPolicy"),
    "Event": (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
    ),
    "Node": ("spec.unschedulable",),
    "Secret": ("type",),
}


def parse_fields(selector: str, kind: str) -> list[tuple]:
    """[(field, op, value)]; an unsupported field is the API server's 400."""
    allowed = ("metadata.name", "metadata.namespace", *FIELDS_BY_KIND.get(kind, ()))
    requirements = []
    for part in _split(selector or ""):
        match = _EQ.match(part)
        if not match:
            raise ManifestError(
                f"invalid selector: '{selector}'; can't understand '{part.strip()}'",
                400,
                "BadRequest",
            )
        field, op, value = match.groups()
        if field not in allowed:
            raise ManifestError(f"field label not supported: {field}", 400, "BadRequest")
        requirements.append((field, "!=" if op == "!=" else "=", value))
    return requirements


def field_value(obj: dict, field: str) -> str:
    if field == "source":
        return obj.get("source", {}).get("component", "")
    value = obj
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fields_match(obj: dict, requirements: list[tuple]) -> bool:
    for field, op, value in requirements:
        actual = field_value(obj, field)
        if (actual == value) != (op == "="):
            return False
    return True

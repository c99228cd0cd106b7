"""API validation of the small pieces users type: names, labels, taints, tolerations.

Messages follow the API server's wording closely enough to be recognised; each
check raises ActionError before anything changes.
"""

import re

from .errors import ActionError

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
OPERATORS = ("Equal", "Exists")
MAX_LABELS = 10
MAX_TOLERATIONS = 10


def existing(cluster, kind: str, name, resource: str, what: str = "name") -> dict:
    """The object a user named, or an ActionError in kubectl's words (`pods "x" not found`)."""
    if not isinstance(name, str) or not name:
        raise ActionError(f"{what} must be a non-empty string")
    found = cluster.store.get(kind, name)
    if found is None:
        raise ActionError(f'{resource} "{name}" not found')
    return found


def dns_label(value, what: str = "name") -> str:
    if not isinstance(value, str) or len(value) > 63 or not DNS1123_LABEL.fullmatch(value):
        raise ActionError(
            f"{what} {value!r} is invalid: a lowercase RFC 1123 label must consist of lower case "
            "alphanumeric characters or '-', start and end with an alphanumeric character, "
            "at most 63 characters"
        )
    return value


def label_key(key) -> str:
    if not isinstance(key, str) or not key:
        raise ActionError("a label or taint key must be a non-empty string")
    prefix, _, name = key.rpartition("/")
    if "/" in key and (not prefix or len(prefix) > 253 or not DNS1123_SUBDOMAIN.fullmatch(prefix)):
        raise ActionError(f"key {key!r} is invalid: the prefix must be a DNS subdomain")
    if len(name) > 63 or not QUALIFIED_NAME.fullmatch(name):
        raise ActionError(
            f"key {key!r} is invalid: name part must consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character "
            "(at most 63 characters)"
        )
    return key


def label_value(value) -> str:
    if (
        not isinstance(value, str)
        or len(value) > 63
        or (value and not QUALIFIED_NAME.fullmatch(value))
    ):
        raise ActionError(
            f"value {value!r} is invalid: a valid label must be an empty string or consist of "
            "alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (at most 63 characters)"
        )
    return value


def labels(value, *, allow_null: bool = False) -> dict:
    if not isinstance(value, dict):
        raise ActionError("labels must be an object of key: value")
    if len(value) > MAX_LABELS:
        raise ActionError(f"at most {MAX_LABELS} labels at a time")
    for key, item in value.items():
        label_key(key)
        if not (allow_null and item is None):
            label_value(item)
    return dict(value)


def effect(value, *, optional: bool = False) -> str | None:
    if optional and value in (None, ""):
        return None
    if value not in EFFECTS:
        raise ActionError(f"effect must be one of {', '.join(EFFECTS)}")
    return value


def taint(value) -> dict:
    if not isinstance(value, dict) or set(value) - {"key", "value", "effect"}:
        raise ActionError("a taint is an object {key, value?, effect}")
    result = {"key": label_key(value.get("key"))}
    if value.get("value"):
        result["value"] = label_value(value["value"])
    result["effect"] = effect(value.get("effect"))
    return result


def taints(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > MAX_LABELS:
        raise ActionError(f"taints must be a list of at most {MAX_LABELS} taints")
    result = [taint(item) for item in value]
    pairs = [(t["key"], t["effect"]) for t in result]
    if len(set(pairs)) != len(pairs):
        raise ActionError("taints must not repeat the same key and effect")
    return result


def toleration(value) -> dict:
    allowed = {"key", "operator", "value", "effect", "tolerationSeconds"}
    if not isinstance(value, dict) or set(value) - allowed:
        raise ActionError(
            "a toleration is an object {key?, operator?, value?, effect?, tolerationSeconds?}"
        )
    result = {}
    operator = value.get("operator", "Equal")
    if operator not in OPERATORS:
        raise ActionError("operator must be Equal or Exists")
    if value.get("key"):
        result["key"] = label_key(value["key"])
    elif operator != "Exists":
        raise ActionError("operator must be Exists when `key` is empty")
    result["operator"] = operator
    if value.get("value"):
        if operator == "Exists":
            raise ActionError("value must be empty when `operator` is 'Exists'")
        result["value"] = label_value(value["value"])
    if value.get("effect"):
        result["effect"] = effect(value["effect"])
    if "tolerationSeconds" in value and value["tolerationSeconds"] is not None:
        seconds = value["tolerationSeconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise ActionError("tolerationSeconds must be a whole number of seconds")
        if result.get("effect") != "NoExecute":
            raise ActionError("effect must be 'NoExecute' when `tolerationSeconds` is set")
        result["tolerationSeconds"] = seconds
    return result


def tolerations(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > MAX_TOLERATIONS:
        raise ActionError(f"tolerations must be a list of at most {MAX_TOLERATIONS} tolerations")
    return [toleration(item) for item in value]


def int_or_percent(value, what: str):
    if isinstance(value, bool):
        raise ActionError(f'{what} must be a whole number or a percentage such as "50%"')
    if isinstance(value, int) and 0 <= value <= 1000:
        return value
    if isinstance(value, str) and re.fullmatch(r"(100|[1-9]?[0-9])%", value):
        return value
    raise ActionError(f'{what} must be a whole number or a percentage such as "50%"')

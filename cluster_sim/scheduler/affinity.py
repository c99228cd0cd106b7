"""Node selection by labels (SCH-5 NodeAffinity filter, SCH-15 score).

nodeSelector must match exactly; required node affinity is a list of
nodeSelectorTerms that are ORed, each an AND of matchExpressions
(In, NotIn, Exists, DoesNotExist, Gt, Lt) and matchFields (metadata.name).
"""

REASON = "node(s) didn't match Pod's node affinity/selector"


def _integer(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def expression_matches(expr: dict, labels: dict) -> bool:
    key, op, values = expr["key"], expr["operator"], expr.get("values") or []
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt"):
        have = _integer(labels.get(key)) if present else None
        want = _integer(values[0]) if len(values) == 1 else None
        if have is None or want is None:
            return False
        return have > want if op == "Gt" else have < want
    return False


def term_matches(term: dict, node: dict) -> bool:
    """A term with no requirements matches nothing (as in the API)."""
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False
    labels = node["metadata"].get("labels") or {}
    node_fields = {"metadata.name": node["metadata"]["name"]}
    return all(expression_matches(e, labels) for e in expressions) and all(
        expression_matches(f, node_fields) for f in fields
    )


def _node_affinity(pod: dict) -> dict:
    return (pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}


def required_matches(pod: dict, node: dict) -> bool:
    labels = node["metadata"].get("labels") or {}
    for key, value in (pod["spec"].get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    required = _node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        return True
    return any(term_matches(term, node) for term in required.get("nodeSelectorTerms") or ())


def node_affinity_filter(pod: dict, info, _requests):
    return None if required_matches(pod, info.node) else ([REASON], True)


def preferred_terms(pod: dict) -> list[dict]:
    return _node_affinity(pod).get("preferredDuringSchedulingIgnoredDuringExecution") or []


def node_affinity_raw(pod: dict, node: dict) -> int:
    """Σ weight of the preferred terms the node matches."""
    return sum(
        term.get("weight", 0)
        for term in preferred_terms(pod)
        if term_matches(term.get("preference") or {}, node)
    )


def normalize(raw: dict[str, int], reverse: bool = False) -> dict[str, int]:
    """DefaultNormalizeScore: 100 x raw div max (reverse: 100 - that); max 0 -> 0 (reverse 100)."""
    top = max(raw.values(), default=0)
    if top == 0:
        return {name: 100 if reverse else 0 for name in raw}
    return {
        name: (100 - 100 * value // top) if reverse else 100 * value // top
        for name, value in raw.items()
    }

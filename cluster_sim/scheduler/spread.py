"""PodTopologySpread (SCH-5 filter, SCH-17 score), including the system-default spreading.

Pods count in a domain when they match the constraint's selector, are in the
pod's namespace and are not terminating. The filter uses the pod's
DoNotSchedule constraints; the score its ScheduleAnyway ones or, when it has
none at all, the system defaults (hostname maxSkew 3, zone maxSkew 5) with a
selector made from the ReplicaSets that select the pod.
"""

import math

from ..disruption import selects
from ..podutil import is_terminating
from .affinity import required_matches

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
REASON = "node(s) didn't match pod topology spread constraints"
REASON_MISSING_LABEL = (
    "node(s) didn't match pod topology spread constraints (missing required label)"
)
SYSTEM_DEFAULTS = ((HOSTNAME, 3), (ZONE, 5))
# The playground's bin-packing profile configures PodTopologySpread with
# `defaultingType: List` and no `defaultConstraints`: left on, the system-default
# spreading (weight 2) outweighs MostAllocated (weight 1) and nothing packs.
PROFILES_WITHOUT_DEFAULT_SPREADING = frozenset({"MostAllocated"})


def count_matching(pods, selector: dict, namespace: str) -> int:
    return sum(
        1
        for pod in pods
        if not is_terminating(pod)
        and pod["metadata"].get("namespace") == namespace
        and selects(selector, pod["metadata"].get("labels") or {})
    )


def _labels(info) -> dict:
    return info.node["metadata"].get("labels") or {}


class SpreadFilter:
    """PreFilter state: matching pods per (key, value) over nodes passing the pod's selector."""

    def __init__(self, pod: dict, infos) -> None:
        self.pod = pod
        self.constraints = [
            c
            for c in pod["spec"].get("topologySpreadConstraints") or ()
            if c.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
        ]
        self.counts: list[dict[str, int]] = [{} for _ in self.constraints]
        namespace = pod["metadata"].get("namespace", "default")
        for info in infos:
            labels = _labels(info)
            if not required_matches(pod, info.node):
                continue
            if any(c["topologyKey"] not in labels for c in self.constraints):
                continue
            for i, c in enumerate(self.constraints):
                value = labels[c["topologyKey"]]
                found = count_matching(info.pod_list, c.get("labelSelector") or {}, namespace)
                self.counts[i][value] = self.counts[i].get(value, 0) + found

    def __call__(self, pod: dict, info, _requests):
        labels = _labels(info)
        if any(c["topologyKey"] not in labels for c in self.constraints):
            return [REASON_MISSING_LABEL], True
        own = pod["metadata"].get("labels") or {}
        for i, c in enumerate(self.constraints):
            counts = self.counts[i]
            self_match = 1 if selects(c.get("labelSelector") or {}, own) else 0
            lowest = min(counts.values(), default=0)
            if len(counts) < c.get("minDomains", 1):
                lowest = 0
            skew = counts.get(labels[c["topologyKey"]], 0) + self_match - lowest
            if skew > c["maxSkew"]:
                return [REASON], False
        return None


def default_selector(cluster, pod: dict) -> dict:
    """matchLabels of every ReplicaSet selecting the pod, merged (empty: no spreading)."""
    labels = pod["metadata"].get("labels") or {}
    merged: dict[str, str] = {}
    for rs in cluster.store.list("ReplicaSet"):
        selector = rs["spec"].get("selector") or {}
        if selector.get("matchLabels") and selects(selector, labels):
            merged.update(selector["matchLabels"])
    return {"matchLabels": merged} if merged else {}


def scoring_constraints(cluster, pod: dict) -> tuple[list[dict], bool]:
    """(constraints, requireAllTopologies)."""
    explicit = pod["spec"].get("topologySpreadConstraints") or []
    if explicit:
        soft = [c for c in explicit if c.get("whenUnsatisfiable") == "ScheduleAnyway"]
        return soft, True
    if cluster.settings.get("strategy") in PROFILES_WITHOUT_DEFAULT_SPREADING:
        return [], False
    selector = default_selector(cluster, pod)
    if not selector:
        return [], False
    return [
        {
            "topologyKey": key,
            "maxSkew": skew,
            "labelSelector": selector,
            "whenUnsatisfiable": "ScheduleAnyway",
        }
        for key, skew in SYSTEM_DEFAULTS
    ], False


def spread_scores(constraints, require_all, pod, feasible, all_infos) -> dict[str, int] | None:
    """SCH-17 normalized scores per feasible node, or None when the plugin is skipped."""
    if not constraints:
        return None
    namespace = pod["metadata"].get("namespace", "default")
    ignored = {
        info.name
        for info in feasible
        if require_all and any(c["topologyKey"] not in _labels(info) for c in constraints)
    }
    domains: list[dict[str, int]] = [{} for _ in constraints]
    for info in feasible:
        if info.name in ignored:
            continue
        for i, c in enumerate(constraints):
            if c["topologyKey"] in _labels(info):
                domains[i].setdefault(_labels(info)[c["topologyKey"]], 0)
    weights = []
    for i, c in enumerate(constraints):
        size = len(domains[i])
        if c["topologyKey"] == HOSTNAME:
            size = len(feasible) - len(ignored)
        weights.append(math.log(size + 2))
    for info in all_infos:
        labels = _labels(info)
        if not required_matches(pod, info.node):
            continue
        if require_all and any(c["topologyKey"] not in labels for c in constraints):
            continue
        for i, c in enumerate(constraints):
            if c["topologyKey"] == HOSTNAME or labels.get(c["topologyKey"]) not in domains[i]:
                continue
            domains[i][labels[c["topologyKey"]]] += count_matching(
                info.pod_list, c["labelSelector"], namespace
            )
    raw = {}
    for info in feasible:
        if info.name in ignored:
            continue
        labels = _labels(info)
        score = 0.0
        for i, c in enumerate(constraints):
            if c["topologyKey"] not in labels:
                continue
            if c["topologyKey"] == HOSTNAME:
                count = count_matching(info.pod_list, c["labelSelector"], namespace)
            else:
                count = domains[i][labels[c["topologyKey"]]]
            score += count * weights[i] + (c["maxSkew"] - 1)
        raw[info.name] = _go_round(score)
    low, high = min(raw.values(), default=0), max(raw.values(), default=0)
    result = {}
    for info in feasible:
        if info.name not in raw:
            result[info.name] = 0
        elif high == 0:
            result[info.name] = 100
        else:
            result[info.name] = 100 * (high + low - raw[info.name]) // high
    return result


def _go_round(value: float) -> int:
    """math.Round: half away from zero (Python's round() is half to even)."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)

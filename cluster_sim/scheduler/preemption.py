"""DefaultPreemption (SCH-24): when a pod fits nowhere, find lower-priority victims.

For every node that failed for a resolvable reason: remove every pod of lower
priority; if the pod then fits, add the victims back one by one, most
important first (PDB-violating ones before the others), keeping each that
still lets it fit. Among the candidate nodes the one with the fewest PDB
violations, then the lowest highest-victim priority, then the smallest
priority sum, then the fewest victims, then the latest-started top victims
wins. Victims are deleted; the preemptor gets status.nominatedNodeName.
"""

from ..deletion import delete_pod
from ..disruption import compute_status, selects
from ..podutil import is_terminating
from ..timestamps import seconds_since_epoch
from .fit_error import NO_VICTIMS, NOT_HELPFUL, histogram
from .plugins import FILTERS, NodeInfo

COMPONENT = "default-scheduler"
NEVER = "not eligible due to preemptionPolicy=Never."
TERMINATING = "not eligible due to a terminating pod on the nominated node."
INT32 = 2**31


def priority(pod: dict) -> int:
    return pod["spec"].get("priority") or 0


def _start(pod: dict) -> float:
    stamp = pod["status"].get("startTime")
    return seconds_since_epoch(stamp) if stamp else float("inf")


def _fits(pod, node, pods, pod_requests) -> list[str] | None:
    """None when the pod passes every filter on the node with these pods, else the reasons."""
    info = NodeInfo.build(node, pods)
    for _, check in FILTERS:
        failed = check(pod, info, pod_requests)
        if failed:
            return failed[0]
    return None


def eligible(cluster, pod: dict) -> str | None:
    """PodEligibleToPreemptOthers: None when eligible, else why not."""
    if pod["spec"].get("preemptionPolicy") == "Never":
        return NEVER
    nominated = pod["status"].get("nominatedNodeName")
    if nominated:
        for other in cluster.store.pods_on_node(nominated):
            if is_terminating(other) and priority(other) < priority(pod):
                return TERMINATING
    return None


def _pdb_violations(cluster, victims: list[dict]) -> list[bool]:
    """Per victim (in order): would evicting it (after the earlier ones) break a budget?"""
    allowed = {
        pdb["metadata"]["name"]: (pdb, compute_status(cluster, pdb)["disruptionsAllowed"])
        for pdb in cluster.store.list("PodDisruptionBudget")
    }
    result = []
    for victim in victims:
        labels = victim["metadata"].get("labels") or {}
        violating = False
        for name, (pdb, left) in allowed.items():
            if selects(pdb["spec"].get("selector") or {}, labels):
                allowed[name] = (pdb, left - 1)
                violating = violating or left - 1 < 0
        result.append(violating)
    return result


def select_victims(cluster, pod, node, pod_requests):
    """(victims, number violating a PDB) or (None, reasons) when this node cannot help."""
    pods = cluster.store.pods_on_node(node["metadata"]["name"])
    lower = [p for p in pods if priority(p) < priority(pod)]
    if not lower:
        return None, [NO_VICTIMS]
    kept = [p for p in pods if priority(p) >= priority(pod)]
    reasons = _fits(pod, node, kept, pod_requests)
    if reasons:
        return None, reasons
    lower.sort(key=lambda p: (-priority(p), _start(p)))  # most important first
    flags = _pdb_violations(cluster, lower)
    violating = [p for p, bad in zip(lower, flags, strict=True) if bad]
    ordinary = [p for p, bad in zip(lower, flags, strict=True) if not bad]
    victims, broken = [], 0
    for group, counts in ((violating, True), (ordinary, False)):
        for candidate in group:
            if _fits(pod, node, [*kept, candidate], pod_requests) is None:
                kept.append(candidate)  # reprieved
            else:
                victims.append(candidate)
                broken += counts
    victims.sort(key=lambda p: (-priority(p), _start(p)))
    return victims, broken


def _rank(entry) -> tuple:
    _, victims, broken, order = entry
    top = priority(victims[0])
    top_starts = [_start(v) for v in victims if priority(v) == top]
    return (
        broken,
        top,
        sum(priority(v) + INT32 for v in victims),
        len(victims),
        -min(top_starts),
        order,
    )


def preempt(
    cluster, pod: dict, verdicts: list[dict], failures: list, pod_requests
) -> tuple[dict | None, str | None]:
    """({"nominatedNode", "victims"}, None) after deleting victims, or (None, the
    "preemption: ..." text)."""
    refusal = eligible(cluster, pod)
    if refusal:
        return None, f"preemption: {refusal}"
    statuses: dict[str, int] = {}
    candidates = []
    for order, (verdict, (_, unresolvable)) in enumerate(zip(verdicts, failures, strict=True)):
        if unresolvable:
            statuses[NOT_HELPFUL] = statuses.get(NOT_HELPFUL, 0) + 1
            continue
        node = cluster.store.get("Node", verdict["node"])
        victims, detail = select_victims(cluster, pod, node, pod_requests)
        if victims:
            candidates.append((node, victims, detail, order))
        else:
            for reason in detail:
                statuses[reason] = statuses.get(reason, 0) + 1
    if not candidates:
        total = len(verdicts)
        return None, f"preemption: 0/{total} nodes are available: {histogram(statuses)}."
    node, victims, _, _ = min(candidates, key=_rank)
    name = node["metadata"]["name"]
    for victim in victims:
        cluster.recorder.record(
            cluster,
            victim,
            "Normal",
            "Preempted",
            f"Preempted by pod {pod['metadata']['uid']} on node {name}",
            COMPONENT,
        )
        delete_pod(
            cluster,
            victim,
            disruption=(
                "PreemptionByScheduler",
                f"{COMPONENT}: preempting to accommodate a higher priority pod",
            ),
        )
    with cluster.store.edit(pod):
        pod["status"]["nominatedNodeName"] = name
    return {"nominatedNode": name, "victims": [v["metadata"]["name"] for v in victims]}, None

"""Which pods a ReplicaSet deletes first when it scales down (RS-3, ActivePodsWithRanks.Less)."""

import math
from collections import Counter
from functools import cmp_to_key

from ..podutil import is_ready, ready_since
from ..timestamps import seconds_since_epoch

DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}


def _log2_bucket(age_seconds: float) -> int:
    """floor(log2(age in ns)), -1 for no age (LogarithmicScaleDown)."""
    nanos = age_seconds * 1e9
    return int(math.log2(nanos)) if nanos > 0 else -1


def _deletion_cost(pod: dict) -> int:
    try:
        return int(pod["metadata"].get("annotations", {}).get(DELETION_COST, 0))
    except ValueError:
        return 0


def _max_restarts(pod: dict) -> int:
    return max(
        (s.get("restartCount", 0) for s in pod["status"].get("containerStatuses") or ()), default=0
    )


def _less(a: dict, b: dict, rank: dict, now: float) -> bool:
    """True when pod a should be deleted before pod b."""
    node_a, node_b = a["spec"].get("nodeName", ""), b["spec"].get("nodeName", "")
    # 1. unassigned before assigned
    if node_a != node_b and (not node_a or not node_b):
        return not node_a
    # 2. Pending < Unknown < Running
    phase_a = _PHASE_ORDER.get(a["status"].get("phase"), 3)
    phase_b = _PHASE_ORDER.get(b["status"].get("phase"), 3)
    if phase_a != phase_b:
        return phase_a < phase_b
    # 3. not ready before ready
    if is_ready(a) != is_ready(b):
        return not is_ready(a)
    # 4. lower pod-deletion-cost first
    if _deletion_cost(a) != _deletion_cost(b):
        return _deletion_cost(a) < _deletion_cost(b)
    # 5. more doubled-up first (pods of the same Deployment on the same node)
    uid_a, uid_b = a["metadata"]["uid"], b["metadata"]["uid"]
    if rank[uid_a] != rank[uid_b]:
        return rank[uid_a] > rank[uid_b]
    # 6. both ready: more recently ready first, on a log2 age scale, then by UID
    if is_ready(a) and is_ready(b):
        since_a, since_b = ready_since(a), ready_since(b)
        if since_a != since_b:
            diff = _log2_bucket(now - since_a) - _log2_bucket(now - since_b)
            return uid_a < uid_b if diff == 0 else diff < 0
    # 7. more container restarts first
    if _max_restarts(a) != _max_restarts(b):
        return _max_restarts(a) > _max_restarts(b)
    # 8. newer first, on a log2 age scale, then by UID
    created_a = seconds_since_epoch(a["metadata"]["creationTimestamp"])
    created_b = seconds_since_epoch(b["metadata"]["creationTimestamp"])
    if created_a != created_b:
        diff = _log2_bucket(now - created_a) - _log2_bucket(now - created_b)
        return uid_a < uid_b if diff == 0 else diff < 0
    return False


def pods_to_delete(active: list[dict], related: list[dict], count: int, now: float) -> list[dict]:
    """The first count pods of active in deletion order.

    related: the active pods of the whole Deployment family, for the rank of key 5.
    """
    if count >= len(active):
        return list(active[:count])
    per_node = Counter(pod["spec"].get("nodeName", "") for pod in related)
    rank = {pod["metadata"]["uid"]: per_node[pod["spec"].get("nodeName", "")] for pod in active}

    def compare(a, b):
        if _less(a, b, rank, now):
            return -1
        return 1 if _less(b, a, rank, now) else 0

    return sorted(active, key=cmp_to_key(compare))[:count]

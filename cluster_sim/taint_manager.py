"""Taint-based eviction (NODE-4): pods on a node with NoExecute taints they do not tolerate.

A pod that does not tolerate every NoExecute taint is deleted at once; one that
tolerates them all with tolerationSeconds is deleted that many seconds after the
taint's timeAdded (the smallest limit wins); one tolerating without a limit stays.
"""

from .deletion import delete_pod
from .podutil import is_terminating
from .scheduler.plugins import tolerates
from .timestamps import seconds_since_epoch

COMPONENT = "taint-eviction-controller"


def eviction_time(pod: dict, taints: list[dict]) -> float | None:
    """Simulated second the pod must go (-inf: at once), or None when it may stay."""
    tolerations = pod["spec"].get("tolerations") or ()
    deadline = None
    for taint in taints:
        matching = [t for t in tolerations if tolerates(t, taint)]
        if not matching:
            return float("-inf")
        limits = [
            t["tolerationSeconds"] for t in matching if t.get("tolerationSeconds") is not None
        ]
        if not limits:
            continue  # tolerated forever
        added = seconds_since_epoch(taint["timeAdded"]) if taint.get("timeAdded") else 0.0
        at = added + max(0, min(limits))
        deadline = at if deadline is None else min(deadline, at)
    return deadline


def run(cluster) -> None:
    for node in cluster.store.list("Node"):
        taints = [t for t in node["spec"].get("taints") or () if t["effect"] == "NoExecute"]
        if not taints:
            continue
        for pod in cluster.store.pods_on_node(node["metadata"]["name"]):
            if is_terminating(pod):
                continue
            at = eviction_time(pod, taints)
            if at is not None and at <= cluster.now:
                meta = pod["metadata"]
                cluster.recorder.record(
                    cluster,
                    pod,
                    "Normal",
                    "TaintManagerEviction",
                    f"Marking for deletion Pod {meta['namespace']}/{meta['name']}",
                    COMPONENT,
                )
                delete_pod(
                    cluster,
                    pod,
                    disruption=(
                        "DeletionByTaintManager",
                        "Taint manager: deleting due to NoExecute taint",
                    ),
                )

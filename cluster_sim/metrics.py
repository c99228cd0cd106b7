"""The metrics model: PodMetrics (metrics.k8s.io/v1beta1) every 15 s, like metrics-server.

At each scrape (simulated seconds 15, 30, 45, ...) every pod with a running
container gets a PodMetrics object, `window: "15s"`. CPU usage follows the traffic
the pod served during the window (traffic.py):

    usage = base + perRequest x requests/s served

with requests/s averaged over the window (or over the part of it the pod was
running), never above the container's CPU limit (without a limit: the node's
CPU). A pod with no traffic uses the base. perRequest and base come from the
Deployment annotation `playground.k8s/cpu-model` (JSON {"perRequest": "20m",
"base": "5m"}; those are the defaults). Memory is steady: 3/8 of the container's
memory request (16Mi without one), capped at its limit. Traffic goes to a pod's
first container; the others use the base. A pod whose containers stopped loses its
PodMetrics at the next scrape, a deleted pod at once.
"""

import json
import math
import uuid
from fractions import Fraction

from .quantity import cpu_millis, memory_bytes, parse_quantity
from .store import DELETED, controller_uid
from .timestamps import rfc3339, seconds_since_epoch

SCRAPE_SECONDS = 15
CPU_MODEL_ANNOTATION = "playground.k8s/cpu-model"
DEFAULT_CPU_MODEL = {"perRequest": "20m", "base": "5m"}
DEFAULT_MEMORY_BYTES = 16 * 1024 * 1024
_METRICS_UIDS = uuid.UUID("6f1c2d9e-7a53-4b8e-9c41-0d2e5f3a7b18")  # namespace for derived uids


def cpu_model(cluster, pod: dict) -> tuple[Fraction, Fraction]:
    """(perRequest, base) in millicores, from the Deployment owning the pod's ReplicaSet."""
    replica_set = cluster.store.by_uid(controller_uid(pod) or "")
    deployment = replica_set and cluster.store.by_uid(controller_uid(replica_set) or "")
    text = deployment and (deployment["metadata"].get("annotations") or {}).get(
        CPU_MODEL_ANNOTATION
    )
    if text:
        try:
            return parse_cpu_model({**DEFAULT_CPU_MODEL, **json.loads(text)})
        except (TypeError, ValueError, AttributeError):
            pass  # a hand-edited annotation that does not parse: the defaults
    return parse_cpu_model(DEFAULT_CPU_MODEL)


def parse_cpu_model(model: dict) -> tuple[Fraction, Fraction]:
    return millicores(model["perRequest"]), millicores(model["base"])


def millicores(text: str) -> Fraction:
    return parse_quantity(text) * 1000


def _half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def container_usage(cluster, pod, index, container, per_request, base, rate) -> dict:
    resources = container.get("resources") or {}
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    cpu = base + (per_request * rate if index == 0 else 0)
    if "cpu" in limits:
        cpu = min(cpu, cpu_millis(limits["cpu"]))
    else:
        node = cluster.store.get("Node", pod["spec"].get("nodeName") or "")
        if node:
            cpu = min(cpu, cpu_millis(node["status"]["allocatable"]["cpu"]))
    memory = (
        memory_bytes(requests["memory"]) * 3 // 8 if "memory" in requests else DEFAULT_MEMORY_BYTES
    )
    if "memory" in limits:
        memory = min(memory, memory_bytes(limits["memory"]))
    return {
        "name": container["name"],
        "usage": {"cpu": f"{_half_up(Fraction(cpu))}m", "memory": f"{memory // 1024}Ki"},
    }


def running_since(pod: dict) -> float | None:
    """When the pod's earliest running container started, or None when none runs."""
    starts = [
        seconds_since_epoch(status["state"]["running"]["startedAt"])
        for status in pod["status"].get("containerStatuses") or ()
        if "running" in status.get("state", {})
    ]
    return min(starts) if starts else None


def pod_metrics(cluster, pod: dict, at: float, served: int, since: float) -> dict:
    seconds = max(1, min(SCRAPE_SECONDS, at - since))
    rate = Fraction(served) / Fraction(seconds)
    per_request, base = cpu_model(cluster, pod)
    meta = pod["metadata"]
    return {
        "apiVersion": "metrics.k8s.io/v1beta1",
        "kind": "PodMetrics",
        "metadata": {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "resourceVersion": "",
            "creationTimestamp": rfc3339(at),
            "labels": dict(meta.get("labels") or {}),
        },
        "timestamp": rfc3339(at),
        "window": f"{SCRAPE_SECONDS}s",
        "containers": [
            container_usage(cluster, pod, index, container, per_request, base, rate)
            for index, container in enumerate(pod["spec"]["containers"])
        ],
        "spec": {},  # PodMetrics has neither; the wire contract promises both on every object
        "status": {},
    }


class Metrics:
    def __init__(self, next_scrape: float = SCRAPE_SECONDS) -> None:
        self.next_scrape = next_scrape
        self.gone: dict[str, None] = {}  # names of deleted pods whose PodMetrics must go

    def observe(self, change: str, obj: dict) -> None:
        if obj["kind"] == "Pod" and change == DELETED:
            self.gone[obj["metadata"]["name"]] = None

    def run(self, cluster) -> None:
        gone, self.gone = self.gone, {}
        for name in gone:
            metrics = cluster.store.get("PodMetrics", name)
            if metrics is not None and cluster.store.get("Pod", name) is None:
                cluster.store.delete(metrics)
        if cluster.now + 1e-6 < self.next_scrape:
            return
        at = self.next_scrape
        while self.next_scrape <= cluster.now + 1e-6:
            at = self.next_scrape
            self.next_scrape += SCRAPE_SECONDS
        self.scrape(cluster, at)

    def scrape(self, cluster, at: float) -> None:
        window = cluster.traffic.take_window()
        for pod in cluster.store.list("Pod"):
            name = pod["metadata"]["name"]
            existing = cluster.store.get("PodMetrics", name)
            since = running_since(pod)
            if since is None:
                if existing is not None:
                    cluster.store.delete(existing)
                continue
            fresh = pod_metrics(cluster, pod, at, window.get(name, 0), since)
            if existing is None:
                # A uid derived from the pod's: metrics draw nothing from the cluster's RNG.
                fresh["metadata"]["uid"] = str(uuid.uuid5(_METRICS_UIDS, pod["metadata"]["uid"]))
                cluster.store.create(fresh)
            else:
                with cluster.store.edit(existing):
                    existing.update(fresh, metadata={**existing["metadata"], **fresh["metadata"]})

    # Persistence

    def to_state(self) -> dict:
        return {"nextScrape": self.next_scrape, "gone": list(self.gone)}

    @classmethod
    def from_state(cls, state: dict | None, now: float) -> "Metrics":
        if state is None:  # saved before the metrics model existed
            return cls((math.floor(now / SCRAPE_SECONDS) + 1) * SCRAPE_SECONDS)
        metrics = cls(state["nextScrape"])
        metrics.gone = dict.fromkeys(state["gone"])
        return metrics

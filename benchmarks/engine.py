"""The engine alone: scheduling throughput, an idle tick, and what each mutation pays to persist."""

import json
import time

import orjson

from cluster_sim import Cluster
from cluster_sim.objects import new_deployment


def build(nodes: int, replicas: int, seed: int = 1) -> tuple[Cluster, float]:
    """A cluster of `nodes` large ships and one Deployment; returns it and the seconds to settle."""
    cluster = Cluster.empty(seed=seed)
    for _ in range(nodes):
        cluster.nodes.add(cluster, "large")
    cluster.store.create(
        new_deployment(
            cluster,
            "load",
            image="nginx:1.27",
            container_name="load",
            cpu="100m",
            memory="64Mi",
            replicas=replicas,
        )
    )
    started = time.perf_counter()
    cluster.reconcile()
    return cluster, time.perf_counter() - started


def _timed(function, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _scrape_delta(cluster) -> bytes:
    """The delta of the moment the metrics model writes every running pod's PodMetrics."""
    cluster.take_changes()
    for _ in range(16):
        cluster.step(1.0)
        changes, events = cluster.take_changes()
        if any(change["object"]["kind"] == "PodMetrics" for change in changes):
            return orjson.dumps({"type": "delta", "changes": changes, "events": events})
    return b""


def run() -> list[tuple[str, str]]:
    rows = []
    for nodes, replicas in ((3, 9), (50, 1000), (200, 5000)):
        cluster, seconds = build(nodes, replicas)
        rows.append(
            (
                f"create + schedule {replicas} pods on {nodes} ships (one reconcile)",
                f"{seconds * 1000:.0f} ms, {replicas / seconds:.0f} pods/s",
            )
        )
        cluster.step(10)
        cluster.take_changes()
        idle = _timed(lambda c=cluster: c.step(1.0))
        rows.append((f"idle tick (step 1 s) at {replicas} pods", f"{idle * 1000:.2f} ms"))
        state = cluster.to_state()
        size = len(orjson.dumps(state))
        save = _timed(lambda c=cluster: orjson.dumps(c.to_state()))
        load = _timed(lambda s=state: Cluster.from_state(orjson.loads(orjson.dumps(s))))
        rows.append(
            (
                f"persist state at {replicas} pods: size / to_state+encode / decode+load",
                f"{size / 1024:.0f} KiB / {save * 1000:.1f} ms / {load * 1000:.1f} ms",
            )
        )
        objects = cluster.objects()
        fast = _timed(lambda o=objects: orjson.dumps(o))
        slow = _timed(lambda o=objects: json.dumps(o))
        rows.append(
            (
                f"encode snapshot at {replicas} pods: orjson / json",
                f"{fast * 1000:.1f} ms / {slow * 1000:.1f} ms",
            )
        )
        scrape = _scrape_delta(cluster)
        rows.append(
            (
                f"metrics scrape (every 15 s) at {replicas} pods",
                f"{len(scrape) / 1024:.1f} KiB delta",
            )
        )
        cluster.take_changes()  # the idle ticks' writes are not the kill's
        victim = next(o for o in objects if o["kind"] == "Pod")["metadata"]["name"]
        cluster.apply({"action": "delete_pod", "name": victim})
        cluster.reconcile()
        changes, events = cluster.take_changes()
        delta = orjson.dumps({"type": "delta", "changes": changes, "events": events})
        rows.append(
            (
                f"delta for one killed pod at {replicas} pods",
                f"{len(delta) / 1024:.1f} KiB, {len(changes)} changes",
            )
        )
    return rows

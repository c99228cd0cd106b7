"""Kubelet heartbeats and the node lifecycle controller (NODE-1, NODE-2, NODE-5).

Each kubelet renews its node Lease every 10 s while its ship floats; `sink`
stops that. The controller looks every 5 s: a node whose last renewal is more
than the grace period (50 s, v1.32+) old gets every condition Unknown, the
unreachable NoSchedule taint at once, and the unreachable NoExecute taint
through a per-zone rate limiter (0.1 node/s, burst 1) that the zone states
slow down or stop. The taint manager (taint_manager.py) does the evicting.
Each renewal is written to the node's Lease (coordination.k8s.io/v1, namespace
kube-node-lease), so viewers can count down from spec.renewTime; the
annotations below also say when a ship sank.
"""

import math

from .podutil import get_condition, is_ready, set_condition
from .timestamps import rfc3339, rfc3339_micro

COMPONENT = "node-controller"
LEASE_RENEW_SECONDS = 10.0
MONITOR_PERIOD = 5.0
GRACE_PERIOD = 50.0  # node-monitor-grace-period, v1.32+ (40 s before)
EVICTION_RATE_INTERVAL = 10.0  # 0.1 node/s per zone, burst 1
UNHEALTHY_ZONE_THRESHOLD = 0.55
LARGE_CLUSTER_SIZE = 50
ZONE_LABEL = "topology.kubernetes.io/zone"
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."
SUNK_ANNOTATION = "playground.k8s/sunk-at"
LAST_RENEW_ANNOTATION = "playground.k8s/last-lease-renew"

LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION_SECONDS = 40

NORMAL, PARTIAL, FULL = "Normal", "PartialDisruption", "FullDisruption"


def zone_of(node: dict) -> str:
    """Nodes without a zone label form one zone together (NODE-5)."""
    return node["metadata"].get("labels", {}).get(ZONE_LABEL, "")


def zone_state(ready: int, not_ready: int) -> str:
    """ComputeZoneState: Full with no Ready node; Partial needs more than 2 down and >= 55 %."""
    if ready == 0 and not_ready > 0:
        return FULL
    if not_ready > 2 and not_ready / (ready + not_ready) >= UNHEALTHY_ZONE_THRESHOLD:
        return PARTIAL
    return NORMAL


def is_node_ready(node: dict) -> bool:
    cond = get_condition(node, "Ready")
    return cond is not None and cond["status"] == "True"


class NodeHealth:
    def __init__(self) -> None:
        # node -> {"base": when the kubelet (re)started posting, "stopped": last renewal or None}
        self.kubelets: dict[str, dict] = {}
        self.next_monitor = 0.0
        self.zone_next: dict[str, float] = {}  # zone -> earliest next NoExecute tainting
        self.waiting: dict[str, None] = {}  # NotReady nodes still to get the NoExecute taint

    # Kubelets

    def join(self, name: str, now: float) -> None:
        self.kubelets[name] = {"base": now, "stopped": None}

    def forget(self, cluster, name: str) -> None:
        """The Node is gone; its Lease goes with it (garbage collection by owner)."""
        self.kubelets.pop(name, None)
        self.waiting.pop(name, None)
        lease = cluster.store.get("Lease", name, LEASE_NAMESPACE)
        if lease is not None:
            cluster.store.delete(lease)

    def is_down(self, name: str) -> bool:
        kubelet = self.kubelets.get(name)
        return kubelet is not None and kubelet["stopped"] is not None

    def last_renew(self, name: str, now: float) -> float:
        kubelet = self.kubelets[name]
        if kubelet["stopped"] is not None:
            return kubelet["stopped"]
        base = kubelet["base"]
        return base + LEASE_RENEW_SECONDS * math.floor((now - base) / LEASE_RENEW_SECONDS)

    def sink(self, cluster, node: dict) -> None:
        name = node["metadata"]["name"]
        last = self.last_renew(name, cluster.now)
        self.kubelets[name]["stopped"] = last
        with cluster.store.edit(node):
            annotations = node["metadata"].setdefault("annotations", {})
            annotations[SUNK_ANNOTATION] = rfc3339(cluster.now)
            annotations[LAST_RENEW_ANNOTATION] = rfc3339(last)

    def raise_(self, cluster, node: dict) -> None:
        """The kubelet is back: it posts Ready at once; the controller lifts taints next look."""
        name = node["metadata"]["name"]
        now = cluster.now
        self.join(name, now)
        stamp = rfc3339(now)
        with cluster.store.edit(node):
            annotations = node["metadata"].setdefault("annotations", {})
            annotations.pop(SUNK_ANNOTATION, None)
            annotations.pop(LAST_RENEW_ANNOTATION, None)
            for cond in node["status"]["conditions"]:
                healthy = _HEALTHY[cond["type"]]
                if cond["status"] != healthy[0]:
                    cond["lastTransitionTime"] = stamp
                cond.update(
                    status=healthy[0],
                    reason=healthy[1],
                    message=healthy[2],
                    lastHeartbeatTime=stamp,
                )
        record_node_ready(cluster, node)
        cluster.kubelet.node_returned(cluster, name)

    def renew_leases(self, cluster) -> None:
        """Each floating kubelet writes its Lease when a renewal is due (every 10 s)."""
        for name, kubelet in self.kubelets.items():
            if kubelet["stopped"] is not None:
                continue
            renew = rfc3339_micro(self.last_renew(name, cluster.now))
            lease = cluster.store.get("Lease", name, LEASE_NAMESPACE)
            if lease is None:
                node = cluster.store.get("Node", name)
                if node is not None:
                    cluster.store.create(_lease(cluster, node, renew))
            elif lease["spec"]["renewTime"] != renew:
                with cluster.store.edit(lease):
                    lease["spec"]["renewTime"] = renew

    # The node lifecycle controller

    def run(self, cluster) -> None:
        self.renew_leases(cluster)
        if cluster.now < self.next_monitor:
            return
        self.next_monitor = (math.floor(cluster.now / MONITOR_PERIOD) + 1) * MONITOR_PERIOD
        nodes = cluster.store.list("Node")
        for node in nodes:
            name = node["metadata"]["name"]
            if name not in self.kubelets:
                self.join(name, cluster.now)
            if self.is_down(name) and is_node_ready(node):
                if cluster.now - self.last_renew(name, cluster.now) > GRACE_PERIOD:
                    self._mark_unknown(cluster, node)
            elif not self.is_down(name) and is_node_ready(node):
                self.waiting.pop(name, None)
                _remove_taints(cluster, node, (UNREACHABLE, NOT_READY))
        self._taint_no_execute(cluster, nodes)

    def _mark_unknown(self, cluster, node: dict) -> None:
        name = node["metadata"]["name"]
        now = cluster.now
        stamp = rfc3339(now)
        with cluster.store.edit(node):
            for cond in node["status"]["conditions"]:
                cond.update(
                    status="Unknown",
                    reason="NodeStatusUnknown",
                    message=UNKNOWN_MESSAGE,
                    lastTransitionTime=stamp,
                )
            taints = node["spec"].setdefault("taints", [])
            if not any(t["key"] == UNREACHABLE and t["effect"] == "NoSchedule" for t in taints):
                taints.append({"key": UNREACHABLE, "effect": "NoSchedule", "timeAdded": stamp})
        self.waiting[name] = None
        record = cluster.recorder.record
        record(
            cluster,
            node,
            "Normal",
            "NodeNotReady",
            f"Node {name} status is now: NodeNotReady",
            COMPONENT,
        )
        for pod in cluster.store.pods_on_node(name):
            if not is_ready(pod):
                continue
            with cluster.store.edit(pod):
                set_condition(pod, "Ready", "False", now)
            record(cluster, pod, "Warning", "NodeNotReady", "Node is not ready", COMPONENT)

    def _taint_no_execute(self, cluster, nodes: list[dict]) -> None:
        """NODE-5: per-zone states decide the rate; all zones down means evict nothing."""
        counts: dict[str, list[int]] = {}
        for node in nodes:
            ready_count = counts.setdefault(zone_of(node), [0, 0])
            ready_count[0 if is_node_ready(node) else 1] += 1
        states = {zone: zone_state(*count) for zone, count in counts.items()}
        if states and all(state == FULL for state in states.values()):
            for node in nodes:  # a control-plane problem is likelier: stop evicting
                _remove_taints(cluster, node, (UNREACHABLE, NOT_READY), effect="NoExecute")
            return
        by_name = {node["metadata"]["name"]: node for node in nodes}
        for name in list(self.waiting):
            node = by_name.get(name)
            if node is None or is_node_ready(node):
                self.waiting.pop(name, None)
                continue
            zone = zone_of(node)
            if states[zone] == PARTIAL and len(nodes) <= LARGE_CLUSTER_SIZE:
                continue  # evictions stopped in a partially disrupted zone of a small cluster
            interval = EVICTION_RATE_INTERVAL * (10 if states[zone] == PARTIAL else 1)
            if cluster.now < self.zone_next.get(zone, -math.inf):
                continue
            self.zone_next[zone] = cluster.now + interval
            del self.waiting[name]
            with cluster.store.edit(node):
                taints = node["spec"].setdefault("taints", [])
                if not any(t["key"] == UNREACHABLE and t["effect"] == "NoExecute" for t in taints):
                    taints.append(
                        {
                            "key": UNREACHABLE,
                            "effect": "NoExecute",
                            "timeAdded": rfc3339(cluster.now),
                        }
                    )

    # Persistence

    def to_state(self) -> dict:
        return {
            "kubelets": [{"node": name, **k} for name, k in self.kubelets.items()],
            "nextMonitor": self.next_monitor,
            "zoneNext": [[zone, at] for zone, at in self.zone_next.items()],
            "waiting": list(self.waiting),
        }

    @classmethod
    def from_state(cls, state: dict | None) -> "NodeHealth":
        health = cls()
        if state is None:
            return health  # a state saved before nodes could fail: every kubelet joins now
        for entry in state["kubelets"]:
            entry = dict(entry)
            health.kubelets[entry.pop("node")] = entry
        health.next_monitor = state["nextMonitor"]
        health.zone_next = {zone: at for zone, at in state["zoneNext"]}
        health.waiting = dict.fromkeys(state["waiting"])
        return health


def record_node_ready(cluster, node: dict) -> None:
    """The kubelet's event when its node turns Ready (on joining and on coming back)."""
    name = node["metadata"]["name"]
    message = f"Node {name} status is now: NodeReady"
    cluster.recorder.record(cluster, node, "Normal", "NodeReady", message, "kubelet", host=name)


def _lease(cluster, node: dict, renew: str) -> dict:
    from .objects import metadata

    name = node["metadata"]["name"]
    meta = metadata(
        cluster,
        name,
        ownerReferences=[
            {"apiVersion": "v1", "kind": "Node", "name": name, "uid": node["metadata"]["uid"]}
        ],
    )
    meta["namespace"] = LEASE_NAMESPACE
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": meta,
        "spec": {
            "holderIdentity": name,
            "leaseDurationSeconds": LEASE_DURATION_SECONDS,
            "renewTime": renew,
        },
    }


_HEALTHY = {
    "MemoryPressure": (
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
}


def _remove_taints(cluster, node: dict, keys, effect: str | None = None) -> None:
    taints = node["spec"].get("taints") or []
    keep = [t for t in taints if not (t["key"] in keys and effect in (None, t["effect"]))]
    if len(keep) != len(taints):
        with cluster.store.edit(node):
            if keep:
                node["spec"]["taints"] = keep
            else:
                node["spec"].pop("taints", None)

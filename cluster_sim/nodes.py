"""Ships joining and leaving the harbour: registration, cordon, drain, deletion once empty.

A drain (NODE-7) cordons the node, then asks the Eviction API for every pod;
refusals (a PodDisruptionBudget, NODE-8) are retried every 5 s until the node
is empty. remove_node is a drain that deletes the Node at the end; a sunk
ship's pods can never finish, so its Node is deleted once every pod on it is
Terminating, and PodGC then removes those orphans.
"""

import re

from .disruption import evict
from .node_health import record_node_ready
from .objects import new_node
from .podutil import is_terminating

MAX_NODES = 10
NAME_PATTERN = re.compile(r"ship-(\d+)")
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
DRAIN_RETRY_SECONDS = 5.0


class NodeLifecycle:
    def __init__(self) -> None:
        self.next_index = 1  # pod CIDR 10.244.<index>.0/24, never reused
        self.removing: dict[str, None] = {}  # drained nodes to delete once their pods are gone
        self.draining: dict[str, float] = {}  # node -> next eviction attempt

    def next_name(self, cluster) -> str:
        taken = {node["metadata"]["name"] for node in cluster.store.list("Node")}
        number = 1
        while f"ship-{number}" in taken:
            number += 1
        return f"ship-{number}"

    def add(self, cluster, size: str, name=None, labels=None, taints=None) -> dict:
        """A new machine registers itself as a Ready node."""
        name = name or self.next_name(cluster)
        obj = new_node(cluster, name, size, self.next_index)
        obj["metadata"]["labels"].update(labels or {})
        if taints:
            obj["spec"]["taints"] = taints
        node = cluster.store.create(obj)
        self.next_index += 1
        cluster.health.join(name, cluster.now)
        record = cluster.recorder.record
        record(cluster, node, "Normal", "Starting", "Starting kubelet.", "kubelet", host=name)
        record_node_ready(cluster, node)
        record(
            cluster,
            node,
            "Normal",
            "RegisteredNode",
            f"Node {name} event: Registered Node {name} in Controller",
            "node-controller",
        )
        return node

    def cordon(self, cluster, node: dict, unschedulable: bool = True) -> bool:
        """NODE-6: spec.unschedulable plus the controller's taint; False if nothing changed."""
        name = node["metadata"]["name"]
        if bool(node["spec"].get("unschedulable")) == unschedulable:
            return False
        with cluster.store.edit(node):
            taints = node["spec"].setdefault("taints", [])
            if unschedulable:
                node["spec"]["unschedulable"] = True
                if not any(t["key"] == UNSCHEDULABLE_TAINT["key"] for t in taints):
                    taints.append(dict(UNSCHEDULABLE_TAINT))
            else:
                node["spec"].pop("unschedulable", None)
                taints[:] = [t for t in taints if t["key"] != UNSCHEDULABLE_TAINT["key"]]
                if not taints:
                    del node["spec"]["taints"]
        status = "NodeNotSchedulable" if unschedulable else "NodeSchedulable"
        cluster.recorder.record(
            cluster,
            node,
            "Normal",
            status,
            f"Node {name} status is now: {status}",
            "kubelet",
            host=name,
        )
        return True

    def drain(self, cluster, node: dict, delete: bool = False) -> list[tuple[str, str | None]]:
        """kubectl drain: cordon, evict every pod; returns (pod, refusal or None) per pod."""
        name = node["metadata"]["name"]
        self.cordon(cluster, node)
        self.draining[name] = cluster.now + DRAIN_RETRY_SECONDS
        if delete:
            self.removing[name] = None
        return self._evict_all(cluster, name)

    def _evict_all(self, cluster, name: str) -> list[tuple[str, str | None]]:
        results = []
        for pod in cluster.store.pods_on_node(name):
            if not is_terminating(pod):
                results.append((pod["metadata"]["name"], evict(cluster, pod)))
        return results

    def run(self, cluster) -> None:
        for name, due in list(self.draining.items()):
            if cluster.store.get("Node", name) is None:
                del self.draining[name]
            elif due <= cluster.now:
                self.draining[name] = cluster.now + DRAIN_RETRY_SECONDS
                if not self._evict_all(cluster, name):
                    del self.draining[name]  # every pod is gone or going: drained
        for name in list(self.removing):
            node = cluster.store.get("Node", name)
            if node is None:
                del self.removing[name]
                continue
            pods = cluster.store.pods_on_node(name)
            down = cluster.health.is_down(name)
            if pods and not (down and all(is_terminating(p) for p in pods)):
                continue
            cluster.store.delete(node)
            del self.removing[name]
            self.draining.pop(name, None)
            cluster.health.forget(cluster, name)
            for pod in pods:  # PodGC: pods bound to a Node that no longer exists
                cluster.store.delete(pod)
            cluster.recorder.record(
                cluster,
                node,
                "Normal",
                "RemovingNode",
                f"Node {name} event: Removing Node {name} from Controller",
                "node-controller",
            )

    def to_state(self) -> dict:
        return {
            "nextIndex": self.next_index,
            "removing": list(self.removing),
            "draining": [[name, due] for name, due in self.draining.items()],
        }

    @classmethod
    def from_state(cls, state: dict) -> "NodeLifecycle":
        lifecycle = cls()
        lifecycle.next_index = state["nextIndex"]
        lifecycle.removing = dict.fromkeys(state["removing"])
        lifecycle.draining = {name: due for name, due in state.get("draining", [])}
        return lifecycle

"""Ships joining and leaving the harbour: node registration, drain, deletion once empty."""

import re

from .deletion import delete_pod
from .objects import new_node

MAX_NODES = 10
NAME_PATTERN = re.compile(r"ship-(\d+)")
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeLifecycle:
    def __init__(self) -> None:
        self.next_index = 1  # pod CIDR 10.244.<index>.0/24, never reused
        self.removing: dict[str, None] = {}  # drained nodes to delete once their pods are gone

    def next_name(self, cluster) -> str:
        taken = {node["metadata"]["name"] for node in cluster.store.list("Node")}
        number = 1
        while f"ship-{number}" in taken:
            number += 1
        return f"ship-{number}"

    def add(self, cluster, size: str) -> dict:
        """A new machine registers itself as a Ready node."""
        name = self.next_name(cluster)
        node = cluster.store.create(new_node(cluster, name, size, self.next_index))
        self.next_index += 1
        record = cluster.recorder.record
        record(cluster, node, "Normal", "Starting", "Starting kubelet.", "kubelet", host=name)
        record(
            cluster,
            node,
            "Normal",
            "NodeReady",
            f"Node {name} status is now: NodeReady",
            "kubelet",
            host=name,
        )
        record(
            cluster,
            node,
            "Normal",
            "RegisteredNode",
            f"Node {name} event: Registered Node {name} in Controller",
            "node-controller",
        )
        return node

    def drain(self, cluster, node: dict) -> int:
        """kubectl drain: cordon, evict every pod; the node is deleted when the last one is gone."""
        name = node["metadata"]["name"]
        with cluster.store.edit(node):
            node["spec"]["unschedulable"] = True
            taints = node["spec"].setdefault("taints", [])
            if not any(t["key"] == UNSCHEDULABLE_TAINT["key"] for t in taints):
                taints.append(dict(UNSCHEDULABLE_TAINT))
        cluster.recorder.record(
            cluster,
            node,
            "Normal",
            "NodeNotSchedulable",
            f"Node {name} status is now: NodeNotSchedulable",
            "kubelet",
            host=name,
        )
        pods = cluster.store.pods_on_node(name)
        for pod in pods:
            delete_pod(cluster, pod, eviction=True)
        self.removing[name] = None
        return len(pods)

    def run(self, cluster) -> None:
        for name in list(self.removing):
            node = cluster.store.get("Node", name)
            if node is None:
                del self.removing[name]
            elif not cluster.store.pods_on_node(name):
                cluster.store.delete(node)
                del self.removing[name]
                cluster.recorder.record(
                    cluster,
                    node,
                    "Normal",
                    "RemovingNode",
                    f"Node {name} event: Removing Node {name} from Controller",
                    "node-controller",
                )

    def to_state(self) -> dict:
        return {"nextIndex": self.next_index, "removing": list(self.removing)}

    @classmethod
    def from_state(cls, state: dict) -> "NodeLifecycle":
        lifecycle = cls()
        lifecycle.next_index = state["nextIndex"]
        lifecycle.removing = dict.fromkeys(state["removing"])
        return lifecycle

"""The node-local filters (SCH-5..SCH-8) and the resource scores (SCH-9..SCH-13).

Label matching lives in affinity.py, spreading in spread.py, the other scores in
scores.py. Filters return None when the node passes, else (reasons, unresolvable).
Scores are Go int64 arithmetic: integer division truncates (all values here
are non-negative, so Python's // is the same thing).
"""

from dataclasses import dataclass, field

from ..podutil import nonzero_requests, requests
from ..quantity import cpu_millis, memory_bytes
from .affinity import node_affinity_filter
from .scores import DEFAULT_SHAPE, requested_to_capacity_ratio

MAX_NODE_SCORE = 100
UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable"
LEAST_ALLOCATED = "LeastAllocated"
MOST_ALLOCATED = "MostAllocated"
REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio"
STRATEGIES = (LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO)

# Reasons, exactly as kube-scheduler words them.
REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_TOO_MANY_PODS = "Too many pods"
REASON_CPU = "Insufficient cpu"
REASON_MEMORY = "Insufficient memory"
REASON_NODE_NAME = "node(s) didn't match the requested node name"


@dataclass
class NodeInfo:
    """The scheduler's view of one node: allocatable and what its pods request."""

    node: dict
    alloc_cpu: int
    alloc_memory: int
    alloc_pods: int
    pods: int = 0
    cpu: int = 0  # real requests (SCH-8, balanced allocation)
    memory: int = 0
    nonzero_cpu: int = 0  # non-zero requests (SCH-9, NodeResourcesFit score)
    nonzero_memory: int = 0
    pod_list: list = field(default_factory=list)

    @classmethod
    def build(cls, node: dict, pods: list[dict]) -> "NodeInfo":
        alloc = node["status"]["allocatable"]
        info = cls(
            node, cpu_millis(alloc["cpu"]), memory_bytes(alloc["memory"]), int(alloc["pods"])
        )
        for pod in pods:
            info.add(pod)
        return info

    @property
    def name(self) -> str:
        return self.node["metadata"]["name"]

    def add(self, pod: dict) -> None:
        """Count a pod on this node (terminating pods still hold their resources)."""
        cpu, memory = requests(pod)
        nonzero_cpu, nonzero_memory = nonzero_requests(pod)
        self.pods += 1
        self.pod_list.append(pod)
        self.cpu += cpu
        self.memory += memory
        self.nonzero_cpu += nonzero_cpu
        self.nonzero_memory += nonzero_memory


def tolerates(toleration: dict, taint: dict) -> bool:
    """core/v1 Toleration.ToleratesTaint."""
    if toleration.get("effect") and toleration["effect"] != taint["effect"]:
        return False
    if toleration.get("key") and toleration["key"] != taint["key"]:
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and toleration.get("value", "") == taint.get("value", "")


def tolerated(pod: dict, taint: dict) -> bool:
    return any(tolerates(t, taint) for t in pod["spec"].get("tolerations") or ())


def node_unschedulable(pod: dict, info: NodeInfo, _requests) -> tuple[list[str], bool] | None:
    if not info.node["spec"].get("unschedulable"):
        return None
    if tolerated(pod, {"key": UNSCHEDULABLE_TAINT_KEY, "effect": "NoSchedule"}):
        return None
    return [REASON_UNSCHEDULABLE], True


def node_name(pod: dict, info: NodeInfo, _requests) -> tuple[list[str], bool] | None:
    wanted = pod["spec"].get("nodeName")
    if wanted and wanted != info.name:
        return [REASON_NODE_NAME], True
    return None


def taint_toleration(pod: dict, info: NodeInfo, _requests) -> tuple[list[str], bool] | None:
    for taint in info.node["spec"].get("taints") or ():
        if taint["effect"] in ("NoSchedule", "NoExecute") and not tolerated(pod, taint):
            return [
                f"node(s) had untolerated taint {{{taint['key']}: {taint.get('value', '')}}}"
            ], True
    return None


def node_resources_fit(pod: dict, info: NodeInfo, pod_requests) -> tuple[list[str], bool] | None:
    """SCH-8: every failing resource is reported at once; never unresolvable."""
    cpu, memory = pod_requests
    reasons = []
    if info.pods + 1 > info.alloc_pods:
        reasons.append(REASON_TOO_MANY_PODS)
    if cpu or memory:
        if cpu > 0 and cpu > info.alloc_cpu - info.cpu:
            reasons.append(REASON_CPU)
        if memory > 0 and memory > info.alloc_memory - info.memory:
            reasons.append(REASON_MEMORY)
    return (reasons, False) if reasons else None


# SCH-5: the real order; each node stops at its first failing plugin. PodTopologySpread
# comes last and needs cluster-wide counts, so the cycle appends it per pod (spread.py).
FILTERS = (
    ("NodeUnschedulable", node_unschedulable),
    ("NodeName", node_name),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity_filter),
    ("NodeResourcesFit", node_resources_fit),
)


def least_requested(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def most_requested(requested: int, capacity: int) -> int:
    if capacity == 0:
        return 0
    return min(requested, capacity) * MAX_NODE_SCORE // capacity


def resources_fit_score(strategy: str, pod: dict, info: NodeInfo, shape=None) -> int:
    """SCH-10/11/12 with cpu and memory weight 1 each, on non-zero requests."""
    pod_cpu, pod_memory = nonzero_requests(pod)
    if strategy == REQUESTED_TO_CAPACITY_RATIO:
        return requested_to_capacity_ratio(
            shape or DEFAULT_SHAPE,
            (
                (info.nonzero_cpu + pod_cpu, info.alloc_cpu),
                (info.nonzero_memory + pod_memory, info.alloc_memory),
            ),
        )
    per_resource = least_requested if strategy == LEAST_ALLOCATED else most_requested
    total = weights = 0
    for requested, allocatable in (
        (info.nonzero_cpu + pod_cpu, info.alloc_cpu),
        (info.nonzero_memory + pod_memory, info.alloc_memory),
    ):
        if allocatable == 0:
            continue
        total += per_resource(requested, allocatable)
        weights += 1
    return total // weights if weights else 0


def balanced_allocation_score(pod_requests, info: NodeInfo) -> int:
    """SCH-13 (v1.33..v1.35): 100 x (1 - |f_cpu - f_mem| / 2), truncated; real requests."""
    cpu, memory = pod_requests
    if cpu == 0 and memory == 0:
        return 0  # BestEffort pods skip this plugin (v1.33+)
    fractions = [
        min(1.0, requested / allocatable)
        for requested, allocatable in (
            (info.cpu + cpu, info.alloc_cpu),
            (info.memory + memory, info.alloc_memory),
        )
        if allocatable
    ]
    spread = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
    return int((1 - spread) * MAX_NODE_SCORE)

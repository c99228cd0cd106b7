"""Every user-writable object as manifests a real cluster would accept: what to save and
apply again (to this playground or another). Controller-made objects (ReplicaSets, Pods
of Deployments, EndpointSlices, Events, Leases, PodMetrics) and status are left out; Nodes
keep status.capacity, which is what sizes a ship when the manifest is applied."""

from ..node_actions import CONTROLLER_TAINTS
from ..store import clone
from .writers import LAST_APPLIED

ORDER = (
    "PriorityClass",
    "Node",
    "ConfigMap",
    "Secret",
    "Deployment",
    "Service",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
)
# Annotations the control plane, kubectl or the simulation write (not the user's intent).
SYSTEM_ANNOTATIONS = (
    LAST_APPLIED,
    "deployment.kubernetes.io/revision",
    "node.alpha.kubernetes.io/ttl",
    "playground.k8s/traffic",
    "playground.k8s/hpa-calc",
    "playground.k8s/rollout-step",
    "playground.k8s/sunk-at",
    "playground.k8s/last-lease-renew",
)
KUBELET_LABELS = (
    "kubernetes.io/arch",
    "kubernetes.io/hostname",
    "kubernetes.io/os",
    "playground.k8s/size",
)
TOP_LEVEL = {
    "ConfigMap": ("data", "binaryData", "immutable"),
    "Secret": ("type", "data", "immutable"),
    "PriorityClass": ("value", "globalDefault", "description", "preemptionPolicy"),
}


def _metadata(obj: dict) -> dict:
    meta = obj["metadata"]
    out = {"name": meta["name"]}
    if meta.get("namespace"):
        out["namespace"] = meta["namespace"]
    labels = {k: v for k, v in (meta.get("labels") or {}).items()}
    if obj["kind"] == "Node":
        labels = {k: v for k, v in labels.items() if k not in KUBELET_LABELS}
    if labels:
        out["labels"] = labels
    annotations = {
        k: v for k, v in (meta.get("annotations") or {}).items() if k not in SYSTEM_ANNOTATIONS
    }
    if annotations:
        out["annotations"] = annotations
    return out


def manifest_of(obj: dict) -> dict:
    """One object as a manifest (no status, no server-set metadata)."""
    kind = obj["kind"]
    out = {"apiVersion": obj["apiVersion"], "kind": kind, "metadata": _metadata(obj)}
    if kind in TOP_LEVEL:
        for field in TOP_LEVEL[kind]:
            if field in obj:
                out[field] = clone(obj[field])
        return out
    spec = clone(obj.get("spec") or {})
    if kind == "Node":
        node_spec = {}
        taints = [
            {k: v for k, v in t.items() if k != "timeAdded"}
            for t in spec.get("taints") or ()
            if not t["key"].startswith(CONTROLLER_TAINTS)
        ]
        if taints:
            node_spec["taints"] = taints
        if spec.get("unschedulable"):
            node_spec["unschedulable"] = True
        if node_spec:
            out["spec"] = node_spec
        out["status"] = {"capacity": clone(obj["status"]["capacity"])}
        return out
    out["spec"] = spec
    return out


def export_manifests(cluster) -> list[dict]:
    """Manifests of every user-writable object, in an order that applies cleanly."""
    documents = []
    for kind in ORDER:
        objects = sorted(cluster.store.list(kind), key=lambda o: o["metadata"]["name"])
        for obj in objects:
            if obj["metadata"].get("ownerReferences") or obj["metadata"].get("deletionTimestamp"):
                continue
            documents.append(manifest_of(obj))
    return documents

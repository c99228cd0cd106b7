"""Node manifests: a new Node is a ship joining the harbour; an update changes labels,
taints and cordoning (with the node controller's events)."""

from .. import configdata, validation
from ..errors import ActionError
from ..node_actions import CONTROLLER_TAINTS, PROTECTED_LABELS
from ..nodes import MAX_NODES
from ..objects import NODE_SIZES
from ..quantity import parse_quantity
from ..store import clone
from ..timestamps import rfc3339
from .common import Invalid, label_errors, quote, store_write

# Labels the kubelet sets on its Node (kept when a manifest leaves them out).
KUBELET_LABELS = (*PROTECTED_LABELS, "kubernetes.io/arch", "kubernetes.io/os")


# Nodes (ships)


def _size_for(capacity: dict) -> str:
    """The ship class a Node's capacity is closest to (by CPU)."""
    try:
        cpu = parse_quantity(str(capacity.get("cpu", "4")))
    except ValueError:
        cpu = 4
    for size in ("small", "medium"):
        if cpu <= parse_quantity(NODE_SIZES[size]["cpu"]):
            return size
    return "large"


def _node_resources(doc: dict) -> tuple[dict | None, list[str]]:
    status = doc.get("status") if isinstance(doc.get("status"), dict) else {}
    given = status.get("capacity") or status.get("allocatable")
    if not given:
        return None, []
    if not isinstance(given, dict):
        return None, [
            f"status.capacity: Invalid value: {quote(given)}: must be a map of quantities"
        ]
    errors = []
    for key, value in given.items():
        try:
            if parse_quantity(str(value)) <= 0:
                raise ValueError
        except ValueError:
            errors.append(
                f"status.capacity[{key}]: Invalid value: {quote(str(value))}: "
                "must be a positive quantity"
            )
    return {key: str(value) for key, value in given.items()}, errors


def write_node(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    meta = doc.get("metadata") or {}
    spec = doc.get("spec") or {}
    errors = configdata.name_errors(name)
    labels = dict(meta.get("labels") or {})
    errors += label_errors("metadata.labels", labels)
    kubelet_labels = {}
    if current is not None:
        kubelet_labels = {
            k: v for k, v in current["metadata"]["labels"].items() if k in KUBELET_LABELS
        }
    for key in PROTECTED_LABELS:
        if key in labels and current is not None and labels[key] != kubelet_labels.get(key):
            errors.append(f"metadata.labels[{key}]: Forbidden: set by the kubelet")
    taints = []
    current_taints = (current or {}).get("spec", {}).get("taints") or []
    for index, taint in enumerate(spec.get("taints") or ()):
        clean = {k: v for k, v in taint.items() if k != "timeAdded" and v not in (None, "")}
        try:
            checked = validation.taint(clean)
        except ActionError as error:
            errors.append(f"spec.taints[{index}]: Invalid value: {error}")
            continue
        if checked["key"].startswith(CONTROLLER_TAINTS):
            if not any(
                t["key"] == checked["key"] and t["effect"] == checked["effect"]
                for t in current_taints
            ):
                errors.append(
                    f"spec.taints[{index}].key: Forbidden: taints {CONTROLLER_TAINTS}* are managed "
                    "by the node controller"
                )
            continue
        old = next(
            (
                t
                for t in current_taints
                if {k: v for k, v in t.items() if k != "timeAdded"} == checked
            ),
            None,
        )
        if checked["effect"] == "NoExecute":
            checked["timeAdded"] = (old or {}).get("timeAdded") or rfc3339(cluster.now)
        taints.append(checked)
    resources, resource_errors = _node_resources(doc)
    errors += resource_errors
    unschedulable = bool(spec.get("unschedulable"))
    if errors:
        raise Invalid(errors)
    if current is None:
        if len(cluster.store.list("Node")) >= MAX_NODES:
            raise ActionError(f"the harbour is full: at most {MAX_NODES} ships")
        size = _size_for(resources or {})
        for key in PROTECTED_LABELS:
            labels.pop(key, None)
        node = cluster.nodes.add(cluster, size, name, labels, taints)
        with cluster.store.edit(node):
            if resources:
                capacity = {**node["status"]["capacity"], **resources}
                node["status"]["capacity"] = capacity
                node["status"]["allocatable"] = dict(capacity)
            annotations = meta.get("annotations") or {}
            node["metadata"]["annotations"].update(annotations)
        if unschedulable:
            cluster.nodes.cordon(cluster, node, True)
        return True
    changed = False
    if bool(current["spec"].get("unschedulable")) != unschedulable:
        if not unschedulable and name in cluster.nodes.removing:
            raise ActionError(f"node/{name} is being removed and stays cordoned")
        cluster.nodes.cordon(cluster, current, unschedulable)
        changed = True
    new = clone(current)
    new["metadata"]["labels"] = {**labels, **kubelet_labels}
    annotations = dict(meta.get("annotations") or {})
    for key, value in (current["metadata"].get("annotations") or {}).items():
        if key.startswith(("node.alpha.kubernetes.io/", "playground.k8s/")):
            annotations[key] = value  # the kubelet's and the simulation's own
    new["metadata"]["annotations"] = annotations
    kept = [t for t in current_taints if t["key"].startswith(CONTROLLER_TAINTS)]
    if kept + taints:
        new["spec"]["taints"] = kept + taints
    else:
        new["spec"].pop("taints", None)
    # status belongs to the kubelet: an update of the Node ignores it (as the API server does).
    return store_write(cluster, current, new) or changed

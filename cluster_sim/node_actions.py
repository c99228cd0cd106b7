"""User actions on ships (nodes) and disruption budgets, worded like kubectl.

Every check happens before the first change (see actions.py).
"""

from . import validation
from .errors import ActionError
from .nodes import MAX_NODES
from .objects import NODE_SIZES, pdb_object
from .timestamps import rfc3339

PROTECTED_LABELS = ("kubernetes.io/hostname", "playground.k8s/size")
CONTROLLER_TAINTS = "node.kubernetes.io/"  # the node controller owns these (it would re-add them)


def _user_taint_key(key) -> str:
    validation.label_key(key)
    if key.startswith(CONTROLLER_TAINTS):
        raise ActionError(
            f"taints {CONTROLLER_TAINTS}* are managed by the node controller "
            "(use cordon/uncordon, sink_node/raise_node)"
        )
    return key


def _node(cluster, name) -> dict:
    return validation.existing(cluster, "Node", name, "nodes")


def add_node(cluster, size, name=None, labels=None, taints=None) -> str:
    if not isinstance(size, str) or size not in NODE_SIZES:
        raise ActionError(f"size must be one of {', '.join(NODE_SIZES)}")
    if len(cluster.store.list("Node")) >= MAX_NODES:
        raise ActionError(f"the harbour is full: at most {MAX_NODES} ships")
    if name is not None:
        validation.dns_label(name)
        if cluster.store.get("Node", name) is not None:
            raise ActionError(f'nodes "{name}" already exists')
    labels = validation.labels(labels) if labels is not None else {}
    if any(key in PROTECTED_LABELS for key in labels):
        raise ActionError(f"labels {', '.join(PROTECTED_LABELS)} are set by the kubelet")
    taints = validation.taints(taints) if taints is not None else []
    for taint in taints:
        _user_taint_key(taint["key"])
    for taint in taints:
        if taint["effect"] == "NoExecute":
            taint["timeAdded"] = rfc3339(cluster.now)  # the API server stamps NoExecute taints
    node = cluster.nodes.add(cluster, size, name, labels, taints)
    return f"node/{node['metadata']['name']} created"


def remove_node(cluster, name) -> str:
    node = _node(cluster, name)
    if name in cluster.nodes.removing:
        raise ActionError(f"node/{name} is already being drained and will be deleted")
    staying = [
        n for n in cluster.store.list("Node") if n["metadata"]["name"] not in cluster.nodes.removing
    ]
    if len(staying) <= 1:
        raise ActionError(f"{name} is the last ship: a cluster needs at least one node to run pods")
    results = cluster.nodes.drain(cluster, node, delete=True)
    blocked = sum(1 for _, refusal in results if refusal)
    suffix = (
        f" ({blocked} pod(s) wait for their disruption budget; retrying every 5s)"
        if blocked
        else ""
    )
    return f"node/{name} drained and will be deleted{suffix}"


def cordon(cluster, name) -> str:
    node = _node(cluster, name)
    if not cluster.nodes.cordon(cluster, node, True):
        return f"node/{name} already cordoned"
    return f"node/{name} cordoned"


def uncordon(cluster, name) -> str:
    node = _node(cluster, name)
    if name in cluster.nodes.removing:
        raise ActionError(f"node/{name} is being removed and stays cordoned")
    cluster.nodes.draining.pop(name, None)
    if not cluster.nodes.cordon(cluster, node, False):
        return f"node/{name} already uncordoned"
    return f"node/{name} uncordoned"


def drain(cluster, name) -> str:
    node = _node(cluster, name)
    was_cordoned = bool(node["spec"].get("unschedulable"))
    results = cluster.nodes.drain(cluster, node)
    lines = [f"node/{name} {'already cordoned' if was_cordoned else 'cordoned'}"]
    lines += [f"evicting pod default/{pod}" for pod, _ in results]
    blocked = [pod for pod, refusal in results if refusal]
    for pod, refusal in results:
        if refusal:
            lines.append(
                f'error when evicting pods/"{pod}" -n "default" (will retry after 5s): {refusal}'
            )
    lines += [f"pod/{pod} evicted" for pod, refusal in results if not refusal]
    if not blocked:
        lines.append(f"node/{name} drained")
    return "\n".join(lines)


def sink_node(cluster, name) -> str:
    node = _node(cluster, name)
    if cluster.health.is_down(name):
        raise ActionError(f"node/{name} has already sunk")
    cluster.health.sink(cluster, node)
    return f"node/{name} sunk: its kubelet stopped posting node status"


def raise_node(cluster, name) -> str:
    node = _node(cluster, name)
    if not cluster.health.is_down(name):
        raise ActionError(f"node/{name} is afloat: only a sunk ship can be raised")
    cluster.health.raise_(cluster, node)
    return f"node/{name} raised: its kubelet is posting node status again"


def taint_node(cluster, name, key, effect, value=None) -> str:
    node = _node(cluster, name)
    _user_taint_key(key)
    taint = validation.taint({"key": key, "value": value or "", "effect": effect})
    if taint["effect"] == "NoExecute":
        taint["timeAdded"] = rfc3339(cluster.now)
    with cluster.store.edit(node):
        taints = node["spec"].setdefault("taints", [])
        for index, old in enumerate(taints):
            if (old["key"], old["effect"]) == (key, effect):
                if {k: v for k, v in old.items() if k != "timeAdded"} == {
                    k: v for k, v in taint.items() if k != "timeAdded"
                }:
                    taint = old  # the same taint again: keep its timeAdded
                taints[index] = taint
                break
        else:
            taints.append(taint)
    return f"node/{name} tainted"


def untaint_node(cluster, name, key, effect=None) -> str:
    node = _node(cluster, name)
    _user_taint_key(key)
    effect = validation.effect(effect, optional=True)
    taints = node["spec"].get("taints") or []
    keep = [t for t in taints if not (t["key"] == key and effect in (None, t["effect"]))]
    if len(keep) == len(taints):
        raise ActionError(f'taint "{key}{":" + effect if effect else ""}" not found')
    with cluster.store.edit(node):
        if keep:
            node["spec"]["taints"] = keep
        else:
            del node["spec"]["taints"]
    return f"node/{name} untainted"


def label_node(cluster, name, labels) -> str:
    node = _node(cluster, name)
    labels = validation.labels(labels, allow_null=True)
    if not labels:
        raise ActionError("labels must name at least one label")
    if any(key in PROTECTED_LABELS for key in labels):
        raise ActionError(f"labels {', '.join(PROTECTED_LABELS)} are set by the kubelet")
    current = node["metadata"].setdefault("labels", {})
    missing = [k for k, v in labels.items() if v is None and k not in current]
    if missing:
        raise ActionError(f'label "{missing[0]}" not found.')
    with cluster.store.edit(node):
        for key, value in labels.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
    removed_only = all(value is None for value in labels.values())
    return f"node/{name} {'unlabeled' if removed_only else 'labeled'}"


def create_pdb(cluster, deployment, minAvailable=None, maxUnavailable=None) -> str:
    d = validation.existing(cluster, "Deployment", deployment, "deployments.apps", "deployment")
    if (minAvailable is None) == (maxUnavailable is None):
        raise ActionError("create_pdb needs exactly one of minAvailable or maxUnavailable")
    name = f"{deployment}-pdb"
    if cluster.store.get("PodDisruptionBudget", name) is not None:
        raise ActionError(f'poddisruptionbudgets.policy "{name}" already exists')
    if minAvailable is not None:
        budget = {"minAvailable": validation.int_or_percent(minAvailable, "minAvailable")}
    else:
        budget = {"maxUnavailable": validation.int_or_percent(maxUnavailable, "maxUnavailable")}
    selector = {"matchLabels": dict(d["spec"]["selector"]["matchLabels"])}
    cluster.store.create(pdb_object(cluster, name, selector, budget))
    return f"poddisruptionbudget.policy/{name} created"


def delete_pdb(cluster, name) -> str:
    pdb = validation.existing(cluster, "PodDisruptionBudget", name, "poddisruptionbudgets.policy")
    cluster.store.delete(pdb)
    return f'poddisruptionbudget.policy "{name}" deleted'

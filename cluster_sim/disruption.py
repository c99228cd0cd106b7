"""PodDisruptionBudgets (NODE-8): the disruption controller's status and the Eviction API.

expectedPods comes from the owning controllers' scale (for a percentage or
maxUnavailable) or is the number of matching pods (integer minAvailable);
desiredHealthy rounds percentages up; currentHealthy counts Ready pods that are
not terminating; disruptionsAllowed = max(0, currentHealthy - desiredHealthy).
An eviction is granted only while disruptionsAllowed >= 1.
"""

import math

from .deletion import delete_pod
from .podutil import is_ready, is_terminating
from .store import controller_uid
from .timestamps import rfc3339

COMPONENT = "controllermanager"
TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget."
SEVERAL = (
    "This pod has more than one PodDisruptionBudget, which the eviction subresource "
    "does not support."
)


def selects(selector: dict, labels: dict) -> bool:
    """A LabelSelector with matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or ():
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def matching_pods(cluster, pdb: dict) -> list[dict]:
    selector = pdb["spec"].get("selector") or {}
    return [
        pod
        for pod in cluster.store.list("Pod")
        if selects(selector, pod["metadata"].get("labels") or {})
    ]


def scaled(value, total: int) -> int:
    """GetScaledValueFromIntOrPercent with rounding up."""
    if isinstance(value, str):
        return math.ceil(int(value[:-1]) * total / 100)
    return value


def _expected_from_owners(cluster, pods: list[dict]) -> int:
    """Σ spec.replicas of the controllers (Deployment above a ReplicaSet) owning the pods."""
    owners: dict[str, int] = {}
    for pod in pods:
        rs = cluster.store.by_uid(controller_uid(pod) or "")
        if rs is None:
            continue
        top = cluster.store.by_uid(controller_uid(rs) or "") or rs
        owners[top["metadata"]["uid"]] = top["spec"].get("replicas", 1)
    return sum(owners.values())


def compute_status(cluster, pdb: dict) -> dict:
    spec = pdb["spec"]
    pods = matching_pods(cluster, pdb)
    if "minAvailable" in spec and not isinstance(spec["minAvailable"], str):
        expected = len(pods)
        desired = spec["minAvailable"]
    else:
        expected = _expected_from_owners(cluster, pods)
        if "minAvailable" in spec:
            desired = scaled(spec["minAvailable"], expected)
        else:
            desired = max(0, expected - scaled(spec.get("maxUnavailable", 0), expected))
    healthy = sum(1 for pod in pods if is_ready(pod) and not is_terminating(pod))
    allowed = max(0, healthy - desired)
    old = pdb.get("status") or {}
    condition = {
        "type": "DisruptionAllowed",
        "status": "True" if allowed > 0 else "False",
        "reason": "SufficientPods" if allowed > 0 else "InsufficientPods",
        "message": "",
        "observedGeneration": pdb["metadata"].get("generation", 1),
    }
    for cond in old.get("conditions") or ():
        if cond["type"] == "DisruptionAllowed" and cond["status"] == condition["status"]:
            condition["lastTransitionTime"] = cond["lastTransitionTime"]
    condition.setdefault("lastTransitionTime", None)
    return {
        "observedGeneration": pdb["metadata"].get("generation", 1),
        "disruptedPods": old.get("disruptedPods") or {},
        "disruptionsAllowed": allowed,
        "currentHealthy": healthy,
        "desiredHealthy": desired,
        "expectedPods": expected,
        "conditions": [condition],
    }


def run(cluster) -> None:
    """The disruption controller: keep every PDB's status current (cheap: a few PDBs)."""
    for pdb in cluster.store.list("PodDisruptionBudget"):
        status = compute_status(cluster, pdb)
        if status["conditions"][0]["lastTransitionTime"] is None:
            status["conditions"][0]["lastTransitionTime"] = rfc3339(cluster.now)
        live = {
            name: at
            for name, at in status["disruptedPods"].items()
            if (pod := cluster.store.get("Pod", name)) is not None and not is_terminating(pod)
        }
        status["disruptedPods"] = live
        if status != pdb.get("status"):
            with cluster.store.edit(pdb):
                pdb["status"] = status


def evict(cluster, pod: dict) -> str | None:
    """POST pods/<name>/eviction: None when granted (the pod is deleted), else the refusal."""
    if is_terminating(pod):
        return None
    labels = pod["metadata"].get("labels") or {}
    budgets = [
        pdb
        for pdb in cluster.store.list("PodDisruptionBudget")
        if selects(pdb["spec"].get("selector") or {}, labels)
    ]
    if len(budgets) > 1:
        return SEVERAL
    if budgets:
        pdb = budgets[0]
        status = compute_status(cluster, pdb)
        # IfHealthyBudget: an unready pod may go while the budget is met.
        if is_ready(pod):
            if status["disruptionsAllowed"] < 1:
                return TOO_MANY
        elif status["currentHealthy"] < status["desiredHealthy"]:
            return TOO_MANY
    delete_pod(cluster, pod, eviction=True)
    if budgets:
        run(cluster)  # the budget shrinks before the next eviction is judged
    return None

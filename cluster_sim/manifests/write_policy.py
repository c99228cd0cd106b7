"""HorizontalPodAutoscalers, PodDisruptionBudgets and PriorityClasses from manifests."""

from .. import configdata, hpa_actions
from ..errors import ActionError
from ..store import clone
from .common import (
    Invalid,
    bump_generation,
    fresh_metadata,
    int_or_percent_errors,
    label_errors,
    quote,
    store_write,
    updated_metadata,
)
from .kinds import KINDS

# HorizontalPodAutoscalers (hpa_actions has the API server's rules)


def _hpa_errors(name: str, spec: dict) -> list[str]:
    errors = []
    ref = spec.get("scaleTargetRef") or {}
    if not ref.get("name"):
        errors.append("spec.scaleTargetRef.name: Required value")
    if ref.get("kind") != "Deployment" or ref.get("apiVersion", "apps/v1") != "apps/v1":
        errors.append(
            f"spec.scaleTargetRef.kind: Unsupported value: {quote(ref.get('kind'))}: the "
            'playground scales "Deployment" (apps/v1) only'
        )
    metrics = spec.get("metrics")
    cpu = None
    if (
        isinstance(metrics, list)
        and len(metrics) == 1
        and metrics[0].get("type") == "Resource"
        and (metrics[0].get("resource") or {}).get("name") == "cpu"
        and ((metrics[0]["resource"].get("target") or {}).get("type") == "Utilization")
    ):
        cpu = metrics[0]["resource"]["target"].get("averageUtilization")
    if cpu is None:
        errors.append(
            "spec.metrics: Unsupported value: the playground's autoscaler takes one Resource "
            "metric: cpu with a Utilization target (averageUtilization)"
        )
    try:
        hpa_actions._replicas(name, spec.get("minReplicas", 1), spec.get("maxReplicas"))
        if cpu is not None:
            hpa_actions._cpu_percent(name, cpu)
        if spec.get("behavior") is not None:
            spec["behavior"] = hpa_actions._behavior(name, spec["behavior"])
    except ActionError as error:
        text = str(error)
        prefix = f'HorizontalPodAutoscaler.autoscaling "{name}" is invalid: '
        errors.append(text[len(prefix) :] if text.startswith(prefix) else text)
    return errors


def write_hpa(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    spec = clone(doc.get("spec") or {})
    spec.setdefault("minReplicas", 1)
    if not spec.get("metrics"):  # autoscaling/v2 defaulting: 80% CPU
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 80},
                },
            }
        ]
    spec.get("scaleTargetRef", {}).setdefault("apiVersion", "apps/v1")
    errors = configdata.name_errors(name) + _hpa_errors(name, spec)
    target = (spec.get("scaleTargetRef") or {}).get("name")
    other = next(
        (
            h["metadata"]["name"]
            for h in cluster.store.list("HorizontalPodAutoscaler")
            if h["spec"]["scaleTargetRef"]["name"] == target and h["metadata"]["name"] != name
        ),
        None,
    )
    if other is not None:  # a real controller would report AmbiguousSelector and not scale
        errors.append(
            f"spec.scaleTargetRef.name: Duplicate value: {quote(target)}: the playground allows "
            f"one HorizontalPodAutoscaler per Deployment ({quote(other)} scales it)"
        )
    if errors:
        raise Invalid(errors)
    if current is None:
        obj = {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": fresh_metadata(
                cluster, doc, KINDS["HorizontalPodAutoscaler"], generation=1
            ),
            "spec": spec,
            "status": {"currentMetrics": None, "desiredReplicas": 0},
        }
        return store_write(cluster, None, obj)
    meta = updated_metadata(current, doc)
    calc = (current["metadata"].get("annotations") or {}).get("playground.k8s/hpa-calc")
    if calc is not None:  # the controller's memory stays with the object
        meta.setdefault("annotations", {})["playground.k8s/hpa-calc"] = calc
    new = {**clone(current), "metadata": meta, "spec": spec}
    bump_generation(current, new)
    return store_write(cluster, current, new)


# PodDisruptionBudgets, PriorityClasses, Namespaces


def write_pdb(cluster, doc: dict, current: dict | None) -> bool:
    spec = clone(doc.get("spec") or {})
    name = doc["metadata"]["name"]
    errors = configdata.name_errors(name)
    budgets = [key for key in ("minAvailable", "maxUnavailable") if spec.get(key) is not None]
    if len(budgets) > 1:
        errors.append("spec: Invalid value: minAvailable and maxUnavailable cannot be both set")
    if not budgets:
        errors.append("spec: Required value: the playground needs minAvailable or maxUnavailable")
    for key in budgets:
        errors += int_or_percent_errors(f"spec.{key}", spec[key])
    selector = spec.get("selector") or {}
    if selector.get("matchExpressions"):
        errors.append(
            "spec.selector.matchExpressions: Forbidden: the playground selects by matchLabels only"
        )
    if not selector.get("matchLabels"):
        errors.append("spec.selector: Required value")
    errors += label_errors("spec.selector.matchLabels", selector.get("matchLabels"))
    if errors:
        raise Invalid(errors)
    if current is None:
        from ..objects import pdb_object

        budget = {key: spec.pop(key) for key in budgets}
        obj = pdb_object(cluster, name, spec.pop("selector"), budget)
        obj["spec"].update(spec)
        obj["metadata"] = fresh_metadata(cluster, doc, KINDS["PodDisruptionBudget"], generation=1)
        return store_write(cluster, None, obj)
    new = {**clone(current), "metadata": updated_metadata(current, doc), "spec": spec}
    bump_generation(current, new)
    return store_write(cluster, current, new)


def write_priority_class(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    errors = configdata.name_errors(name)
    value = doc.get("value")
    if value is None:
        errors.append("value: Required value")
    elif value > 1_000_000_000:
        errors.append(
            f"value: Invalid value: {value}: "
            "maximum allowed value of a user defined priority is 1000000000"
        )
    if name.startswith("system-") and current is None:
        errors.append(
            f"metadata.name: Invalid value: {quote(name)}: "
            "priority class names with 'system-' prefix are reserved"
        )
    policy = doc.get("preemptionPolicy") or "PreemptLowerPriority"
    if policy not in ("PreemptLowerPriority", "Never"):
        errors.append(
            f"preemptionPolicy: Unsupported value: {quote(policy)}: "
            'supported values: "Never", "PreemptLowerPriority"'
        )
    if current is not None:
        if value != current["value"]:
            errors.append("value: Forbidden: may not be changed in an update.")
        if policy != current.get("preemptionPolicy"):
            errors.append(f"preemptionPolicy: Invalid value: {quote(policy)}: field is immutable")
    if doc.get("globalDefault") and any(
        pc.get("globalDefault") and pc["metadata"]["name"] != name
        for pc in cluster.store.list("PriorityClass")
    ):
        errors.append(
            "globalDefault: Invalid value: true: the playground allows one globalDefault class"
        )
    if errors:
        raise Invalid(errors)
    meta = (
        fresh_metadata(cluster, doc, KINDS["PriorityClass"], generation=1)
        if current is None
        else updated_metadata(current, doc)
    )
    obj = {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": meta,
        "value": value,
        "globalDefault": bool(doc.get("globalDefault")),
        "description": doc.get("description") or "",
        "preemptionPolicy": policy,
    }
    if current is None and not obj["description"]:
        del obj["description"]
    return store_write(cluster, current, obj)

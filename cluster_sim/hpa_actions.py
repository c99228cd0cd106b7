"""HorizontalPodAutoscaler actions: kubectl autoscale, patch and delete of an autoscaling/v2 HPA.

The HPA is named after its Deployment (as `kubectl autoscale` names it) and
targets average CPU utilization. A behavior, when given, is validated like the
API server validates it and filled with the defaults (HPA-7); without one the
controller takes the legacy path (HPA-6).
"""

from .action_util import find_deployment
from .errors import ActionError
from .hpa_behavior import default_behavior
from .objects import metadata
from .store import clone
from .validation import existing

MAX_REPLICAS = 50  # the playground's limit, as for `scale`
MAX_CPU_PERCENT = 1000
MAX_WINDOW = 3600
MAX_PERIOD = 1800
MAX_POLICIES = 10
POLICY_TYPES = ("Pods", "Percent")
SELECT_POLICIES = ("Disabled", "Max", "Min")
RULE_FIELDS = ("stabilizationWindowSeconds", "selectPolicy", "policies")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid(name: str, problems: list[str]) -> ActionError:
    return ActionError(
        f'HorizontalPodAutoscaler.autoscaling "{name}" is invalid: ' + ", ".join(problems)
    )


def _replicas(name, min_replicas, max_replicas) -> None:
    for what, value in (("minReplicas", min_replicas), ("maxReplicas", max_replicas)):
        if not _whole(value):
            raise ActionError(f"{what} must be a whole number")
    problems = []
    if min_replicas < 1:
        problems.append(
            f"spec.minReplicas: Invalid value: {min_replicas}: must be greater than or equal to 1"
        )
    if max_replicas < 1:
        problems.append(f"spec.maxReplicas: Invalid value: {max_replicas}: must be greater than 0")
    elif max_replicas < min_replicas:
        problems.append(
            f"spec.maxReplicas: Invalid value: {max_replicas}: "
            "must be greater than or equal to `minReplicas`"
        )
    if problems:
        raise _invalid(name, problems)
    if max_replicas > MAX_REPLICAS:
        raise ActionError(f"maxReplicas can be at most {MAX_REPLICAS} (the playground's limit)")


def _cpu_percent(name, value) -> None:
    if not _whole(value):
        raise ActionError("cpuPercent must be a whole number of percent, e.g. 50")
    if value < 1:
        raise _invalid(
            name,
            [
                "spec.metrics[0].resource.target.averageUtilization: "
                f"Invalid value: {value}: must be greater than 0"
            ],
        )
    if value > MAX_CPU_PERCENT:
        raise ActionError(f"cpuPercent can be at most {MAX_CPU_PERCENT} in the playground")


def _rules(name, direction: str, rules) -> list[str]:
    """validateScalingRules: the API server's messages for one direction."""
    path = f"spec.behavior.{direction}"
    if rules is None:
        return []
    if not isinstance(rules, dict):
        raise ActionError(f"behavior.{direction} must be an object")
    for key in rules:
        if key not in RULE_FIELDS:
            raise ActionError(f'strict decoding error: unknown field "{path}.{key}"')
    problems = []
    window = rules.get("stabilizationWindowSeconds")
    if window is not None:
        if not _whole(window):
            raise ActionError(f"{path}.stabilizationWindowSeconds must be a whole number")
        if window < 0:
            problems.append(
                f"{path}.stabilizationWindowSeconds: Invalid value: {window}: "
                "must be greater than or equal to zero"
            )
        elif window > MAX_WINDOW:
            problems.append(
                f"{path}.stabilizationWindowSeconds: Invalid value: {window}: "
                f"must be less than or equal to {MAX_WINDOW}"
            )
    select = rules.get("selectPolicy")
    if select is not None and select not in SELECT_POLICIES:
        problems.append(
            f'{path}.selectPolicy: Unsupported value: "{select}": supported values: '
            + ", ".join(f'"{p}"' for p in SELECT_POLICIES)
        )
    policies = rules.get("policies")
    if policies is not None:
        if not isinstance(policies, list):
            raise ActionError(f"{path}.policies must be a list")
        if len(policies) > MAX_POLICIES:
            raise ActionError(f"{path}.policies: at most {MAX_POLICIES} in the playground")
        if not policies:
            problems.append(f"{path}.policies: Required value: must specify at least one Policy")
        for index, policy in enumerate(policies):
            problems += _policy(f"{path}.policies[{index}]", policy)
    return problems


def _policy(path: str, policy) -> list[str]:
    if not isinstance(policy, dict):
        raise ActionError(f"{path} must be an object {{type, value, periodSeconds}}")
    for key in policy:
        if key not in ("type", "value", "periodSeconds"):
            raise ActionError(f'strict decoding error: unknown field "{path}.{key}"')
    problems = []
    if policy.get("type") not in POLICY_TYPES:
        problems.append(
            f'{path}.type: Unsupported value: "{policy.get("type")}": '
            'supported values: "Percent", "Pods"'
        )
    for key, most in (("value", None), ("periodSeconds", MAX_PERIOD)):
        value = policy.get(key)
        if not _whole(value):
            raise ActionError(f"{path}.{key} must be a whole number")
        if value <= 0:
            problems.append(f"{path}.{key}: Invalid value: {value}: must be greater than zero")
        elif most is not None and value > most:
            problems.append(
                f"{path}.{key}: Invalid value: {value}: must be less than or equal to {most}"
            )
    return problems


def _behavior(name, behavior) -> dict:
    """Validate a behavior and fill in the API defaults."""
    if not isinstance(behavior, dict):
        raise ActionError("behavior must be an object with scaleUp and/or scaleDown")
    for key in behavior:
        if key not in ("scaleUp", "scaleDown"):
            raise ActionError(f'strict decoding error: unknown field "spec.behavior.{key}"')
    problems = _rules(name, "scaleUp", behavior.get("scaleUp"))
    problems += _rules(name, "scaleDown", behavior.get("scaleDown"))
    if problems:
        raise _invalid(name, problems)
    return default_behavior(clone(behavior))


def new_hpa(cluster, deployment: dict, min_replicas, max_replicas, cpu_percent, behavior):
    name = deployment["metadata"]["name"]
    spec = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
        "minReplicas": min_replicas,
        "maxReplicas": max_replicas,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": cpu_percent},
                },
            }
        ],
    }
    if behavior is not None:
        spec["behavior"] = behavior
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(cluster, name, generation=1, annotations={}),
        "spec": spec,
        # What the API server stores before the controller's first sync.
        "status": {"currentMetrics": None, "desiredReplicas": 0},
    }


def create_hpa(cluster, deployment, maxReplicas, cpuPercent, minReplicas=1, behavior=None):
    """kubectl autoscale deployment D --cpu-percent=N --min=M --max=X (HPA-1)."""
    target = find_deployment(cluster, deployment)
    _replicas(deployment, minReplicas, maxReplicas)
    _cpu_percent(deployment, cpuPercent)
    filled = _behavior(deployment, behavior) if behavior is not None else None
    if cluster.store.get("HorizontalPodAutoscaler", deployment) is not None:
        raise ActionError(f'horizontalpodautoscalers.autoscaling "{deployment}" already exists')
    cluster.store.create(new_hpa(cluster, target, minReplicas, maxReplicas, cpuPercent, filled))
    return f"horizontalpodautoscaler.autoscaling/{deployment} autoscaled"


_UNSET = object()


def update_hpa(
    cluster, name, minReplicas=_UNSET, maxReplicas=_UNSET, cpuPercent=_UNSET, behavior=_UNSET
):
    """kubectl patch hpa NAME: replicas bounds, the CPU target, the behavior (null removes it,
    back to the legacy normalization)."""
    hpa = find_hpa(cluster, name)
    spec = clone(hpa["spec"])
    if minReplicas is not _UNSET:
        spec["minReplicas"] = minReplicas
    if maxReplicas is not _UNSET:
        spec["maxReplicas"] = maxReplicas
    _replicas(name, spec.get("minReplicas", 1), spec["maxReplicas"])
    if cpuPercent is not _UNSET:
        _cpu_percent(name, cpuPercent)
        spec["metrics"][0]["resource"]["target"]["averageUtilization"] = cpuPercent
    if behavior is None:
        spec.pop("behavior", None)
    elif behavior is not _UNSET:
        spec["behavior"] = _behavior(name, behavior)
    if spec == hpa["spec"]:
        return f"horizontalpodautoscaler.autoscaling/{name} patched (no change)"
    with cluster.store.edit(hpa):
        hpa["spec"] = spec
        hpa["metadata"]["generation"] = hpa["metadata"].get("generation", 1) + 1
    return f"horizontalpodautoscaler.autoscaling/{name} patched"


def delete_hpa(cluster, name):
    hpa = find_hpa(cluster, name)
    cluster.store.delete(hpa)
    return f'horizontalpodautoscaler.autoscaling "{name}" deleted'


def find_hpa(cluster, name) -> dict:
    return existing(
        cluster, "HorizontalPodAutoscaler", name, "horizontalpodautoscalers.autoscaling"
    )


# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {
    "create_hpa": (
        create_hpa,
        ("deployment", "maxReplicas", "cpuPercent"),
        ("minReplicas", "behavior"),
    ),
    "update_hpa": (update_hpa, ("name",), ("minReplicas", "maxReplicas", "cpuPercent", "behavior")),
    "delete_hpa": (delete_hpa, ("name",), ()),
}

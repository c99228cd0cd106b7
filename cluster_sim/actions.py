"""User actions: validate everything first, then change the cluster, then say what happened.

Messages follow kubectl's wording where kubectl has one. Every check happens
before the first change, so a refused action leaves the cluster exactly as it was.
"""

import re

from . import (
    config_actions,
    hpa_actions,
    kubectl_actions,
    manifest_actions,
    node_actions,
    rollout_actions,
    service_actions,
    validation,
)
from .action_util import change_spec, find_deployment, find_pod, patch_spec, patch_template, text
from .deletion import delete_pod
from .errors import ActionError
from .scheduler.plugins import STRATEGIES
from .scheduler.scores import DEFAULT_SHAPE, REQUESTED_TO_CAPACITY_RATIO, validate_shape

MAX_REPLICAS = 50
MAX_IMAGE_LENGTH = 255
# A container image reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path.
_IMAGE = re.compile(
    r"(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@sha256:[a-f0-9]{64})?"
)


def apply(cluster, action) -> str:
    if not isinstance(action, dict):
        raise ActionError(
            'an action is an object such as {"action": "delete_pod", "name": "web-x"}'
        )
    name = action.get("action")
    handler = HANDLERS.get(name) if isinstance(name, str) else None
    if handler is None:
        raise ActionError(f"unknown action {name!r}; use one of: {', '.join(HANDLERS)}")
    perform, required, optional = handler
    args = {key: value for key, value in action.items() if key != "action"}
    missing = [key for key in required if key not in args]
    if missing:
        raise ActionError(f"{name} needs {', '.join(missing)}")
    unexpected = sorted(set(args) - set(required) - set(optional))
    if unexpected:
        raise ActionError(f"{name} does not take {', '.join(unexpected)}")
    return perform(cluster, **args)


# The actions


MAX_GRACE_PERIOD = 3600
FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource "
    "has been terminated. The resource may continue to run on the cluster indefinitely."
)


def delete_pod_action(cluster, name, grace_period=None, force=False) -> str:
    """kubectl delete pod NAME [--grace-period=N] [--force] (POD-11, POD-12)."""
    pod = find_pod(cluster, name)
    if grace_period is not None and (
        isinstance(grace_period, bool)
        or not isinstance(grace_period, int)
        or not 0 <= grace_period <= MAX_GRACE_PERIOD
    ):
        raise ActionError(f"grace_period must be a whole number from 0 to {MAX_GRACE_PERIOD}")
    if not isinstance(force, bool):
        raise ActionError("force must be true or false")
    if force and grace_period is None:
        grace_period = 0  # --force alone means --grace-period=0
    if force and grace_period > 0:
        raise ActionError("--force and --grace-period greater than 0 cannot be specified together")
    if grace_period == 0 and not force:
        grace_period = 1  # kubectl turns --grace-period=0 into 1 unless --force is given
    delete_pod(cluster, pod, grace=grace_period)
    if grace_period == 0:
        return f'{FORCE_WARNING}\npod "{name}" force deleted'
    return f'pod "{name}" deleted'


def scale(cluster, deployment, replicas) -> str:
    d = find_deployment(cluster, deployment)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
        raise ActionError(f"replicas must be a whole number from 0 to {MAX_REPLICAS}")
    capped = replicas > MAX_REPLICAS
    replicas = min(replicas, MAX_REPLICAS)
    change_spec(cluster, d, lambda spec: spec.update(replicas=replicas))
    suffix = f" (capped at {MAX_REPLICAS} replicas, the playground's limit)" if capped else ""
    return f"deployment.apps/{deployment} scaled{suffix}"


def set_image(cluster, deployment, image, container=None) -> str:
    d = find_deployment(cluster, deployment)
    image = text(image, "image")
    if len(image) > MAX_IMAGE_LENGTH or not _IMAGE.fullmatch(image):
        raise ActionError(
            f'"{image[:80]}" is not a valid container image reference (e.g. nginx:1.27)'
        )
    containers = d["spec"]["template"]["spec"]["containers"]
    if container is None:
        target = containers[0]
    else:
        target = next((c for c in containers if c["name"] == text(container, "container")), None)
        if target is None:
            raise ActionError(f'unable to find container named "{container}"')
    index = containers.index(target)
    change_spec(
        cluster, d, lambda spec: spec["template"]["spec"]["containers"][index].update(image=image)
    )
    return f"deployment.apps/{deployment} image updated"


def crash_pod(cluster, name) -> str:
    """Make the pod's first container exit with code 1 now; the kubelet restarts it (POD-7)."""
    pod = find_pod(cluster, name)
    if not pod["spec"].get("nodeName"):
        raise ActionError(f'pod "{name}" is not running on a node yet')
    refusal = cluster.kubelet.crashable(cluster, pod)
    if refusal:
        raise ActionError(f"cannot crash pod/{name}: {refusal}")
    cluster.kubelet.crash(cluster, pod)
    return f"pod/{name} crashed (exit code 1)"


PROBE_TYPES = ("readiness", "liveness")


def http_probe() -> dict:
    """An httpGet probe on port 80, path /healthz, with the core/v1 defaults written out."""
    return {
        "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
        "initialDelaySeconds": 0,
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }


def set_probe(cluster, deployment, probe, enabled) -> str:
    """kubectl patch of the first container's readinessProbe or livenessProbe (a rollout)."""
    d = find_deployment(cluster, deployment)
    if probe not in PROBE_TYPES:
        raise ActionError(f"probe must be {' or '.join(PROBE_TYPES)}")
    if not isinstance(enabled, bool):
        raise ActionError("enabled must be true or false")
    field = f"{probe}Probe"

    def change(spec):
        container = spec["template"]["spec"]["containers"][0]
        if enabled:
            container[field] = container.get(field) or http_probe()
        else:
            container.pop(field, None)

    return patch_spec(cluster, d, change)


def set_strategy(cluster, strategy, shape=None) -> str:
    if strategy not in STRATEGIES:
        raise ActionError(f"strategy must be {' or '.join(STRATEGIES)}")
    if shape is not None and strategy != REQUESTED_TO_CAPACITY_RATIO:
        raise ActionError(f"shape is only used by {REQUESTED_TO_CAPACITY_RATIO}")
    if strategy == REQUESTED_TO_CAPACITY_RATIO:
        shape = validate_shape(shape if shape is not None else DEFAULT_SHAPE)
        cluster.settings["shape"] = shape
    else:
        cluster.settings.pop("shape", None)
    cluster.settings["strategy"] = strategy
    return f"scheduler scoring strategy set to {strategy}"


def set_tolerations(cluster, deployment, tolerations) -> str:
    d = find_deployment(cluster, deployment)
    wanted = validation.tolerations(tolerations)
    return patch_template(cluster, d, "tolerations", wanted or None)


def set_node_selector(cluster, deployment, nodeSelector) -> str:
    d = find_deployment(cluster, deployment)
    wanted = validation.labels(nodeSelector)
    return patch_template(cluster, d, "nodeSelector", wanted or None)


def set_priority_class(cluster, deployment, priorityClassName) -> str:
    d = find_deployment(cluster, deployment)
    if not isinstance(priorityClassName, str):
        raise ActionError('priorityClassName must be a string ("" clears it)')
    if priorityClassName and cluster.store.get("PriorityClass", priorityClassName) is None:
        raise ActionError(f'priorityclasses.scheduling.k8s.io "{priorityClassName}" not found')
    return patch_template(cluster, d, "priorityClassName", priorityClassName or None)


# action name -> (function, required arguments, optional arguments)
HANDLERS = {
    "delete_pod": (delete_pod_action, ("name",), ("grace_period", "force")),
    "scale": (scale, ("deployment", "replicas"), ()),
    "set_image": (set_image, ("deployment", "image"), ("container",)),
    "add_node": (node_actions.add_node, ("size",), ("name", "labels", "taints")),
    "remove_node": (node_actions.remove_node, ("name",), ()),
    "set_strategy": (set_strategy, ("strategy",), ("shape",)),
    "cordon": (node_actions.cordon, ("name",), ()),
    "uncordon": (node_actions.uncordon, ("name",), ()),
    "drain": (node_actions.drain, ("name",), ()),
    "sink_node": (node_actions.sink_node, ("name",), ()),
    "raise_node": (node_actions.raise_node, ("name",), ()),
    "taint_node": (node_actions.taint_node, ("name", "key", "effect"), ("value",)),
    "untaint_node": (node_actions.untaint_node, ("name", "key"), ("effect",)),
    "label_node": (node_actions.label_node, ("name", "labels"), ()),
    "create_pdb": (node_actions.create_pdb, ("deployment",), ("minAvailable", "maxUnavailable")),
    "delete_pdb": (node_actions.delete_pdb, ("name",), ()),
    "set_tolerations": (set_tolerations, ("deployment", "tolerations"), ()),
    "set_node_selector": (set_node_selector, ("deployment", "nodeSelector"), ()),
    "set_priority_class": (set_priority_class, ("deployment", "priorityClassName"), ()),
    "crash_pod": (crash_pod, ("name",), ()),
    "set_probe": (set_probe, ("deployment", "probe", "enabled"), ()),
}

# The names a driver may accept from users, in a stable order.
# Topic modules register their own actions; the names must not collide.
for _module in (
    rollout_actions,
    config_actions,
    service_actions,
    hpa_actions,
    kubectl_actions,
    manifest_actions,
):
    _clash = set(HANDLERS) & set(_module.HANDLERS)
    assert not _clash, f"action names defined twice: {_clash}"
    HANDLERS.update(_module.HANDLERS)

ACTION_NAMES = tuple(HANDLERS)

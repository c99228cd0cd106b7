"""Service actions and the traffic each Service receives (SVC-1..SVC-4)."""

import json
import math
import re

from . import validation
from .action_util import find_deployment
from .errors import ActionError
from .metrics import CPU_MODEL_ANNOTATION, millicores
from .services import MAX_SERVICES, TYPES, new_service
from .traffic import MAX_RPS, MODES, rps_text

DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
MAX_CPU_MODEL_MILLICORES = 10_000
DEMO_SERVICE, DEMO_RPS = "web", 30
SUPPORTED_TYPES = ", ".join(f'"{t}"' for t in TYPES)


def find_service(cluster, name, what: str = "name") -> dict:
    return validation.existing(cluster, "Service", name, "services", what)


def _service_name(name) -> str:
    if not isinstance(name, str) or len(name) > 63 or not DNS1035_LABEL.fullmatch(name):
        raise ActionError(
            f'The Service "{name}" is invalid: metadata.name: Invalid value: "{name}": a DNS-1035 '
            "label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or "
            "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        )
    return name


def _port(name: str, value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ActionError(
            f'The Service "{name}" is invalid: spec.ports[0].{field}: Invalid value: {value!r}: '
            "must be between 1 and 65535, inclusive"
        )
    return value


def create_service(
    cluster, name, deployment=None, selector=None, type="ClusterIP", port=80, targetPort=80
) -> str:
    """kubectl expose deployment D --name NAME --port P --target-port T [--type NodePort]."""
    name = _service_name(name)
    if (deployment is None) == (selector is None):
        raise ActionError("create_service needs exactly one of deployment or selector")
    if deployment is not None:
        d = find_deployment(cluster, deployment)
        selector = dict(d["spec"]["selector"].get("matchLabels") or {})
        labels = dict(d["metadata"].get("labels") or {})
    else:
        selector = validation.labels(selector)
        labels = None
    if not selector:
        raise ActionError("a Service needs a selector with at least one label")
    if type not in TYPES:
        raise ActionError(
            f'The Service "{name}" is invalid: spec.type: Unsupported value: "{type}": '
            f"supported values: {SUPPORTED_TYPES}"
        )
    port = _port(name, port, "port")
    target_port = _port(name, targetPort, "targetPort")
    if cluster.store.get("Service", name) is not None:
        raise ActionError(f'services "{name}" already exists')
    if len(cluster.store.list("Service")) >= MAX_SERVICES:
        raise ActionError(f"at most {MAX_SERVICES} Services in the playground")
    service = new_service(
        cluster,
        name,
        selector=selector,
        labels=labels,
        type_=type,
        port=port,
        target_port=target_port,
    )
    cluster.store.create(service)
    cluster.traffic.set_rate(cluster, service, 0)  # the annotation shows from the start
    return f"service/{name} exposed"


def delete_service(cluster, name) -> str:
    """kubectl delete service NAME; its EndpointSlices follow (garbage collection)."""
    service = find_service(cluster, name)
    cluster.traffic.forget(service["metadata"]["uid"])
    cluster.store.delete(service)
    return f'service "{name}" deleted'


def set_traffic(cluster, service, rps) -> str:
    """Requests per second sent to the Service from now on (playground-only)."""
    found = find_service(cluster, service, "service")
    if (
        isinstance(rps, bool)
        or not isinstance(rps, int | float)
        or not math.isfinite(rps)
        or not 0 <= rps <= MAX_RPS
    ):
        raise ActionError(f"rps must be a number of requests per second from 0 to {MAX_RPS}")
    cluster.traffic.set_rate(cluster, found, rps)
    return f"traffic to service/{service} set to {rps_text(rps)} requests/s"


def set_proxy_mode(cluster, mode) -> str:
    """kube-proxy's mode for the whole cluster: iptables (random) or ipvs (round-robin)."""
    if mode not in MODES:
        raise ActionError(f"mode must be {' or '.join(MODES)}")
    cluster.settings["proxyMode"] = mode
    cluster.traffic.show_all(cluster)  # every Service's annotation names the new mode at once
    return f"kube-proxy mode set to {mode}"


def _cpu(value, what: str) -> str:
    try:
        millis = millicores(value) if isinstance(value, str) else None
    except ValueError:
        millis = None
    if millis is None or not 0 <= millis <= MAX_CPU_MODEL_MILLICORES:
        raise ActionError(
            f'{what} must be a CPU quantity from "0m" to "{MAX_CPU_MODEL_MILLICORES}m" (e.g. "20m")'
        )
    return value


def set_cpu_model(cluster, deployment, perRequest, base) -> str:
    """kubectl annotate deployment D playground.k8s/cpu-model='{...}' --overwrite."""
    d = find_deployment(cluster, deployment)
    model = {"perRequest": _cpu(perRequest, "perRequest"), "base": _cpu(base, "base")}
    text = json.dumps(model, sort_keys=True)
    with cluster.store.edit(d):
        d["metadata"].setdefault("annotations", {})[CPU_MODEL_ANNOTATION] = text
    return f"deployment.apps/{deployment} annotated"


def add_demo_service(cluster) -> None:
    """The demo's `web` Service in front of the `web` Deployment (no traffic yet)."""
    create_service(cluster, DEMO_SERVICE, deployment="web")


def start_demo_traffic(cluster, rps=DEMO_RPS) -> None:
    """Steady traffic to the demo's Service; started once its pods are Ready, so a new
    playground does not open with the failures of its own start-up."""
    set_traffic(cluster, DEMO_SERVICE, rps)


# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {
    "create_service": (
        create_service,
        ("name",),
        ("deployment", "selector", "type", "port", "targetPort"),
    ),
    "delete_service": (delete_service, ("name",), ()),
    "set_traffic": (set_traffic, ("service", "rps"), ()),
    "set_proxy_mode": (set_proxy_mode, ("mode",), ()),
    "set_cpu_model": (set_cpu_model, ("deployment", "perRequest", "base"), ()),
}

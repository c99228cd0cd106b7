"""One writer per kind: validate a (defaulted) manifest against the stored object, then
create or update it through the same constructors, limits and side effects as the actions.

A writer gets the document and the current object (None to create) and returns the
verb's outcome: True when something changed. Every check happens before the first write.
"""

import ipaddress
import json
import re

from .. import configdata, hpa_actions, validation
from ..config_actions import MAX_OBJECTS
from ..errors import ActionError
from ..names import generate_name
from ..node_actions import CONTROLLER_TAINTS, PROTECTED_LABELS
from ..nodes import MAX_NODES
from ..objects import NODE_SIZES, metadata
from ..quantity import parse_quantity
from ..services import (
    MAX_SERVICES,
    NODE_PORT_MAX,
    NODE_PORT_MIN,
    SERVICE_CIDR,
    allocate_cluster_ip,
    allocate_node_port,
    cluster_ips_in_use,
    node_ports_in_use,
)
from ..store import clone
from ..timestamps import rfc3339
from .kinds import KINDS
from .podspec import default_pod_spec, pod_spec_errors

MAX_REPLICAS = 50  # the playground's limit, as for `scale`
# Labels the kubelet sets on its Node (kept when a manifest leaves them out).
KUBELET_LABELS = (*PROTECTED_LABELS, "kubernetes.io/arch", "kubernetes.io/os")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?"


class Invalid(Exception):
    """Field errors of one object (the API server's 422)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def quote(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _int_or_percent_errors(path: str, value) -> list[str]:
    try:
        validation.int_or_percent(value, path)
    except ActionError:
        return [
            f"{path}: Invalid value: {quote(value)}: a valid percent string must be a numeric "
            "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
            "is '[0-9]+%')"
        ]
    return []


def label_errors(path: str, labels) -> list[str]:
    errors = []
    for key, value in (labels or {}).items():
        try:
            validation.label_key(key)
        except ActionError as error:
            errors.append(f"{path}: Invalid value: {quote(key)}: {error}")
        try:
            validation.label_value(value)
        except ActionError as error:
            errors.append(f"{path}: Invalid value: {quote(value)}: {error}")
    return errors


def _labels_text(labels: dict) -> str:
    """Go's %#v of a map[string]string, as immutability errors print it."""
    inner = ", ".join(f"{quote(k)}:{quote(v)}" for k, v in sorted(labels.items()))
    return "map[string]string{" + inner + "}"


# Shared metadata handling


def fresh_metadata(cluster, doc: dict, entry: dict, **fields) -> dict:
    meta = doc.get("metadata") or {}
    return metadata(
        cluster,
        meta["name"],
        namespaced=entry["namespaced"],
        labels=dict(meta["labels"]) if meta.get("labels") else None,
        annotations=dict(meta.get("annotations") or {}),
        **fields,
    )


def updated_metadata(current: dict, doc: dict) -> dict:
    """The stored metadata with the document's labels and annotations (system fields kept)."""
    meta = clone(current["metadata"])
    wanted = doc.get("metadata") or {}
    for field in ("labels", "annotations"):
        if wanted.get(field):
            meta[field] = dict(wanted[field])
        elif field == "annotations" and "annotations" in meta:
            meta["annotations"] = {}
        else:
            meta.pop(field, None)
    if "finalizers" in wanted:
        meta["finalizers"] = wanted["finalizers"]
    return meta


def store_write(cluster, current: dict | None, new: dict) -> bool:
    """Create new, or make current equal to new (in place: the store keeps that dict)."""
    if current is None:
        cluster.store.create(new)
        return True
    if new == current:
        return False
    with cluster.store.edit(current):
        current.clear()
        current.update(new)
    return True


def bump_generation(current: dict, new: dict, fields=("spec",)) -> None:
    if any(new.get(field) != current.get(field) for field in fields):
        new["metadata"]["generation"] = current["metadata"].get("generation", 1) + 1


# Deployments


def _rollout_errors(spec: dict) -> list[str]:
    errors = []
    strategy = spec.get("strategy") or {}
    if strategy.get("type") != "RollingUpdate":
        errors.append(
            f"spec.strategy.type: Unsupported value: {quote(strategy.get('type'))}: "
            'supported values: "RollingUpdate" (the playground has no Recreate strategy)'
        )
        return errors
    rolling = strategy.get("rollingUpdate") or {}
    for key in ("maxSurge", "maxUnavailable"):
        errors += _int_or_percent_errors(f"spec.strategy.rollingUpdate.{key}", rolling.get(key))
    if (
        not errors
        and rolling.get("maxSurge") in (0, "0%")
        and rolling.get("maxUnavailable")
        in (
            0,
            "0%",
        )
    ):
        errors.append(
            f"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
            f"{quote(rolling['maxUnavailable'])}: may not be 0 when `maxSurge` is 0"
        )
    return errors


def default_deployment_spec(spec: dict) -> dict:
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxSurge", "25%")
        rolling.setdefault("maxUnavailable", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    spec.setdefault("minReadySeconds", 0)
    template = spec.setdefault("template", {})
    template.setdefault("metadata", {})
    default_pod_spec(template.setdefault("spec", {}))
    return spec


def selector_errors(spec: dict, template_labels: dict, current_spec) -> list[str]:
    selector = spec.get("selector")
    if not selector:  # a nil selector matches nothing, so the template check fails too
        return [
            "spec.selector: Required value",
            f"spec.template.metadata.labels: Invalid value: {_labels_text(template_labels)}: "
            "`selector` does not match template `labels`",
        ]
    errors = []
    if selector.get("matchExpressions"):
        errors.append(
            "spec.selector.matchExpressions: Forbidden: the playground's controllers select "
            "pods by matchLabels only"
        )
    match = selector.get("matchLabels") or {}
    if not match:
        errors.append(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid "
            "for deployment"
        )
    errors += label_errors("spec.selector.matchLabels", match)
    if match and any(template_labels.get(k) != v for k, v in match.items()):
        errors.append(
            f"spec.template.metadata.labels: Invalid value: {_labels_text(template_labels)}: "
            "`selector` does not match template `labels`"
        )
    if current_spec is not None and current_spec.get("selector") != selector:
        errors.append(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
            f"{_labels_text(match)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: "
            "field is immutable"
        )
    return errors


def write_deployment(cluster, doc: dict, current: dict | None) -> bool:
    spec = default_deployment_spec(clone(doc.get("spec") or {}))
    errors = []
    replicas = spec["replicas"]
    if replicas < 0:
        errors.append(
            f"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
        )
    elif replicas > MAX_REPLICAS:
        errors.append(
            f"spec.replicas: Invalid value: {replicas}: must be less than or equal to "
            f"{MAX_REPLICAS} (the playground's limit)"
        )
    template_labels = spec["template"]["metadata"].get("labels") or {}
    errors += selector_errors(spec, template_labels, current and current["spec"])
    errors += label_errors("spec.template.metadata.labels", template_labels)
    errors += pod_spec_errors(
        "spec.template.spec", spec["template"]["spec"], restart_policies=("Always",)
    )
    errors += _rollout_errors(spec)
    for key in ("revisionHistoryLimit", "progressDeadlineSeconds", "minReadySeconds"):
        if spec[key] < 0:
            errors.append(
                f"spec.{key}: Invalid value: {spec[key]}: must be greater than or equal to 0"
            )
    if spec["progressDeadlineSeconds"] <= spec["minReadySeconds"] and not errors:
        errors.append(
            f"spec.progressDeadlineSeconds: Invalid value: {spec['progressDeadlineSeconds']}: "
            "must be greater than minReadySeconds"
        )
    if spec.get("paused"):
        errors.append("spec.paused: Forbidden: the playground cannot pause a rollout")
    if errors:
        raise Invalid(errors)
    if current is None:
        obj = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": fresh_metadata(cluster, doc, KINDS["Deployment"], generation=1),
            "spec": spec,
            "status": {},
        }
        return store_write(cluster, None, obj)
    new = {**clone(current), "metadata": updated_metadata(current, doc), "spec": spec}
    bump_generation(current, new)
    return store_write(cluster, current, new)


# ConfigMaps and Secrets (configdata has the API server's rules)


def _sorted(data: dict) -> dict:
    return {key: data[key] for key in sorted(data)}


def _immutable_errors(current: dict | None, doc: dict, same_data: bool) -> list[str]:
    if current is None or not current.get("immutable"):
        return []
    errors = []
    if not same_data:
        errors.append("data: Forbidden: field is immutable when `immutable` is set")
    if doc.get("immutable") is not True:
        errors.append("immutable: Forbidden: field is immutable when `immutable` is set")
    return errors


def _room(cluster, kind: str) -> None:
    if len(cluster.store.list(kind)) >= MAX_OBJECTS:
        raise ActionError(f"the playground holds at most {MAX_OBJECTS} {kind}s; delete one first")


def write_configmap(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    data = _sorted(doc.get("data") or {})
    binary = _sorted(doc.get("binaryData") or {})
    errors = configdata.configmap_errors(name, data, binary)
    errors += _immutable_errors(
        current, doc, current is not None and (current.get("data") or {}) == data
    )
    if errors:
        raise Invalid(errors)
    if current is None:
        _room(cluster, "ConfigMap")
        obj = {"apiVersion": "v1", "kind": "ConfigMap"}
        obj["metadata"] = fresh_metadata(cluster, doc, KINDS["ConfigMap"])
    else:
        obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": updated_metadata(current, doc)}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    if doc.get("immutable") is not None:
        obj["immutable"] = doc["immutable"]
    return store_write(cluster, current, obj)


def write_secret(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    secret_type = doc.get("type") or (current or {}).get("type") or configdata.OPAQUE
    payload = configdata.decode_secret_data(doc.get("data") or {})
    for key, value in (doc.get("stringData") or {}).items():
        payload[key] = value.encode()
    data = _sorted({key: configdata.encode(value) for key, value in payload.items()})
    annotations = (doc.get("metadata") or {}).get("annotations") or {}
    errors = configdata.secret_errors(name, secret_type, payload, annotations)
    if current is not None and current.get("type") != secret_type:
        errors.append(f"type: Invalid value: {quote(secret_type)}: field is immutable")
    errors += _immutable_errors(
        current, doc, current is not None and (current.get("data") or {}) == data
    )
    if errors:
        raise Invalid(errors)
    if current is None:
        _room(cluster, "Secret")
        meta = fresh_metadata(cluster, doc, KINDS["Secret"])
    else:
        meta = updated_metadata(current, doc)
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": meta}
    if data:
        obj["data"] = data
    obj["type"] = secret_type
    if doc.get("immutable") is not None:
        obj["immutable"] = doc["immutable"]
    return store_write(cluster, current, obj)


# Services (services.py allocates addresses and ports)

SERVICE_TYPES = ("ClusterIP", "NodePort")


def write_service(cluster, doc: dict, current: dict | None) -> bool:
    name = doc["metadata"]["name"]
    spec = clone(doc.get("spec") or {})
    errors = []
    if len(name) > 63 or not re.fullmatch(DNS1035, name):
        errors.append(
            f"metadata.name: Invalid value: {quote(name)}: a DNS-1035 label must consist of lower "
            "case alphanumeric characters or '-', start with an alphabetic character, and end "
            "with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
            f"validation is '{DNS1035}')"
        )
    type_ = spec.setdefault("type", "ClusterIP")
    if type_ not in SERVICE_TYPES:
        errors.append(
            f'spec.type: Unsupported value: {quote(type_)}: supported values: "ClusterIP", '
            '"NodePort" (the playground has no load balancers or external names)'
        )
    selector = spec.get("selector") or {}
    if not selector:
        errors.append("spec.selector: Required value: the playground's Services select pods")
    errors += label_errors("spec.selector", selector)
    ports = spec.get("ports") or []
    if not ports:
        errors.append("spec.ports: Required value")
    old_ports = {p.get("port"): p for p in (current or {}).get("spec", {}).get("ports") or ()}
    used_ports = node_ports_in_use(cluster)
    for port in old_ports.values():
        used_ports.pop(port.get("nodePort"), None)
    seen: dict = {}
    for index, port in enumerate(ports):
        path = f"spec.ports[{index}]"
        port.setdefault("protocol", "TCP")
        number = port.get("port")
        if number is None:
            errors.append(f"{path}.port: Required value")
            continue
        if not 1 <= number <= 65535:
            errors.append(
                f"{path}.port: Invalid value: {number}: must be between 1 and 65535, inclusive"
            )
        if number in seen:
            errors.append(f"{path}: Duplicate value: core.ServicePort{{Port:{number}}}")
        seen[number] = None
        if len(ports) > 1 and not port.get("name"):
            errors.append(f"{path}.name: Required value")
        if port["protocol"] != "TCP":
            errors.append(
                f"{path}.protocol: Unsupported value: {quote(port['protocol'])}: supported values: "
                '"TCP" (the playground simulates TCP only)'
            )
        target = port.setdefault("targetPort", number)
        if isinstance(target, str) and not target.isdigit():
            errors.append(
                f"{path}.targetPort: Invalid value: {quote(target)}: the playground resolves "
                "numeric target ports only"
            )
        elif not 1 <= int(target) <= 65535:
            errors.append(
                f"{path}.targetPort: Invalid value: {target}: "
                "must be between 1 and 65535, inclusive"
            )
        else:
            port["targetPort"] = int(target)
        node_port = port.get("nodePort")
        old_port = old_ports.get(number) or {}
        if type_ == "ClusterIP" and node_port and node_port == old_port.get("nodePort"):
            node_port = None  # the API server drops the fields the new type does not use
        if type_ == "ClusterIP":
            if node_port:
                errors.append(
                    f"{path}.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
                )
            port.pop("nodePort", None)
        elif node_port:
            if not NODE_PORT_MIN <= node_port <= NODE_PORT_MAX:
                errors.append(
                    f"{path}.nodePort: Invalid value: {node_port}: provided port is not in the "
                    f"valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"
                )
            elif node_port in used_ports:
                errors.append(
                    f"{path}.nodePort: Invalid value: {node_port}: "
                    "provided port is already allocated"
                )
            used_ports[node_port] = None
    wanted_ip = spec.get("clusterIP") or (spec.get("clusterIPs") or [None])[0]
    current_ip = (current or {}).get("spec", {}).get("clusterIP")
    if current is not None:
        if wanted_ip and wanted_ip != current_ip:
            errors.append(
                f'spec.clusterIPs[0]: Invalid value: []string{{"{wanted_ip}"}}: '
                "may not change once set"
            )
        wanted_ip = current_ip
    elif wanted_ip:
        try:
            address = ipaddress.IPv4Address(wanted_ip)
            inside = address in SERVICE_CIDR
        except ValueError:
            inside = False
        if wanted_ip == "None" or not inside:
            errors.append(
                f'spec.clusterIPs: Invalid value: []string{{"{wanted_ip}"}}: failed to allocate IP '
                f"{wanted_ip}: the provided IP ({wanted_ip}) is not in the valid range. The range "
                f"of valid IPs is {SERVICE_CIDR} (the playground has no headless Services)"
            )
        elif wanted_ip in cluster_ips_in_use(cluster):
            errors.append(
                f'spec.clusterIPs: Invalid value: []string{{"{wanted_ip}"}}: failed to allocate IP '
                f"{wanted_ip}: provided IP is already allocated"
            )
    for key, allowed in (("sessionAffinity", ("None",)), ("internalTrafficPolicy", ("Cluster",))):
        if spec.get(key, allowed[0]) not in allowed:
            errors.append(
                f"spec.{key}: Unsupported value: {quote(spec[key])}: supported values: "
                f"{quote(allowed[0])} (the playground's simplification)"
            )
    if errors:
        raise Invalid(errors)
    if current is None and len(cluster.store.list("Service")) >= MAX_SERVICES:
        raise ActionError(f"at most {MAX_SERVICES} Services in the playground")
    # Allocation happens only now that everything is valid (the RNG draws are part of the write).
    cluster_ip = wanted_ip or allocate_cluster_ip(cluster)
    for port in ports:
        if type_ == "NodePort" and not port.get("nodePort"):
            old = old_ports.get(port["port"]) or {}
            port["nodePort"] = old.get("nodePort") or allocate_node_port(cluster)
    spec.update(
        clusterIP=cluster_ip,
        clusterIPs=[cluster_ip],
        ipFamilies=["IPv4"],
        ipFamilyPolicy="SingleStack",
        sessionAffinity="None",
        internalTrafficPolicy="Cluster",
    )
    if type_ == "NodePort":
        spec.setdefault("externalTrafficPolicy", "Cluster")
    else:
        spec.pop("externalTrafficPolicy", None)
    spec["ports"] = ports
    if current is None:
        obj = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": fresh_metadata(cluster, doc, KINDS["Service"]),
            "spec": spec,
            "status": {"loadBalancer": {}},
        }
        store_write(cluster, None, obj)
        cluster.traffic.set_rate(cluster, obj, 0)  # the traffic annotation shows from the start
        return True
    meta = updated_metadata(current, doc)
    traffic = (current["metadata"].get("annotations") or {}).get("playground.k8s/traffic")
    if traffic is not None:  # the traffic model's annotation is not the user's to drop
        meta.setdefault("annotations", {})["playground.k8s/traffic"] = traffic
    new = {**clone(current), "metadata": meta, "spec": spec}
    return store_write(cluster, current, new)


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
        errors += _int_or_percent_errors(f"spec.{key}", spec[key])
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


# Pods made by hand (kubectl run, create -f pod.yaml): no owner, the same admission as a
# ReplicaSet's pods; after creation only labels and annotations change (the playground's
# kubelet does not restart containers for a new image).


def write_pod(cluster, doc: dict, current: dict | None) -> bool:
    from ..objects import admission_defaults
    from ..podutil import qos_class
    from ..priority import admit

    spec = default_pod_spec(clone(doc.get("spec") or {}))
    errors = pod_spec_errors("spec", spec)
    if errors:
        raise Invalid(errors)
    if current is not None:
        if spec != current["spec"]:
            raise Invalid(
                [
                    "spec: Forbidden: pod updates may not change fields other than "
                    "metadata.labels and metadata.annotations in the playground"
                ]
            )
        new = {**clone(current), "metadata": updated_metadata(current, doc)}
        return store_write(cluster, current, new)
    if spec.get("nodeName"):
        raise Invalid(["spec.nodeName: Forbidden: the playground's scheduler places every pod"])
    spec = admission_defaults(spec)
    refusal = admit(cluster, spec)
    if refusal:
        raise ActionError(f'pods "{doc["metadata"]["name"]}" is forbidden: {refusal}')
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": fresh_metadata(cluster, doc, KINDS["Pod"]),
        "spec": spec,
        "status": {"phase": "Pending", "qosClass": qos_class(spec)},
    }
    if not obj["metadata"].get("annotations"):
        obj["metadata"].pop("annotations", None)
    return store_write(cluster, None, obj)


WRITERS = {
    "Pod": write_pod,
    "Deployment": write_deployment,
    "ConfigMap": write_configmap,
    "Secret": write_secret,
    "Service": write_service,
    "Node": write_node,
    "HorizontalPodAutoscaler": write_hpa,
    "PodDisruptionBudget": write_pdb,
    "PriorityClass": write_priority_class,
}


def generated_name(cluster, kind: str, base: str) -> str:
    name = generate_name(base, cluster.rng)
    while cluster.store.get(kind, name) is not None:
        name = generate_name(base, cluster.rng)
    return name

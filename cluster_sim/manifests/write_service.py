"""Services from manifests: ClusterIP/NodePort allocation as services.py does it (SVC-1)."""

import ipaddress
import re

from ..errors import ActionError
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
from .common import (
    Invalid,
    fresh_metadata,
    label_errors,
    quote,
    store_write,
    updated_metadata,
)
from .kinds import KINDS

# Services (services.py allocates addresses and ports)

SERVICE_TYPES = ("ClusterIP", "NodePort")
DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?"


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

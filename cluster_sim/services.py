"""Service objects (SVC-1): the API server's defaults, ClusterIP and NodePort allocation.

ClusterIPs come from the service CIDR 10.96.0.0/12. Like the API server's bitmap
allocator (KEP-3070), a dynamic allocation prefers the upper band of the range and
leaves the lower band (the first 256 addresses here: min(max(16, size/16), 256)) to
static requests; 10.96.0.1 is the `kubernetes` Service's address. NodePorts come from
30000-32767, dynamic ones preferring the upper band too (the first 86 ports are the
static band: min(max(16, size/32), 128)). Both draws use the cluster's seeded RNG.
"""

import ipaddress

from .objects import metadata

SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/12")
CLUSTER_IP_STATIC_BAND = min(max(16, SERVICE_CIDR.num_addresses // 16), 256)
NODE_PORT_MIN, NODE_PORT_MAX = 30000, 32767
NODE_PORT_STATIC_BAND = min(max(16, (NODE_PORT_MAX - NODE_PORT_MIN + 1) // 32), 128)
TYPES = ("ClusterIP", "NodePort")
MAX_SERVICES = 20
SERVICE_NAME_LABEL = "kubernetes.io/service-name"


def cluster_ips_in_use(cluster) -> dict[str, None]:
    used = {"10.96.0.1": None}  # the kubernetes Service (not simulated, but its address is taken)
    for service in cluster.store.list("Service"):
        used[service["spec"].get("clusterIP", "")] = None
    return used


def node_ports_in_use(cluster) -> dict[int, None]:
    used = {}
    for service in cluster.store.list("Service"):
        for port in service["spec"].get("ports") or ():
            if port.get("nodePort"):
                used[port["nodePort"]] = None
    return used


def _pick(rng, first: int, last: int, used) -> int | None:
    """A random free value of [first, last]: one random probe, then a scan from it."""
    size = last - first + 1
    start = rng.randrange(size)
    for offset in range(size):
        value = first + (start + offset) % size
        if value not in used:
            return value
    return None


def allocate_cluster_ip(cluster) -> str | None:
    """A free address of the service CIDR, upper band first (SVC-1); None when full."""
    base = int(SERVICE_CIDR.network_address)
    used = {int(ipaddress.IPv4Address(ip)) - base for ip in cluster_ips_in_use(cluster) if ip}
    last = SERVICE_CIDR.num_addresses - 2  # the broadcast address is never handed out
    offset = _pick(cluster.rng, CLUSTER_IP_STATIC_BAND, last, used)
    if offset is None:
        offset = _pick(cluster.rng, 1, CLUSTER_IP_STATIC_BAND - 1, used)
    return None if offset is None else str(ipaddress.IPv4Address(base + offset))


def allocate_node_port(cluster) -> int | None:
    """A free port of 30000-32767, upper band first (SVC-1); None when every port is taken."""
    used = node_ports_in_use(cluster)
    port = _pick(cluster.rng, NODE_PORT_MIN + NODE_PORT_STATIC_BAND, NODE_PORT_MAX, used)
    if port is None:
        port = _pick(cluster.rng, NODE_PORT_MIN, NODE_PORT_MIN + NODE_PORT_STATIC_BAND - 1, used)
    return port


def new_service(
    cluster,
    name: str,
    *,
    selector: dict,
    labels: dict | None,
    type_: str,
    port: int,
    target_port: int,
) -> dict:
    """A v1 Service as `kubectl expose` creates it, with the API server's defaults filled in."""
    cluster_ip = allocate_cluster_ip(cluster)
    service_port = {"protocol": "TCP", "port": port, "targetPort": target_port}
    spec = {
        "type": type_,
        "selector": dict(selector),
        "ports": [service_port],
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
    }
    if type_ == "NodePort":
        service_port["nodePort"] = allocate_node_port(cluster)
        spec["externalTrafficPolicy"] = "Cluster"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(
            cluster, name, labels=dict(labels) if labels else None, annotations={}
        ),
        "spec": spec,
        "status": {"loadBalancer": {}},
    }

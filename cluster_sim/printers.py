"""What `kubectl get` and `kubectl describe` print: the API server's table columns per kind.

table() returns a meta.k8s.io/v1 Table body (columnDefinitions with priorities and rows with
cells); columns of priority 1 are the ones `-o wide` adds. render() lays a table out as
kubectl's tabwriter does. describe() lives in describe.py and is re-exported here.
"""

from .podutil import display_ready, display_status, restart_count
from .timestamps import seconds_since_epoch

NONE = "<none>"
UNSET = "<unset>"


def human_duration(seconds: float) -> str:
    """apimachinery duration.HumanDuration, the AGE column: 45s, 3m20s, 15m, 5h, 5h3m, 2d."""
    whole = int(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y{rest}d" if rest else f"{years}y"
    return f"{hours // 24 // 365}y"


def age(stamp: str | None, now: float) -> str:
    if not stamp:
        return UNSET
    return human_duration(now - seconds_since_epoch(stamp))


# Column helpers: (header, type, priority, cell function(obj, now))


def _col(name, type_="string", priority=0, fmt=""):
    return {"name": name, "type": type_, "format": fmt, "priority": priority}


def _name(obj, now):
    return obj["metadata"]["name"]


def _age(obj, now):
    return age(obj["metadata"].get("creationTimestamp"), now)


def _selector_text(selector: dict | None) -> str:
    """metav1.LabelSelector as kubectl prints it (app=web,tier in (a,b))."""
    if not selector:
        return NONE
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or ():
        op, key, values = expr["operator"], expr["key"], ",".join(expr.get("values") or ())
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(key)
        else:
            parts.append(f"!{key}")
    return ",".join(parts) or NONE


def _map_selector(selector: dict | None) -> str:
    if not selector:
        return NONE
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def _containers(obj) -> list[dict]:
    return obj["spec"]["template"]["spec"]["containers"]


# Pods


def _pod_restarts(pod, now):
    """RESTARTS with the time of the last restart: `2 (35s ago)` (kubectl 1.22+)."""
    count = restart_count(pod)
    if count == 0:
        return "0"
    finished = []
    for status in pod["status"].get("containerStatuses") or ():
        terminated = (status.get("lastState") or {}).get("terminated") or {}
        if terminated.get("finishedAt"):
            finished.append(seconds_since_epoch(terminated["finishedAt"]))
    if not finished:
        return str(count)
    return f"{count} ({human_duration(now - max(finished))} ago)"


def _readiness_gates(pod, now):
    gates = pod["spec"].get("readinessGates") or ()
    if not gates:
        return NONE
    conditions = {c["type"]: c["status"] for c in pod["status"].get("conditions") or ()}
    ready = sum(conditions.get(g["conditionType"]) == "True" for g in gates)
    return f"{ready}/{len(gates)}"


POD = [
    (_col("Name", fmt="name"), _name),
    (_col("Ready"), lambda p, now: display_ready(p)),
    (_col("Status"), lambda p, now: display_status(p)),
    (_col("Restarts"), _pod_restarts),
    (_col("Age"), _age),
    (_col("IP", priority=1), lambda p, now: p["status"].get("podIP") or NONE),
    (_col("Node", priority=1), lambda p, now: p["spec"].get("nodeName") or NONE),
    (
        _col("Nominated Node", priority=1),
        lambda p, now: p["status"].get("nominatedNodeName") or NONE,
    ),
    (_col("Readiness Gates", priority=1), _readiness_gates),
]


# Nodes


def node_status(node) -> str:
    conditions = {c["type"]: c["status"] for c in node["status"].get("conditions") or ()}
    ready = conditions.get("Ready")
    status = "Ready" if ready == "True" else "NotReady" if ready == "False" else "Unknown"
    if node["spec"].get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def node_roles(node) -> str:
    labels = node["metadata"].get("labels") or {}
    roles = sorted(
        key.split("/", 1)[1] for key in labels if key.startswith("node-role.kubernetes.io/")
    )
    if labels.get("kubernetes.io/role"):
        roles.append(labels["kubernetes.io/role"])
    return ",".join(r for r in roles if r) or NONE


def _node_address(node, type_):
    for address in node["status"].get("addresses") or ():
        if address["type"] == type_:
            return address["address"]
    return NONE


def _node_info(field):
    return lambda n, now: (n["status"].get("nodeInfo") or {}).get(field) or "<unknown>"


NODE = [
    (_col("Name", fmt="name"), _name),
    (_col("Status"), lambda n, now: node_status(n)),
    (_col("Roles"), lambda n, now: node_roles(n)),
    (_col("Age"), _age),
    (_col("Version"), _node_info("kubeletVersion")),
    (_col("Internal-IP", priority=1), lambda n, now: _node_address(n, "InternalIP")),
    (_col("External-IP", priority=1), lambda n, now: _node_address(n, "ExternalIP")),
    (_col("OS-Image", priority=1), _node_info("osImage")),
    (_col("Kernel-Version", priority=1), _node_info("kernelVersion")),
    (_col("Container-Runtime", priority=1), _node_info("containerRuntimeVersion")),
]


# Workloads

_WORKLOAD_WIDE = [
    (
        _col("Containers", priority=1),
        lambda o, now: ",".join(c["name"] for c in _containers(o)),
    ),
    (_col("Images", priority=1), lambda o, now: ",".join(c["image"] for c in _containers(o))),
    (_col("Selector", priority=1), lambda o, now: _selector_text(o["spec"].get("selector"))),
]

DEPLOYMENT = [
    (_col("Name", fmt="name"), _name),
    (
        _col("Ready"),
        lambda d, now: f"{d['status'].get('readyReplicas', 0)}/{d['spec'].get('replicas', 1)}",
    ),
    (_col("Up-to-date", "integer"), lambda d, now: d["status"].get("updatedReplicas", 0)),
    (_col("Available", "integer"), lambda d, now: d["status"].get("availableReplicas", 0)),
    (_col("Age"), _age),
    *_WORKLOAD_WIDE,
]

REPLICASET = [
    (_col("Name", fmt="name"), _name),
    (_col("Desired", "integer"), lambda r, now: r["spec"].get("replicas", 1)),
    (_col("Current", "integer"), lambda r, now: r["status"].get("replicas", 0)),
    (_col("Ready", "integer"), lambda r, now: r["status"].get("readyReplicas", 0)),
    (_col("Age"), _age),
    *_WORKLOAD_WIDE,
]


# Networking


def service_ports(service) -> str:
    parts = []
    for port in service["spec"].get("ports") or ():
        text = f"{port['port']}"
        if port.get("nodePort"):
            text += f":{port['nodePort']}"
        parts.append(f"{text}/{port.get('protocol', 'TCP')}")
    return ",".join(parts) or NONE


def _external_ip(service, now):
    spec = service["spec"]
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    ips = [i.get("ip") or i.get("hostname") for i in ingress]
    external = spec.get("externalIPs") or []
    if spec.get("type") == "LoadBalancer":
        found = ips + external
        return ",".join(found) if found else "<pending>"
    if spec.get("type") == "ExternalName":
        return spec.get("externalName") or NONE
    return ",".join(external) or NONE


SERVICE = [
    (_col("Name", fmt="name"), _name),
    (_col("Type"), lambda s, now: s["spec"].get("type", "ClusterIP")),
    (_col("Cluster-IP"), lambda s, now: s["spec"].get("clusterIP") or NONE),
    (_col("External-IP"), _external_ip),
    (_col("Port(s)"), lambda s, now: service_ports(s)),
    (_col("Age"), _age),
    (_col("Selector", priority=1), lambda s, now: _map_selector(s["spec"].get("selector"))),
]


def _slice_ports(slice_, now):
    ports = [str(p["port"]) for p in slice_.get("ports") or () if p.get("port") is not None]
    return ",".join(ports) if ports else NONE


def _slice_endpoints(slice_, now):
    addresses = [a for e in slice_.get("endpoints") or () for a in e.get("addresses") or ()]
    if not addresses:
        return NONE
    shown = ",".join(addresses[:3])
    return shown + (f" + {len(addresses) - 3} more..." if len(addresses) > 3 else "")


ENDPOINTSLICE = [
    (_col("Name", fmt="name"), _name),
    (_col("AddressType"), lambda s, now: s.get("addressType", "IPv4")),
    (_col("Ports"), _slice_ports),
    (_col("Endpoints"), _slice_endpoints),
    (_col("Age"), _age),
]


# Configuration

CONFIGMAP = [
    (_col("Name", fmt="name"), _name),
    (
        _col("Data", "integer"),
        lambda c, now: len(c.get("data") or {}) + len(c.get("binaryData") or {}),
    ),
    (_col("Age"), _age),
]

SECRET = [
    (_col("Name", fmt="name"), _name),
    (_col("Type"), lambda s, now: s.get("type", "Opaque")),
    (_col("Data", "integer"), lambda s, now: len(s.get("data") or {})),
    (_col("Age"), _age),
]


# Autoscaling and disruption


def _hpa_targets(hpa, now):
    current = {}
    for metric in (hpa.get("status") or {}).get("currentMetrics") or ():
        if metric.get("type") == "Resource":
            current[metric["resource"]["name"]] = metric["resource"].get("current") or {}
    parts = []
    for metric in hpa["spec"].get("metrics") or ():
        if metric.get("type") != "Resource":
            continue
        name = metric["resource"]["name"]
        target = metric["resource"]["target"]
        seen = current.get(name)
        if target.get("type") == "Utilization":
            shown = (
                f"{seen['averageUtilization']}%"
                if seen and seen.get("averageUtilization") is not None
                else "<unknown>"
            )
            parts.append(f"{name}: {shown}/{target.get('averageUtilization')}%")
        else:
            shown = seen.get("averageValue") if seen else "<unknown>"
            parts.append(f"{name}: {shown or '<unknown>'}/{target.get('averageValue')}")
    return ", ".join(parts) or NONE


def _hpa_reference(hpa, now):
    ref = hpa["spec"]["scaleTargetRef"]
    return f"{ref['kind']}/{ref['name']}"


HPA = [
    (_col("Name", fmt="name"), _name),
    (_col("Reference"), _hpa_reference),
    (_col("Targets"), _hpa_targets),
    (_col("MinPods"), lambda h, now: str(h["spec"].get("minReplicas", 1))),
    (_col("MaxPods", "integer"), lambda h, now: h["spec"]["maxReplicas"]),
    (_col("Replicas", "integer"), lambda h, now: (h.get("status") or {}).get("currentReplicas", 0)),
    (_col("Age"), _age),
]

PDB = [
    (_col("Name", fmt="name"), _name),
    (_col("Min Available"), lambda p, now: str(p["spec"].get("minAvailable", "N/A"))),
    (_col("Max Unavailable"), lambda p, now: str(p["spec"].get("maxUnavailable", "N/A"))),
    (
        _col("Allowed Disruptions", "integer"),
        lambda p, now: (p.get("status") or {}).get("disruptionsAllowed", 0),
    ),
    (_col("Age"), _age),
]

PRIORITYCLASS = [
    (_col("Name", fmt="name"), _name),
    (_col("Value", "integer"), lambda p, now: p.get("value", 0)),
    (_col("Global-Default", "boolean"), lambda p, now: bool(p.get("globalDefault"))),
    (_col("Age"), _age),
    (_col("PreemptionPolicy"), lambda p, now: p.get("preemptionPolicy", "PreemptLowerPriority")),
]

NAMESPACE = [
    (_col("Name", fmt="name"), _name),
    (_col("Status"), lambda n, now: (n.get("status") or {}).get("phase", "Active")),
    (_col("Age"), _age),
]

LEASE = [
    (_col("Name", fmt="name"), _name),
    (_col("Holder"), lambda lease, now: lease["spec"].get("holderIdentity") or ""),
    (_col("Age"), _age),
]


# Events


def _event_last_seen(event, now):
    stamp = event.get("lastTimestamp") or event.get("eventTime") or event.get("firstTimestamp")
    return age(stamp[:19] + "Z" if stamp else None, now)


def _event_object(event, now):
    ref = event["involvedObject"]
    return f"{ref['kind'].lower()}/{ref['name']}"


EVENT = [
    (_col("Last Seen"), _event_last_seen),
    (_col("Type"), lambda e, now: e.get("type", "")),
    (_col("Reason"), lambda e, now: e.get("reason", "")),
    (_col("Object"), _event_object),
    (_col("Message"), lambda e, now: e.get("message", "")),
    (
        _col("Subobject", priority=1),
        lambda e, now: e["involvedObject"].get("fieldPath", ""),
    ),
    (
        _col("Source", priority=1),
        lambda e, now: ", ".join(
            v
            for v in ((e.get("source") or {}).get("component"), (e.get("source") or {}).get("host"))
            if v
        ),
    ),
    (_col("First Seen", priority=1), lambda e, now: age(e.get("firstTimestamp"), now)),
    (_col("Count", "integer", priority=1), lambda e, now: e.get("count", 1)),
    (_col("Name", priority=1, fmt="name"), _name),
]

DEFAULT = [(_col("Name", fmt="name"), _name), (_col("Age"), _age)]

COLUMNS = {
    "Pod": POD,
    "Node": NODE,
    "Deployment": DEPLOYMENT,
    "ReplicaSet": REPLICASET,
    "Service": SERVICE,
    "EndpointSlice": ENDPOINTSLICE,
    "ConfigMap": CONFIGMAP,
    "Secret": SECRET,
    "HorizontalPodAutoscaler": HPA,
    "PodDisruptionBudget": PDB,
    "PriorityClass": PRIORITYCLASS,
    "Namespace": NAMESPACE,
    "Lease": LEASE,
    "Event": EVENT,
}


def table(kind: str, objects: list[dict], now: float, wide: bool = False) -> dict:
    """A meta.k8s.io/v1 Table body for these objects.

    wide=False keeps the priority-0 columns (plain `kubectl get`); wide=True keeps every column,
    priority 1 ones marked, which is what the API server sends and what `-o wide` shows.
    """
    columns = [c for c in COLUMNS.get(kind, DEFAULT) if wide or c[0]["priority"] == 0]
    return {
        "columnDefinitions": [dict(definition) for definition, _ in columns],
        "rows": [
            {"cells": [cell(obj, now) for _, cell in columns], "object": obj} for obj in objects
        ],
    }


def cell_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(
    body: dict, *, headers: bool = True, namespace_column: bool = False, show_kind: str = ""
) -> str:
    """Lay a Table out as kubectl does (tabwriter: 3 spaces padding, minimum width 6).

    show_kind prefixes names as `kubectl get all` does (pod/web-x); namespace_column adds the
    NAMESPACE column of `-A`.
    """
    names = [d["name"].upper() for d in body["columnDefinitions"]]
    rows = []
    for row in body["rows"]:
        cells = [cell_text(v) for v in row["cells"]]
        if show_kind:
            index = next(
                (i for i, d in enumerate(body["columnDefinitions"]) if d.get("format") == "name"),
                0,
            )
            cells[index] = f"{show_kind}/{cells[index]}"
        if namespace_column:
            cells.insert(0, row["object"]["metadata"].get("namespace", ""))
        rows.append(cells)
    if namespace_column:
        names.insert(0, "NAMESPACE")
    lines = ([names] if headers else []) + rows
    if not lines:
        return ""
    widths = [max(max(len(line[i]) for line in lines) + 3, 6) for i in range(len(names))]
    out = []
    for line in lines:
        text = "".join(c.ljust(widths[i]) for i, c in enumerate(line[:-1])) + line[-1]
        out.append(text.rstrip())
    return "\n".join(out)


def describe(cluster, kind: str, name: str, namespace: str | None = "default") -> str:
    from .describe import describe as _describe  # describe.py needs the helpers above

    return _describe(cluster, kind, name, namespace)

"""kubectl describe: the describers for Pod, Deployment, ReplicaSet, Node and Service, and a
generic one for the other kinds; each ends with the object's Events.

Text is laid out with a small tabwriter (padding 2) as kubectl's describers are.
"""

import base64
import datetime as dt

from .manifests.kinds import kind_for, qualified_plural
from .manifests.read import get_object, list_objects
from .podutil import qos_class
from .printers import NONE, human_duration, node_roles
from .timestamps import EPOCH, seconds_since_epoch


class DescribeError(Exception):
    pass


def when(stamp: str | None) -> str:
    """RFC 1123 with a numeric zone, as describe prints times: Thu, 01 Jan 2026 00:00:03 +0000."""
    if not stamp:
        return NONE
    moment = EPOCH + dt.timedelta(seconds=seconds_since_epoch(stamp[:19] + "Z"))
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def tabulate(lines: list[str], padding: int = 2) -> str:
    """Align tab-separated cells within each run of consecutive lines that contain tabs."""
    out, block = [], []

    def flush():
        if not block:
            return
        cells = [line.split("\t") for line in block]
        widths: dict[int, int] = {}
        for row in cells:
            for i, cell in enumerate(row[:-1]):
                widths[i] = max(widths.get(i, 0), len(cell) + padding)
        for row in cells:
            text = "".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + row[-1]
            out.append(text.rstrip())
        block.clear()

    for line in lines:
        if "\t" in line:
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


# kubectl describe leaves out last-applied-configuration; the playground's own bookkeeping
# annotations (JSON for the UI) are left out the same way.
HIDDEN_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration",)
HIDDEN_PREFIX = "playground.k8s/"


def _map_lines(label: str, values: dict | None, indent: str = "", sep: str = "=") -> list[str]:
    if label == "Annotations" and values:
        values = {
            k: v
            for k, v in values.items()
            if k not in HIDDEN_ANNOTATIONS and not k.startswith(HIDDEN_PREFIX)
        }
    if not values:
        return [f"{indent}{label}:\t{NONE}"]
    items = sorted(values.items())
    lines = [f"{indent}{label}:\t{items[0][0]}{sep}{items[0][1]}"]
    lines += [f"{indent}\t{k}{sep}{v}" for k, v in items[1:]]
    return lines


def _meta(obj: dict, namespaced: bool = True) -> list[str]:
    meta = obj["metadata"]
    lines = [f"Name:\t{meta['name']}"]
    if namespaced:
        lines.append(f"Namespace:\t{meta.get('namespace', 'default')}")
    lines += _map_lines("Labels", meta.get("labels"))
    lines += _map_lines("Annotations", meta.get("annotations"), sep=": ")
    return lines


def _events(cluster, obj: dict) -> list[str]:
    uid = obj["metadata"].get("uid")
    events = [e for e in cluster.recorder.recent if e["involvedObject"].get("uid") == uid]
    if not events:
        return [f"Events:\t{NONE}"]
    lines = ["Events:", "  Type\tReason\tAge\tFrom\tMessage", "  ----\t------\t----\t----\t-------"]
    for event in events:
        last = human_duration(cluster.now - seconds_since_epoch(event["lastTimestamp"]))
        if event.get("count", 1) > 1:
            first = human_duration(cluster.now - seconds_since_epoch(event["firstTimestamp"]))
            last = f"{last} (x{event['count']} over {first})"
        source = event.get("source") or {}
        origin = ", ".join(v for v in (source.get("component"), source.get("host")) if v)
        lines.append(f"  {event['type']}\t{event['reason']}\t{last}\t{origin}\t{event['message']}")
    return lines


def _tolerations(tolerations, indent="") -> list[str]:
    if not tolerations:
        return [f"{indent}Tolerations:\t{NONE}"]
    texts = []
    for t in tolerations:
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        texts.append(text)
    return [f"{indent}Tolerations:\t{texts[0]}"] + [f"{indent}\t{t}" for t in texts[1:]]


def _container_lines(container: dict, status: dict | None, indent: str) -> list[str]:
    lines = [f"{indent}{container['name']}:"]
    inner = "    "
    if status is not None and status.get("containerID"):
        lines.append(f"{inner}Container ID:\t{status['containerID']}")
    lines.append(f"{inner}Image:\t{container['image']}")
    if status is not None:
        lines.append(f"{inner}Image ID:\t{status.get('imageID', '')}")
    ports = container.get("ports") or []
    port = ", ".join(f"{p['containerPort']}/{p.get('protocol', 'TCP')}" for p in ports)
    lines.append(f"{inner}Port:\t{port or NONE}")
    lines.append(f"{inner}Host Port:\t{'0/TCP' if ports else NONE}")
    if status is not None:
        lines += _state_lines("State", status.get("state") or {}, inner)
        if status.get("lastState"):
            lines += _state_lines("Last State", status["lastState"], inner)
        lines.append(f"{inner}Ready:\t{'True' if status.get('ready') else 'False'}")
        lines.append(f"{inner}Restart Count:\t{status.get('restartCount', 0)}")
    resources = container.get("resources") or {}
    for title in ("limits", "requests"):
        if resources.get(title):
            lines.append(f"{inner}{title.capitalize()}:")
            lines += [f"{inner}  {k}:\t{v}" for k, v in sorted(resources[title].items())]
    for probe in ("liveness", "readiness", "startup"):
        spec = container.get(f"{probe}Probe")
        if spec:
            lines.append(f"{inner}{probe.capitalize()}:\t{_probe(spec)}")
    env = container.get("env") or []
    if env:
        lines.append(f"{inner}Environment:")
        lines += [f"{inner}  {e['name']}:\t{e.get('value', '<set from a reference>')}" for e in env]
    else:
        lines.append(f"{inner}Environment:\t{NONE}")
    mounts = container.get("volumeMounts") or []
    if mounts:
        lines.append(f"{inner}Mounts:")
        lines += [
            f"{inner}  {m['mountPath']} from {m['name']} ({'ro' if m.get('readOnly') else 'rw'})"
            for m in mounts
        ]
    else:
        lines.append(f"{inner}Mounts:\t{NONE}")
    return lines


def _probe(spec: dict) -> str:
    get = spec.get("httpGet")
    action = (
        f"http-get {get.get('scheme', 'HTTP').lower()}://:{get['port']}{get.get('path', '')}"
        if get
        else "exec"
    )
    return (
        f"{action} delay={spec.get('initialDelaySeconds', 0)}s "
        f"timeout={spec.get('timeoutSeconds', 1)}s "
        f"period={spec.get('periodSeconds', 10)}s #success={spec.get('successThreshold', 1)} "
        f"#failure={spec.get('failureThreshold', 3)}"
    )


def _state_lines(title: str, state: dict, indent: str) -> list[str]:
    if "running" in state:
        return [
            f"{indent}{title}:\tRunning",
            f"{indent}  Started:\t{when(state['running'].get('startedAt'))}",
        ]
    if "terminated" in state:
        t = state["terminated"]
        return [
            f"{indent}{title}:\tTerminated",
            f"{indent}  Reason:\t{t.get('reason', '')}",
            f"{indent}  Exit Code:\t{t.get('exitCode', 0)}",
            f"{indent}  Started:\t{when(t.get('startedAt'))}",
            f"{indent}  Finished:\t{when(t.get('finishedAt'))}",
        ]
    if "waiting" in state:
        return [
            f"{indent}{title}:\tWaiting",
            f"{indent}  Reason:\t{state['waiting'].get('reason', '')}",
        ]
    return [f"{indent}{title}:\tWaiting"]


def _owner(obj: dict) -> list[str]:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return [f"Controlled By:\t{ref['kind']}/{ref['name']}"]
    return []


def describe_pod(cluster, pod: dict) -> list[str]:
    spec, status, meta = pod["spec"], pod["status"], pod["metadata"]
    node = spec.get("nodeName")
    host_ip = status.get("hostIP")
    lines = [f"Name:\t{meta['name']}", f"Namespace:\t{meta.get('namespace', 'default')}"]
    lines.append(f"Priority:\t{spec.get('priority', 0)}")
    if spec.get("priorityClassName"):
        lines.append(f"Priority Class Name:\t{spec['priorityClassName']}")
    lines.append(f"Service Account:\t{spec.get('serviceAccountName', 'default')}")
    lines.append(f"Node:\t{node + '/' + host_ip if node and host_ip else node or NONE}")
    if status.get("startTime"):
        lines.append(f"Start Time:\t{when(status['startTime'])}")
    lines += _map_lines("Labels", meta.get("labels"))
    lines += _map_lines("Annotations", meta.get("annotations"), sep=": ")
    if meta.get("deletionTimestamp"):
        since = cluster.now - seconds_since_epoch(meta["deletionTimestamp"])
        lines.append(f"Status:\tTerminating (lasts {human_duration(since)})")
        grace = meta.get("deletionGracePeriodSeconds")
        if grace is not None:
            lines.append(f"Termination Grace Period:\t{grace}s")
    else:
        lines.append(f"Status:\t{status.get('phase', 'Pending')}")
    if status.get("reason"):
        lines.append(f"Reason:\t{status['reason']}")
    if status.get("message"):
        lines.append(f"Message:\t{status['message']}")
    lines.append(f"IP:\t{status.get('podIP', '')}")
    ips = status.get("podIPs") or []
    if ips:
        lines.append("IPs:")
        lines += [f"  IP:\t{ip['ip']}" for ip in ips]
    else:
        lines.append(f"IPs:\t{NONE}")
    lines += _owner(pod)
    statuses = {s["name"]: s for s in status.get("containerStatuses") or ()}
    lines.append("Containers:")
    for container in spec["containers"]:
        lines += _container_lines(container, statuses.get(container["name"]), "  ")
    conditions = status.get("conditions") or []
    if conditions:
        lines += ["Conditions:", "  Type\tStatus"]
        lines += [f"  {c['type']}\t{c['status']}" for c in conditions]
    lines.append(f"Volumes:\t{NONE}" if not spec.get("volumes") else "Volumes:")
    for volume in spec.get("volumes") or ():
        lines.append(f"  {volume['name']}:")
        source = next((k for k in volume if k != "name"), "")
        lines.append(f"    Type:\t{source}")
    lines.append(f"QoS Class:\t{status.get('qosClass') or qos_class(spec)}")
    lines += _map_lines("Node-Selectors", spec.get("nodeSelector"))
    lines += _tolerations(spec.get("tolerations"))
    return lines


def _replicas_line(obj: dict) -> str:
    status = obj.get("status") or {}
    return (
        f"{obj['spec'].get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
        f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable"
    )


def _template_lines(template: dict) -> list[str]:
    spec = template["spec"]
    lines = ["Pod Template:"]
    lines += _map_lines("Labels", (template.get("metadata") or {}).get("labels"), "  ")
    annotations = (template.get("metadata") or {}).get("annotations")
    if annotations:
        lines += _map_lines("Annotations", annotations, "  ", ": ")
    if spec.get("priorityClassName"):
        lines.append(f"  Priority Class Name:\t{spec['priorityClassName']}")
    lines.append("  Containers:")
    for container in spec["containers"]:
        lines += _container_lines(container, None, "   ")
    lines.append(f"  Volumes:\t{NONE}" if not spec.get("volumes") else "  Volumes:")
    for volume in spec.get("volumes") or ():
        lines.append(f"   {volume['name']}:")
    lines += _map_lines("Node-Selectors", spec.get("nodeSelector"), "  ")
    lines += _tolerations(spec.get("tolerations"), "  ")
    return lines


def _selector(selector: dict | None) -> str:
    from .printers import _selector_text

    return _selector_text(selector)


def describe_deployment(cluster, d: dict) -> list[str]:
    from .controllers.deployment_util import revision

    spec = d["spec"]
    lines = [f"Name:\t{d['metadata']['name']}", f"Namespace:\t{d['metadata'].get('namespace')}"]
    lines.append(f"CreationTimestamp:\t{when(d['metadata'].get('creationTimestamp'))}")
    lines += _map_lines("Labels", d["metadata"].get("labels"))
    lines += _map_lines("Annotations", d["metadata"].get("annotations"), sep=": ")
    lines.append(f"Selector:\t{_selector(spec.get('selector'))}")
    lines.append(f"Replicas:\t{_replicas_line(d)}")
    strategy = spec.get("strategy") or {}
    lines.append(f"StrategyType:\t{strategy.get('type', 'RollingUpdate')}")
    lines.append(f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}")
    rolling = strategy.get("rollingUpdate")
    if rolling:
        lines.append(
            f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable')} max unavailable, "
            f"{rolling.get('maxSurge')} max surge"
        )
    lines += _template_lines(spec["template"])
    conditions = (d.get("status") or {}).get("conditions") or []
    if conditions:
        lines += ["Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------"]
        lines += [f"  {c['type']}\t{c['status']}\t{c.get('reason', '')}" for c in conditions]
    owned = cluster.store.owned_by(d["metadata"]["uid"], "ReplicaSet")
    newest = max(owned, key=revision, default=None)
    old = [rs for rs in owned if rs is not newest and rs["spec"].get("replicas", 0) > 0]

    def created(rs):
        have, want = rs["status"].get("replicas", 0), rs["spec"].get("replicas", 0)
        return f"{rs['metadata']['name']} ({have}/{want} replicas created)"

    lines.append(f"OldReplicaSets:\t{', '.join(created(rs) for rs in old) or NONE}")
    lines.append(f"NewReplicaSet:\t{created(newest) if newest else NONE}")
    return lines


def describe_replicaset(cluster, rs: dict) -> list[str]:
    lines = _meta(rs)
    lines.insert(2, f"Selector:\t{_selector(rs['spec'].get('selector'))}")
    lines += _owner(rs)
    status = rs.get("status") or {}
    lines.append(
        f"Replicas:\t{status.get('replicas', 0)} current / {rs['spec'].get('replicas', 0)} desired"
    )
    pods = [p for p in cluster.store.owned_by(rs["metadata"]["uid"], "Pod")]
    phases = {
        phase: sum(p["status"].get("phase") == phase for p in pods)
        for phase in ("Running", "Pending", "Succeeded", "Failed")
    }
    lines.append(
        f"Pods Status:\t{phases['Running']} Running / {phases['Pending']} Waiting / "
        f"{phases['Succeeded']} Succeeded / {phases['Failed']} Failed"
    )
    lines += _template_lines(rs["spec"]["template"])
    return lines


def describe_node(cluster, node: dict) -> list[str]:
    meta, spec, status = node["metadata"], node["spec"], node["status"]
    lines = [f"Name:\t{meta['name']}", f"Roles:\t{node_roles(node)}"]
    lines += _map_lines("Labels", meta.get("labels"))
    lines += _map_lines("Annotations", meta.get("annotations"), sep=": ")
    lines.append(f"CreationTimestamp:\t{when(meta.get('creationTimestamp'))}")
    taints = spec.get("taints") or []
    texts = [
        f"{t['key']}{'=' + t['value'] if t.get('value') else ''}:{t['effect']}" for t in taints
    ]
    lines.append(f"Taints:\t{texts[0] if texts else NONE}")
    lines += [f"\t{t}" for t in texts[1:]]
    lines.append(f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}")
    lines += [
        "Conditions:",
        "  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
    ]
    lines.append("  ----\t------\t-----------------\t------------------\t------\t-------")
    for c in status.get("conditions") or ():
        lines.append(
            f"  {c['type']}\t{c['status']}\t{when(c.get('lastHeartbeatTime'))}\t"
            f"{when(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t{c.get('message', '')}"
        )
    lines.append("Addresses:")
    lines += [f"  {a['type']}:\t{a['address']}" for a in status.get("addresses") or ()]
    for title in ("capacity", "allocatable"):
        lines.append(f"{title.capitalize()}:")
        lines += [f"  {k}:\t{v}" for k, v in (status.get(title) or {}).items()]
    info = status.get("nodeInfo") or {}
    if info:
        lines.append("System Info:")
        for key, label in (
            ("osImage", "OS Image"),
            ("kernelVersion", "Kernel Version"),
            ("containerRuntimeVersion", "Container Runtime Version"),
            ("kubeletVersion", "Kubelet Version"),
            ("architecture", "Architecture"),
            ("operatingSystem", "Operating System"),
        ):
            if key in info:
                lines.append(f"  {label}:\t{info[key]}")
    lines.append(f"PodCIDR:\t{spec.get('podCIDR', '')}")
    pods = [
        p
        for p in cluster.store.pods_on_node(meta["name"])
        if p["status"].get("phase") not in ("Succeeded", "Failed")
    ]
    lines.append(f"Non-terminated Pods:\t({len(pods)} in total)")
    lines.append("  Namespace\tName\tCPU Requests\tMemory Requests\tAge")
    lines.append("  ---------\t----\t------------\t---------------\t---")
    for pod in pods:
        req = {}
        for container in pod["spec"]["containers"]:
            req.update((container.get("resources") or {}).get("requests") or {})
        lines.append(
            f"  {pod['metadata'].get('namespace', 'default')}\t{pod['metadata']['name']}\t"
            f"{req.get('cpu', '0')}\t{req.get('memory', '0')}\t"
            f"{human_duration(cluster.now - seconds_since_epoch(pod['metadata']['creationTimestamp']))}"  # noqa: E501
        )
    return lines


def describe_service(cluster, service: dict) -> list[str]:
    from .printers import _map_selector

    spec = service["spec"]
    lines = _meta(service)
    lines.append(f"Selector:\t{_map_selector(spec.get('selector'))}")
    lines.append(f"Type:\t{spec.get('type', 'ClusterIP')}")
    lines.append(f"IP Family Policy:\t{spec.get('ipFamilyPolicy', 'SingleStack')}")
    lines.append(f"IP Families:\t{','.join(spec.get('ipFamilies') or ['IPv4'])}")
    lines.append(f"IP:\t{spec.get('clusterIP', NONE)}")
    lines.append(f"IPs:\t{','.join(spec.get('clusterIPs') or []) or NONE}")
    slices = list_objects(
        cluster,
        "EndpointSlice",
        service["metadata"].get("namespace"),
        f"kubernetes.io/service-name={service['metadata']['name']}",
    )
    for port in spec.get("ports") or ():
        name = port.get("name") or "<unset>"
        lines.append(f"Port:\t{name}  {port['port']}/{port.get('protocol', 'TCP')}")
        lines.append(
            f"TargetPort:\t{port.get('targetPort', port['port'])}/{port.get('protocol', 'TCP')}"
        )
        if port.get("nodePort"):
            lines.append(f"NodePort:\t{name}  {port['nodePort']}/{port.get('protocol', 'TCP')}")
        ready = [
            f"{a}:{port.get('targetPort', port['port'])}"
            for s in slices
            for e in s.get("endpoints") or ()
            if (e.get("conditions") or {}).get("ready")
            for a in e.get("addresses") or ()
        ]
        shown = ",".join(ready[:3]) + (f" + {len(ready) - 3} more..." if len(ready) > 3 else "")
        lines.append(f"Endpoints:\t{shown}")
    lines.append(f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}")
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        lines.append(f"External Traffic Policy:\t{spec.get('externalTrafficPolicy', 'Cluster')}")
    lines.append(f"Internal Traffic Policy:\t{spec.get('internalTrafficPolicy', 'Cluster')}")
    return lines


def _generic_value(key: str, value, indent: str) -> list[str]:
    if isinstance(value, dict):
        if not value:
            return [f"{indent}{key}:\t{NONE}"]
        lines = [f"{indent}{key}:"]
        for k, v in value.items():
            lines += _generic_value(k, v, indent + "  ")
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{indent}{key}:\t{NONE}"]
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    sub = _generic_value(k, v, indent + "    ")
                    if first:
                        sub[0] = indent + "  - " + sub[0][len(indent) + 4 :]
                        first = False
                    lines += sub
            else:
                lines.append(f"{indent}  {item}")
        return lines
    return [f"{indent}{key}:\t{value}"]


def describe_generic(cluster, obj: dict, namespaced: bool) -> list[str]:
    lines = _meta(obj, namespaced)
    skip = {"apiVersion", "kind", "metadata"}
    for key, value in obj.items():
        if key in skip:
            continue
        lines += _generic_value(key[:1].upper() + key[1:], value, "")
    return lines


def _created(obj: dict) -> str:
    return f"CreationTimestamp:\t{when(obj['metadata'].get('creationTimestamp'))}"


def describe_hpa(cluster, hpa: dict) -> list[str]:
    spec, status = hpa["spec"], hpa.get("status") or {}
    ref = spec["scaleTargetRef"]
    lines = _meta(hpa)
    lines += [_created(hpa), f"Reference:\t{ref['kind']}/{ref['name']}"]
    lines.append("Metrics:\t( current / target )")
    current = {
        m["resource"]["name"]: m["resource"].get("current") or {}
        for m in status.get("currentMetrics") or ()
        if m.get("type") == "Resource"
    }
    for metric in spec.get("metrics") or ():
        if metric.get("type") != "Resource":
            continue
        name, target = metric["resource"]["name"], metric["resource"]["target"]
        seen = current.get(name) or {}
        if target.get("type") == "Utilization":
            have = (
                f"{seen['averageUtilization']}% ({seen.get('averageValue', '0')})"
                if seen.get("averageUtilization") is not None
                else "<unknown>"
            )
            lines.append(
                f"  resource {name} on pods  (as a percentage of request):\t"
                f"{have} / {target.get('averageUtilization')}%"
            )
        else:
            lines.append(
                f"  resource {name} on pods:\t{seen.get('averageValue', '<unknown>')} / "
                f"{target.get('averageValue')}"
            )
    lines.append(f"Min replicas:\t{spec.get('minReplicas', 1)}")
    lines.append(f"Max replicas:\t{spec['maxReplicas']}")
    lines.append(
        f"{ref['kind']} pods:\t{status.get('currentReplicas', 0)} current / "
        f"{status.get('desiredReplicas', 0)} desired"
    )
    conditions = status.get("conditions") or []
    if conditions:
        lines += [
            "Conditions:",
            "  Type\tStatus\tReason\tMessage",
            "  ----\t------\t------\t-------",
        ]
        lines += [
            f"  {c['type']}\t{c['status']}\t{c.get('reason', '')}\t{c.get('message', '')}"
            for c in conditions
        ]
    return lines


def describe_pdb(cluster, pdb: dict) -> list[str]:
    spec, status = pdb["spec"], pdb.get("status") or {}
    lines = [f"Name:\t{pdb['metadata']['name']}", f"Namespace:\t{pdb['metadata'].get('namespace')}"]
    if "minAvailable" in spec:
        lines.append(f"Min available:\t{spec['minAvailable']}")
    else:
        lines.append(f"Max unavailable:\t{spec.get('maxUnavailable')}")
    lines.append(f"Selector:\t{_selector(spec.get('selector'))}")
    lines += [
        "Status:",
        f"    Allowed disruptions:\t{status.get('disruptionsAllowed', 0)}",
        f"    Current:\t{status.get('currentHealthy', 0)}",
        f"    Desired:\t{status.get('desiredHealthy', 0)}",
        f"    Total:\t{status.get('expectedPods', 0)}",
    ]
    return lines


def describe_priorityclass(cluster, pc: dict) -> list[str]:
    lines = [f"Name:\t{pc['metadata']['name']}", f"Value:\t{pc.get('value', 0)}"]
    lines.append(f"GlobalDefault:\t{'true' if pc.get('globalDefault') else 'false'}")
    lines.append(f"PreemptionPolicy:\t{pc.get('preemptionPolicy', 'PreemptLowerPriority')}")
    lines.append(f"Description:\t{pc.get('description', '')}")
    lines += _map_lines("Annotations", pc["metadata"].get("annotations"), sep=": ")
    return lines


def describe_secret(cluster, secret: dict) -> list[str]:
    """Sizes only, never values, as kubectl describe shows a Secret."""
    lines = [*_meta(secret), "", f"Type:\t{secret.get('type', 'Opaque')}", "", "Data", "===="]
    for key, value in sorted((secret.get("data") or {}).items()):
        try:
            size = len(base64.b64decode(value, validate=True))
        except (ValueError, TypeError):
            size = len(value)
        lines.append(f"{key}:\t{size} bytes")
    return lines


def describe_configmap(cluster, cm: dict) -> list[str]:
    lines = [*_meta(cm), "", "Data", "===="]
    for key, value in sorted((cm.get("data") or {}).items()):
        lines += [f"{key}:", "----", str(value), ""]
    lines += ["BinaryData", "===="]
    lines += [
        f"{key}: {len(base64.b64decode(v))} bytes"
        for key, v in (cm.get("binaryData") or {}).items()
    ]
    lines.append("")
    return lines


DESCRIBERS = {
    "HorizontalPodAutoscaler": describe_hpa,
    "PodDisruptionBudget": describe_pdb,
    "PriorityClass": describe_priorityclass,
    "Secret": describe_secret,
    "ConfigMap": describe_configmap,
    "Pod": describe_pod,
    "Deployment": describe_deployment,
    "ReplicaSet": describe_replicaset,
    "Node": describe_node,
    "Service": describe_service,
}


def describe(cluster, kind: str, name: str, namespace: str | None = "default") -> str:
    """kubectl describe <kind> <name>; raises DescribeError with kubectl's NotFound text."""
    entry = kind_for(kind)
    if entry is None:
        raise DescribeError(f'error: the server doesn\'t have a resource type "{kind}"')
    obj = get_object(cluster, entry["kind"], name, namespace or "default")
    if obj is None:
        raise DescribeError(
            f'Error from server (NotFound): {qualified_plural(entry)} "{name}" not found'
        )
    describer = DESCRIBERS.get(entry["kind"])
    if describer is not None:
        lines = describer(cluster, obj)
    else:
        lines = describe_generic(cluster, obj, entry["namespaced"])
    if entry["kind"] != "Event":
        lines += _events(cluster, obj)
    return tabulate(lines)

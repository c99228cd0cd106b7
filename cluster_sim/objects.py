"""Constructors for Kubernetes-shaped objects (Node, Deployment, ReplicaSet, Pod, ConfigMap, ...).

Fields the API server would default are filled in here, so objects look like
what `kubectl get -o yaml` prints.
"""

from .names import new_uid
from .timestamps import rfc3339

NAMESPACE = "default"
NODE_SIZES = {
    "small": {"cpu": "2", "memory": "4Gi"},
    "medium": {"cpu": "4", "memory": "8Gi"},
    "large": {"cpu": "8", "memory": "16Gi"},
}
MAX_PODS = "110"
KUBELET_VERSION = "v1.33.1"

# NODE-3: the DefaultTolerationSeconds admission plugin adds these to every pod.
DEFAULT_TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]


def admission_defaults(spec: dict) -> dict:
    """What admission adds to every new pod's spec (NODE-3 tolerations, service account)."""
    spec.setdefault("tolerations", [])
    for toleration in DEFAULT_TOLERATIONS:
        if not any(t.get("key") == toleration["key"] for t in spec["tolerations"]):
            spec["tolerations"].append(dict(toleration))
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("serviceAccountName", "default")
    return spec


def metadata(cluster, name: str, *, namespaced: bool = True, **fields) -> dict:
    meta = {"name": name}
    if namespaced:
        meta["namespace"] = NAMESPACE
    meta["uid"] = new_uid(cluster.rng)
    meta["resourceVersion"] = ""
    meta["creationTimestamp"] = rfc3339(cluster.now)
    meta.update({key: value for key, value in fields.items() if value is not None})
    return meta


def controller_reference(owner: dict) -> dict:
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def condition(type_: str, status: str, now: float, reason=None, message=None) -> dict:
    cond = {"type": type_, "status": status, "lastProbeTime": None}
    cond["lastTransitionTime"] = rfc3339(now)
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def new_node(cluster, name: str, size: str, index: int) -> dict:
    """A Ready worker node; index picks its pod CIDR (10.244.<index>.0/24) and address."""
    resources = {**NODE_SIZES[size], "pods": MAX_PODS}
    now = cluster.now
    heartbeat = rfc3339(now)

    def node_condition(type_, status, reason, message):
        return {
            "type": type_,
            "status": status,
            "lastHeartbeatTime": heartbeat,
            "lastTransitionTime": heartbeat,
            "reason": reason,
            "message": message,
        }

    meta = metadata(
        cluster,
        name,
        namespaced=False,
        labels={
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "playground.k8s/size": size,
        },
        annotations={"node.alpha.kubernetes.io/ttl": "0"},
    )
    # The kubelet reports these machine identities; the OpenAPI marks them required.
    machine = meta["uid"].replace("-", "")
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta,
        "spec": {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"]},
        "status": {
            "capacity": dict(resources),
            "allocatable": dict(resources),
            "conditions": [
                node_condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                node_condition(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                node_condition(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                node_condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [
                {"type": "InternalIP", "address": f"192.168.0.{10 + index}"},
                {"type": "Hostname", "address": name},
            ],
            "nodeInfo": {
                "machineID": machine,
                "systemUUID": meta["uid"],
                "bootID": machine[::-1],
                "architecture": "amd64",
                "containerRuntimeVersion": "containerd://2.0.5",
                "kernelVersion": "6.8.0-harbour",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
            },
            "images": [],
        },
    }


def default_image_pull_policy(image: str) -> str:
    """API defaulting: Always for ":latest" or no tag, IfNotPresent otherwise."""
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    if ":" not in last or last.endswith(":latest"):
        return "Always"
    return "IfNotPresent"


def container(name: str, image: str, cpu: str | None, memory: str | None) -> dict:
    requests = {key: value for key, value in (("cpu", cpu), ("memory", memory)) if value}
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": default_image_pull_policy(image),
        "resources": {"requests": requests} if requests else {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def pod_template(labels: dict, containers: list[dict]) -> dict:
    return {
        "metadata": {"labels": dict(labels)},
        "spec": {
            "containers": containers,
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "schedulerName": "default-scheduler",
            "securityContext": {},
        },
    }


def new_deployment(
    cluster, name: str, *, image: str, container_name: str, cpu: str, memory: str, replicas: int
) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(cluster, name, labels=dict(labels), annotations={}, generation=1),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": pod_template(labels, [container(container_name, image, cpu, memory)]),
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "minReadySeconds": 0,
        },
        "status": {},
    }


def pdb_object(cluster, name: str, selector: dict, budget: dict) -> dict:
    """A policy/v1 PodDisruptionBudget; the disruption controller fills in its status."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(cluster, name, generation=1),
        "spec": {**budget, "selector": selector},
        "status": {
            "observedGeneration": 0,
            "disruptionsAllowed": 0,
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "expectedPods": 0,
        },
    }


def priority_class(cluster, name: str, value: int, description: str) -> dict:
    """A scheduling.k8s.io/v1 PriorityClass (cluster-scoped; value at the top level, no spec)."""
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": metadata(cluster, name, namespaced=False, generation=1),
        "value": value,
        "globalDefault": False,
        "description": description,
        "preemptionPolicy": "PreemptLowerPriority",
    }


def configmap_object(cluster, name: str, data: dict, immutable: bool | None = None) -> dict:
    """A v1 ConfigMap: data (and binaryData) at the top level, no spec or status."""
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(cluster, name)}
    if data:  # an empty map is omitted, as the API server serialises it
        obj["data"] = dict(data)
    if immutable is not None:
        obj["immutable"] = immutable
    return obj


def secret_object(
    cluster, name: str, type_: str, data: dict, immutable: bool | None = None
) -> dict:
    """A v1 Secret: type and base64 data at the top level (stringData is never stored)."""
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata(cluster, name)}
    if data:
        obj["data"] = dict(data)
    obj["type"] = type_
    if immutable is not None:
        obj["immutable"] = immutable
    return obj

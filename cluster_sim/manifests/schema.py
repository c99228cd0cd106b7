"""Strict decoding: the fields each kind has, with their JSON types, as the API server's
`fieldValidation=Strict` checks them (`strict decoding error: unknown field "spec.replica"`,
`json: cannot unmarshal string into Go struct field ... of type int32`).

A schema is a dict field -> type; a type is a scalar name ("string", "int32", "int64",
"boolean", "number", "intstr", "quantity", "any"), "map" (string -> string), a nested
schema dict, or a one-element list [type] for arrays. Fields Kubernetes has but the
playground does not simulate are accepted and kept (their shape only is checked).
"""

ANY = "any"
S, I32, I64, B, N, IS, Q, MAP = (
    "string",
    "int32",
    "int64",
    "boolean",
    "number",
    "intstr",
    "quantity",
    "map",
)

OWNER_REF = {
    "apiVersion": S,
    "kind": S,
    "name": S,
    "uid": S,
    "controller": B,
    "blockOwnerDeletion": B,
}
METADATA = {
    "name": S,
    "generateName": S,
    "namespace": S,
    "uid": S,
    "resourceVersion": S,
    "generation": I64,
    "creationTimestamp": ANY,
    "deletionTimestamp": ANY,
    "deletionGracePeriodSeconds": I64,
    "labels": MAP,
    "annotations": MAP,
    "ownerReferences": [OWNER_REF],
    "finalizers": [S],
    "managedFields": [ANY],
    "selfLink": S,
}
LABEL_SELECTOR = {
    "matchLabels": MAP,
    "matchExpressions": [{"key": S, "operator": S, "values": [S]}],
}
KEY_REF = {"name": S, "key": S, "optional": B}
ENV_VAR = {
    "name": S,
    "value": S,
    "valueFrom": {
        "configMapKeyRef": KEY_REF,
        "secretKeyRef": KEY_REF,
        "fieldRef": {"apiVersion": S, "fieldPath": S},
        "resourceFieldRef": {"containerName": S, "resource": S, "divisor": Q},
    },
}
ENV_FROM = {
    "prefix": S,
    "configMapRef": {"name": S, "optional": B},
    "secretRef": {"name": S, "optional": B},
}
HTTP_HEADER = {"name": S, "value": S}
PROBE = {
    "httpGet": {"path": S, "port": IS, "host": S, "scheme": S, "httpHeaders": [HTTP_HEADER]},
    "tcpSocket": {"port": IS, "host": S},
    "exec": {"command": [S]},
    "grpc": {"port": I32, "service": S},
    "initialDelaySeconds": I32,
    "timeoutSeconds": I32,
    "periodSeconds": I32,
    "successThreshold": I32,
    "failureThreshold": I32,
    "terminationGracePeriodSeconds": I64,
}
RESOURCES = {"limits": {"*": Q}, "requests": {"*": Q}, "claims": [ANY]}
CONTAINER = {
    "name": S,
    "image": S,
    "imagePullPolicy": S,
    "command": [S],
    "args": [S],
    "workingDir": S,
    "ports": [{"name": S, "containerPort": I32, "protocol": S, "hostPort": I32, "hostIP": S}],
    "env": [ENV_VAR],
    "envFrom": [ENV_FROM],
    "resources": RESOURCES,
    "volumeMounts": [
        {
            "name": S,
            "mountPath": S,
            "subPath": S,
            "readOnly": B,
            "subPathExpr": S,
            "mountPropagation": S,
            "recursiveReadOnly": S,
        }
    ],
    "livenessProbe": PROBE,
    "readinessProbe": PROBE,
    "startupProbe": PROBE,
    "lifecycle": ANY,
    "securityContext": ANY,
    "terminationMessagePath": S,
    "terminationMessagePolicy": S,
    "stdin": B,
    "stdinOnce": B,
    "tty": B,
    "restartPolicy": S,
    "resizePolicy": [ANY],
    "volumeDevices": [ANY],
}
TOLERATION = {"key": S, "operator": S, "value": S, "effect": S, "tolerationSeconds": I64}
ITEMS = [{"key": S, "path": S, "mode": I32}]
VOLUME = {
    "name": S,
    "configMap": {"name": S, "items": ITEMS, "defaultMode": I32, "optional": B},
    "secret": {"secretName": S, "items": ITEMS, "defaultMode": I32, "optional": B},
    "emptyDir": {"medium": S, "sizeLimit": Q},
    "projected": ANY,
    "downwardAPI": ANY,
    "persistentVolumeClaim": ANY,
    "hostPath": ANY,
}
POD_SPEC = {
    "containers": [CONTAINER],
    "initContainers": [CONTAINER],
    "volumes": [VOLUME],
    "restartPolicy": S,
    "terminationGracePeriodSeconds": I64,
    "activeDeadlineSeconds": I64,
    "dnsPolicy": S,
    "nodeSelector": MAP,
    "serviceAccountName": S,
    "serviceAccount": S,
    "automountServiceAccountToken": B,
    "nodeName": S,
    "hostNetwork": B,
    "securityContext": ANY,
    "imagePullSecrets": [{"name": S}],
    "hostname": S,
    "subdomain": S,
    "affinity": ANY,
    "schedulerName": S,
    "tolerations": [TOLERATION],
    "priorityClassName": S,
    "priority": I32,
    "preemptionPolicy": S,
    "topologySpreadConstraints": [
        {
            "maxSkew": I32,
            "topologyKey": S,
            "whenUnsatisfiable": S,
            "labelSelector": LABEL_SELECTOR,
            "minDomains": I32,
            "matchLabelKeys": [S],
            "nodeAffinityPolicy": S,
            "nodeTaintsPolicy": S,
        }
    ],
    "enableServiceLinks": B,
    "shareProcessNamespace": B,
    "readinessGates": [{"conditionType": S}],
    "runtimeClassName": S,
    "overhead": {"*": Q},
    "os": {"name": S},
    "hostAliases": [ANY],
    "dnsConfig": ANY,
    "hostPID": B,
    "hostIPC": B,
    "setHostnameAsFQDN": B,
    "ephemeralContainers": [ANY],
    "schedulingGates": [{"name": S}],
}
TEMPLATE = {"metadata": METADATA, "spec": POD_SPEC}
CONDITION = {
    "type": S,
    "status": S,
    "reason": S,
    "message": S,
    "lastTransitionTime": ANY,
    "lastUpdateTime": ANY,
    "lastProbeTime": ANY,
    "lastHeartbeatTime": ANY,
    "observedGeneration": I64,
}
DEPLOYMENT_SPEC = {
    "replicas": I32,
    "selector": LABEL_SELECTOR,
    "template": TEMPLATE,
    "strategy": {"type": S, "rollingUpdate": {"maxSurge": IS, "maxUnavailable": IS}},
    "minReadySeconds": I32,
    "revisionHistoryLimit": I32,
    "paused": B,
    "progressDeadlineSeconds": I32,
}
REPLICASET_SPEC = {
    "replicas": I32,
    "selector": LABEL_SELECTOR,
    "template": TEMPLATE,
    "minReadySeconds": I32,
}
SERVICE_SPEC = {
    "type": S,
    "selector": MAP,
    "ports": [
        {
            "name": S,
            "protocol": S,
            "port": I32,
            "targetPort": IS,
            "nodePort": I32,
            "appProtocol": S,
        }
    ],
    "clusterIP": S,
    "clusterIPs": [S],
    "ipFamilies": [S],
    "ipFamilyPolicy": S,
    "sessionAffinity": S,
    "sessionAffinityConfig": ANY,
    "internalTrafficPolicy": S,
    "externalTrafficPolicy": S,
    "externalIPs": [S],
    "externalName": S,
    "loadBalancerIP": S,
    "loadBalancerSourceRanges": [S],
    "loadBalancerClass": S,
    "allocateLoadBalancerNodePorts": B,
    "healthCheckNodePort": I32,
    "publishNotReadyAddresses": B,
    "trafficDistribution": S,
}
TAINT = {"key": S, "value": S, "effect": S, "timeAdded": ANY}
NODE_SPEC = {
    "podCIDR": S,
    "podCIDRs": [S],
    "providerID": S,
    "unschedulable": B,
    "taints": [TAINT],
    "configSource": ANY,
    "externalID": S,
}
SCALING_RULES = {
    "stabilizationWindowSeconds": I32,
    "selectPolicy": S,
    "policies": [{"type": S, "value": I32, "periodSeconds": I32}],
    "tolerance": Q,
}
METRIC_TARGET = {"type": S, "value": Q, "averageValue": Q, "averageUtilization": I32}
HPA_SPEC = {
    "scaleTargetRef": {"apiVersion": S, "kind": S, "name": S},
    "minReplicas": I32,
    "maxReplicas": I32,
    "metrics": [
        {
            "type": S,
            "resource": {"name": S, "target": METRIC_TARGET},
            "containerResource": ANY,
            "pods": ANY,
            "object": ANY,
            "external": ANY,
        }
    ],
    "behavior": {"scaleUp": SCALING_RULES, "scaleDown": SCALING_RULES},
}
PDB_SPEC = {
    "minAvailable": IS,
    "maxUnavailable": IS,
    "selector": LABEL_SELECTOR,
    "unhealthyPodEvictionPolicy": S,
}


def _top(**fields) -> dict:
    return {"apiVersion": S, "kind": S, "metadata": METADATA, **fields}


SCHEMAS = {
    "Deployment": _top(spec=DEPLOYMENT_SPEC, status=ANY),
    "ReplicaSet": _top(spec=REPLICASET_SPEC, status=ANY),
    "Pod": _top(spec=POD_SPEC, status=ANY),
    "Service": _top(spec=SERVICE_SPEC, status=ANY),
    "Node": _top(spec=NODE_SPEC, status=ANY),
    "ConfigMap": _top(data=MAP, binaryData=MAP, immutable=B),
    "Secret": _top(data=MAP, stringData=MAP, type=S, immutable=B),
    "HorizontalPodAutoscaler": _top(spec=HPA_SPEC, status=ANY),
    "PodDisruptionBudget": _top(spec=PDB_SPEC, status=ANY),
    "PriorityClass": _top(value=I32, globalDefault=B, description=S, preemptionPolicy=S),
    "Namespace": _top(spec={"finalizers": [S]}, status=ANY),
}

_GO_TYPES = {S: "string", I32: "int32", I64: "int64", B: "bool", N: "float64"}


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _scalar_ok(type_: str, value) -> bool:
    if type_ == ANY:
        return True
    if type_ == S:
        return isinstance(value, str)
    if type_ in (I32, I64):
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == B:
        return isinstance(value, bool)
    if type_ == N:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_ in (IS, Q):
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    return False


def check(kind: str, doc: dict) -> tuple[list[str], list[str]]:
    """(unknown field paths, type errors) of a document, in document order."""
    unknown: list[str] = []
    wrong: list[str] = []
    _walk(SCHEMAS[kind], doc, "", kind, unknown, wrong)
    return unknown, wrong


def _walk(schema, value, path: str, kind: str, unknown: list, wrong: list) -> None:
    if value is None:
        return  # null is "unset" for every field
    if isinstance(schema, list):
        if not isinstance(value, list):
            wrong.append(_mismatch(kind, path, value, "[]" + _go_name(schema[0])))
            return
        for index, item in enumerate(value):
            _walk(schema[0], item, f"{path}[{index}]", kind, unknown, wrong)
        return
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            wrong.append(_mismatch(kind, path, value, "struct"))
            return
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if "*" in schema:
                _walk(schema["*"], item, child, kind, unknown, wrong)
            elif key in schema:
                _walk(schema[key], item, child, kind, unknown, wrong)
            else:
                unknown.append(child)
        return
    if schema == MAP:
        if not isinstance(value, dict):
            wrong.append(_mismatch(kind, path, value, "map[string]string"))
            return
        for key, item in value.items():
            if not isinstance(item, str) and item is not None:
                wrong.append(_mismatch(kind, f"{path}.{key}", item, "string"))
        return
    if not _scalar_ok(schema, value):
        wrong.append(_mismatch(kind, path, value, _go_name(schema)))


def _go_name(type_) -> str:
    if isinstance(type_, dict):
        return "struct"
    if isinstance(type_, list):
        return "[]" + _go_name(type_[0])
    return _GO_TYPES.get(type_, type_)


def _mismatch(kind: str, path: str, value, go_type: str) -> str:
    return (
        f"json: cannot unmarshal {_json_type(value)} into Go struct field "
        f"{kind}.{path} of type {go_type}"
    )

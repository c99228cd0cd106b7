"""Pod specs in manifests: the API server's defaulting and validation of a pod template.

Defaults match what `objects.pod_template`/`objects.container` fill in for objects made by
a click, so a Deployment applied from YAML is stored exactly like one the UI creates
(POD-8 probe defaults; imagePullPolicy from the tag).
"""

import re

from .. import validation
from ..configdata import quote
from ..errors import ActionError
from ..objects import default_image_pull_policy
from ..quantity import parse_quantity

PROBE_DEFAULTS = {
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
PROTOCOLS = ("TCP", "UDP", "SCTP")
DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
LABEL_MESSAGE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def default_pod_spec(spec: dict) -> dict:
    """Fill in the defaults in place (and return spec)."""
    for container in spec.get("containers") or ():
        if isinstance(container, dict):
            _default_container(container)
    for container in spec.get("initContainers") or ():
        if isinstance(container, dict):
            _default_container(container)
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    for volume in spec.get("volumes") or ():
        for source in ("configMap", "secret"):
            if isinstance(volume, dict) and isinstance(volume.get(source), dict):
                volume[source].setdefault("defaultMode", 420)
    return spec


def _default_container(container: dict) -> None:
    if isinstance(container.get("image"), str) and "imagePullPolicy" not in container:
        container["imagePullPolicy"] = default_image_pull_policy(container["image"])
    container.setdefault("resources", {})
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    for port in container.get("ports") or ():
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
    for field in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(field)
        if isinstance(probe, dict):
            for key, value in PROBE_DEFAULTS.items():
                probe.setdefault(key, value)
            if isinstance(probe.get("httpGet"), dict):
                probe["httpGet"].setdefault("path", "/")
                probe["httpGet"].setdefault("scheme", "HTTP")
    for env in container.get("env") or ():
        ref = (env.get("valueFrom") or {}).get("fieldRef") if isinstance(env, dict) else None
        if isinstance(ref, dict):
            ref.setdefault("apiVersion", "v1")


def _quantity_errors(path: str, value) -> list[str]:
    try:
        amount = parse_quantity(str(value))
    except ValueError:
        return [
            f"{path}: Invalid value: {quote(str(value))}: quantities must match the regular "
            "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        ]
    if amount < 0:
        return [f"{path}: Invalid value: {quote(str(value))}: must be greater than or equal to 0"]
    return []


def _container_errors(path: str, container: dict, names: dict) -> list[str]:
    errors = []
    name = container.get("name")
    if not name:
        errors.append(f"{path}.name: Required value")
    elif len(name) > 63 or not DNS1123_LABEL.fullmatch(name):
        errors.append(f"{path}.name: Invalid value: {quote(name)}: {LABEL_MESSAGE}")
    elif name in names:
        errors.append(f"{path}.name: Duplicate value: {quote(name)}")
    else:
        names[name] = None
    image = container.get("image")
    if not image:
        errors.append(f"{path}.image: Required value")
    elif image != image.strip():
        errors.append(
            f"{path}.image: Invalid value: {quote(image)}: "
            "must not have leading or trailing whitespace"
        )
    policy = container.get("imagePullPolicy")
    if policy not in PULL_POLICIES and not (policy is None and not image):
        errors.append(
            f"{path}.imagePullPolicy: Unsupported value: {quote(str(policy))}: supported values: "
            '"Always", "IfNotPresent", "Never"'
        )
    resources = container.get("resources") or {}
    for group in ("requests", "limits"):
        for resource, value in (resources.get(group) or {}).items():
            errors += _quantity_errors(f"{path}.resources.{group}[{resource}]", value)
    if not errors:
        for resource, request in (resources.get("requests") or {}).items():
            limit = (resources.get("limits") or {}).get(resource)
            if limit is not None and parse_quantity(str(request)) > parse_quantity(str(limit)):
                errors.append(
                    f"{path}.resources.requests: Invalid value: {quote(str(request))}: "
                    f"must be less than or equal to {resource} limit of {limit}"
                )
    for index, port in enumerate(container.get("ports") or ()):
        number = port.get("containerPort")
        if number is None:
            errors.append(f"{path}.ports[{index}].containerPort: Required value")
        elif not 1 <= number <= 65535:
            errors.append(
                f"{path}.ports[{index}].containerPort: Invalid value: {number}: "
                "must be between 1 and 65535, inclusive"
            )
        if port.get("protocol") not in PROTOCOLS:
            errors.append(
                f"{path}.ports[{index}].protocol: Unsupported value: "
                f'{quote(str(port.get("protocol")))}: supported values: "SCTP", "TCP", "UDP"'
            )
    for field in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(field)
        if not isinstance(probe, dict):
            continue
        handlers = [h for h in ("httpGet", "tcpSocket", "exec", "grpc") if probe.get(h) is not None]
        if len(handlers) != 1:
            errors.append(f"{path}.{field}: Required value: must specify a handler type")
        for key in ("timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
            if probe.get(key, 1) < 1:
                errors.append(
                    f"{path}.{field}.{key}: Invalid value: {probe[key]}: "
                    "must be greater than or equal to 1"
                )
        if field != "readinessProbe" and probe.get("successThreshold", 1) != 1:
            errors.append(
                f"{path}.{field}.successThreshold: Invalid value: "
                f"{probe['successThreshold']}: must be 1"
            )
    for index, env in enumerate(container.get("env") or ()):
        if not env.get("name"):
            errors.append(f"{path}.env[{index}].name: Required value")
    for index, mount in enumerate(container.get("volumeMounts") or ()):
        if not mount.get("name"):
            errors.append(f"{path}.volumeMounts[{index}].name: Required value")
        if not mount.get("mountPath"):
            errors.append(f"{path}.volumeMounts[{index}].mountPath: Required value")
    return errors


def pod_spec_errors(path: str, spec: dict, *, restart_policies=RESTART_POLICIES) -> list[str]:
    """ValidatePodSpec for what the playground models (path: e.g. spec.template.spec)."""
    errors = []
    containers = spec.get("containers") or []
    if not containers:
        errors.append(f"{path}.containers: Required value")
    names: dict = {}
    for index, container in enumerate(containers):
        errors += _container_errors(f"{path}.containers[{index}]", container, names)
    volumes = {}
    for index, volume in enumerate(spec.get("volumes") or ()):
        name = volume.get("name")
        if not name:
            errors.append(f"{path}.volumes[{index}].name: Required value")
        elif name in volumes:
            errors.append(f"{path}.volumes[{index}].name: Duplicate value: {quote(name)}")
        volumes[name] = None
    for index, container in enumerate(containers):
        for m, mount in enumerate(container.get("volumeMounts") or ()):
            if mount.get("name") and mount["name"] not in volumes:
                errors.append(
                    f"{path}.containers[{index}].volumeMounts[{m}].name: "
                    f"Not found: {quote(mount['name'])}"
                )
    if spec.get("restartPolicy") not in restart_policies:
        supported = ", ".join(f'"{p}"' for p in restart_policies)
        errors.append(
            f"{path}.restartPolicy: Unsupported value: {quote(str(spec.get('restartPolicy')))}: "
            f"supported values: {supported}"
        )
    if spec.get("dnsPolicy") not in DNS_POLICIES:
        errors.append(
            f"{path}.dnsPolicy: Unsupported value: {quote(str(spec.get('dnsPolicy')))}: "
            'supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'
        )
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and grace < 0:
        errors.append(
            f"{path}.terminationGracePeriodSeconds: Invalid value: {grace}: "
            "must be greater than or equal to 0"
        )
    errors += _playground_pod_errors(path, spec)
    return errors


def _playground_pod_errors(path: str, spec: dict) -> list[str]:
    """Typed pieces the engine's actions already validate (labels, tolerations)."""
    errors = []
    try:
        validation.labels(spec.get("nodeSelector") or {})
    except ActionError as error:
        errors.append(f"{path}.nodeSelector: Invalid value: {error}")
    for index, toleration in enumerate(spec.get("tolerations") or ()):
        try:
            validation.toleration({k: v for k, v in toleration.items() if v is not None})
        except ActionError as error:
            errors.append(f"{path}.tolerations[{index}]: Invalid value: {error}")
    return errors

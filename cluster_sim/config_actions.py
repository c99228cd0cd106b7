"""ConfigMap and Secret actions, and pod templates that consume them (CFG-1..CFG-5).

Creating, changing or deleting a ConfigMap or Secret restarts nothing and rolls
nothing out (CFG-1, CFG-2): running containers keep their env, volumes follow
at each pod's next kubelet sync. `use_config`, `unuse_config` and
`roll_out_config` change the pod template, so they roll out (CFG-3).
"""

import re

from . import configdata, configrefs, validation
from .action_util import find_deployment, patch_spec
from .configdata import IMMUTABLE, OPAQUE, quote
from .errors import ActionError
from .objects import configmap_object, secret_object

MAX_OBJECTS = 30  # per kind: the playground's limit, not Kubernetes'
MOUNT_ROOTS = {"ConfigMap": "/etc/config", "Secret": "/etc/secrets"}
CHECKSUM_ANNOTATION = "checksum/config"
DEFAULT_MODE = 420  # 0644, the API server's default for configMap/secret volumes
USES = ("env", "volume")
_NOT_ENV_NAME = re.compile(r"[^A-Za-z0-9_]")


def _object_name(name) -> str:
    if not isinstance(name, str):
        raise ActionError("name must be a string")
    return name


def _room_for(cluster, kind: str) -> None:
    if len(cluster.store.list(kind)) >= MAX_OBJECTS:
        raise ActionError(f"the playground holds at most {MAX_OBJECTS} {kind}s; delete one first")


def _sorted(data: dict) -> dict:
    """Map keys come back sorted from the API server (Go's JSON encoder sorts them)."""
    return {key: data[key] for key in sorted(data)}


def _immutable(kind: str, value) -> bool | None:
    return None if value is None else configdata.boolean(kind, "immutable", value)


# ConfigMaps


def create_configmap(cluster, name, data, immutable=None) -> str:
    name = _object_name(name)
    data = configdata.string_map("ConfigMap", "data", data, "string")
    immutable = _immutable("ConfigMap", immutable)
    errors = configdata.configmap_errors(name, data, {})
    if errors:
        raise configdata.invalid("ConfigMap", name, errors)
    if cluster.store.get("ConfigMap", name) is not None:
        raise ActionError(f"configmaps {quote(name)} already exists")
    _room_for(cluster, "ConfigMap")
    cluster.store.create(configmap_object(cluster, name, _sorted(data), immutable))
    return f"configmap/{name} created"


def update_configmap(cluster, name, data) -> str:
    """Replace data (binaryData stays); refused on an immutable ConfigMap (CFG-4)."""
    configmap = validation.existing(cluster, "ConfigMap", name, "configmaps")
    data = configdata.string_map("ConfigMap", "data", data, "string")
    current = configmap.get("data") or {}
    errors = []
    if configmap.get("immutable") and data != current:
        errors.append(f"data: Forbidden: {IMMUTABLE}")
    errors += configdata.configmap_errors(name, data, configmap.get("binaryData") or {})
    if errors:
        raise configdata.invalid("ConfigMap", name, errors)
    if data == current:
        return f"configmap/{name} unchanged"
    with cluster.store.edit(configmap):
        configmap.pop("data", None)
        if data:
            configmap["data"] = _sorted(data)
    return f"configmap/{name} configured"


def delete_configmap(cluster, name) -> str:
    configmap = validation.existing(cluster, "ConfigMap", name, "configmaps")
    cluster.store.delete(configmap)
    return f"configmap {quote(name)} deleted"


# Secrets


def _secret_payload(data, string_data) -> dict[str, bytes]:
    """CFG-5: data is base64, stringData plain text merged on top (it wins) and never kept."""
    payload = {}
    if data is not None:
        data = configdata.string_map("Secret", "data", data, "[]uint8")
        payload = configdata.decode_secret_data(data)
    if string_data is not None:
        string_data = configdata.string_map("Secret", "stringData", string_data, "string")
        for key, value in string_data.items():
            payload[key] = value.encode()
    return payload


def _encoded(payload: dict[str, bytes]) -> dict:
    return _sorted({key: configdata.encode(value) for key, value in payload.items()})


def create_secret(cluster, name, type=None, data=None, stringData=None, immutable=None) -> str:
    name = _object_name(name)
    secret_type = OPAQUE if type in (None, "") else type
    if not isinstance(secret_type, str):
        raise configdata.undecodable(
            "Secret", "json: cannot unmarshal value into Go struct field Secret.type of type string"
        )
    if len(secret_type) > configdata.MAX_TYPE_LENGTH:
        raise ActionError(f"type must be at most {configdata.MAX_TYPE_LENGTH} characters")
    payload = _secret_payload(data, stringData)
    immutable = _immutable("Secret", immutable)
    errors = configdata.secret_errors(name, secret_type, payload, {})
    if errors:
        raise configdata.invalid("Secret", name, errors)
    if cluster.store.get("Secret", name) is not None:
        raise ActionError(f"secrets {quote(name)} already exists")
    _room_for(cluster, "Secret")
    cluster.store.create(secret_object(cluster, name, secret_type, _encoded(payload), immutable))
    return f"secret/{name} created"


def update_secret(cluster, name, data=None, stringData=None) -> str:
    """Replace data with data + stringData; the type keeps its required keys (CFG-4, CFG-5)."""
    secret = validation.existing(cluster, "Secret", name, "secrets")
    if data is None and stringData is None:
        raise ActionError("update_secret needs data or stringData")
    payload = _secret_payload(data, stringData)
    new = _encoded(payload)
    current = secret.get("data") or {}
    errors = []
    if secret.get("immutable") and new != current:
        errors.append(f"data: Forbidden: {IMMUTABLE}")
    annotations = secret["metadata"].get("annotations") or {}
    errors += configdata.secret_errors(name, secret["type"], payload, annotations)
    if errors:
        raise configdata.invalid("Secret", name, errors)
    if new == current:
        return f"secret/{name} unchanged"
    with cluster.store.edit(secret):
        secret.pop("data", None)
        if new:
            secret["data"] = new
    return f"secret/{name} configured"


def delete_secret(cluster, name) -> str:
    secret = validation.existing(cluster, "Secret", name, "secrets")
    cluster.store.delete(secret)
    return f"secret {quote(name)} deleted"


# Pod templates that consume them


def _kind(kind) -> str:
    if kind not in configrefs.KINDS:
        raise ActionError("kind must be ConfigMap or Secret")
    return kind


def _referenced_name(kind: str, name) -> str:
    name = _object_name(name)
    errors = configdata.name_errors(name)
    if errors:
        raise configdata.invalid(kind, name, errors)
    return name


def env_var_name(key: str) -> str:
    """kubectl set env --from --keys: the key upper-cased, other characters as '_'."""
    return _NOT_ENV_NAME.sub("_", key).upper()


def _put(items: list, matches, item) -> None:
    """Replace the first matching entry in place, or append."""
    for index, old in enumerate(items):
        if matches(old):
            items[index] = item
            return
    items.append(item)


def _volume_name(kind: str, name: str, volumes: list) -> str:
    """The object's name as a DNS label; a second kind with the same name gets a suffix."""
    base = name.replace(".", "-")[:63].rstrip("-")
    if any(v["name"] == base for v in volumes):
        suffix = "-secret" if kind == "Secret" else "-config"
        base = base[: 63 - len(suffix)].rstrip("-") + suffix
    return base


def _source_of(volume: dict) -> tuple | None:
    source = configrefs.volume_source(volume)
    return source[:2] if source else None


def _check_one_key(field: str, value, how: str, used_with: str, meaning: str) -> None:
    """key (env) and subPath (volume) each pick one key of the object: same checks, own use."""
    if value is None:
        return
    if how != used_with:
        raise ActionError(f"{field} is only used with as: {used_with} ({meaning})")
    if not isinstance(value, str):
        raise ActionError(f"{field} must be a string")
    errors = configdata.key_errors(field, value)
    if errors:
        raise ActionError(errors[0])


def use_config(
    cluster, deployment, kind, name, optional=None, key=None, subPath=None, **rest
) -> str:
    """Consume a ConfigMap/Secret in container[0]: envFrom (or one env var from `key`), or a
    volume mounted at /etc/config/NAME or /etc/secrets/NAME (read-only), or just one of its
    keys as a file there with `subPath` (which never updates). The object need not exist yet:
    the kubelet then holds the pod (CFG-1, CFG-2)."""
    d = find_deployment(cluster, deployment)
    kind = _kind(kind)
    name = _referenced_name(kind, name)
    how = rest["as"]
    if how not in USES:
        raise ActionError("as must be env or volume")
    if optional is not None and not isinstance(optional, bool):
        raise ActionError("optional must be true or false")
    _check_one_key("key", key, how, "env", "one variable from one key")
    _check_one_key("subPath", subPath, how, "volume", "one key as one file")
    configmap = kind == "ConfigMap"

    def change(spec):
        pod_spec = spec["template"]["spec"]
        container = pod_spec["containers"][0]
        extra = {"optional": True} if optional else {}
        if how == "env" and key is None:
            field = "configMapRef" if configmap else "secretRef"
            _put(
                container.setdefault("envFrom", []),
                lambda e: e.get(field, {}).get("name") == name,
                {field: {"name": name, **extra}},
            )
        elif how == "env":
            field = "configMapKeyRef" if configmap else "secretKeyRef"
            var = env_var_name(key)
            _put(
                container.setdefault("env", []),
                lambda e: e.get("name") == var,
                {"name": var, "valueFrom": {field: {"name": name, "key": key, **extra}}},
            )
        else:
            volumes = pod_spec.setdefault("volumes", [])
            same = next((v for v in volumes if _source_of(v) == (kind, name)), None)
            volume_name = same["name"] if same else _volume_name(kind, name, volumes)
            source = (
                {"configMap": {"name": name, "defaultMode": DEFAULT_MODE, **extra}}
                if configmap
                else {"secret": {"secretName": name, "defaultMode": DEFAULT_MODE, **extra}}
            )
            _put(volumes, lambda v: v["name"] == volume_name, {"name": volume_name, **source})
            mount = {"name": volume_name, "mountPath": f"{MOUNT_ROOTS[kind]}/{name}"}
            if subPath is not None:
                mount["mountPath"] += f"/{subPath}"
                mount["subPath"] = subPath
            if not configmap:
                mount["readOnly"] = True
            _put(
                container.setdefault("volumeMounts", []),
                lambda m: m["name"] == volume_name and m.get("subPath") == subPath,
                mount,
            )

    return patch_spec(cluster, d, change)


def unuse_config(cluster, deployment, kind, name) -> str:
    """Remove every envFrom entry, env var, volume and volumeMount that uses the object."""
    d = find_deployment(cluster, deployment)
    kind = _kind(kind)
    name = _object_name(name)

    def uses(source: dict, field: str) -> bool:
        return field in source and source[field].get("name") == name

    env_from_field = "configMapRef" if kind == "ConfigMap" else "secretRef"
    key_field = "configMapKeyRef" if kind == "ConfigMap" else "secretKeyRef"

    def change(spec):
        pod_spec = spec["template"]["spec"]
        dropped = [v["name"] for v in pod_spec.get("volumes", ()) if _source_of(v) == (kind, name)]
        _keep(pod_spec, "volumes", lambda v: v["name"] not in dropped)
        for container in pod_spec["containers"]:
            _keep(container, "envFrom", lambda e: not uses(e, env_from_field))
            _keep(container, "env", lambda e: not uses(e.get("valueFrom") or {}, key_field))
            _keep(container, "volumeMounts", lambda m: m["name"] not in dropped)

    return patch_spec(cluster, d, change)


def _keep(holder: dict, field: str, wanted) -> None:
    """Filter a list field; an emptied list is dropped, as if it had never been set."""
    if field not in holder:
        return
    holder[field] = [item for item in holder[field] if wanted(item)]
    if not holder[field]:
        del holder[field]


def roll_out_config(cluster, deployment) -> str:
    """CFG-3, the checksum pattern: template annotation checksum/config = sha256 of what the
    template consumes, so a changed ConfigMap/Secret means a new template and a rollout."""
    d = find_deployment(cluster, deployment)
    used = configrefs.usage(d["spec"]["template"]["spec"])
    if not used:
        raise ActionError(
            f'deployment "{deployment}" consumes no ConfigMap or Secret (use_config first)'
        )
    consumed = {}
    for ref, use in used.items():
        obj = cluster.store.get(use["kind"], use["name"])
        consumed[ref] = None if obj is None else obj.get("data") or {}
    digest = configdata.checksum(consumed)

    def change(spec):
        metadata = spec["template"]["metadata"]
        annotations = metadata.get("annotations") or {}
        metadata["annotations"] = {**annotations, CHECKSUM_ANNOTATION: digest}

    return patch_spec(cluster, d, change)


# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {
    "create_configmap": (create_configmap, ("name", "data"), ("immutable",)),
    "update_configmap": (update_configmap, ("name", "data"), ()),
    "delete_configmap": (delete_configmap, ("name",), ()),
    "create_secret": (create_secret, ("name",), ("type", "data", "stringData", "immutable")),
    "update_secret": (update_secret, ("name",), ("data", "stringData")),
    "delete_secret": (delete_secret, ("name",), ()),
    "use_config": (
        use_config,
        ("deployment", "kind", "name", "as"),
        ("optional", "key", "subPath"),
    ),
    "unuse_config": (unuse_config, ("deployment", "kind", "name"), ()),
    "roll_out_config": (roll_out_config, ("deployment",), ()),
}

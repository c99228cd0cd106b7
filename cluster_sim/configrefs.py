"""Which ConfigMaps and Secrets a pod spec consumes, and how (CFG-1, CFG-2).

A reference is written "configmap/NAME" or "secret/NAME", the form the
`playground.k8s/config-seen` annotation and the checksum use.
"""

KINDS = {"ConfigMap": "configmap", "Secret": "secret"}
ENV_FROM_FIELDS = (("configMapRef", "ConfigMap"), ("secretRef", "Secret"))
KEY_REF_FIELDS = (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret"))


def ref(kind: str, name: str) -> str:
    return f"{KINDS[kind]}/{name}"


def volume_source(volume: dict) -> tuple[str, str, bool] | None:
    """(kind, name, optional) of a configMap or secret volume, None for other volumes."""
    if "configMap" in volume:
        source = volume["configMap"]
        return "ConfigMap", source.get("name", ""), bool(source.get("optional"))
    if "secret" in volume:
        source = volume["secret"]
        return "Secret", source.get("secretName", ""), bool(source.get("optional"))
    return None


def env_sources(container: dict):
    """(kind, name, key or None, optional) for each envFrom entry, then each env valueFrom,
    in the order the kubelet resolves them."""
    for item in container.get("envFrom") or ():
        for field, kind in ENV_FROM_FIELDS:
            if field in item:
                source = item[field]
                yield kind, source.get("name", ""), None, bool(source.get("optional"))
    for var in container.get("env") or ():
        value_from = var.get("valueFrom") or {}
        for field, kind in KEY_REF_FIELDS:
            if field in value_from:
                source = value_from[field]
                yield kind, source.get("name", ""), source.get("key"), bool(source.get("optional"))


def usage(pod_spec: dict) -> dict[str, dict]:
    """Every consumed object in spec order: ref -> {kind, name, env: bool, volumes: [names]}."""
    found: dict[str, dict] = {}

    def entry(kind: str, name: str) -> dict:
        return found.setdefault(
            ref(kind, name), {"kind": kind, "name": name, "env": False, "volumes": []}
        )

    for container in pod_spec.get("containers") or ():
        for kind, name, _key, _optional in env_sources(container):
            entry(kind, name)["env"] = True
    for volume in pod_spec.get("volumes") or ():
        source = volume_source(volume)
        if source is not None:
            entry(source[0], source[1])["volumes"].append(volume["name"])
    return found

"""ConfigMaps and Secrets from manifests (configdata has the API server's rules, CFG-4/5)."""

from .. import configdata
from ..config_actions import MAX_OBJECTS
from ..errors import ActionError
from .common import Invalid, fresh_metadata, quote, store_write, updated_metadata
from .kinds import KINDS

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

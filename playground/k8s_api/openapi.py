"""A synthetic OpenAPI v3: per group-version, one PATCH operation per writable kind that
takes the fieldValidation query parameter. That is all kubectl's validator looks for
(cli-runtime query_param_verifier_v3.go): with it, `kubectl apply`/`create -f` keep their
default validation and leave it to the server (fieldValidation=Strict). There are no
schemas, so `kubectl explain` is out of scope. /openapi/v2 answers 404, which kubectl
tolerates."""

import hashlib
import json

from .discovery import VERSION, entries_in, group_versions


def gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def gv_document(group: str, version: str) -> dict | None:
    entries = entries_in(group, version)
    if not entries:
        return None
    prefix = "/" + gv_path(group, version)
    paths = {}
    for entry in entries:
        if not entry["writable"]:
            continue
        item = f"{prefix}/namespaces/{{namespace}}/{entry['plural']}/{{name}}"
        if not entry["namespaced"]:
            item = f"{prefix}/{entry['plural']}/{{name}}"
        paths[item] = {
            "patch": {
                "operationId": f"patch{entry['kind']}",
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": {
                    "group": group,
                    "version": version,
                    "kind": entry["kind"],
                },
                "parameters": [
                    {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "OK"}},
            }
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": VERSION["gitVersion"]},
        "components": {"schemas": {}},
        "paths": paths,
    }


def _hash(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:16].upper()


def root_document() -> dict:
    paths = {}
    for group, version in group_versions():
        path = gv_path(group, version)
        paths[path] = {
            "serverRelativeURL": f"/openapi/v3/{path}?hash={_hash(gv_document(group, version))}"
        }
    return {"paths": paths}

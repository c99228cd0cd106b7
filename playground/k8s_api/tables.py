"""meta.k8s.io/v1 Tables from the engine's printers (kubectl's columns per kind).

kubectl asks with Accept `application/json;as=Table;v=v1;g=meta.k8s.io,...` and prints the
cells as they come; rows carry the object's metadata only (PartialObjectMetadata, the API
server's default includeObject=Metadata) unless includeObject=Object is asked for."""

from cluster_sim import printers

TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def wants_table(accept: str) -> bool:
    return "as=Table" in accept


def partial_metadata(obj: dict) -> dict:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj.get("metadata", {}),
    }


def table(
    kind: str,
    objects: list[dict],
    now: float,
    resource_version: str,
    include_object: str = "Metadata",
    *,
    headers: bool = True,
) -> dict:
    body = printers.table(kind, objects, now, wide=True)
    rows = []
    for row in body["rows"]:
        obj = row["object"]
        if include_object == "None":
            shown = None
        elif include_object == "Object":
            shown = obj
        else:
            shown = partial_metadata(obj)
        rows.append({"cells": row["cells"], "object": shown})
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": body["columnDefinitions"] if headers else [],
        "rows": rows,
    }

"""GET of collections and items: plain JSON lists/objects, or Tables when asked for."""

from cluster_sim import Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.read import get_object, list_objects
from playground.models import Playground

from .status import ApiError, not_found
from .tables import table


def load(playground_id: str) -> tuple[Playground, Cluster]:
    playground = Playground.objects.filter(pk=playground_id).first()
    if playground is None:
        raise ApiError(
            404,
            "NotFound",
            f"playground {playground_id!r} does not exist (it may have been deleted)",
        )
    return playground, Cluster.from_state(playground.state)


def current_rv(cluster: Cluster) -> str:
    return str(cluster.store.resource_version)


def list_kind(target, cluster: Cluster, params) -> list[dict]:
    try:
        return list_objects(
            cluster,
            target.entry["kind"],
            target.namespace,
            params.get("labelSelector", ""),
            params.get("fieldSelector", ""),
        )
    except ManifestError as exc:
        raise ApiError(exc.code, exc.reason, exc.message, exc.details) from exc


def get_one(target, cluster: Cluster) -> dict:
    entry = target.entry
    found = get_object(cluster, entry["kind"], target.name, target.namespace)
    if found is None:
        raise not_found(entry["plural"], entry["group"], target.name)
    return found


def list_body(target, objects: list[dict], rv: str) -> dict:
    entry = target.entry
    return {
        "kind": f"{entry['kind']}List",
        "apiVersion": entry["apiVersion"],
        "metadata": {"resourceVersion": rv},
        "items": objects,
    }


def table_body(target, objects: list[dict], cluster: Cluster, params) -> dict:
    include = params.get("includeObject", "Metadata")
    return table(target.entry["kind"], objects, cluster.now, current_rv(cluster), include)

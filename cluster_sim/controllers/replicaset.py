"""The ReplicaSet controller (RS-1..RS-4): keep spec.replicas active pods, report status."""

from ..deletion import delete_pod
from ..names import generate_name
from ..objects import admission_defaults, controller_reference, metadata
from ..podutil import is_active, is_available, is_ready, qos_class, ready_since
from ..priority import admit
from ..store import clone, controller_uid
from .ranking import pods_to_delete

COMPONENT = "replicaset-controller"
BURST_REPLICAS = 500  # at most this many creates or deletes per sync


def run(cluster) -> None:
    for uid in cluster.dirty.take("ReplicaSet"):
        rs = cluster.store.by_uid(uid)
        if rs is not None:
            sync(cluster, rs)


def family_pods(cluster, rs: dict) -> list[dict]:
    """Active pods of every ReplicaSet with the same owner (for RS-3's rank), or of rs alone."""
    owner = controller_uid(rs)
    siblings = cluster.store.owned_by(owner, "ReplicaSet") if owner else [rs]
    return [
        pod
        for sibling in siblings
        for pod in cluster.store.owned_by(sibling["metadata"]["uid"], "Pod")
        if is_active(pod)
    ]


def sync(cluster, rs: dict) -> None:
    uid = rs["metadata"]["uid"]
    active = [pod for pod in cluster.store.owned_by(uid, "Pod") if is_active(pod)]
    diff = len(active) - rs["spec"]["replicas"]
    if diff < 0:
        _create_pods(cluster, rs, min(-diff, BURST_REPLICAS))
    elif diff > 0:
        victims = pods_to_delete(
            active, family_pods(cluster, rs), min(diff, BURST_REPLICAS), cluster.now
        )
        for pod in victims:
            delete_pod(cluster, pod)
            cluster.recorder.record(
                cluster,
                rs,
                "Normal",
                "SuccessfulDelete",
                f"Deleted pod: {pod['metadata']['name']}",
                COMPONENT,
            )
    _update_status(cluster, rs)


def _create_pods(cluster, rs: dict, count: int) -> None:
    """Slow start: batches of 1, 2, 4, ... (a failed batch would stop the rest)."""
    batch = 1
    while count > 0:
        for _ in range(min(batch, count)):
            pod = new_pod(cluster, rs)
            refusal = admit(cluster, pod["spec"])
            if refusal:
                cluster.recorder.record(
                    cluster,
                    rs,
                    "Warning",
                    "FailedCreate",
                    f'Error creating: pods "{pod["metadata"]["name"]}" is forbidden: {refusal}',
                    COMPONENT,
                )
                return  # a failed batch stops the slow start
            pod = cluster.store.create(pod)
            cluster.recorder.record(
                cluster,
                rs,
                "Normal",
                "SuccessfulCreate",
                f"Created pod: {pod['metadata']['name']}",
                COMPONENT,
            )
        count -= min(batch, count)
        batch *= 2


def new_pod(cluster, rs: dict) -> dict:
    """A pod from the ReplicaSet's template, as the API server admits it (defaults filled in)."""
    template = clone(rs["spec"]["template"])
    base = f"{rs['metadata']['name']}-"
    name = generate_name(base, cluster.rng)
    while cluster.store.get("Pod", name) is not None:
        name = generate_name(base, cluster.rng)
    spec = admission_defaults(template["spec"])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata(
            cluster,
            name,
            generateName=base,
            labels=template["metadata"].get("labels", {}),
            annotations=template["metadata"].get("annotations"),
            ownerReferences=[controller_reference(rs)],
        ),
        "spec": spec,
        "status": {"phase": "Pending", "qosClass": qos_class(spec)},
    }


def _update_status(cluster, rs: dict) -> None:
    pods = [pod for pod in cluster.store.owned_by(rs["metadata"]["uid"], "Pod") if is_active(pod)]
    labels = rs["spec"]["template"]["metadata"].get("labels", {})
    min_ready = rs["spec"].get("minReadySeconds", 0)
    status = {
        "replicas": len(pods),
        "fullyLabeledReplicas": sum(
            all(pod["metadata"].get("labels", {}).get(k) == v for k, v in labels.items())
            for pod in pods
        ),
        "readyReplicas": sum(is_ready(pod) for pod in pods),
        "availableReplicas": sum(is_available(pod, min_ready, cluster.now) for pod in pods),
        "observedGeneration": rs["metadata"].get("generation", 1),
    }
    with cluster.store.edit(rs):
        rs["status"] = status
    if min_ready:
        _recheck_when_available(cluster, rs, pods, min_ready)


def _recheck_when_available(cluster, rs: dict, pods: list[dict], min_ready: int) -> None:
    """A Ready pod becomes available minReadySeconds later (DEP-11): sync again then, as the
    real controller's AddAfter does, instead of waiting for the periodic resync."""
    waiting = [
        since + min_ready
        for since in (ready_since(pod) for pod in pods)
        if since is not None and since + min_ready >= cluster.now
    ]
    if waiting:
        cluster.dirty.add_after("ReplicaSet", rs["metadata"]["uid"], min(waiting))

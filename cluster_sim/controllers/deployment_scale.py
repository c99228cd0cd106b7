"""Changing a Deployment's ReplicaSets: sizes, the desired/max annotations, ScalingReplicaSet."""

from . import deployment_util as util

COMPONENT = "deployment-controller"


def all_of(old: list[dict], new_rs: dict | None) -> list[dict]:
    return [*old, new_rs] if new_rs is not None else list(old)


def active(replica_sets: list[dict]) -> list[dict]:
    return [rs for rs in replica_sets if rs["spec"]["replicas"] > 0]


def spec_sum(replica_sets: list[dict]) -> int:
    return sum(rs["spec"]["replicas"] for rs in replica_sets)


def new_rs_new_replicas(d, all_rs, new_rs) -> int:
    """NewRSNewReplicas: grow the new ReplicaSet as far as maxSurge allows (DEP-4 step 1)."""
    replicas = d["spec"]["replicas"]
    if not util.is_rolling(d):
        return replicas  # Recreate: the new ReplicaSet starts only once the old pods are gone
    max_total = replicas + util.max_surge(d)
    current = spec_sum(all_rs)
    if current >= max_total:
        return new_rs["spec"]["replicas"]
    return new_rs["spec"]["replicas"] + min(
        max_total - current, replicas - new_rs["spec"]["replicas"]
    )


def scaling_event(cluster, d, direction, rs_name, old, new) -> None:
    cluster.recorder.record(
        cluster,
        d,
        "Normal",
        "ScalingReplicaSet",
        f"Scaled {direction} replica set {rs_name} from {old} to {new}",
        COMPONENT,
    )


def scale_rs(cluster, d, rs, new_scale) -> bool:
    """Set replicas and the desired/max annotations; an event when the size changed."""
    replicas = d["spec"]["replicas"]
    old = rs["spec"]["replicas"]
    with cluster.store.edit(rs):
        rs["spec"]["replicas"] = new_scale
        util.set_replicas_annotations(rs, replicas, replicas + util.max_surge(d))
        if old != new_scale:
            rs["metadata"]["generation"] = rs["metadata"].get("generation", 1) + 1
    if old != new_scale:
        scaling_event(
            cluster, d, "up" if new_scale > old else "down", rs["metadata"]["name"], old, new_scale
        )
    return old != new_scale


def scale_rs_and_record(cluster, d, rs, new_scale) -> bool:
    if rs["spec"]["replicas"] == new_scale:
        return False
    return scale_rs(cluster, d, rs, new_scale)

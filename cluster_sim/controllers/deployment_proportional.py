"""Proportional scaling (DEP-13): a replica count change spread over the active ReplicaSets."""

from . import deployment_util as util
from .deployment_scale import active, all_of, scale_rs, scale_rs_and_record, spec_sum


def scale(cluster, d, new_rs, old) -> None:
    """DeploymentController.scale: used when spec.replicas changed (a scaling event)."""
    replicas = d["spec"]["replicas"]
    live = active(all_of(old, new_rs))
    if len(live) <= 1:
        # One active ReplicaSet takes the whole count; with none, the newest does.
        target = live[0] if live else (new_rs or (util.by_creation(old)[-1] if old else None))
        if target is not None and target["spec"]["replicas"] != replicas:
            scale_rs_and_record(cluster, d, target, replicas)
        return
    if _is_saturated(d, new_rs):
        for rs in active(old):
            scale_rs_and_record(cluster, d, rs, 0)
        return
    if not util.is_rolling(d):
        return  # Recreate never runs two ReplicaSets on purpose: nothing to share out
    allowed = replicas + util.max_surge(d) if replicas > 0 else 0
    to_add = allowed - spec_sum(live)
    if to_add > 0:  # larger first; equal sizes: newer first when adding
        live = _by_size(live, newer_first=True)
    elif to_add < 0:  # equal sizes: older first when removing
        live = _by_size(live, newer_first=False)
    sizes, added = {}, 0
    for rs in live:
        proportion = _proportion(d, rs, to_add, added) if to_add else 0
        sizes[rs["metadata"]["name"]] = rs["spec"]["replicas"] + proportion
        added += proportion
    for index, rs in enumerate(live):
        name = rs["metadata"]["name"]
        if index == 0 and to_add:
            sizes[name] = max(sizes[name] + to_add - added, 0)  # leftovers go to the largest
        scale_rs(cluster, d, rs, sizes[name])


def _by_size(replica_sets, *, newer_first: bool) -> list[dict]:
    oldest_first = util.by_creation(replica_sets)
    position = {rs["metadata"]["uid"]: i for i, rs in enumerate(oldest_first)}
    direction = -1 if newer_first else 1
    return sorted(
        replica_sets,
        key=lambda rs: (-rs["spec"]["replicas"], direction * position[rs["metadata"]["uid"]]),
    )


def _is_saturated(d, rs) -> bool:
    if rs is None:
        return False
    replicas = d["spec"]["replicas"]
    return (
        rs["spec"]["replicas"] == replicas
        and util.desired_replicas_annotation(rs) == replicas
        and rs["status"].get("availableReplicas", 0) == replicas
    )


def _proportion(d, rs, to_add, added) -> int:
    """GetProportion: this ReplicaSet's share of the change, never past what is left to add."""
    if rs["spec"]["replicas"] == 0 or to_add == added:
        return 0
    fraction = _fraction(d, rs)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _fraction(d, rs) -> int:
    replicas = d["spec"]["replicas"]
    if replicas == 0:
        return -rs["spec"]["replicas"]
    max_now = replicas + util.max_surge(d)
    max_before = util.max_replicas_annotation(rs) or d["status"].get("replicas", 0)
    if not max_before:
        return 0
    scaled = rs["spec"]["replicas"] * max_now / max_before
    return util.round_half_away(scaled) - rs["spec"]["replicas"]

"""The `playground.k8s/rollout-step` annotation: what the Deployment controller just did, or
what it is waiting for, in one plain sentence with today's numbers (playground-only; the
rollout panel reads it next to the real spec, status and ReplicaSets).

The value is a JSON string with sorted keys, so writing the same step again changes
nothing and the Deployment is rewritten only when the step changes.
"""

import json

from ..podutil import get_condition, is_terminating
from ..timestamps import rfc3339
from . import deployment_util as util

STEP = "playground.k8s/rollout-step"
SCALING = ("ScalingUp", "ScalingDown")


def record(cluster, d: dict, before: dict[str, int], mode: str, old_pods: int) -> None:
    """mode is what the sync did: "paused", "scale" (a scaling event), "rolling" or "recreate";
    before maps ReplicaSet uid -> spec.replicas at the start of the sync; old_pods counts
    the old pods a Recreate rollout still waits for."""
    facts = _Facts(cluster, d, before)
    annotations = d["metadata"].setdefault("annotations", {})
    previous = _load(annotations.get(STEP))
    chosen = _choose(cluster, d, facts, mode, old_pods, previous)
    if chosen is None:
        return  # keep the step this same second already described
    if chosen[0] in SCALING:
        # Look again next second, when a "waiting" sentence may replace this one.
        cluster.dirty.add_after("Deployment", d["metadata"]["uid"], cluster.now)
    phase, text = chosen
    value = {
        "phase": phase,
        "strategy": "RollingUpdate" if facts.rolling else "Recreate",
        "maxSurge": facts.surge,
        "maxUnavailable": facts.unavailable,
        "maxTotal": facts.max_total,
        "minAvailable": facts.min_available,
        "text": text,
    }
    annotations[STEP] = json.dumps(value, sort_keys=True)


class _Facts:
    """The numbers a sentence may quote, read once."""

    def __init__(self, cluster, d, before) -> None:
        self.replicas = d["spec"]["replicas"]
        self.rolling = util.is_rolling(d)
        if self.rolling:
            self.surge, self.unavailable = util.max_surge(d), util.max_unavailable(d)
        else:  # Recreate: no extra pod ever, and every pod may be down at once
            self.surge, self.unavailable = 0, self.replicas
        self.max_total = self.replicas + self.surge
        self.min_available = self.replicas - self.unavailable
        replica_sets = util.by_creation(cluster.store.owned_by(d["metadata"]["uid"], "ReplicaSet"))
        template = d["spec"]["template"]
        self.new_rs = next(
            (rs for rs in replica_sets if util.equal_ignore_hash(rs["spec"]["template"], template)),
            None,
        )
        self.changes = [
            (rs, before.get(rs["metadata"]["uid"], 0), rs["spec"]["replicas"])
            for rs in replica_sets
            if before.get(rs["metadata"]["uid"], 0) != rs["spec"]["replicas"]
        ]
        self.existed = sum(before.values())
        self.total = sum(rs["spec"]["replicas"] for rs in replica_sets)
        status = d.get("status", {})
        self.available = status.get("availableReplicas", 0)
        self.updated = status.get("updatedReplicas", 0)
        self.old = [rs for rs in replica_sets if rs is not self.new_rs]
        self.live = [rs for rs in replica_sets if rs["spec"]["replicas"] > 0]

    @property
    def new_name(self) -> str:
        return self.new_rs["metadata"]["name"] if self.new_rs is not None else "(none yet)"

    @property
    def new_available(self) -> int:
        return self.new_rs["status"].get("availableReplicas", 0) if self.new_rs else 0

    @property
    def new_size(self) -> int:
        return self.new_rs["spec"]["replicas"] if self.new_rs else 0


def _choose(cluster, d, f: _Facts, mode, old_pods, previous) -> tuple[str, str] | None:
    progressing = get_condition(d, "Progressing")
    reason = progressing.get("reason") if progressing else None
    if mode == "paused":
        return "Paused", _paused(f)
    if f.changes:
        return _scaled(f, mode)
    if reason == "ProgressDeadlineExceeded":
        deadline = d["spec"].get("progressDeadlineSeconds", 600)
        return "Stalled", (
            f"Stalled: ReplicaSet {f.new_name} made no progress for {deadline} s "
            f"({f.new_available} of {f.new_size} new {_pods(f.new_size)} available, "
            f"{f.available} {_pods(f.available)} serving); nothing rolls back by itself, "
            "so roll back or fix the template."
        )
    if reason == "NewReplicaSetAvailable" and f.updated == f.replicas == f.available:
        revision = util.revision(f.new_rs) if f.new_rs else 0
        if f.replicas == 0:
            return "Complete", (
                f"Rollout complete: ReplicaSet {f.new_name} (revision {revision}) is scaled "
                "to 0 pods."
            )
        return "Complete", (
            f"Rollout complete: ReplicaSet {f.new_name} (revision {revision}) has all "
            f"{f.replicas} {_pods(f.replicas)} available."
        )
    if previous.get("phase") in SCALING and _scaled_this_second(cluster, d):
        return None
    if mode == "recreate" and old_pods:
        terminating = sum(
            is_terminating(pod)
            for rs in f.old
            for pod in cluster.store.owned_by(rs["metadata"]["uid"], "Pod")
        )
        return "WaitingForOldPods", (
            f"Waiting for {old_pods} old {_pods(old_pods)} to stop "
            f"({terminating} terminating) before the new ReplicaSet starts; Recreate never "
            "runs old and new pods together."
        )
    if not f.rolling:
        return "WaitingForAvailable", (
            f"Waiting for new pods to become available: {f.new_available} of {f.replicas} "
            f"new {_pods(f.replicas)} in {f.new_name} are available."
        )
    return "WaitingForAvailable", (
        f"Waiting for new pods to become available: {f.new_available} of {f.new_size} new "
        f"{_pods(f.new_size)} in {f.new_name} are available; {f.total} of {f.max_total} allowed "
        f"{_pods(f.max_total)} exist, {f.available} available (at least {f.min_available} "
        "must stay available)."
    )


def _paused(f: _Facts) -> str:
    if f.new_rs is None:
        return (
            "Paused: template edits are held until resume (no new ReplicaSet yet); "
            f"{f.available} of {f.replicas} {_pods(f.replicas)} available on earlier templates."
        )
    return (
        f"Paused: ReplicaSet {f.new_name} runs {f.new_size} of {f.replicas} "
        f"{_pods(f.replicas)}, {f.available} available; template edits wait for resume."
    )


def _scaled(f: _Facts, mode) -> tuple[str, str]:
    grew = sum(new - old for _, old, new in f.changes) > 0
    phase = "ScalingUp" if grew else "ScalingDown"
    if mode in ("scale", "paused") and len(f.changes) == 1 and len(f.live) <= 1:
        rs, old, new = f.changes[0]
        return phase, (
            f"Scaled ReplicaSet {rs['metadata']['name']} from {old} to {new}: the only active "
            f"ReplicaSet takes all {f.replicas} desired {_pods(f.replicas)}."
        )
    if mode in ("scale", "paused"):
        shares = ", ".join(f"{rs['metadata']['name']} {old} to {new}" for rs, old, new in f.changes)
        if not f.rolling:
            return phase, f"Scaled to {f.replicas} replicas: {shares}."
        return phase, (
            f"Scaled to {f.replicas} replicas proportionally: {f.replicas} desired + {f.surge} "
            f"surge allow {f.max_total} pods, shared as {shares}."
        )
    ups = [change for change in f.changes if change[2] > change[1]]
    down_changes = [change for change in f.changes if change[2] < change[1]]
    downs = ", ".join(
        f"{rs['metadata']['name']} from {old} to {new}" for rs, old, new in down_changes
    )
    plural = "s" if len(down_changes) > 1 else ""
    if ups:
        rs, old, new = ups[-1]
        if not f.rolling:
            return "ScalingUp", (
                f"Scaled up new ReplicaSet {rs['metadata']['name']} from {old} to {new}: no old "
                f"pod is left, so all {f.replicas} new {_pods(f.replicas)} start together."
            )
        then = (
            f"; then scaled down old ReplicaSet{plural} {downs}, keeping at least "
            f"{f.min_available} available"
            if down_changes
            else ""
        )
        return "ScalingUp", (
            f"Scaled up new ReplicaSet {rs['metadata']['name']} from {old} to {new}: "
            f"{f.replicas} desired + {f.surge} surge allow {f.max_total} pods, "
            f"{f.existed} existed{then}."
        )
    if not f.rolling:
        return "ScalingDown", (
            f"Scaled down old ReplicaSet{plural} {downs}: Recreate stops every old pod "
            "before any new pod starts."
        )
    return "ScalingDown", (
        f"Scaled down old ReplicaSet{plural} {downs}: {f.replicas} desired - {f.unavailable} "
        f"max unavailable keeps at least {f.min_available} available; {f.available} "
        f"{'was' if f.available == 1 else 'were'} available."
    )


def _scaled_this_second(cluster, d) -> bool:
    """A ScalingReplicaSet event for this Deployment in the current simulated second: the
    scaling sentence stays up for that second instead of being replaced by "waiting" at once."""
    uid, stamp = d["metadata"]["uid"], rfc3339(cluster.now)
    for event in reversed(cluster.recorder.recent[-30:]):
        if (
            event["involvedObject"]["uid"] == uid
            and event["reason"] == "ScalingReplicaSet"
            and event["lastTimestamp"] == stamp
        ):
            return True
    return False


def _pods(count: int) -> str:
    return "pod" if count == 1 else "pods"


def _load(value) -> dict:
    try:
        loaded = json.loads(value) if value else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}

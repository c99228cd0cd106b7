"""The Deployment controller (DEP-1..DEP-13).

Follows kube-controller-manager's syncDeployment: the Progressing condition
first notes a pause or resume; a paused Deployment, or a scaling event (replicas
changed while ReplicaSets still carry the old desired-replicas annotation), is
only scaled (proportionally when several ReplicaSets are active) and never gets a
new ReplicaSet; anything else is one sync of its strategy: RollingUpdate scales the
new ReplicaSet up if the surge allows (and stops there), otherwise scales old
ReplicaSets down as far as availability allows; Recreate scales every old
ReplicaSet to 0 and waits for their pods to be gone before the new one starts.
A finished rollout cleans up history beyond revisionHistoryLimit. Every sync ends
by rewriting the playground's rollout-step annotation when it changed.
"""

from ..names import pod_template_hash
from ..objects import controller_reference, metadata
from ..podutil import get_condition
from ..store import clone
from . import deployment_step
from . import deployment_util as util
from .deployment_proportional import scale
from .deployment_recreate import rollout_recreate
from .deployment_rolling import cleanup_history, reconcile_new_rs, reconcile_old_rs
from .deployment_scale import active, all_of, new_rs_new_replicas, scaling_event
from .deployment_status import (
    calculate_status,
    check_paused_conditions,
    is_complete,
    set_deployment_condition,
    sync_rollout_status,
)


def run(cluster) -> None:
    for uid in cluster.dirty.take("Deployment"):
        deployment = cluster.store.by_uid(uid)
        if deployment is not None:
            with cluster.store.edit(deployment):  # one write for annotation and status changes
                sync(cluster, deployment)


def sync(cluster, d: dict) -> None:
    replica_sets = util.by_creation(cluster.store.owned_by(d["metadata"]["uid"], "ReplicaSet"))
    before = {rs["metadata"]["uid"]: rs["spec"]["replicas"] for rs in replica_sets}
    check_paused_conditions(cluster, d)
    old_pods = 0
    if d["spec"].get("paused"):
        mode = "paused"
        _sync_scale(cluster, d, replica_sets)
    elif _is_scaling_event(cluster, d, replica_sets):
        mode = "scale"
        _sync_scale(cluster, d, replica_sets)
    elif not util.is_rolling(d):
        mode = "recreate"
        old_pods = rollout_recreate(cluster, d, replica_sets, _get_all_and_sync_revision)
    else:
        mode = "rolling"
        _rollout_rolling(cluster, d, replica_sets)
    deployment_step.record(cluster, d, before, mode, old_pods)


def _sync_scale(cluster, d, replica_sets) -> None:
    """DeploymentController.sync: scale only (DEP-10, DEP-13); a paused Deployment also
    cleans up its history; the status is recounted without judging progress."""
    new_rs, old = _get_all_and_sync_revision(cluster, d, replica_sets, create=False)
    scale(cluster, d, new_rs, old)
    if d["spec"].get("paused"):
        cleanup_history(cluster, d, old)
    d["status"] = calculate_status(cluster, d, all_of(old, new_rs), new_rs)


def _get_all_and_sync_revision(cluster, d, replica_sets, *, create):
    new_rs = next(
        (
            rs
            for rs in replica_sets
            if util.equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"])
        ),
        None,
    )
    old = [rs for rs in replica_sets if rs is not new_rs]
    return _get_new_rs(cluster, d, old, new_rs, create), old


def _get_new_rs(cluster, d, old, existing, create):
    new_revision = util.max_revision(old) + 1
    annotations = d["metadata"].setdefault("annotations", {})
    if existing is not None:
        with cluster.store.edit(existing):
            changed = util.set_new_rs_revision(existing, new_revision)
            min_ready = d["spec"].get("minReadySeconds", 0)
            changed = changed or existing["spec"].get("minReadySeconds", 0) != min_ready
            existing["spec"]["minReadySeconds"] = min_ready
        if changed:
            return existing  # the Deployment's own revision follows on the next sync
        annotations[util.REVISION] = existing["metadata"]["annotations"][util.REVISION]
        if get_condition(d, "Progressing") is None:
            set_deployment_condition(
                d["status"],
                "Progressing",
                "True",
                "FoundNewReplicaSet",
                f'Found new replica set "{existing["metadata"]["name"]}"',
                cluster.now,
            )
        return existing
    if not create:
        return None
    template = clone(d["spec"]["template"])
    template_hash = pod_template_hash(template, d["status"].get("collisionCount"))
    name = f"{d['metadata']['name']}-{template_hash}"
    if cluster.store.get("ReplicaSet", name) is not None:
        # A different template hashed to the same name: bump collisionCount and retry.
        d["status"]["collisionCount"] = d["status"].get("collisionCount", 0) + 1
        cluster.dirty.add("Deployment", d["metadata"]["uid"])
        return None
    template["metadata"].setdefault("labels", {})[util.HASH_LABEL] = template_hash
    selector = clone(d["spec"]["selector"])
    selector.setdefault("matchLabels", {})[util.HASH_LABEL] = template_hash
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": metadata(
            cluster,
            name,
            labels=dict(template["metadata"]["labels"]),
            annotations={},
            ownerReferences=[controller_reference(d)],
            generation=1,
        ),
        "spec": {
            "replicas": 0,
            "minReadySeconds": d["spec"].get("minReadySeconds", 0),
            "selector": selector,
            "template": template,
        },
        "status": {"replicas": 0},
    }
    rs["spec"]["replicas"] = new_rs_new_replicas(d, [*old, rs], rs)
    util.set_new_rs_revision(rs, new_revision)
    replicas = d["spec"]["replicas"]
    util.set_replicas_annotations(rs, replicas, replicas + util.max_surge(d))
    cluster.store.create(rs)
    if rs["spec"]["replicas"] > 0:
        scaling_event(cluster, d, "up", name, 0, rs["spec"]["replicas"])
    annotations[util.REVISION] = str(new_revision)
    set_deployment_condition(
        d["status"],
        "Progressing",
        "True",
        "NewReplicaSetCreated",
        f'Created new replica set "{name}"',
        cluster.now,
    )
    return rs


def _rollout_rolling(cluster, d, replica_sets) -> None:
    new_rs, old = _get_all_and_sync_revision(cluster, d, replica_sets, create=True)
    if new_rs is None:
        d["status"] = calculate_status(cluster, d, old, None)
        return
    all_rs = [*old, new_rs]
    scaled = reconcile_new_rs(cluster, d, all_rs, new_rs)
    if not scaled:
        scaled = reconcile_old_rs(cluster, d, all_rs, active(old), new_rs)
    if not scaled and is_complete(d, d["status"]):
        cleanup_history(cluster, d, old)
    sync_rollout_status(cluster, d, all_rs, new_rs)


def _is_scaling_event(cluster, d, replica_sets) -> bool:
    new_rs, old = _get_all_and_sync_revision(cluster, d, replica_sets, create=False)
    for rs in active(all_of(old, new_rs)):
        desired = util.desired_replicas_annotation(rs)
        if desired is not None and desired != d["spec"]["replicas"]:
            return True
    return False

"""Deployment rollout controls: strategy parameters, pause and resume, restart, undo, the pods'
termination grace period (DEP-3, DEP-7, DEP-8, DEP-10, DEP-11, DEP-12, POD-11).

Every argument is checked before anything changes; refusals use the API server's
validation wording or kubectl's, and successes kubectl's messages.
"""

from .action_util import change_spec, find_deployment, patch_spec, patch_template
from .controllers.deployment_util import equal_ignore_hash, revision, template_without_hash
from .errors import ActionError
from .rollout_rules import DEFAULT_ROLLING, normal_percent, rollout_errors, whole
from .timestamps import rfc3339

MAX_GRACE = 300
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


def set_rollout(
    cluster,
    deployment,
    strategy=None,
    maxSurge=None,
    maxUnavailable=None,
    minReadySeconds=None,
    progressDeadlineSeconds=None,
    revisionHistoryLimit=None,
) -> str:
    """kubectl patch of the rollout knobs; no template change, so nothing rolls out (DEP-3).
    The new values are checked as the API server checks a Deployment (rollout_rules)."""
    d = find_deployment(cluster, deployment)
    spec = d["spec"]
    old = spec.get("strategy") or {}
    kind = strategy if strategy is not None else old.get("type", "RollingUpdate")
    new_strategy = {"type": kind}
    if maxSurge is not None or maxUnavailable is not None or kind == "RollingUpdate":
        rolling = dict(old.get("rollingUpdate") or DEFAULT_ROLLING) if kind != "Recreate" else {}
        if maxSurge is not None:
            rolling["maxSurge"] = maxSurge
        if maxUnavailable is not None:
            rolling["maxUnavailable"] = maxUnavailable
        new_strategy["rollingUpdate"] = rolling
    fields = {
        "strategy": new_strategy,
        "minReadySeconds": spec.get("minReadySeconds", 0),
        "progressDeadlineSeconds": spec.get("progressDeadlineSeconds", 600),
        "revisionHistoryLimit": spec.get("revisionHistoryLimit", 10),
    }
    given = {
        "minReadySeconds": minReadySeconds,
        "progressDeadlineSeconds": progressDeadlineSeconds,
        "revisionHistoryLimit": revisionHistoryLimit,
    }
    fields.update({key: value for key, value in given.items() if value is not None})
    errors = rollout_errors(fields)
    if errors:
        body = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise ActionError(f'The Deployment "{deployment}" is invalid: {body}')
    if "rollingUpdate" in new_strategy:
        new_strategy["rollingUpdate"] = {
            key: normal_percent(value) for key, value in new_strategy["rollingUpdate"].items()
        }
    return patch_spec(cluster, d, lambda new: new.update(fields))


def _resource(deployment: str) -> str:
    return f'deployments.apps "{deployment}"'


def pause_rollout(cluster, deployment) -> str:
    """kubectl rollout pause (DEP-10): template edits wait; scaling still works."""
    d = find_deployment(cluster, deployment)
    if d["spec"].get("paused"):
        raise ActionError(f"{_resource(deployment)} is already paused")
    change_spec(cluster, d, lambda spec: spec.update(paused=True))
    return f"deployment.apps/{deployment} paused"


def resume_rollout(cluster, deployment) -> str:
    """kubectl rollout resume (DEP-10): one new ReplicaSet for every edit made while paused."""
    d = find_deployment(cluster, deployment)
    if not d["spec"].get("paused"):
        raise ActionError(f"{_resource(deployment)} is not paused")
    change_spec(cluster, d, lambda spec: spec.pop("paused", None))
    return f"deployment.apps/{deployment} resumed"


def restart_rollout(cluster, deployment) -> str:
    """kubectl rollout restart (DEP-10): a new restartedAt template annotation, so a rollout."""
    d = find_deployment(cluster, deployment)
    if d["spec"].get("paused"):
        raise ActionError(
            f"{_resource(deployment)} can't restart paused deployment (run rollout resume first)"
        )
    stamp = rfc3339(cluster.now)

    def change(spec):
        meta = spec["template"].setdefault("metadata", {})
        meta.setdefault("annotations", {})[RESTARTED_AT] = stamp

    change_spec(cluster, d, change)
    return f"deployment.apps/{deployment} restarted"


def rollback(cluster, deployment, to_revision=None) -> str:
    """kubectl rollout undo [--to-revision=N] (DEP-8): copy that revision's template (by default
    the previous one) into the Deployment; the controller then reuses its ReplicaSet."""
    d = find_deployment(cluster, deployment)
    if to_revision is not None and not whole(to_revision):
        raise ActionError("to_revision must be a whole number (0 means the previous revision)")
    wanted = to_revision or 0
    if wanted < 0:
        raise ActionError(f"unable to find specified revision {wanted} in history")
    if d["spec"].get("paused"):
        raise ActionError(
            "you cannot rollback a paused deployment; resume it first with "
            "'kubectl rollout resume' and try again"
        )
    target = _revision_to_restore(cluster, d, wanted)
    number = revision(target)
    if equal_ignore_hash(target["spec"]["template"], d["spec"]["template"]):
        return (
            f"deployment.apps/{deployment} skipped rollback "
            f"(current template already matches revision {number})"
        )
    template = template_without_hash(target["spec"]["template"])
    change_spec(cluster, d, lambda spec: spec.update(template=template))
    return f"deployment.apps/{deployment} rolled back"


def _revision_to_restore(cluster, d: dict, wanted: int) -> dict:
    """kubectl's deploymentRevision: that exact revision, or the second-highest one."""
    replica_sets = cluster.store.owned_by(d["metadata"]["uid"], "ReplicaSet")
    if wanted:
        found = next((rs for rs in replica_sets if revision(rs) == wanted), None)
        if found is None:
            raise ActionError(f"unable to find specified revision {wanted} in history")
        return found
    ranked = sorted(
        (revision(rs), index, rs) for index, rs in enumerate(replica_sets) if revision(rs) > 0
    )
    if len(ranked) < 2:
        raise ActionError(f'no rollout history found for deployment "{d["metadata"]["name"]}"')
    return ranked[-2][2]


def set_grace_period(cluster, deployment, seconds) -> str:
    """The pod template's terminationGracePeriodSeconds (POD-11); a template change rolls out."""
    d = find_deployment(cluster, deployment)
    if not whole(seconds) or not 0 <= seconds <= MAX_GRACE:
        raise ActionError(f"seconds must be a whole number from 0 to {MAX_GRACE}")
    return patch_template(cluster, d, "terminationGracePeriodSeconds", seconds)


# action name -> (function, required arguments, optional arguments)
HANDLERS: dict = {
    "set_rollout": (
        set_rollout,
        ("deployment",),
        (
            "strategy",
            "maxSurge",
            "maxUnavailable",
            "minReadySeconds",
            "progressDeadlineSeconds",
            "revisionHistoryLimit",
        ),
    ),
    "pause_rollout": (pause_rollout, ("deployment",), ()),
    "resume_rollout": (resume_rollout, ("deployment",), ()),
    "restart_rollout": (restart_rollout, ("deployment",), ()),
    "rollback": (rollback, ("deployment",), ("to_revision",)),
    "set_grace_period": (set_grace_period, ("deployment", "seconds"), ()),
}

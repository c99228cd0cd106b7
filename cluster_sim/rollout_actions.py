"""Deployment rollout controls: strategy parameters, pause and resume, restart, undo, the pods'
termination grace period (DEP-3, DEP-7, DEP-8, DEP-10, DEP-11, DEP-12, POD-11).

Every argument is checked before anything changes; refusals use the API server's
validation wording or kubectl's, and successes kubectl's messages.
"""

import re

from .action_util import change_spec, find_deployment, patch_spec, patch_template
from .controllers.deployment_util import equal_ignore_hash, revision, template_without_hash
from .errors import ActionError
from .timestamps import rfc3339

STRATEGIES = ("RollingUpdate", "Recreate")
DEFAULT_ROLLING = {"maxSurge": "25%", "maxUnavailable": "25%"}
MAX_INT_OR_PERCENT = 100  # playground limit for an integer maxSurge/maxUnavailable
MAX_MIN_READY = 3600
MAX_PROGRESS_DEADLINE = 7200
MAX_HISTORY = 50
MAX_GRACE = 300
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_HELP = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def _invalid(deployment: str, field: str, value, why: str) -> ActionError:
    """The API server's 422 as kubectl prints it."""
    shown = f'"{value}"' if isinstance(value, str) and not _PERCENT.fullmatch(value) else value
    return ActionError(
        f'The Deployment "{deployment}" is invalid: {field}: Invalid value: {shown}: {why}'
    )


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_or_percent(deployment: str, field: str, value):
    """ValidatePositiveIntOrPercent plus the 100% ceiling; ints up to the playground's limit."""
    if _whole(value):
        if value < 0:
            raise _invalid(deployment, field, value, "must be greater than or equal to 0")
        if value > MAX_INT_OR_PERCENT:
            raise ActionError(f"{field} must be at most {MAX_INT_OR_PERCENT} in the playground")
        return value
    if not isinstance(value, str) or not _PERCENT.fullmatch(value):
        raise _invalid(deployment, field, value, _PERCENT_HELP)
    if int(value[:-1]) > 100:
        raise _invalid(deployment, field, value, "must not be greater than 100%")
    return f"{int(value[:-1])}%"


def _is_zero(value) -> bool:
    return value == 0 or value == "0%"


def _bounded(deployment: str, field: str, value, low: int, high: int) -> int:
    if not _whole(value):
        raise ActionError(f"{field} must be a whole number from {low} to {high}")
    if value < 0:
        raise _invalid(deployment, field, value, "must be greater than or equal to 0")
    if not low <= value <= high:
        raise ActionError(f"{field} must be a whole number from {low} to {high}")
    return value


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
    """kubectl patch of the rollout knobs; no template change, so nothing rolls out (DEP-3)."""
    d = find_deployment(cluster, deployment)
    spec = d["spec"]
    if strategy is not None and strategy not in STRATEGIES:
        raise ActionError(
            f'The Deployment "{deployment}" is invalid: spec.strategy.type: Unsupported value: '
            f'"{strategy}": supported values: "Recreate", "RollingUpdate"'
        )
    kind = strategy or spec.get("strategy", {}).get("type", "RollingUpdate")
    rolling_given = maxSurge is not None or maxUnavailable is not None
    if kind == "Recreate" and rolling_given:
        raise ActionError(
            f'The Deployment "{deployment}" is invalid: spec.strategy.rollingUpdate: Forbidden: '
            "may not be specified when strategy `type` is 'Recreate'"
        )
    if kind == "RollingUpdate":
        rolling = dict(spec.get("strategy", {}).get("rollingUpdate") or DEFAULT_ROLLING)
        prefix = "spec.strategy.rollingUpdate."
        if maxSurge is not None:
            rolling["maxSurge"] = _int_or_percent(deployment, prefix + "maxSurge", maxSurge)
        if maxUnavailable is not None:
            rolling["maxUnavailable"] = _int_or_percent(
                deployment, prefix + "maxUnavailable", maxUnavailable
            )
        if _is_zero(rolling["maxSurge"]) and _is_zero(rolling["maxUnavailable"]):
            raise _invalid(
                deployment,
                prefix + "maxUnavailable",
                rolling["maxUnavailable"],
                "may not be 0 when `maxSurge` is 0",
            )
        new_strategy = {"type": "RollingUpdate", "rollingUpdate": rolling}
    else:
        new_strategy = {"type": "Recreate"}
    min_ready = spec.get("minReadySeconds", 0)
    if minReadySeconds is not None:
        min_ready = _bounded(deployment, "spec.minReadySeconds", minReadySeconds, 0, MAX_MIN_READY)
    deadline = spec.get("progressDeadlineSeconds", 600)
    if progressDeadlineSeconds is not None:
        deadline = _bounded(
            deployment,
            "spec.progressDeadlineSeconds",
            progressDeadlineSeconds,
            1,
            MAX_PROGRESS_DEADLINE,
        )
    if deadline <= min_ready:
        raise _invalid(
            deployment,
            "spec.progressDeadlineSeconds",
            deadline,
            "must be greater than minReadySeconds",
        )
    history = spec.get("revisionHistoryLimit", 10)
    if revisionHistoryLimit is not None:
        history = _bounded(
            deployment, "spec.revisionHistoryLimit", revisionHistoryLimit, 0, MAX_HISTORY
        )

    def change(new):
        new["strategy"] = new_strategy
        new["minReadySeconds"] = min_ready
        new["progressDeadlineSeconds"] = deadline
        new["revisionHistoryLimit"] = history

    return patch_spec(cluster, d, change)


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
    if to_revision is not None and not _whole(to_revision):
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
    if not _whole(seconds) or not 0 <= seconds <= MAX_GRACE:
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

"""kubectl rollout status | history | undo [--to-revision] | restart | pause | resume (DEP-8,
DEP-10); the changing subcommands are the rollout actions, so their rules live in one place."""

from ..controllers.deployment_util import revision
from ..podutil import get_condition
from .args import CliError, Line, integer_flag
from .write import _one, act

SUBCOMMANDS = ("status", "history", "undo", "restart", "pause", "resume")


def rollout(cluster, line: Line) -> str:
    words = line.words[1:]
    if not words or words[0] not in SUBCOMMANDS:
        raise CliError(f"error: rollout needs one of: {', '.join(SUBCOMMANDS)}")
    sub = words[0]
    _, name = _one(cluster, line, words[1:], f"rollout {sub}", ("Deployment",))
    d = cluster.store.get("Deployment", name)
    return globals()[f"_{sub}"](cluster, line, d, name)


def _status(cluster, line, d, name) -> str:
    """One look at the rollout, as `kubectl rollout status --watch=false` prints it."""
    spec, status = d["spec"], d.get("status") or {}
    if d["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed..."
    progressing = get_condition(d, "Progressing")
    if progressing and progressing.get("reason") == "ProgressDeadlineExceeded":
        raise CliError(f'error: deployment "{name}" exceeded its progress deadline')
    wanted = spec.get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    if updated < wanted:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {updated} out of {wanted} '
            "new replicas have been updated..."
        )
    if status.get("replicas", 0) > updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: '
            f"{status['replicas'] - updated} old replicas are pending termination..."
        )
    if status.get("availableReplicas", 0) < updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: '
            f"{status.get('availableReplicas', 0)} of {updated} updated replicas are available..."
        )
    return f'deployment "{name}" successfully rolled out'


def _revisions(cluster, d) -> list[tuple[int, dict]]:
    owned = cluster.store.owned_by(d["metadata"]["uid"], "ReplicaSet")
    return sorted(((revision(rs), rs) for rs in owned if revision(rs) > 0), key=lambda p: p[0])


def _history(cluster, line, d, name) -> str:
    wanted = integer_flag(line, "revision")
    history = _revisions(cluster, d)
    if wanted:
        found = next((rs for number, rs in history if number == wanted), None)
        if found is None:
            raise CliError("error: unable to find the specified revision")
        template = found["spec"]["template"]
        labels = ",".join(f"{k}={v}" for k, v in template["metadata"].get("labels", {}).items())
        lines = [f"deployment.apps/{name} with revision #{wanted}", "Pod Template:"]
        lines.append(f"  Labels:\t{labels}")
        lines.append("  Containers:")
        for c in template["spec"]["containers"]:
            lines += [f"   {c['name']}:", f"    Image:\t{c['image']}"]
        from ..describe import tabulate

        return tabulate(lines)
    rows = [("REVISION", "CHANGE-CAUSE")]
    for number, rs in history:
        cause = (rs["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause")
        rows.append((str(number), cause or "<none>"))
    width = max(len(r[0]) for r in rows) + 2
    return "\n".join([f"deployment.apps/{name} "] + [f"{a.ljust(width)}{b}" for a, b in rows])


def _undo(cluster, line, d, name) -> str:
    """kubectl rollout undo [--to-revision=N]: the rollback action (its checks, its words)."""
    action = {"action": "rollback", "deployment": name}
    wanted = integer_flag(line, "to-revision")
    if wanted:
        action["to_revision"] = wanted
    return act(cluster, action)


def _restart(cluster, line, d, name) -> str:
    """kubectl stamps kubectl.kubernetes.io/restartedAt on the template: a new rollout."""
    return act(cluster, {"action": "restart_rollout", "deployment": name})


def _pause(cluster, line, d, name) -> str:
    """spec.paused (DEP-10): template edits wait for `rollout resume`."""
    return act(cluster, {"action": "pause_rollout", "deployment": name})


def _resume(cluster, line, d, name) -> str:
    return act(cluster, {"action": "resume_rollout", "deployment": name})

"""kubectl logs: simulated lines (the playground runs no processes), shaped like the image's
own access log so a demo has something believable to show."""

from ..timestamps import seconds_since_epoch
from .args import CliError, Line, integer_flag
from .targets import entry, namespace, not_found


def logs(cluster, line: Line) -> str:
    words = line.words[1:]
    if len(words) != 1:
        raise CliError("error: expected 'logs POD_NAME'; POD_NAME is a required argument")
    word = words[0]
    name = word.split("/", 1)[1] if word.startswith(("pod/", "pods/", "po/")) else word
    pod = cluster.store.get("Pod", name, namespace(line))
    if pod is None:
        raise CliError(not_found(entry("pod"), name))
    containers = [c["name"] for c in pod["spec"]["containers"]]
    container = line.flag("container") or containers[0]
    if container not in containers:
        raise CliError(f"error: container {container} is not valid for pod {name}")
    statuses = {s["name"]: s for s in pod["status"].get("containerStatuses") or ()}
    state = (statuses.get(container) or {}).get("state") or {}
    if "running" not in state and "terminated" not in state:
        reason = (state.get("waiting") or {}).get("reason", "ContainerCreating")
        raise CliError(
            f'Error from server (BadRequest): container "{container}" in pod "{name}" is '
            f"waiting to start: {reason}"
        )
    started = seconds_since_epoch((state.get("running") or state.get("terminated"))["startedAt"])
    tail = integer_flag(line, "tail")
    lines = _simulated(pod, container, started, cluster.now)
    if tail is not None and tail >= 0:
        lines = lines[-tail:] if tail else []
    return "\n".join(lines)


def _simulated(pod: dict, container: str, started: float, now: float) -> list[str]:
    image = next(c["image"] for c in pod["spec"]["containers"] if c["name"] == container)
    ip = pod["status"].get("podIP", "10.244.0.1")
    lines = [
        f"{container}: starting {image}",
        f"{container}: listening on {ip}:80",
    ]
    # One health check every 10 simulated seconds since the start, at most the last 20.
    checks = int(max(0.0, now - started) // 10)
    for index in range(max(0, checks - 20), checks):
        second = int(started) + (index + 1) * 10
        lines.append(
            f'10.244.0.1 - - [t+{second}s] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.33"'
        )
    return lines

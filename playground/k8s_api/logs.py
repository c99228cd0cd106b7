"""pods/{name}/log: the simulation runs no processes, so a container "prints" a few lines
that say what happened to it (started where, when, restarts), marked as simulated."""

from cluster_sim.timestamps import rfc3339, seconds_since_epoch

from .status import ApiError


def container_log(pod: dict, container: str | None, tail: int | None, timestamps: bool) -> str:
    containers = pod.get("spec", {}).get("containers", [])
    names = [c["name"] for c in containers]
    name = container or (names[0] if names else "")
    pod_name = pod["metadata"]["name"]
    spec = next((c for c in containers if c["name"] == name), None)
    if spec is None:
        raise ApiError(
            400,
            "BadRequest",
            f"container {name} is not valid for pod {pod_name}",
        )
    statuses = pod.get("status", {}).get("containerStatuses") or []
    status = next((s for s in statuses if s.get("name") == name), {})
    running = (status.get("state") or {}).get("running")
    if not running:
        waiting = (status.get("state") or {}).get("waiting") or {}
        reason = waiting.get("reason", "ContainerCreating")
        raise ApiError(
            400,
            "BadRequest",
            f'container "{name}" in pod "{pod_name}" is waiting to start: {reason}',
        )
    started = running.get("startedAt") or pod["metadata"].get("creationTimestamp")
    node = pod.get("spec", {}).get("nodeName", "?")
    image = spec.get("image", "?")
    port = next((p.get("containerPort") for p in spec.get("ports") or ()), None)
    lines = [
        (started, "(simulated log: the playground runs no real processes)"),
        (started, f"container {name} started from image {image} on node {node}"),
    ]
    if status.get("restartCount"):
        lines.append((started, f"this is restart number {status['restartCount']}"))
    if port:
        lines.append((started, f"listening on port {port}"))
    ready_at = rfc3339(seconds_since_epoch(started) + 1) if started else started
    lines.append((ready_at, "ready to serve requests"))
    if tail is not None and tail >= 0:
        lines = lines[len(lines) - tail :] if tail else []
    if timestamps:
        return "".join(f"{stamp} {text}\n" for stamp, text in lines)
    return "".join(f"{text}\n" for _, text in lines)

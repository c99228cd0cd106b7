"""Questions about pods that several control-plane parts ask (active? ready? requests?)."""

from .objects import condition
from .quantity import cpu_millis, memory_bytes
from .timestamps import seconds_since_epoch

# SCH-9: what a container without a request counts as when the scheduler scores.
NONZERO_CPU_MILLIS = 100
NONZERO_MEMORY_BYTES = 200 * 1024 * 1024


def is_terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_finished(pod: dict) -> bool:
    return pod["status"].get("phase") in ("Succeeded", "Failed")


def is_active(pod: dict) -> bool:
    """FilterActivePods: not finished and not being deleted (POD-12, RS-1)."""
    return not is_terminating(pod) and not is_finished(pod)


def get_condition(obj: dict, type_: str) -> dict | None:
    for cond in obj["status"].get("conditions") or ():
        if cond["type"] == type_:
            return cond
    return None


def is_ready(pod: dict) -> bool:
    cond = get_condition(pod, "Ready")
    return cond is not None and cond["status"] == "True"


def ready_since(pod: dict) -> float | None:
    """Simulated second at which the pod last became Ready, or None when not ready."""
    cond = get_condition(pod, "Ready")
    if cond is None or cond["status"] != "True":
        return None
    return seconds_since_epoch(cond["lastTransitionTime"])


def is_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """DEP-11: Ready for strictly longer than minReadySeconds (at once when it is 0)."""
    since = ready_since(pod)
    if since is None:
        return False
    return min_ready_seconds == 0 or since + min_ready_seconds < now


def set_condition(
    pod: dict, type_: str, status: str, now: float, reason=None, message=None
) -> None:
    """Add or update a pod condition; lastTransitionTime moves only when status changes."""
    conditions = pod["status"].setdefault("conditions", [])
    new = condition(type_, status, now, reason, message)
    for index, old in enumerate(conditions):
        if old["type"] == type_:
            if old["status"] == status:
                new["lastTransitionTime"] = old["lastTransitionTime"]
            conditions[index] = new
            return
    conditions.append(new)


def _container_requests(pod: dict):
    for spec in pod["spec"]["containers"]:
        yield spec.get("resources", {}).get("requests", {})


def requests(pod: dict) -> tuple[int, int]:
    """SCH-8 effective request (millicores, bytes); a missing request counts as 0."""
    cpu = memory = 0
    for req in _container_requests(pod):
        cpu += cpu_millis(req["cpu"]) if "cpu" in req else 0
        memory += memory_bytes(req["memory"]) if "memory" in req else 0
    init_cpu = init_memory = 0
    for spec in pod["spec"].get("initContainers") or ():
        req = spec.get("resources", {}).get("requests", {})
        init_cpu = max(init_cpu, cpu_millis(req["cpu"]) if "cpu" in req else 0)
        init_memory = max(init_memory, memory_bytes(req["memory"]) if "memory" in req else 0)
    return max(cpu, init_cpu), max(memory, init_memory)


def nonzero_requests(pod: dict) -> tuple[int, int]:
    """SCH-9 requests for NodeResourcesFit scoring: a missing request counts as 100m / 200Mi."""
    cpu = memory = 0
    for req in _container_requests(pod):
        cpu += cpu_millis(req["cpu"]) if "cpu" in req else NONZERO_CPU_MILLIS
        memory += memory_bytes(req["memory"]) if "memory" in req else NONZERO_MEMORY_BYTES
    return cpu, memory


def qos_class(spec: dict) -> str:
    """Guaranteed (limits == requests for cpu and memory everywhere), BestEffort, or Burstable."""
    containers = spec["containers"]
    resources = [c.get("resources", {}) for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    for r in resources:
        limits = r.get("limits", {})
        wanted = {**limits, **r.get("requests", {})}
        if set(limits) < {"cpu", "memory"} or any(limits[k] != wanted[k] for k in limits):
            return "Burstable"
    return "Guaranteed"


def pod_phase(statuses: list[dict], restart_policy: str, terminal: bool = False) -> str:
    """POD-2: the kubelet's phase derivation over the app containers.

    terminal is True for a deleted pod whose containers have all stopped: it then
    ends Succeeded or Failed whatever its restartPolicy (POD-3).
    """
    waiting = running = stopped = succeeded = 0
    for status in statuses:
        state = status.get("state", {})
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            succeeded += state["terminated"].get("exitCode") == 0
        elif "waiting" in state:
            # Waiting after an earlier termination is a crash loop: "stopped".
            if status.get("lastState", {}).get("terminated"):
                stopped += 1
            else:
                waiting += 1
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        return "Failed" if restart_policy == "Never" else "Running"
    return "Pending"


def display_status(pod: dict) -> str:
    """POD-5: the STATUS column of `kubectl get pod` (printers.go printPod), not the phase."""
    status = pod["status"]
    reason = status.get("reason") or status.get("phase") or "Pending"
    for cond in status.get("conditions") or ():
        if cond["type"] == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    initializing = False
    init_specs = pod["spec"].get("initContainers") or ()
    for index, container in enumerate(status.get("initContainerStatuses") or ()):
        state = container.get("state", {})
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode") == 0:
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode')}"
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break
    if not initializing:
        has_running = False
        for container in reversed(status.get("containerStatuses") or ()):
            state = container.get("state", {})
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode')}"
            elif container.get("ready") and "running" in state:
                has_running = True
        if reason == "Completed" and has_running:
            reason = "Running" if is_ready(pod) else "NotReady"
    if is_terminating(pod):
        if status.get("reason") == "NodeLost":
            return "Unknown"
        if not is_finished(pod):
            return "Terminating"
    return reason


def display_ready(pod: dict) -> str:
    """POD-5: the READY column, ready containers / containers."""
    statuses = pod["status"].get("containerStatuses") or ()
    ready = sum(bool(s.get("ready")) for s in statuses)
    return f"{ready}/{len(pod['spec']['containers'])}"


def restart_count(pod: dict) -> int:
    """POD-5: the RESTARTS column (init and app containers)."""
    status = pod["status"]
    every = (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or [])
    return sum(s.get("restartCount", 0) for s in every)

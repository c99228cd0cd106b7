"""The HPA's replica calculation for a CPU utilization target (HPA-2..HPA-5), pure.

Given the pods the target selects, their PodMetrics and the moment of the sync,
`cpu_replicas` groups the pods (HPA-3), computes the request-weighted, truncated
utilization (HPA-2), applies the tolerance (HPA-4) and, when pods are missing or
unready, recomputes with substitute usages (HPA-5). Problems the real controller
reports as errors raise MetricError with its message.
"""

import math

from .podutil import get_condition
from .quantity import cpu_millis
from .timestamps import seconds_since_epoch

TOLERANCE = 0.1
CPU_INITIALIZATION_PERIOD = 300.0  # --horizontal-pod-autoscaler-cpu-initialization-period
INITIAL_READINESS_DELAY = 30.0  # --horizontal-pod-autoscaler-initial-readiness-delay


# The formula text is shown on a gauge: real typographic signs, written as escapes.
TIMES, MINUS, AT_MOST = "\u00d7", "\u2212", "\u2264"


class MetricError(Exception):
    """The controller could not compute a replica count; str() is its message."""


def within_tolerance(ratio: float) -> bool:
    """Tolerances.isWithin: 1 - 0.1 <= ratio <= 1 + 0.1 (so 0.9 and 1.1 both keep)."""
    return (1.0 - TOLERANCE) <= ratio <= (1.0 + TOLERANCE)


def pod_cpu_metrics(pod_metrics: list[dict]) -> dict:
    """getPodMetrics: pod name -> {usage (milli, summed over containers), timestamp, window}.
    A PodMetrics with no containers, or a container without cpu usage, is left out."""
    found = {}
    for item in pod_metrics:
        containers = item.get("containers") or []
        usages = [(c.get("usage") or {}).get("cpu") for c in containers]
        if not containers or any(u is None for u in usages):
            continue
        found[item["metadata"]["name"]] = {
            "usage": sum(cpu_millis(u) for u in usages),
            "timestamp": seconds_since_epoch(item["timestamp"]),
            "window": _seconds(item.get("window") or "0s"),
        }
    return found


def _seconds(duration: str) -> float:
    """A metav1.Duration such as "15s", "1m0s" or "30.5s" in seconds."""
    total, number = 0.0, ""
    for char in duration:
        if char.isdigit() or char == ".":
            number += char
        else:
            total += float(number or 0) * {"h": 3600, "m": 60, "s": 1}.get(char, 0)
            number = ""
    return total


def cpu_request(pod: dict) -> int:
    """calculatePodRequestsFromContainers: Σ containers' cpu requests (millicores); every
    container must have one."""
    total = 0
    for container in pod["spec"]["containers"]:
        requests = (container.get("resources") or {}).get("requests") or {}
        if "cpu" not in requests:
            raise MetricError(
                f"missing request for cpu in container {container['name']} "
                f"of Pod {pod['metadata']['name']}"
            )
        total += cpu_millis(requests["cpu"])
    return total


def group_pods(pods: list[dict], metrics: dict, now: float) -> tuple[list, list, list, list]:
    """HPA-3 groupPods for cpu: (ready, unready, missing, ignored) pod names."""
    ready, unready, missing, ignored = [], [], [], []
    for pod in pods:
        name = pod["metadata"]["name"]
        phase = pod["status"].get("phase")
        if pod["metadata"].get("deletionTimestamp") or phase == "Failed":
            ignored.append(name)
            continue
        if phase == "Pending":
            unready.append(name)
            continue
        metric = metrics.get(name)
        if metric is None:
            missing.append(name)
            continue
        if _unready_for_cpu(pod, metric, now):
            unready.append(name)
            continue
        ready.append(name)
    return ready, unready, missing, ignored


def _unready_for_cpu(pod: dict, metric: dict, now: float) -> bool:
    condition = get_condition(pod, "Ready")
    started = pod["status"].get("startTime")
    if condition is None or not started:
        return True
    start = seconds_since_epoch(started)
    transition = seconds_since_epoch(condition["lastTransitionTime"])
    if start + CPU_INITIALIZATION_PERIOD > now:
        # Inside the initialization window: skip unready pods and samples that do not
        # cover one full window since the pod last changed readiness.
        return condition["status"] == "False" or metric["timestamp"] < transition + metric["window"]
    # Afterwards only a pod that has never been ready is skipped.
    return condition["status"] == "False" and start + INITIAL_READINESS_DELAY > transition


def utilization_ratio(usages: dict, requests: dict, target: int) -> tuple[float, int, int, int]:
    """GetResourceUtilizationRatio: (ratio, utilization %, Σ usage, Σ request); the
    utilization is truncated to a whole percent before the ratio is taken."""
    usage_total = request_total = 0
    for name, usage in usages.items():
        if name in requests:
            usage_total += usage
            request_total += requests[name]
    if request_total == 0:
        raise MetricError("no metrics returned matched known pods")
    utilization = usage_total * 100 // request_total
    return utilization / target, utilization, usage_total, request_total


def cpu_replicas(
    pods: list[dict], pod_metrics: list[dict], target: int, current: int, now: float
) -> dict:
    """GetResourceReplicas for cpu: the proposal and the numbers behind it (HPA-2..HPA-5)."""
    if not pod_metrics:
        raise MetricError(
            "unable to get metrics for resource cpu: no metrics returned from resource metrics API"
        )
    if not pods:
        raise MetricError("no pods returned by selector while calculating replica count")
    metrics = pod_cpu_metrics(pod_metrics)
    ready, unready, missing, ignored = group_pods(pods, metrics, now)
    usages = {name: metrics[name]["usage"] for name in ready}
    if not usages:
        raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
    requests = {pod["metadata"]["name"]: cpu_request(pod) for pod in pods}
    ratio, utilization, usage_total, request_total = utilization_ratio(usages, requests, target)
    result = {
        "readyPods": len(ready),
        "unreadyPods": len(unready),
        "missingPods": len(missing),
        "ignoredPods": len(ignored),
        "usageMilli": usage_total,
        "requestMilli": request_total,
        "averageMilli": usage_total // len(usages),
        "utilization": utilization,
        "target": target,
        "ratio": ratio,
        "tolerance": TOLERANCE,
        "withinTolerance": within_tolerance(ratio),
        "timestamp": max(metrics[name]["timestamp"] for name in ready),
    }
    scale_up_with_unready = bool(unready) and ratio > 1.0
    if not scale_up_with_unready and not missing:
        if result["withinTolerance"]:
            return _keep(
                result, current, f"|1 {MINUS} {utilization}/{target}| {AT_MOST} {TOLERANCE}: keep"
            )
        proposed = math.ceil(ratio * len(ready))
        result["proposed"] = proposed
        result["formula"] = f"ceil({len(ready)} {TIMES} {utilization} / {target}) = {proposed}"
        return result
    return _dampened(result, usages, requests, missing, unready, ratio, target, current)


def _dampened(result, usages, requests, missing, unready, ratio, target, current) -> dict:
    """HPA-5: substitute usages for missing (and, scaling up, unready) pods and recompute."""
    usages = dict(usages)
    substitutes = []
    if missing and ratio < 1.0:
        fallback = max(100, target)
        for name in missing:
            usages[name] = requests[name] * fallback // 100
        substitutes.append(f"{len(missing)} missing at {fallback}%")
    elif missing and ratio > 1.0:
        for name in missing:
            usages[name] = 0
        substitutes.append(f"{len(missing)} missing at 0%")
    if unready and ratio > 1.0:
        for name in unready:
            usages[name] = 0
        substitutes.append(f"{len(unready)} unready at 0%")
    new_ratio, new_utilization, _, _ = utilization_ratio(usages, requests, target)
    result["dampenedUtilization"] = new_utilization
    result["dampenedRatio"] = new_ratio
    counted = len(usages)
    assumed = " and ".join(substitutes) if substitutes else "no substitutes"
    if (
        within_tolerance(new_ratio)
        or (ratio < 1.0 and new_ratio > 1.0)
        or (ratio > 1.0 and new_ratio < 1.0)
    ):
        return _keep(
            result,
            current,
            f"with {assumed}: {new_utilization}% of request, "
            f"within tolerance or the other way: keep",
        )
    proposed = math.ceil(new_ratio * counted)
    if (new_ratio < 1.0 and proposed > current) or (new_ratio > 1.0 and proposed < current):
        return _keep(
            result,
            current,
            f"with {assumed}: ceil({counted} {TIMES} {new_utilization} / {target}) "
            f"= {proposed} points the other way: keep",
        )
    result["proposed"] = proposed
    result["formula"] = (
        f"with {assumed}: ceil({counted} {TIMES} {new_utilization} / {target}) = {proposed}"
    )
    return result


def _keep(result: dict, current: int, formula: str) -> dict:
    result["proposed"] = current
    result["formula"] = f"{formula} {current}"
    return result

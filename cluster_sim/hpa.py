"""The HorizontalPodAutoscaler controller (autoscaling/v2, CPU utilization; HPA-1, HPA-8).

Every HPA is synced every 15 s, counted from its creation (the controller's
queue re-adds each HPA after the resync period). A sync reads the target's
scale (Deployment spec.replicas), computes a proposal from PodMetrics
(hpa_calc), normalizes it (hpa_behavior), writes the scale like the scale
subresource would, and records status, conditions and events with the real
reasons and messages.

What the real controller keeps in memory (recent recommendations and, with a
behavior, scale events) lives in the `playground.k8s/hpa-calc` annotation,
rewritten at each sync with the numbers of the calculation, so the object
round-trips through to_state() and a gauge can show the formula.
"""

import json

from .action_util import change_spec
from .disruption import selects
from .hpa_behavior import normalize_legacy, normalize_with_behavior, store_scale_event
from .hpa_calc import TOLERANCE, MetricError, cpu_replicas
from .quantity import canonical
from .store import clone
from .timestamps import rfc3339, seconds_since_epoch

COMPONENT = "horizontal-pod-autoscaler"
SYNC_PERIOD = 15
CALC_ANNOTATION = "playground.k8s/hpa-calc"
CPU_METRIC = "cpu resource utilization (percentage of request)"
# Every key of the annotation is present at each sync (null when that sync had no such number).
CALC_KEYS = (
    "currentReplicas",
    "readyPods",
    "ignoredPods",
    "unreadyPods",
    "missingPods",
    "usageMilli",
    "requestMilli",
    "utilization",
    "target",
    "ratio",
    "withinTolerance",
    "proposed",
    "desired",
    "limitedBy",
    "stabilizedUntil",
    "formula",
    "error",
)


def run(cluster) -> None:
    """Sync every HPA whose 15 s tick has come."""
    for hpa in cluster.store.list("HorizontalPodAutoscaler"):
        due = next_sync(hpa)
        if cluster.now + 1e-9 >= due:
            sync(cluster, hpa, due)


def calc_of(hpa: dict) -> dict:
    text = (hpa["metadata"].get("annotations") or {}).get(CALC_ANNOTATION)
    return json.loads(text) if text else {}


def next_sync(hpa: dict) -> float:
    calc = calc_of(hpa)
    if calc.get("nextSync"):
        return seconds_since_epoch(calc["nextSync"])
    return seconds_since_epoch(hpa["metadata"]["creationTimestamp"]) + SYNC_PERIOD


def _memory(calc: dict) -> dict:
    """The controller's memory from the annotation, times as simulated seconds."""
    return {
        key: [[seconds_since_epoch(at), value] for at, value in calc.get(key) or []]
        for key in ("recommendations", "scaleUpEvents", "scaleDownEvents")
    }


def set_condition(conditions: list, type_: str, status: str, reason: str, message: str, now):
    """setCondition: lastTransitionTime moves only when the status changes."""
    for cond in conditions:
        if cond["type"] == type_:
            if cond["status"] != status:
                cond["lastTransitionTime"] = rfc3339(now)
            cond.update(status=status, reason=reason, message=message)
            return
    conditions.append(
        {
            "type": type_,
            "status": status,
            "lastTransitionTime": rfc3339(now),
            "reason": reason,
            "message": message,
        }
    )


def selected_pods(cluster, deployment: dict) -> list[dict]:
    selector = deployment["spec"].get("selector") or {}
    return [
        pod
        for pod in cluster.store.list("Pod")
        if selects(selector, pod["metadata"].get("labels") or {})
    ]


def sync(cluster, hpa: dict, now: float) -> None:
    """reconcileAutoscaler for one HPA at its tick `now` (HPA-1)."""
    memory = _memory(calc_of(hpa))
    spec = hpa["spec"]
    old_status = hpa.get("status") or {}
    conditions = clone(old_status.get("conditions") or [])
    calc = dict.fromkeys(CALC_KEYS)
    calc.update(syncedAt=rfc3339(now), tolerance=TOLERANCE)
    target = spec["metrics"][0]["resource"]["target"]["averageUtilization"]
    calc["target"] = target

    def warn(reason, message):
        cluster.recorder.record(cluster, hpa, "Warning", reason, message, COMPONENT)

    def finish(status):
        calc.update({key: [[rfc3339(at), value] for at, value in memory[key]] for key in memory})
        calc["nextSync"] = rfc3339(now + SYNC_PERIOD)
        status["conditions"] = conditions
        with cluster.store.edit(hpa):
            hpa["status"] = status
            annotations = hpa["metadata"].setdefault("annotations", {})
            annotations[CALC_ANNOTATION] = json.dumps(calc, sort_keys=True)

    ref = spec["scaleTargetRef"]
    deployment = cluster.store.get("Deployment", ref["name"])
    if ref.get("kind") != "Deployment" or deployment is None:
        error = f'deployments/scale.apps "{ref["name"]}" not found'
        warn("FailedGetScale", error)
        set_condition(
            conditions,
            "AbleToScale",
            "False",
            "FailedGetScale",
            f"the HPA controller was unable to get the target's current scale: {error}",
            now,
        )
        calc["formula"] = error
        finish(_status(old_status, old_status.get("currentReplicas", 0), None))
        return
    set_condition(
        conditions,
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
        now,
    )
    current = deployment["spec"].get("replicas", 1)
    calc["currentReplicas"] = current
    if not memory["recommendations"]:
        memory["recommendations"].append([now, current])  # recordInitialRecommendation
    min_replicas = spec.get("minReplicas", 1)
    max_replicas = spec["maxReplicas"]
    behavior = spec.get("behavior")
    metric_statuses = None
    rescale, reason = True, ""

    if current == 0 and min_replicas != 0:
        desired, rescale = 0, False
        set_condition(
            conditions,
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
            now,
        )
        calc["formula"] = "scaling is disabled since the replica count of the target is zero"
    elif current > max_replicas:
        reason = "Current number of replicas above Spec.MaxReplicas"
        desired = max_replicas
        calc.update(limitedBy="TooManyReplicas", formula=f"{current} > max {max_replicas}")
    elif current < min_replicas:
        reason = "Current number of replicas below Spec.MinReplicas"
        desired = min_replicas
        calc.update(limitedBy="TooFewReplicas", formula=f"{current} < min {min_replicas}")
    else:
        pods = selected_pods(cluster, deployment)
        pod_metrics = [
            metrics
            for pod in pods
            if (metrics := cluster.store.get("PodMetrics", pod["metadata"]["name"])) is not None
        ]
        try:
            result = cpu_replicas(pods, pod_metrics, target, current, now)
        except MetricError as failure:
            message = f"failed to get cpu utilization: {failure}"
            warn("FailedGetResourceMetric", message)
            set_condition(
                conditions,
                "ScalingActive",
                "False",
                "FailedGetResourceMetric",
                f"the HPA was unable to compute the replica count: {message}",
                now,
            )
            warn(
                "FailedComputeMetricsReplicas",
                f"invalid metrics (1 invalid out of 1), first error is: {message}",
            )
            calc.update(error=message, formula=message)
            finish(_status(old_status, current, [{"type": ""}]))
            return
        metric_statuses = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": {
                        "averageUtilization": result["utilization"],
                        "averageValue": canonical(f"{result['averageMilli']}m"),
                    },
                },
            }
        ]
        set_condition(
            conditions,
            "ScalingActive",
            "True",
            "ValidMetricFound",
            f"the HPA was able to successfully calculate a replica count from {CPU_METRIC}",
            now,
        )
        for key in ("readyPods", "unreadyPods", "missingPods", "ignoredPods", "usageMilli"):
            calc[key] = result[key]
        calc.update(
            requestMilli=result["requestMilli"],
            utilization=result["utilization"],
            ratio=round(result["ratio"], 4),
            withinTolerance=result["withinTolerance"],
            proposed=result["proposed"],
            formula=result["formula"],
        )
        desired = max(result["proposed"], 0)
        if desired > current:
            reason = f"{CPU_METRIC} above target"
        if desired < current:
            reason = "All metrics below target"
        if behavior is None:
            desired, changes, until = normalize_legacy(
                memory, now, current, desired, min_replicas, max_replicas
            )
        else:
            desired, changes, until = normalize_with_behavior(
                memory, now, behavior, current, desired, min_replicas, max_replicas
            )
        for change in changes:
            set_condition(conditions, *change, now)
        limited = next(c for c in changes if c[0] == "ScalingLimited")
        calc["limitedBy"] = limited[2] if limited[1] == "True" else None
        calc["stabilizedUntil"] = rfc3339(until) if until is not None else None
        rescale = desired != current

    last_scale = old_status.get("lastScaleTime")
    if rescale:
        change_spec(cluster, deployment, lambda s: s.update(replicas=desired))
        set_condition(
            conditions,
            "AbleToScale",
            "True",
            "SucceededRescale",
            f"the HPA controller was able to update the target scale to {desired}",
            now,
        )
        cluster.recorder.record(
            cluster,
            hpa,
            "Normal",
            "SuccessfulRescale",
            f"New size: {desired}; reason: {reason}",
            COMPONENT,
        )
        if behavior is not None:
            store_scale_event(memory, behavior, now, current, desired)
        last_scale = rfc3339(now)
    else:
        desired = current
    calc["desired"] = desired
    status = _status(old_status, current, metric_statuses, desired)
    if last_scale:
        status["lastScaleTime"] = last_scale
    finish(status)


def _status(old: dict, current: int, metrics, desired: int | None = None) -> dict:
    """HorizontalPodAutoscalerStatus as serialized (currentReplicas and lastScaleTime are
    omitted when empty; a failed sync keeps the previous desiredReplicas)."""
    status = {}
    if current:
        status["currentReplicas"] = current
    status["desiredReplicas"] = old.get("desiredReplicas", 0) if desired is None else desired
    status["currentMetrics"] = metrics
    if desired is None and old.get("lastScaleTime"):
        status["lastScaleTime"] = old["lastScaleTime"]
    return status

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
SCALING_DISABLED = "scaling is disabled since the replica count of the target is zero"
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
    HPASync(cluster, hpa, now).run()


class HPASync:
    """One sync of one HPA: the conditions, the calculation's numbers and the controller's
    memory are gathered here and written once, at the end."""

    def __init__(self, cluster, hpa: dict, now: float) -> None:
        self.cluster, self.hpa, self.now = cluster, hpa, now
        self.spec = hpa["spec"]
        self.old_status = hpa.get("status") or {}
        self.conditions = clone(self.old_status.get("conditions") or [])
        self.memory = _memory(calc_of(hpa))
        self.calc = dict.fromkeys(CALC_KEYS)
        self.calc.update(syncedAt=rfc3339(now), tolerance=TOLERANCE, target=self.target)

    @property
    def target(self) -> int:
        return self.spec["metrics"][0]["resource"]["target"]["averageUtilization"]

    def condition(self, type_, status, reason, message) -> None:
        set_condition(self.conditions, type_, status, reason, message, self.now)

    def event(self, type_, reason, message) -> None:
        self.cluster.recorder.record(self.cluster, self.hpa, type_, reason, message, COMPONENT)

    def run(self) -> None:
        ref = self.spec["scaleTargetRef"]
        deployment = self.cluster.store.get("Deployment", ref["name"])
        if ref.get("kind") != "Deployment" or deployment is None:
            error = f'deployments/scale.apps "{ref["name"]}" not found'
            self.event("Warning", "FailedGetScale", error)
            self.condition(
                "AbleToScale",
                "False",
                "FailedGetScale",
                f"the HPA controller was unable to get the target's current scale: {error}",
            )
            self.calc["formula"] = error
            old = self.old_status
            self.finish(_status(old, old.get("currentReplicas", 0), None))
            return
        self.condition(
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        )
        current = deployment["spec"].get("replicas", 1)
        self.calc["currentReplicas"] = current
        if not self.memory["recommendations"]:
            self.memory["recommendations"].append([self.now, current])  # the initial one
        min_replicas = self.spec.get("minReplicas", 1)
        max_replicas = self.spec["maxReplicas"]
        metric_statuses, reason = None, ""
        if current == 0 and min_replicas != 0:
            self.condition("ScalingActive", "False", "ScalingDisabled", SCALING_DISABLED)
            self.calc["formula"] = SCALING_DISABLED
            desired = 0
        elif current > max_replicas:
            reason, desired = "Current number of replicas above Spec.MaxReplicas", max_replicas
            self.calc.update(limitedBy="TooManyReplicas", formula=f"{current} > max {desired}")
        elif current < min_replicas:
            reason, desired = "Current number of replicas below Spec.MinReplicas", min_replicas
            self.calc.update(limitedBy="TooFewReplicas", formula=f"{current} < min {desired}")
        else:
            try:
                result = self.proposal(deployment, current)
            except MetricError as failure:
                self.metric_failed(current, f"failed to get cpu utilization: {failure}")
                return
            metric_statuses = [_metric_status(result)]
            desired = max(result["proposed"], 0)
            if desired > current:
                reason = f"{CPU_METRIC} above target"
            if desired < current:
                reason = "All metrics below target"
            desired = self.normalize(current, desired, min_replicas, max_replicas)
        last_scale = self.old_status.get("lastScaleTime")
        if desired != current:
            self.rescale(deployment, current, desired, reason)
            last_scale = rfc3339(self.now)
        else:
            desired = current
        self.calc["desired"] = desired
        status = _status(self.old_status, current, metric_statuses, desired)
        if last_scale:
            status["lastScaleTime"] = last_scale
        self.finish(status)

    def proposal(self, deployment: dict, current: int) -> dict:
        """HPA-2..HPA-5 on the pods the Deployment selects and their PodMetrics."""
        pods = selected_pods(self.cluster, deployment)
        samples = [
            found
            for pod in pods
            if (found := self.cluster.store.get("PodMetrics", pod["metadata"]["name"]))
        ]
        result = cpu_replicas(pods, samples, self.target, current, self.now)
        self.condition(
            "ScalingActive",
            "True",
            "ValidMetricFound",
            f"the HPA was able to successfully calculate a replica count from {CPU_METRIC}",
        )
        for key in CALC_KEYS:
            if key in result and key != "target":
                self.calc[key] = result[key]
        self.calc["ratio"] = round(result["ratio"], 4)
        return result

    def metric_failed(self, current: int, message: str) -> None:
        """The metric could not be computed: warnings, ScalingActive=False, no scaling."""
        self.event("Warning", "FailedGetResourceMetric", message)
        self.condition(
            "ScalingActive",
            "False",
            "FailedGetResourceMetric",
            f"the HPA was unable to compute the replica count: {message}",
        )
        self.event(
            "Warning",
            "FailedComputeMetricsReplicas",
            f"invalid metrics (1 invalid out of 1), first error is: {message}",
        )
        self.calc.update(error=message, formula=message)
        self.finish(_status(self.old_status, current, [{"type": ""}]))

    def normalize(self, current, proposed, min_replicas, max_replicas) -> int:
        """HPA-6 without spec.behavior, HPA-7 with it."""
        behavior = self.spec.get("behavior")
        if behavior is None:
            desired, changes, until = normalize_legacy(
                self.memory, self.now, current, proposed, min_replicas, max_replicas
            )
        else:
            desired, changes, until = normalize_with_behavior(
                self.memory, self.now, behavior, current, proposed, min_replicas, max_replicas
            )
        for change in changes:
            self.condition(*change)
        _, limited, reason, _ = next(c for c in changes if c[0] == "ScalingLimited")
        self.calc["limitedBy"] = reason if limited == "True" else None
        self.calc["stabilizedUntil"] = rfc3339(until) if until is not None else None
        return desired

    def rescale(self, deployment: dict, current: int, desired: int, reason: str) -> None:
        """Write the scale subresource (spec.replicas, generation + 1) and say so."""
        change_spec(self.cluster, deployment, lambda spec: spec.update(replicas=desired))
        self.condition(
            "AbleToScale",
            "True",
            "SucceededRescale",
            f"the HPA controller was able to update the target scale to {desired}",
        )
        self.event("Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        behavior = self.spec.get("behavior")
        if behavior is not None:
            store_scale_event(self.memory, behavior, self.now, current, desired)

    def finish(self, status: dict) -> None:
        memory = {key: [[rfc3339(at), n] for at, n in items] for key, items in self.memory.items()}
        self.calc.update(memory, nextSync=rfc3339(self.now + SYNC_PERIOD))
        status["conditions"] = self.conditions
        with self.cluster.store.edit(self.hpa):
            self.hpa["status"] = status
            annotations = self.hpa["metadata"].setdefault("annotations", {})
            annotations[CALC_ANNOTATION] = json.dumps(self.calc, sort_keys=True)


def _metric_status(result: dict) -> dict:
    """A MetricStatus of type Resource: averageUtilization and the average usage."""
    current = {
        "averageUtilization": result["utilization"],
        "averageValue": canonical(f"{result['averageMilli']}m"),
    }
    return {"type": "Resource", "resource": {"name": "cpu", "current": current}}


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

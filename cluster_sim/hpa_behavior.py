"""Normalization of an HPA's proposal: stabilization, rate limits, [min, max] (HPA-6, HPA-7).

The controller's memory per HPA is a small dict of lists kept by the caller:
`recommendations` [[t, replicas]], `scaleUpEvents` / `scaleDownEvents`
[[t, change]] (t in simulated seconds). Each function returns the normalized
replica count and the conditions (type, status, reason, message) to set, in the
order the real controller sets them.
"""

import math

DOWNSCALE_STABILIZATION = 300  # --horizontal-pod-autoscaler-downscale-stabilization
SCALE_UP_LIMIT_FACTOR = 2.0
SCALE_UP_LIMIT_MINIMUM = 4.0

READY_FOR_NEW_SCALE = ("ReadyForNewScale", "recommended size matches current size")
SCALE_DOWN_STABILIZED = (
    "ScaleDownStabilized",
    "recent recommendations were higher than current one, "
    "applying the highest recent recommendation",
)
SCALE_UP_STABILIZED = (
    "ScaleUpStabilized",
    "recent recommendations were lower than current one, applying the lowest recent recommendation",
)
SCALE_UP_LIMIT = (
    "ScaleUpLimit",
    "the desired replica count is increasing faster than the maximum scale rate",
)
SCALE_DOWN_LIMIT = (
    "ScaleDownLimit",
    "the desired replica count is decreasing faster than the maximum scale rate",
)
TOO_MANY = ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
TOO_FEW = ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
WITHIN_RANGE = ("DesiredWithinRange", "the desired count is within the acceptable range")


def default_rules(direction: str, rules: dict | None) -> dict:
    """SetDefaults_HorizontalPodAutoscalerBehavior for one direction (only when behavior is
    set). scaleDown keeps no stabilizationWindowSeconds default: the controller's flag
    (300 s) applies."""
    if direction == "scaleUp":
        filled = {
            "stabilizationWindowSeconds": 0,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        }
    else:
        filled = {
            "selectPolicy": "Max",
            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        }
    for key, value in (rules or {}).items():
        if value is not None:
            filled[key] = value
    return filled


def default_behavior(behavior: dict) -> dict:
    return {
        "scaleUp": default_rules("scaleUp", behavior.get("scaleUp")),
        "scaleDown": default_rules("scaleDown", behavior.get("scaleDown")),
    }


def _record(recommendations: list, old_index: int | None, entry: list) -> None:
    """The controller reuses the slot of one expired sample instead of growing the list."""
    if old_index is None:
        recommendations.append(entry)
    else:
        recommendations[old_index] = entry


def normalize_legacy(memory, now, current, proposed, min_replicas, max_replicas):
    """HPA-6 normalizeDesiredReplicas (spec.behavior nil): the highest recommendation of
    the last 300 s, then a scale-up cap of max(2 * current, 4), then [min, max]."""
    recommendations = memory.setdefault("recommendations", [])
    cutoff = now - DOWNSCALE_STABILIZATION
    stabilized, old_index, held_by = proposed, None, []
    for index, (at, replicas) in enumerate(recommendations):
        if at < cutoff:
            old_index = index
        else:
            stabilized = max(stabilized, replicas)
            if replicas > proposed:
                held_by.append(at)
    _record(recommendations, old_index, [now, proposed])
    conditions = []
    able = SCALE_DOWN_STABILIZED if stabilized != proposed else READY_FOR_NEW_SCALE
    conditions.append(("AbleToScale", "True", *able))

    scale_up_limit = int(max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM))
    if max_replicas > scale_up_limit:
        maximum, limiting = scale_up_limit, SCALE_UP_LIMIT
    else:
        maximum, limiting = max_replicas, TOO_MANY
    if stabilized < min_replicas:
        desired, limiting = min_replicas, TOO_FEW
    elif stabilized > maximum:
        desired = maximum
    else:
        desired, limiting = stabilized, WITHIN_RANGE
    limited = "True" if desired != stabilized else "False"
    conditions.append(("ScalingLimited", limited, *limiting))
    until = None
    if stabilized > proposed and proposed < current and held_by:
        # A scale-down held back: the last higher recommendation counts up to and including
        # 300 s after it was made.
        until = max(held_by) + DOWNSCALE_STABILIZATION
    return desired, conditions, until


def normalize_with_behavior(memory, now, behavior, current, proposed, min_replicas, max_replicas):
    """HPA-7 normalizeDesiredReplicasWithBehaviors: stabilization windows per direction,
    then the policies' rate limits (selectPolicy), then [min, max]."""
    up, down = behavior["scaleUp"], behavior["scaleDown"]
    down_window = down.get("stabilizationWindowSeconds")
    if down_window is None:
        down_window = DOWNSCALE_STABILIZATION
    up_cutoff = now - up["stabilizationWindowSeconds"]
    down_cutoff = now - down_window
    recommendations = memory.setdefault("recommendations", [])
    up_rec = down_rec = proposed
    old_index, held_by = None, []
    for index, (at, replicas) in enumerate(recommendations):
        if at > up_cutoff:
            up_rec = min(up_rec, replicas)
        if at > down_cutoff:
            down_rec = max(down_rec, replicas)
            if replicas > proposed:
                held_by.append(at)
        if at < up_cutoff and at < down_cutoff:
            old_index = index
    stabilized = min(max(current, up_rec), down_rec)
    _record(recommendations, old_index, [now, proposed])
    conditions = []
    if stabilized != proposed:
        able = SCALE_UP_STABILIZED if proposed >= current else SCALE_DOWN_STABILIZED
    else:
        able = READY_FOR_NEW_SCALE
    conditions.append(("AbleToScale", "True", *able))

    desired, limiting = stabilized, WITHIN_RANGE
    if stabilized > current:
        limit = max(scale_up_limit(memory, now, current, up), current)
        if max_replicas > limit:
            maximum, reason = limit, SCALE_UP_LIMIT
        else:
            maximum, reason = max_replicas, TOO_MANY
        if stabilized > maximum:
            desired, limiting = maximum, reason
    elif stabilized < current:
        limit = min(scale_down_limit(memory, now, current, down), current)
        if min_replicas < limit:
            minimum, reason = limit, SCALE_DOWN_LIMIT
        else:
            minimum, reason = min_replicas, TOO_FEW
        if stabilized < minimum:
            desired, limiting = minimum, reason
    limited = "True" if desired != stabilized else "False"
    conditions.append(("ScalingLimited", limited, *limiting))
    until = None
    if stabilized > proposed and proposed < current and held_by:
        until = max(held_by) + down_window
    return desired, conditions, until


def _changed_within(events: list, period: int, now: float) -> int:
    """getReplicasChangePerPeriod: replicas changed by scale events newer than now - period."""
    return sum(change for at, change in events if at > now - period)


def _period_start(memory, now, current, policy) -> int:
    period = policy["periodSeconds"]
    added = _changed_within(memory.get("scaleUpEvents", []), period, now)
    removed = _changed_within(memory.get("scaleDownEvents", []), period, now)
    return current - added + removed


def scale_up_limit(memory, now, current, rules) -> int:
    """calculateScaleUpLimitWithScalingRules: Pods start + v, Percent ceil(start * (1 + v/100));
    Max takes the largest, Min the smallest, Disabled allows no change."""
    if rules["selectPolicy"] == "Disabled":
        return current
    proposals = []
    for policy in rules["policies"]:
        start = _period_start(memory, now, current, policy)
        if policy["type"] == "Pods":
            proposals.append(start + policy["value"])
        else:
            proposals.append(math.ceil(start * (1 + policy["value"] / 100)))
    return min(proposals) if rules["selectPolicy"] == "Min" else max(proposals)


def scale_down_limit(memory, now, current, rules) -> int:
    """calculateScaleDownLimitWithBehaviors: Pods start - v, Percent trunc(start * (1 - v/100));
    Max allows the largest change (lowest count), Min the smallest."""
    if rules["selectPolicy"] == "Disabled":
        return current
    proposals = []
    for policy in rules["policies"]:
        start = _period_start(memory, now, current, policy)
        if policy["type"] == "Pods":
            proposals.append(start - policy["value"])
        else:
            proposals.append(int(start * (1 - policy["value"] / 100)))
    return max(proposals) if rules["selectPolicy"] == "Min" else min(proposals)


def store_scale_event(memory, behavior, now, previous: int, new: int) -> None:
    """storeScaleEvent: remember a rescale for the policies' periods (only with behavior);
    one expired event's slot is reused."""
    if behavior is None:
        return
    if new > previous:
        key, rules, change = "scaleUpEvents", behavior["scaleUp"], new - previous
    else:
        key, rules, change = "scaleDownEvents", behavior["scaleDown"], previous - new
    longest = max((p["periodSeconds"] for p in rules["policies"]), default=0)
    events = memory.setdefault(key, [])
    old_index = None
    for index, (at, _) in enumerate(events):
        if at < now - longest:
            old_index = index
    _record(events, old_index, [now, change])

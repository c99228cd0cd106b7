"""Score plugins beyond resources: TaintToleration (SCH-14), RequestedToCapacityRatio
(SCH-12) and ImageLocality (SCH-16). Go int64 arithmetic: // truncates."""

import math

from ..errors import ActionError
from ..images import image_size

REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio"
DEFAULT_SHAPE = [{"utilization": 0, "score": 0}, {"utilization": 100, "score": 10}]
MIB = 1024 * 1024
IMAGE_MIN_THRESHOLD = 23 * MIB
IMAGE_MAX_PER_CONTAINER = 1000 * MIB


def prefer_no_schedule_count(pod: dict, node: dict) -> int:
    """Raw TaintToleration score: PreferNoSchedule taints the pod does not tolerate."""
    from .plugins import tolerated

    return sum(
        1
        for taint in node["spec"].get("taints") or ()
        if taint["effect"] == "PreferNoSchedule" and not tolerated(pod, taint)
    )


def validate_shape(shape) -> list[dict]:
    bad = ActionError(
        "shape must be a list of 1..10 points {utilization: 0..100, score: 0..10} "
        "with increasing utilization"
    )
    if not isinstance(shape, list) or not 1 <= len(shape) <= 10:
        raise bad
    points, last = [], -1
    for point in shape:
        if not isinstance(point, dict) or set(point) != {"utilization", "score"}:
            raise bad
        u, s = point["utilization"], point["score"]
        for v, top in ((u, 100), (s, 10)):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= top:
                raise bad
        if u <= last:
            raise bad
        last = u
        points.append({"utilization": u, "score": s})
    return points


def shape_score(shape: list[dict], utilization: int) -> int:
    """helper.BuildBrokenLinearFunction on scores scaled x10 (0..100)."""
    for i, point in enumerate(shape):
        if utilization <= point["utilization"]:
            if i == 0:
                return point["score"] * 10
            prev = shape[i - 1]
            rise = (point["score"] - prev["score"]) * 10
            return prev["score"] * 10 + _go_div(
                rise * (utilization - prev["utilization"]),
                point["utilization"] - prev["utilization"],
            )
    return shape[-1]["score"] * 10


def _go_div(a: int, b: int) -> int:
    """Go's integer division truncates towards zero (a falling shape gives negatives)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def requested_to_capacity_ratio(shape, resources) -> int:
    """resources: (requested, allocatable) pairs with weight 1 each; only s_r > 0 count."""
    total = weights = 0
    for requested, capacity in resources:
        if capacity == 0:
            continue
        if requested > capacity:
            score = shape_score(shape, 100)
        else:
            score = shape_score(shape, requested * 100 // capacity)
        if score > 0:
            total += score
            weights += 1
    return math.floor(total / weights + 0.5) if weights else 0


def image_locality(pod: dict, node: dict, holders: dict[str, int], total_nodes: int) -> int:
    """holders: image -> number of nodes holding it."""
    present = {name for image in node["status"].get("images") or () for name in image["names"]}
    containers = pod["spec"]["containers"]
    total = 0
    for container in containers:
        image = container["image"]
        if image in present:
            total += int(image_size(image) * holders.get(image, 0) / total_nodes)
    top = IMAGE_MAX_PER_CONTAINER * len(containers)
    total = min(max(total, IMAGE_MIN_THRESHOLD), top)
    return 100 * (total - IMAGE_MIN_THRESHOLD) // (top - IMAGE_MIN_THRESHOLD)


def image_holders(nodes) -> dict[str, int]:
    holders: dict[str, int] = {}
    for node in nodes:
        names = {name for image in node["status"].get("images") or () for name in image["names"]}
        for name in names:
            holders[name] = holders.get(name, 0) + 1
    return holders

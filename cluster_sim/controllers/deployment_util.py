"""Deployment arithmetic and bookkeeping (DEP-2, DEP-3): fenceposts, revisions, annotations."""

from ..store import clone
from ..timestamps import seconds_since_epoch

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
MAX_REVISION_HISTORY_CHARS = 2000


def scaled_value(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: an int as is, "25%" of total rounded up or down."""
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        return int(text)
    percent = int(text[:-1])
    return -(-total * percent // 100) if round_up else total * percent // 100


def is_rolling(deployment: dict) -> bool:
    return deployment["spec"].get("strategy", {}).get("type", "RollingUpdate") == "RollingUpdate"


def resolve_fenceposts(deployment: dict) -> tuple[int, int]:
    """DEP-3: (surge, unavailable); surge rounds up, unavailable down, never both 0."""
    rolling = deployment["spec"].get("strategy", {}).get("rollingUpdate", {})
    replicas = deployment["spec"]["replicas"]
    surge = scaled_value(rolling.get("maxSurge", "25%"), replicas, True)
    unavailable = scaled_value(rolling.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_surge(deployment: dict) -> int:
    return resolve_fenceposts(deployment)[0] if is_rolling(deployment) else 0


def max_unavailable(deployment: dict) -> int:
    replicas = deployment["spec"]["replicas"]
    if not is_rolling(deployment) or replicas == 0:
        return 0
    return min(resolve_fenceposts(deployment)[1], replicas)


def revision(rs: dict) -> int:
    try:
        return int(rs["metadata"].get("annotations", {}).get(REVISION, "0"))
    except ValueError:
        return 0


def max_revision(replica_sets: list[dict]) -> int:
    return max((revision(rs) for rs in replica_sets), default=0)


def template_without_hash(template: dict) -> dict:
    copy = clone(template)
    copy.get("metadata", {}).get("labels", {}).pop(HASH_LABEL, None)
    return copy


def equal_ignore_hash(a: dict, b: dict) -> bool:
    return template_without_hash(a) == template_without_hash(b)


def by_creation(replica_sets: list[dict]) -> list[dict]:
    """ReplicaSetsByCreationTimestamp: oldest first, ties by name."""
    return sorted(
        replica_sets,
        key=lambda rs: (
            seconds_since_epoch(rs["metadata"]["creationTimestamp"]),
            rs["metadata"]["name"],
        ),
    )


def set_replicas_annotations(rs: dict, desired: int, max_replicas: int) -> bool:
    annotations = rs["metadata"].setdefault("annotations", {})
    wanted = {DESIRED_REPLICAS: str(desired), MAX_REPLICAS: str(max_replicas)}
    changed = any(annotations.get(key) != value for key, value in wanted.items())
    annotations.update(wanted)
    return changed


def set_new_rs_revision(rs: dict, new_revision: int) -> bool:
    """SetNewReplicaSetAnnotations: raise the revision, remembering the old one (DEP-2)."""
    annotations = rs["metadata"].setdefault("annotations", {})
    old_text = annotations.get(REVISION)
    old = int(old_text) if old_text else 0
    if old >= new_revision:
        return False
    annotations[REVISION] = str(new_revision)
    if old_text:
        history = annotations.get(REVISION_HISTORY, "")
        entries = history.split(",") if history else []
        entries.append(old_text)
        while len(",".join(entries)) > MAX_REVISION_HISTORY_CHARS:
            entries.pop(0)
        annotations[REVISION_HISTORY] = ",".join(entries)
    return True


def desired_replicas_annotation(rs: dict) -> int | None:
    value = rs["metadata"].get("annotations", {}).get(DESIRED_REPLICAS)
    return int(value) if value is not None else None


def max_replicas_annotation(rs: dict) -> int | None:
    value = rs["metadata"].get("annotations", {}).get(MAX_REPLICAS)
    return int(value) if value is not None else None


def round_half_away(value: float) -> int:
    """Go's math.Round."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)

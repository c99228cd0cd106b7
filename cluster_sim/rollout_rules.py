"""The API server's validation of a Deployment's rollout fields (DEP-3, DEP-7, DEP-11, DEP-12),
shared by the `set_rollout` action and manifests (apply, patch, the Kubernetes API).

Errors are field errors as the API server words them ("path: Invalid value: v: why");
the playground's own limits use the same shape and say that they are the playground's.
"""

import re

STRATEGIES = ("RollingUpdate", "Recreate")
DEFAULT_ROLLING = {"maxSurge": "25%", "maxUnavailable": "25%"}
MAX_INT_OR_PERCENT = 100  # playground limit for an integer maxSurge/maxUnavailable
MAX_MIN_READY = 3600
MAX_PROGRESS_DEADLINE = 7200
MAX_HISTORY = 50
PERCENT = re.compile(r"[0-9]+%")
_PERCENT_HELP = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)
_PLAYGROUND_LIMIT = "(the playground's limit)"


def shown(value) -> str:
    """A bad value as field errors print it: an IntOrString percent bare, other strings quoted."""
    if isinstance(value, str) and not PERCENT.fullmatch(value):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def invalid(field: str, value, why: str) -> str:
    return f"{field}: Invalid value: {shown(value)}: {why}"


def whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def normal_percent(value):
    """An accepted int-or-percent as the API stores it ("05%" is 5%)."""
    return f"{int(value[:-1])}%" if isinstance(value, str) else value


def _int_or_percent_errors(field: str, value) -> list[str]:
    """ValidatePositiveIntOrPercent and IsNotMoreThan100Percent; ints up to the playground's
    limit."""
    if whole(value):
        if value < 0:
            return [invalid(field, value, "must be greater than or equal to 0")]
        if value > MAX_INT_OR_PERCENT:
            return [
                invalid(
                    field,
                    value,
                    f"must be less than or equal to {MAX_INT_OR_PERCENT} {_PLAYGROUND_LIMIT}",
                )
            ]
        return []
    if not isinstance(value, str) or not PERCENT.fullmatch(value):
        return [invalid(field, value, _PERCENT_HELP)]
    if int(value[:-1]) > 100:
        return [invalid(field, value, "must not be greater than 100%")]
    return []


def _is_zero(value) -> bool:
    return value == 0 or (
        isinstance(value, str) and PERCENT.fullmatch(value) and int(value[:-1]) == 0
    )


def _count_errors(field: str, value, high: int) -> list[str]:
    if not whole(value):
        return [invalid(field, value, "must be a whole number")]
    if value < 0:
        return [invalid(field, value, "must be greater than or equal to 0")]
    if value > high:
        return [invalid(field, value, f"must be less than or equal to {high} {_PLAYGROUND_LIMIT}")]
    return []


def strategy_errors(strategy: dict) -> list[str]:
    """spec.strategy: a known type; rollingUpdate only with RollingUpdate; maxSurge and
    maxUnavailable valid and not both zero (DEP-3, DEP-7)."""
    kind = strategy.get("type")
    if kind not in STRATEGIES:
        return [
            f"spec.strategy.type: Unsupported value: {shown(kind)}: "
            'supported values: "Recreate", "RollingUpdate"'
        ]
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy "
                "`type` is 'Recreate'"
            ]
        return []
    rolling = {**DEFAULT_ROLLING, **(rolling or {})}
    prefix = "spec.strategy.rollingUpdate."
    errors = []
    for key in ("maxSurge", "maxUnavailable"):
        errors += _int_or_percent_errors(prefix + key, rolling[key])
    if not errors and _is_zero(rolling["maxSurge"]) and _is_zero(rolling["maxUnavailable"]):
        errors.append(
            invalid(
                prefix + "maxUnavailable",
                rolling["maxUnavailable"],
                "may not be 0 when `maxSurge` is 0",
            )
        )
    return errors


def rollout_errors(spec: dict) -> list[str]:
    """Every rollout field of a defaulted Deployment spec: strategy, minReadySeconds,
    progressDeadlineSeconds (greater than minReadySeconds), revisionHistoryLimit
    (DEP-11, DEP-12)."""
    errors = strategy_errors(spec.get("strategy") or {})
    min_ready = spec.get("minReadySeconds", 0)
    deadline = spec.get("progressDeadlineSeconds", 600)
    counts = _count_errors("spec.minReadySeconds", min_ready, MAX_MIN_READY)
    counts += _count_errors("spec.progressDeadlineSeconds", deadline, MAX_PROGRESS_DEADLINE)
    errors += counts
    errors += _count_errors(
        "spec.revisionHistoryLimit", spec.get("revisionHistoryLimit", 10), MAX_HISTORY
    )
    if not counts and deadline <= min_ready:
        errors.append(
            invalid(
                "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
            )
        )
    return errors

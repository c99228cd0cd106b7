"""The simulated wall clock: seconds since the cluster was created, shown as RFC 3339 times.

The epoch is fixed (2026-01-01T00:00:00Z); the real clock is never read.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
EPOCH_UNIX = int(EPOCH.timestamp())
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def rfc3339(now: float) -> str:
    """metav1.Time as the API serialises it: whole seconds (truncated), UTC, trailing Z."""
    return (EPOCH + timedelta(seconds=int(now))).strftime(_FORMAT)


def rfc3339_micro(now: float) -> str:
    """metav1.MicroTime (Lease renewTime): microseconds, UTC, trailing Z."""
    whole = int(now)
    micros = round((now - whole) * 1_000_000)
    return (EPOCH + timedelta(seconds=whole)).strftime("%Y-%m-%dT%H:%M:%S") + f".{micros:06d}Z"


@lru_cache(maxsize=4096)
def seconds_since_epoch(stamp: str) -> float:
    """Inverse of rfc3339: simulated seconds for a timestamp written by this engine."""
    moment = datetime.strptime(stamp, _FORMAT).replace(tzinfo=UTC)
    return (moment - EPOCH).total_seconds()


def unix_nanos(now: float) -> int:
    """Nanoseconds since the Unix epoch for a simulated moment (used in Event names)."""
    return (EPOCH_UNIX * 1_000_000_000) + round(now * 1_000_000_000)


def go_duration(seconds: float) -> str:
    """A short duration the way Go's time.Duration prints it ("3s", "1.5s", "1m20s", "5m0s")."""
    if seconds == int(seconds) and seconds >= 60:
        minutes, rest = divmod(int(seconds), 60)
        hours, minutes = divmod(minutes, 60)
        return (f"{hours}h" if hours else "") + f"{minutes}m{rest}s"
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"

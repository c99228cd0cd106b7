"""Simulated timestamps shown as wall-clock ones, so kubectl's own ages agree with the
playground.

The engine stamps objects on a simulated clock that starts at 2026-01-01T00:00:00Z and runs
at the playground's speed (or stands still while paused). kubectl computes some ages itself
from the wall clock (describe's events, `kubectl events`), which would print "330d". The API
therefore moves every timestamp by one offset: the simulated "now" becomes the real now,
and an age kubectl computes is the simulated age, the same as the Table's AGE column and
the browser. Requests are shifted back. Annotations, labels and data are never touched
(kubectl's restartedAt annotation is a wall-clock time already)."""

import re
import time
from datetime import UTC, datetime, timedelta

from cluster_sim.timestamps import EPOCH_UNIX

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_SKIP = frozenset({"annotations", "labels", "data", "stringData", "binaryData", "env"})
_SUFFIXES = ("Timestamp", "Time", "At")


# The offset last used per playground: kept while the fresh one stays within DRIFT seconds,
# so timestamps do not jitter by a second between requests (the simulated clock moves in
# ticks, the wall clock smoothly); a pause or a speed change moves it on.
_anchors: dict[str, int] = {}
DRIFT = 2


def offset_for(sim_now: float, playground_id: str | None = None, wall_now: float | None = None):
    """Whole seconds to add to a simulated timestamp to get the wall-clock one."""
    wall = time.time() if wall_now is None else wall_now
    fresh = round(wall - EPOCH_UNIX - sim_now)
    if playground_id is None:
        return fresh
    anchored = _anchors.get(playground_id)
    if anchored is not None and abs(anchored - fresh) <= DRIFT:
        return anchored
    _anchors[playground_id] = fresh
    return fresh


def _move(stamp: str, seconds: int) -> str:
    fraction = ""
    base = stamp[:-1]
    if "." in base:
        base, fraction = base.split(".", 1)
        fraction = "." + fraction
    moment = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return (moment + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def shift(value, seconds: int):
    """A copy-free, in-place move of every timestamp field in JSON-shaped value."""
    if seconds == 0:
        return value
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _SKIP:
                continue
            if isinstance(item, str):
                if key.endswith(_SUFFIXES) and _STAMP.match(item):
                    value[key] = _move(item, seconds)
            elif isinstance(item, dict | list):
                shift(item, seconds)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                shift(item, seconds)
    return value

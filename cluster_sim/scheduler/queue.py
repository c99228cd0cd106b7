"""The scheduling queue (SCH-1, SCH-25): active, back-off and unschedulable pods.

Each entry is one pending pod. Order: higher priority first, then the time it
(re-)entered the active queue, then arrival order. A pod that failed is parked
in the unschedulable pool; a cluster event that may help (a pod deleted, a node
added or changed) moves parked pods back, each waiting out its own back-off
(1 s doubling to 10 s); a pod parked for 5 minutes is moved back regardless.
"""

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_UNSCHEDULABLE_DURATION = 300.0


def backoff(attempts: int) -> float:
    return min(INITIAL_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


class SchedulingQueue:
    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}  # pod uid -> entry, arrival order
        self.sequence = 0

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, uid: str, name: str, priority: int, now: float) -> None:
        if uid in self.entries:
            return
        self.sequence += 1
        self.entries[uid] = {
            "uid": uid,
            "name": name,
            "priority": priority,
            "since": now,
            "seq": self.sequence,
            "attempts": 0,
            "lastFailure": None,
            "parkedAt": None,
        }

    def remove(self, uid: str) -> None:
        self.entries.pop(uid, None)

    def _ready_at(self, entry: dict) -> float:
        if entry["lastFailure"] is None:
            return entry["since"]
        return max(entry["since"], entry["lastFailure"] + backoff(entry["attempts"]))

    def pop(self, now: float) -> dict | None:
        """The next pod to try now (it stays queued until bound or parked), or None."""
        best = None
        for entry in self.entries.values():
            if entry["parkedAt"] is not None or self._ready_at(entry) > now:
                continue
            key = (-entry["priority"], self._ready_at(entry), entry["seq"])
            if best is None or key < best[0]:
                best = (key, entry)
        return None if best is None else best[1]

    def park(self, uid: str, now: float) -> None:
        """The attempt failed: back to the unschedulable pool with a longer back-off."""
        entry = self.entries[uid]
        entry["attempts"] += 1
        entry["lastFailure"] = now
        entry["parkedAt"] = now

    def move_all(self, now: float) -> None:
        """A cluster event that may make parked pods schedulable (SCH-25)."""
        for entry in self.entries.values():
            if entry["parkedAt"] is not None:
                self._unpark(entry, now)

    def flush_stale(self, now: float) -> None:
        for entry in self.entries.values():
            parked = entry["parkedAt"]
            if parked is not None and now - parked >= MAX_UNSCHEDULABLE_DURATION:
                self._unpark(entry, now)

    def _unpark(self, entry: dict, now: float) -> None:
        entry["parkedAt"] = None
        self.sequence += 1
        entry["since"] = now
        entry["seq"] = self.sequence

    def next_wakeup(self) -> float | None:
        """Earliest moment a waiting (not parked) entry becomes ready, for tests and the UI."""
        times = [self._ready_at(e) for e in self.entries.values() if e["parkedAt"] is None]
        return min(times) if times else None

    def to_state(self) -> dict:
        return {"entries": [dict(e) for e in self.entries.values()], "sequence": self.sequence}

    @classmethod
    def from_state(cls, state: dict) -> "SchedulingQueue":
        queue = cls()
        queue.entries = {e["uid"]: dict(e) for e in state["entries"]}
        queue.sequence = state["sequence"]
        return queue

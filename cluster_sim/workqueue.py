"""Per-kind sets of object UIDs that a controller must look at again ("dirty" keys).

Writes to the store add keys; a controller takes all of its keys at once and
syncs each object, so work is proportional to what changed. A periodic resync
adds every key, like an informer's resync period, so nothing waits forever on
a missed change (and time-based conditions such as the progress deadline are
re-checked). Keys can also be added for a later moment (AddAfter), as the
controllers do for minReadySeconds and the progress deadline.
"""

RESYNC_SECONDS = 10.0


class WorkQueues:
    def __init__(self) -> None:
        self.keys: dict[str, dict[str, None]] = {"Deployment": {}, "ReplicaSet": {}}
        self.next_resync = RESYNC_SECONDS
        self.later: list[list] = []  # [at, kind, uid]: add the key once now > at

    def add(self, kind: str, uid: str) -> None:
        self.keys[kind][uid] = None

    def add_after(self, kind: str, uid: str, at: float) -> None:
        """Look at the object again at the first moment strictly after `at`."""
        entry = [at, kind, uid]
        if entry not in self.later:
            self.later.append(entry)

    def take(self, kind: str) -> list[str]:
        keys = list(self.keys[kind])
        self.keys[kind] = {}
        return keys

    def resync_if_due(self, cluster) -> None:
        if self.later:
            due = [entry for entry in self.later if entry[0] < cluster.now]
            self.later = [entry for entry in self.later if entry[0] >= cluster.now]
            for _, kind, uid in due:
                self.add(kind, uid)
        if cluster.now < self.next_resync:
            return
        self.next_resync = cluster.now + RESYNC_SECONDS
        for kind in self.keys:
            for obj in cluster.store.list(kind):
                self.add(kind, obj["metadata"]["uid"])

    def to_state(self) -> dict:
        return {
            "keys": {kind: list(keys) for kind, keys in self.keys.items()},
            "nextResync": self.next_resync,
            "later": self.later,
        }

    @classmethod
    def from_state(cls, state: dict) -> "WorkQueues":
        queues = cls()
        queues.keys = {kind: dict.fromkeys(keys) for kind, keys in state["keys"].items()}
        queues.next_resync = state["nextResync"]
        queues.later = [list(entry) for entry in state.get("later", [])]
        return queues

"""Kubernetes Events (core/v1): what happened, to which object, said by which component.

Identical events (same object, component, type, reason and message) are
aggregated the way client-go's correlator does it: the existing Event gets
count + 1 and a new lastTimestamp instead of a second Event, and it is
re-emitted so viewers see the update.
"""

from .names import new_uid
from .store import clone
from .timestamps import rfc3339, seconds_since_epoch, unix_nanos

KEEP = 200
AGGREGATE_WITHIN = 600.0  # seconds; the correlator's window


def involved_object(obj: dict, field_path: str | None = None) -> dict:
    meta = obj["metadata"]
    ref = {
        "kind": obj["kind"],
        "namespace": meta.get("namespace", ""),
        "name": meta["name"],
        "uid": meta["uid"],
        "apiVersion": obj["apiVersion"],
    }
    if meta.get("resourceVersion"):
        ref["resourceVersion"] = meta["resourceVersion"]
    if field_path:
        ref["fieldPath"] = field_path
    return ref


class EventRecorder:
    def __init__(self) -> None:
        self.recent: list[dict] = []  # newest last, at most KEEP
        self.pending: list[dict] = []  # emitted since the last take()
        self.sequence = 0  # keeps Event names unique within one simulated nanosecond

    def record(
        self,
        cluster,
        obj: dict,
        type_: str,
        reason: str,
        message: str,
        component: str,
        *,
        host: str | None = None,
        field_path: str | None = None,
    ) -> dict:
        now = cluster.now
        ref = involved_object(obj, field_path)
        existing = self._find_same(ref, type_, reason, message, component, now)
        if existing is not None:
            existing["count"] += 1
            existing["lastTimestamp"] = rfc3339(now)
            self.recent.remove(existing)
            self.recent.append(existing)
            self.pending.append(clone(existing))
            return existing
        self.sequence += 1
        source = {"component": component}
        if host:
            source["host"] = host
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                # client-go names Events "<object>.<unix nanos in hex>".
                "name": f"{ref['name']}.{unix_nanos(now) + self.sequence:016x}",
                "namespace": ref["namespace"] or "default",
                "uid": new_uid(cluster.rng),
                "creationTimestamp": rfc3339(now),
            },
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "type": type_,
            "source": source,
            "reportingComponent": component,
            "reportingInstance": host or "",
            "firstTimestamp": rfc3339(now),
            "lastTimestamp": rfc3339(now),
            "count": 1,
        }
        self.recent.append(event)
        del self.recent[:-KEEP]
        self.pending.append(clone(event))
        return event

    def _find_same(self, ref, type_, reason, message, component, now) -> dict | None:
        for event in reversed(self.recent[-50:]):
            if (
                event["involvedObject"]["uid"] == ref["uid"]
                and event["involvedObject"].get("fieldPath") == ref.get("fieldPath")
                and event["reason"] == reason
                and event["message"] == message
                and event["type"] == type_
                and event["source"]["component"] == component
                and now - seconds_since_epoch(event["lastTimestamp"]) <= AGGREGATE_WITHIN
            ):
                return event
        return None

    def take(self) -> list[dict]:
        pending, self.pending = self.pending, []
        return pending

    def to_state(self) -> dict:
        return {"recent": self.recent, "sequence": self.sequence}

    @classmethod
    def from_state(cls, state: dict) -> "EventRecorder":
        recorder = cls()
        recorder.recent = state["recent"]
        recorder.sequence = state["sequence"]
        return recorder

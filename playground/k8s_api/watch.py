"""watch=true: a stream of newline-separated {"type", "object"} events.

Three starts, as the API server has them:
- resourceVersion R given (kubectl get -w after its list): replay the journal after R,
  then follow; 410 Expired (as an ERROR event) when the journal no longer reaches back to R;
- no resourceVersion or "0" (the Python client's watch.stream): ADDED for every current
  match, then follow;
- sendInitialEvents=true (client-go's WatchList, used by rollout status and delete's wait):
  ADDED for every match, then a BOOKMARK annotated k8s.io/initial-events-end, then follow.
  Without that bookmark kubectl waits forever.
Follows end after timeoutSeconds (default 30 minutes) or when the client goes away."""

import asyncio
import time

import orjson
from asgiref.sync import sync_to_async

from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.selectors import fields_match, labels_match, parse_fields, parse_labels

from . import history
from .reads import current_rv, list_kind, load
from .status import ApiError, status_body
from .tables import table
from .timeshift import offset_for, shift

DEFAULT_TIMEOUT = 1800
MAX_TIMEOUT = 3600


class WatchStart:
    """What a watch needs before it streams: the initial events and where to follow from."""

    def __init__(self, target, params, as_table: bool):
        self.target = target
        self.params = params
        self.as_table = as_table
        try:
            self.labels = parse_labels(params.get("labelSelector", ""))
            self.fields = parse_fields(params.get("fieldSelector", ""), target.entry["kind"])
        except ManifestError as exc:
            raise ApiError(exc.code, exc.reason, exc.message) from exc
        rv = params.get("resourceVersion", "")
        if rv and not rv.isdigit():
            raise ApiError(400, "BadRequest", f'invalid resource version "{rv}"')
        self.requested_rv = int(rv) if rv else 0
        self.send_initial = params.get("sendInitialEvents") == "true" or not self.requested_rv
        self.bookmark = params.get("sendInitialEvents") == "true"
        timeout = params.get("timeoutSeconds", "")
        self.timeout = min(int(timeout), MAX_TIMEOUT) if timeout.isdigit() else DEFAULT_TIMEOUT
        self.initial: list[dict] = []
        self.known: dict[str, None] = {}  # uids matching the selectors at state_rv
        self.state_rv = 0
        self.now = 0.0
        self.speed = 0.0

    def load(self, playground_id: str) -> None:
        playground, cluster = load(playground_id)
        self.state_rv = int(current_rv(cluster))
        self.now = cluster.now
        self.speed = 0.0 if playground.paused else playground.speed
        current = list_kind(self.target, cluster, self.params)
        self.known = {obj["metadata"].get("uid", ""): None for obj in current}
        if self.send_initial:
            self.initial = current

    def in_scope(self, obj: dict) -> bool:
        entry = self.target.entry
        if obj.get("kind") != entry["kind"]:
            return False
        namespace = obj.get("metadata", {}).get("namespace", "default")
        return not (
            entry["namespaced"] and self.target.namespace and namespace != self.target.namespace
        )

    def selected(self, obj: dict) -> bool:
        if self.labels and not labels_match(obj["metadata"].get("labels"), self.labels):
            return False
        return not (self.fields and not fields_match(obj, self.fields))

    def event_for(self, item: dict) -> str | None:
        """The event a watcher sees for a journal entry, or None. As the API server does,
        an object that starts matching the selectors is ADDED and one that stops is DELETED
        (tracked from state_rv on; older entries replayed are filtered as they are)."""
        obj, change = item["object"], item["type"]
        if not self.in_scope(obj):
            return None
        selected = self.selected(obj)
        if item["rv"] <= self.state_rv or not (self.labels or self.fields):
            return change if selected else None
        uid = obj["metadata"].get("uid", "")
        was = uid in self.known
        if change == "DELETED" or not selected:
            self.known.pop(uid, None)
            return "DELETED" if was or (selected and change == "DELETED") else None
        self.known[uid] = None
        return "ADDED" if not was else change


def _line(event_type: str, obj: dict) -> bytes:
    return orjson.dumps({"type": event_type, "object": obj}) + b"\n"


async def stream(playground_id: str, start: WatchStart):
    """The async generator behind the StreamingHttpResponse."""
    client = history.async_client()
    entry = start.target.entry
    began = time.monotonic()
    deadline = began + start.timeout
    first_table = True

    def shown(obj: dict) -> dict:
        nonlocal first_table
        # The simulated now, estimated from the pace at the start (for AGE and timestamps).
        now = start.now + (time.monotonic() - began) * start.speed
        if not start.as_table:
            return shift(obj, offset_for(now, playground_id))
        body = table(
            entry["kind"],
            [obj],
            now,
            obj["metadata"].get("resourceVersion", ""),
            headers=first_table,
        )
        first_table = False
        return shift(body, offset_for(now, playground_id))

    if start.send_initial:
        follow_from = start.state_rv
        for obj in start.initial:
            yield _line("ADDED", shown(obj))
        if start.bookmark:
            yield _line(
                "BOOKMARK",
                {
                    "kind": entry["kind"],
                    "apiVersion": entry["apiVersion"],
                    "metadata": {
                        "resourceVersion": str(start.state_rv),
                        "annotations": {"k8s.io/initial-events-end": "true"},
                    },
                },
            )
    else:
        follow_from = start.requested_rv
        if follow_from < start.state_rv:
            oldest = await history.oldest(client, playground_id)
            if oldest is None or oldest > follow_from + 1:
                message = f"too old resource version: {follow_from} ({start.state_rv})"
                yield _line("ERROR", status_body(410, "Expired", message))
                return
    while time.monotonic() < deadline:
        for item in await history.entries_after(client, playground_id, follow_from):
            follow_from = max(follow_from, item["rv"])
            change = start.event_for(item)
            if change:
                yield _line(change, shown(item["object"]))
        await asyncio.sleep(min(history.POLL, max(0.0, deadline - time.monotonic())))


async def prepare(playground_id: str, start: WatchStart) -> None:
    await sync_to_async(start.load)(playground_id)

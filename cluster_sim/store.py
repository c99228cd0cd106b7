"""The API server's storage: objects by (kind, namespace, name), resourceVersion, a journal.

Every write bumps one cluster-wide resourceVersion, stamps it on the object and
appends a full copy to the journal (ADDED / MODIFIED / DELETED), which is what
the browser's deltas are made from. Listeners hear about every write so the
controllers can keep their work queues ("dirty sets") without rescanning.

Collections whose order matters are plain dicts (insertion ordered) and never
sets, whose iteration order depends on string hashing and would break
determinism between processes.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"
CLUSTER_SCOPED = frozenset({"Node", "PriorityClass"})


def clone(value):
    """Deep copy of JSON-shaped data; a pickle round trip is several times faster than
    copy.deepcopy or a recursive copy in Python."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def controller_uid(obj: dict) -> str | None:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref["uid"]
    return None


Listener = Callable[[str, dict, dict | None], None]


class Store:
    def __init__(self) -> None:
        self.resource_version = 0
        self._kinds: dict[str, dict[tuple[str, str], dict]] = {}
        self._by_uid: dict[str, dict] = {}
        self._owned: dict[str, dict[str, None]] = {}  # owner uid -> {uid: None}
        self._pods_by_node: dict[str, dict[str, None]] = {}  # node name -> {pod uid: None}
        self.journal: list[dict] = []
        self.listeners: list[Listener] = []

    # Reading

    def get(self, kind: str, name: str, namespace: str = "default") -> dict | None:
        namespace = "" if kind in CLUSTER_SCOPED else namespace
        return self._kinds.get(kind, {}).get((namespace, name))

    def by_uid(self, uid: str) -> dict | None:
        return self._by_uid.get(uid)

    def list(self, kind: str) -> list[dict]:
        return list(self._kinds.get(kind, {}).values())

    def all(self) -> Iterator[dict]:
        for objects in self._kinds.values():
            yield from objects.values()

    def owned_by(self, owner_uid: str, kind: str | None = None) -> list[dict]:
        """Objects whose controller ownerReference points at owner_uid, oldest first."""
        found = (self._by_uid[uid] for uid in self._owned.get(owner_uid, ()))
        return [obj for obj in found if kind is None or obj["kind"] == kind]

    def pods_on_node(self, node_name: str) -> list[dict]:
        return [self._by_uid[uid] for uid in self._pods_by_node.get(node_name, ())]

    # Writing

    def create(self, obj: dict) -> dict:
        meta = obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        objects = self._kinds.setdefault(obj["kind"], {})
        if key in objects:
            raise KeyError(f"{obj['kind']} {key[1]!r} already exists")
        objects[key] = obj
        self._by_uid[meta["uid"]] = obj
        owner = controller_uid(obj)
        if owner:
            self._owned.setdefault(owner, {})[meta["uid"]] = None
        self._index_node(obj, None)
        self._write(ADDED, obj, None)
        return obj

    @contextmanager
    def edit(self, obj: dict) -> Iterator[dict]:
        """Change obj in place inside the block; written only if something changed."""
        before = clone(obj)
        yield obj
        if obj != before:
            self._index_node(obj, before)
            self._write(MODIFIED, obj, before)

    def delete(self, obj: dict) -> None:
        meta = obj["metadata"]
        del self._kinds[obj["kind"]][(meta.get("namespace", ""), meta["name"])]
        del self._by_uid[meta["uid"]]
        owner = controller_uid(obj)
        if owner:
            self._owned.get(owner, {}).pop(meta["uid"], None)
        self._owned.pop(meta["uid"], None)
        node = obj.get("spec", {}).get("nodeName") if obj["kind"] == "Pod" else None
        if node:
            self._pods_by_node.get(node, {}).pop(meta["uid"], None)
        self._write(DELETED, obj, obj)

    def take_journal(self) -> list[dict]:
        journal, self.journal = self.journal, []
        return journal

    # Internals

    def _index_node(self, obj: dict, before: dict | None) -> None:
        if obj["kind"] != "Pod":
            return
        old = (before or {}).get("spec", {}).get("nodeName")
        new = obj["spec"].get("nodeName")
        if old == new:
            return
        uid = obj["metadata"]["uid"]
        if old:
            self._pods_by_node.get(old, {}).pop(uid, None)
        if new:
            self._pods_by_node.setdefault(new, {})[uid] = None

    def _write(self, kind_of_change: str, obj: dict, before: dict | None) -> None:
        self.resource_version += 1
        obj["metadata"]["resourceVersion"] = str(self.resource_version)
        self.journal.append({"type": kind_of_change, "object": clone(obj)})
        for listener in self.listeners:
            listener(kind_of_change, obj, before)

    # Persistence: objects are re-created in their original order, indexes rebuilt.

    def restore(self, objects: list[dict], resource_version: int) -> None:
        for obj in objects:
            meta = obj["metadata"]
            key = (meta.get("namespace", ""), meta["name"])
            self._kinds.setdefault(obj["kind"], {})[key] = obj
            self._by_uid[meta["uid"]] = obj
            owner = controller_uid(obj)
            if owner:
                self._owned.setdefault(owner, {})[meta["uid"]] = None
            self._index_node(obj, None)
        self.resource_version = resource_version

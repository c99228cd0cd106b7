"""The store: resourceVersion, journal and indexes."""

import pytest

from cluster_sim.store import Store


def pod(name, uid, node=None, owner=None):
    meta = {"name": name, "namespace": "default", "uid": uid}
    if owner:
        meta["ownerReferences"] = [{"uid": owner, "controller": True}]
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": meta,
        "spec": {"nodeName": node},
        "status": {},
    }


def test_every_write_bumps_one_cluster_wide_resource_version():
    store = Store()
    a = store.create(pod("a", "u1"))
    b = store.create(pod("b", "u2"))
    assert (a["metadata"]["resourceVersion"], b["metadata"]["resourceVersion"]) == ("1", "2")
    with store.edit(a):
        a["status"]["phase"] = "Running"
    assert a["metadata"]["resourceVersion"] == "3"
    store.delete(b)
    assert store.resource_version == 4


def test_an_edit_that_changes_nothing_is_not_a_write():
    store = Store()
    a = store.create(pod("a", "u1"))
    with store.edit(a):
        a["status"] = {}
    assert store.resource_version == 1
    assert len(store.take_journal()) == 1


def test_the_journal_holds_full_copies_in_order():
    store = Store()
    a = store.create(pod("a", "u1"))
    with store.edit(a):
        a["status"]["phase"] = "Running"
    store.delete(a)
    journal = store.take_journal()
    assert [entry["type"] for entry in journal] == ["ADDED", "MODIFIED", "DELETED"]
    assert "phase" not in journal[0]["object"]["status"]
    assert journal[1]["object"]["status"]["phase"] == "Running"
    assert journal[2]["object"]["metadata"]["resourceVersion"] == "3"
    assert store.take_journal() == []


def test_it_indexes_pods_by_node_and_by_owner():
    store = Store()
    a = store.create(pod("a", "u1", owner="rs1"))
    store.create(pod("b", "u2", node="ship-1", owner="rs1"))
    assert [p["metadata"]["name"] for p in store.owned_by("rs1")] == ["a", "b"]
    assert [p["metadata"]["name"] for p in store.pods_on_node("ship-1")] == ["b"]
    with store.edit(a):
        a["spec"]["nodeName"] = "ship-1"
    assert [p["metadata"]["name"] for p in store.pods_on_node("ship-1")] == ["b", "a"]
    store.delete(a)
    assert [p["metadata"]["name"] for p in store.pods_on_node("ship-1")] == ["b"]
    assert [p["metadata"]["name"] for p in store.owned_by("rs1")] == ["b"]


def test_names_are_unique_per_kind():
    store = Store()
    store.create(pod("a", "u1"))
    with pytest.raises(KeyError):
        store.create(pod("a", "u2"))


def test_listeners_hear_every_write_with_the_previous_object():
    store = Store()
    heard = []
    store.listeners.append(
        lambda change, obj, before: heard.append((change, before and before["spec"]))
    )
    a = store.create(pod("a", "u1"))
    with store.edit(a):
        a["spec"]["nodeName"] = "ship-1"
    assert heard == [("ADDED", None), ("MODIFIED", {"nodeName": None})]

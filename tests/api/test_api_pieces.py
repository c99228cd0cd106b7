"""Fast checks of the API's pure parts (no live stack): timestamps moved to the wall clock
and back, resource paths, discovery and the synthetic OpenAPI kubectl's validator reads."""

import pytest

from cluster_sim.manifests import KINDS
from cluster_sim.timestamps import EPOCH_UNIX
from playground.k8s_api import discovery, openapi
from playground.k8s_api.paths import parse_resource_path
from playground.k8s_api.status import ApiError
from playground.k8s_api.timeshift import offset_for, shift
from playground.k8s_api.watch import WatchStart


def test_timestamps_move_by_one_offset_but_annotations_stay():
    # Simulated second 100 is now on the wall clock: 2026-01-01T00:01:40Z + offset.
    offset = offset_for(100.0, wall_now=EPOCH_UNIX + 100 + 3600)
    assert offset == 3600
    pod = {
        "metadata": {
            "creationTimestamp": "2026-01-01T00:01:40Z",
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"},
        },
        "status": {
            "containerStatuses": [{"state": {"running": {"startedAt": "2026-01-01T00:01:00Z"}}}]
        },
        "data": {"whenTime": "2026-01-01T00:00:00Z"},
    }
    shift(pod, offset)
    assert pod["metadata"]["creationTimestamp"] == "2026-01-01T01:01:40Z"
    assert pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] == (
        "2026-01-01T01:01:00Z"
    )
    assert pod["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == (
        "2026-01-01T00:00:00Z"
    )
    assert pod["data"]["whenTime"] == "2026-01-01T00:00:00Z"
    shift(pod, -offset)
    assert pod["metadata"]["creationTimestamp"] == "2026-01-01T00:01:40Z"
    lease = {"spec": {"renewTime": "2026-01-01T00:00:05.250000Z"}}
    assert shift(lease, 60)["spec"]["renewTime"] == "2026-01-01T00:01:05.250000Z"


def test_resource_paths():
    pods = parse_resource_path(["api", "v1", "namespaces", "default", "pods", "web-1", "log"])
    assert (pods.entry["kind"], pods.namespace, pods.name, pods.subresource) == (
        "Pod",
        "default",
        "web-1",
        "log",
    )
    every = parse_resource_path(["apis", "apps", "v1", "deployments"])
    assert (every.entry["kind"], every.namespace, every.name) == ("Deployment", None, None)
    node = parse_resource_path(["api", "v1", "nodes", "ship-1"])
    assert (node.entry["kind"], node.name) == ("Node", "ship-1")
    for wrong in ("api/v1/namespaces/default/nodes", "apis/apps/v1/pods", "api/v1/pods/x"):
        with pytest.raises(ApiError) as refused:
            parse_resource_path(wrong.split("/"))
        assert refused.value.code == 404


def test_discovery_lists_every_kind_with_short_names_and_categories():
    listed = {}
    for group, version in discovery.group_versions():
        for resource in discovery.resource_list(group, version)["resources"]:
            listed[resource["name"]] = resource
    assert {e["plural"] for e in KINDS.values()} <= set(listed)
    assert listed["pods"]["shortNames"] == ["po"]
    assert listed["deployments"]["categories"] == ["all"]
    assert listed["deployments/scale"]["group"] == "autoscaling"
    assert listed["pods/eviction"]["kind"] == "Eviction"
    assert discovery.group_versions()[0] == ("", "v1")
    assert "apps" in [g["name"] for g in discovery.api_group_list()["groups"]]


def test_openapi_offers_field_validation_on_patch_for_writable_kinds():
    root = openapi.root_document()["paths"]
    assert root["apis/apps/v1"]["serverRelativeURL"].startswith("/openapi/v3/apis/apps/v1?hash=")
    document = openapi.gv_document("apps", "v1")
    operation = document["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    patch = operation["patch"]
    assert patch["x-kubernetes-group-version-kind"]["kind"] == "Deployment"
    assert patch["parameters"][0]["name"] == "fieldValidation"
    core = openapi.gv_document("", "v1")["paths"]
    assert "/api/v1/nodes/{name}" in core
    assert not [path for path in core if "/events/" in path]  # read-only kinds


def test_the_offset_holds_steady_between_ticks_and_moves_after_a_pause():
    wall = EPOCH_UNIX + 1000.0
    assert offset_for(10.0, "steady", wall_now=wall) == 990
    # Half a second of wall time before the next tick: the same offset, no jitter.
    assert offset_for(10.0, "steady", wall_now=wall + 1.4) == 990
    assert offset_for(11.0, "steady", wall_now=wall + 1.6) == 990
    # Paused for a minute: simulated time stood still, so the offset moves on.
    assert offset_for(11.0, "steady", wall_now=wall + 61.0) == 1050


def test_a_watch_with_a_selector_sees_objects_come_and_go():
    target = parse_resource_path(["api", "v1", "namespaces", "default", "pods"])
    start = WatchStart(target, {"labelSelector": "app=web", "resourceVersion": "5"}, False)
    start.state_rv, start.known = 10, {"p1": None}

    def pod(uid: str, app: str) -> dict:
        meta = {"name": uid, "namespace": "default", "uid": uid, "labels": {"app": app}}
        return {"kind": "Pod", "metadata": meta}

    journal = [
        (6, "ADDED", pod("p3", "web"), "ADDED"),  # replayed from before the load: as it is
        (7, "MODIFIED", pod("p4", "db"), None),
        (11, "MODIFIED", pod("p1", "web"), "MODIFIED"),
        (12, "MODIFIED", pod("p1", "db"), "DELETED"),  # relabelled away: gone for this watch
        (13, "MODIFIED", pod("p1", "web"), "ADDED"),  # and back
        (14, "MODIFIED", pod("p2", "db"), None),
        (15, "DELETED", pod("p1", "web"), "DELETED"),
        (16, "ADDED", {**pod("n1", "web"), "kind": "Node"}, None),
    ]
    seen = [start.event_for({"rv": rv, "type": t, "object": o}) for rv, t, o, _ in journal]
    assert seen == [expected for *_, expected in journal]

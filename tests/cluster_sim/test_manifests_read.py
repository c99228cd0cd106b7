"""get/list with label and field selectors, the kinds registry, and DELETE."""

import pytest

from cluster_sim import Cluster
from cluster_sim.manifests import KINDS, ManifestError, kind_for
from cluster_sim.manifests.delete import delete_object
from cluster_sim.manifests.read import get_object, list_objects


@pytest.fixture
def cluster():
    return Cluster.demo(seed=7, config=False, traffic=False)


def test_kind_lookup_by_every_name():
    for name in ("Deployment", "deployments", "deployment", "deploy", "deployments.apps"):
        assert kind_for(name)["kind"] == "Deployment"
    assert kind_for("hpa")["apiVersion"] == "autoscaling/v2"
    assert kind_for("po")["plural"] == "pods"
    assert kind_for("deployments.batch") is None
    assert kind_for("foo") is None
    assert [k for k, e in KINDS.items() if "all" in e["categories"]] == [
        "Pod",
        "Service",
        "Deployment",
        "ReplicaSet",
        "HorizontalPodAutoscaler",
    ]
    assert not KINDS["Event"]["writable"]
    assert KINDS["Node"]["namespaced"] is False


def test_label_selectors(cluster):
    def names(sel):
        return {
            p["metadata"]["name"].split("-")[0]
            for p in list_objects(cluster, "Pod", label_selector=sel)
        }

    assert names("app=web") == {"web"}
    assert names("app==api") == {"api"}
    assert names("app!=web") == {"api"}
    assert names("app in (web, api)") == {"web", "api"}
    assert names("app notin (web)") == {"api"}
    assert names("app") == {"web", "api"}
    assert names("!app") == set()
    assert names("app=web,pod-template-hash") == {"web"}
    with pytest.raises(ManifestError) as error:
        list_objects(cluster, "Pod", label_selector="app=(")
    assert error.value.code == 400


def test_field_selectors(cluster):
    pod = list_objects(cluster, "Pod")[0]
    node = pod["spec"]["nodeName"]
    on_node = list_objects(cluster, "Pod", field_selector=f"spec.nodeName={node}")
    assert {p["spec"]["nodeName"] for p in on_node} == {node}
    assert len(list_objects(cluster, "Pod", field_selector="status.phase=Running")) == 9
    named = list_objects(cluster, "Pod", field_selector=f"metadata.name={pod['metadata']['name']}")
    assert [p["metadata"]["uid"] for p in named] == [pod["metadata"]["uid"]]
    web = get_object(cluster, "Deployment", "web")
    events = list_objects(
        cluster,
        "Event",
        field_selector=(
            "involvedObject.kind=Deployment,involvedObject.name=web,"
            f"involvedObject.uid={web['metadata']['uid']},involvedObject.namespace=default"
        ),
    )
    assert [e["reason"] for e in events] == ["ScalingReplicaSet"]
    with pytest.raises(ManifestError) as error:
        list_objects(cluster, "Deployment", field_selector="spec.replicas=3")
    assert error.value.message == "field label not supported: spec.replicas"


def test_namespaces_and_scopes(cluster):
    assert [n["metadata"]["name"] for n in list_objects(cluster, "Namespace")] == [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
    ]
    assert get_object(cluster, "Namespace", "default")["status"] == {"phase": "Active"}
    assert len(list_objects(cluster, "Lease", namespace="kube-node-lease")) == 3
    assert list_objects(cluster, "Lease", namespace="default") == []
    assert len(list_objects(cluster, "Node", namespace="default")) == 3  # cluster-scoped
    assert get_object(cluster, "Deployment", "web", "other") is None
    with pytest.raises(ManifestError) as error:
        list_objects(cluster, "foos")
    assert error.value.message == "the server could not find the requested resource"


def test_a_returned_object_is_a_copy(cluster):
    got = get_object(cluster, "Deployment", "web")
    got["spec"]["replicas"] = 99
    assert get_object(cluster, "Deployment", "web")["spec"]["replicas"] == 6


def test_deleting_a_pod_is_graceful(cluster):
    pod = list_objects(cluster, "Pod", label_selector="app=web")[0]
    answered = delete_object(cluster, "pods", pod["metadata"]["name"])
    assert answered["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:40Z"
    assert answered["metadata"]["deletionGracePeriodSeconds"] == 30


def test_deleting_a_pod_with_grace_zero_removes_it(cluster):
    pod = list_objects(cluster, "Pod", label_selector="app=web")[0]["metadata"]["name"]
    delete_object(cluster, "Pod", pod, "default", grace_period=0)
    assert get_object(cluster, "Pod", pod) is None


def test_deleting_a_deployment_collects_its_replica_sets_and_pods(cluster):
    assert cluster.apply({"action": "delete_object", "kind": "deploy", "name": "api"}) == (
        'deployment.apps "api" deleted'
    )
    assert list_objects(cluster, "ReplicaSet", label_selector="app=api") == []
    pods = list_objects(cluster, "Pod", label_selector="app=api")
    assert pods
    assert all(p["metadata"].get("deletionTimestamp") for p in pods)
    cluster.step(35)
    assert list_objects(cluster, "Pod", label_selector="app=api") == []
    assert len(list_objects(cluster, "Pod", label_selector="app=web")) == 6


def test_deleting_what_is_not_there(cluster):
    before = cluster.to_state()
    with pytest.raises(ManifestError) as error:
        delete_object(cluster, "services", "nope")
    assert (error.value.code, error.value.message) == (404, 'services "nope" not found')
    with pytest.raises(ManifestError) as error:
        delete_object(cluster, "events", "x")
    assert error.value.code == 403
    assert cluster.to_state() == before


def test_deleting_other_kinds_uses_their_actions(cluster):
    cluster.apply({"action": "create_configmap", "name": "cfg", "data": {"a": "1"}})
    cluster.apply({"action": "create_service", "name": "web", "deployment": "web"})
    for kind, name, line in (
        ("cm", "cfg", 'configmap "cfg" deleted'),
        ("svc", "web", 'service "web" deleted'),
        ("pc", "low-priority", 'priorityclass.scheduling.k8s.io "low-priority" deleted'),
        ("no", "ship-3", 'node "ship-3" deleted'),
    ):
        assert cluster.apply({"action": "delete_object", "kind": kind, "name": name}) == line
    assert get_object(cluster, "ConfigMap", "cfg") is None
    assert list_objects(cluster, "EndpointSlice") == []
    cluster.step(60)
    assert [n["metadata"]["name"] for n in list_objects(cluster, "Node")] == ["ship-1", "ship-2"]

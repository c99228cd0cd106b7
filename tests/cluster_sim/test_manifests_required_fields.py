"""Every object the engine serves decodes with the official Python client's strict models
(kubernetes 37.x rejects a missing required field such as containerStatuses[].imageID)."""

import json

import pytest

from cluster_sim import Cluster
from cluster_sim.manifests.apply import apply_documents
from cluster_sim.manifests.read import list_objects
from cluster_sim.manifests.scale import get_scale

from . import manifest_docs as docs

kubernetes = pytest.importorskip("kubernetes")

MODELS = {
    "Pod": "V1Pod",
    "ReplicaSet": "V1ReplicaSet",
    "Deployment": "V1Deployment",
    "Service": "V1Service",
    "Node": "V1Node",
    "ConfigMap": "V1ConfigMap",
    "Secret": "V1Secret",
    "HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
    "PodDisruptionBudget": "V1PodDisruptionBudget",
    "PriorityClass": "V1PriorityClass",
    "EndpointSlice": "V1EndpointSlice",
    "Lease": "V1Lease",
    "Event": "CoreV1Event",
    "Namespace": "V1Namespace",
}


def busy_cluster() -> Cluster:
    """A demo cluster that has been through crashes, failed pulls, a sunk ship and more."""
    cluster = Cluster.demo(seed=5, config=False, traffic=False)
    for action in (
        {"action": "create_service", "name": "web", "deployment": "web", "type": "NodePort"},
        {"action": "create_hpa", "deployment": "web", "maxReplicas": 8, "cpuPercent": 50},
        {"action": "create_pdb", "deployment": "api", "minAvailable": 2},
        {"action": "create_configmap", "name": "cfg", "data": {"a": "1"}},
        {"action": "create_secret", "name": "creds", "stringData": {"password": "x"}},
        {"action": "set_image", "deployment": "api", "image": "ghcr.io/example/crashy:1"},
        {"action": "set_probe", "deployment": "web", "probe": "readiness", "enabled": True},
    ):
        cluster.apply(action)
    # Objects made from manifests too: a bare pod, an autoscaler, a budget, a class.
    apply_documents(
        cluster,
        [
            docs.pod("lone"),
            docs.hpa("api-scaler", target="api"),
            docs.pdb("web-pdb", "web"),
            docs.priority_class("batch"),
            docs.secret("tls-ish", {"token": "abc"}),
        ],
    )
    cluster.step(40)
    cluster.apply({"action": "sink_node", "name": "ship-1"})
    cluster.step(60)
    cluster.apply({"action": "set_image", "deployment": "web", "image": "nginx:doesnotexist"})
    cluster.step(30)
    return cluster


def test_every_object_decodes_with_the_python_clients_models():
    cluster = busy_cluster()
    client = kubernetes.client.ApiClient()
    seen = {}
    for kind, model in MODELS.items():
        for obj in list_objects(cluster, kind):
            decoded = client.deserialize(json.dumps(obj), model, "application/json")
            assert decoded.metadata.name == obj["metadata"]["name"]
            seen[kind] = seen.get(kind, 0) + 1
    # The scenario really produced each kind (so the check above was not vacuous).
    assert set(seen) == set(MODELS)
    scale = client.deserialize(json.dumps(get_scale(cluster, "web")), "V1Scale", "application/json")
    assert scale.spec.replicas >= 1


def test_container_statuses_carry_their_required_fields():
    cluster = busy_cluster()
    statuses = [
        status
        for pod in list_objects(cluster, "Pod")
        for status in pod["status"].get("containerStatuses") or ()
    ]
    assert statuses
    for status in statuses:
        assert isinstance(status["name"], str)
        assert isinstance(status["image"], str)
        assert isinstance(status["imageID"], str)
        assert isinstance(status["ready"], bool)
        assert isinstance(status["restartCount"], int)
    reasons = {
        (status["state"].get("waiting") or {}).get("reason")
        for status in statuses
        if "waiting" in status["state"]
    }
    assert reasons & {"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull"}


def test_nodes_report_their_machine_identities():
    cluster = Cluster.demo(seed=5, config=False, traffic=False)
    for node in list_objects(cluster, "Node"):
        info = node["status"]["nodeInfo"]
        for field in ("machineID", "systemUUID", "bootID", "kernelVersion", "osImage"):
            assert isinstance(info[field], str)
            assert info[field]

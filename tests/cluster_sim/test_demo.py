"""The starting cluster a new playground gets: every part of the story already on stage."""

import json

from cluster_sim import Cluster

from .conftest import get, objects_of, pods


def test_the_demo_starts_with_config_a_secret_and_a_service_with_traffic():
    cluster = Cluster.demo(seed=4)
    config = get(cluster, "ConfigMap", "web-config")
    assert config["data"]["LOG_LEVEL"] == "info"
    assert get(cluster, "Secret", "api-credentials")["type"] == "kubernetes.io/basic-auth"
    for pod in pods(cluster, "web-"):
        assert pod["status"]["phase"] == "Running"
        seen = json.loads(pod["metadata"]["annotations"]["playground.k8s/config-seen"])
        version = config["metadata"]["resourceVersion"]
        assert seen["configmap/web-config"] == {"env": version, "volume": version}
    traffic = json.loads(
        get(cluster, "Service", "web")["metadata"]["annotations"]["playground.k8s/traffic"]
    )
    assert traffic["rps"] == 30
    assert traffic["failed"] == 0
    assert traffic["errorRate"] == 0  # traffic starts once the pods are Ready
    assert len(traffic["served"]) == 6
    assert objects_of(cluster, "EndpointSlice")


def test_the_bare_demo_has_only_ships_and_deployments():
    cluster = Cluster.demo(seed=4, config=False, traffic=False)
    kinds = {obj["kind"] for obj in cluster.objects()}
    assert kinds == {"Node", "Lease", "PriorityClass", "Deployment", "ReplicaSet", "Pod"}

"""Helpers for engine tests: small views over a Cluster's objects."""

import pytest

from cluster_sim import Cluster


def objects_of(cluster, kind):
    return [obj for obj in cluster.objects() if obj["kind"] == kind]


def pods(cluster, prefix=""):
    return [pod for pod in objects_of(cluster, "Pod") if pod["metadata"]["name"].startswith(prefix)]


def get(cluster, kind, name):
    return next((obj for obj in objects_of(cluster, kind) if obj["metadata"]["name"] == name), None)


def replica_sets(cluster, deployment):
    return [
        rs
        for rs in objects_of(cluster, "ReplicaSet")
        if rs["metadata"]["ownerReferences"][0]["name"] == deployment
    ]


def terminating(pod):
    return bool(pod["metadata"].get("deletionTimestamp"))


def act(cluster, **action):
    """Apply an action the way the Django side does: apply, then a zero-time reconcile."""
    message = cluster.apply(action)
    cluster.reconcile()
    return message


def reasons(events, reason):
    return [event for event in events if event["reason"] == reason]


@pytest.fixture
def demo():
    """The demo's ships and Deployments alone: no ConfigMap, Secret or traffic to stir it."""
    cluster = Cluster.demo(seed=7, config=False, traffic=False)
    cluster.take_changes()
    return cluster


@pytest.fixture
def empty():
    return Cluster.empty(seed=7)


def add_deployment(cluster, name="web", replicas=1, cpu="250m", memory="128Mi", image="nginx:1.27"):
    from cluster_sim.objects import new_deployment

    deployment = new_deployment(
        cluster, name, image=image, container_name=name, cpu=cpu, memory=memory, replicas=replicas
    )
    cluster.store.create(deployment)
    cluster.reconcile()
    return deployment


def cluster_with(*sizes, seed=7):
    cluster = Cluster.empty(seed=seed)
    for size in sizes:
        cluster.nodes.add(cluster, size)
    return cluster


def cordon(cluster, name):
    """kubectl cordon (not a playground action): mark the node unschedulable."""
    node = cluster.store.get("Node", name)
    with cluster.store.edit(node):
        node["spec"]["unschedulable"] = True

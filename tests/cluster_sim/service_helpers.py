"""Helpers for the Service, traffic and metrics tests: a small cluster with a web Service."""

import json

from cluster_sim.traffic import ANNOTATION
from tests.cluster_sim.conftest import act, add_deployment, cluster_with


def served_cluster(replicas=3, seed=7, sizes=("large",), **service):
    """A settled `web` Deployment (nginx, no probes) and a `web` Service in front of it."""
    cluster = cluster_with(*sizes, seed=seed)
    add_deployment(cluster, replicas=replicas)
    cluster.step(10)
    act(cluster, action="create_service", name="web", deployment="web", **service)
    return cluster


def traffic(cluster, service="web"):
    """The traffic model's annotation on the Service, parsed."""
    found = cluster.store.get("Service", service)
    return json.loads(found["metadata"]["annotations"][ANNOTATION])


def slices(cluster, service="web"):
    return [
        s
        for s in cluster.objects()
        if s["kind"] == "EndpointSlice"
        and s["metadata"]["labels"]["kubernetes.io/service-name"] == service
    ]


def endpoints(cluster, service="web"):
    """targetRef name -> conditions over every slice of the Service."""
    return {
        e["targetRef"]["name"]: e["conditions"]
        for s in slices(cluster, service)
        for e in s["endpoints"]
    }


def cpu(cluster, pod_name):
    """The pod's first container's CPU usage in millicores from its PodMetrics."""
    metrics = cluster.store.get("PodMetrics", pod_name)
    return int(metrics["containers"][0]["usage"]["cpu"][:-1])

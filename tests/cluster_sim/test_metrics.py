"""PodMetrics every 15 s: CPU usage = base + perRequest x requests/s, capped at the limit."""

import json
import re

import pytest

from cluster_sim import ActionError
from cluster_sim.metrics import CPU_MODEL_ANNOTATION
from tests.cluster_sim.conftest import act, pods
from tests.cluster_sim.service_helpers import cpu, served_cluster


def names(cluster):
    return [p["metadata"]["name"] for p in pods(cluster)]


def test_pod_metrics_appear_every_15_seconds_in_the_metrics_api_shape():
    cluster = served_cluster(replicas=2)  # now = 10
    assert cluster.store.list("PodMetrics") == []
    cluster.step(4.5)
    assert cluster.store.list("PodMetrics") == []
    cluster.step(0.5)
    metrics = cluster.store.get("PodMetrics", names(cluster)[0])
    assert metrics["apiVersion"] == "metrics.k8s.io/v1beta1"
    assert metrics["timestamp"] == "2026-01-01T00:00:15Z"
    assert metrics["window"] == "15s"
    assert metrics["metadata"]["labels"]["app"] == "web"
    assert metrics["containers"] == [{"name": "web", "usage": {"cpu": "5m", "memory": "49152Ki"}}]
    cluster.step(14)
    assert cluster.store.get("PodMetrics", names(cluster)[0])["timestamp"] == (
        "2026-01-01T00:00:15Z"
    )
    cluster.step(1)
    assert cluster.store.get("PodMetrics", names(cluster)[0])["timestamp"] == (
        "2026-01-01T00:00:30Z"
    )


def test_cpu_follows_the_traffic_each_pod_served():
    cluster = served_cluster(replicas=3)
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=30)
    cluster.step(20)  # the scrape at 30 s covers 16..30: 10 requests/s per pod
    assert [cpu(cluster, name) for name in names(cluster)] == [205, 205, 205]  # 5 + 20 x 10
    act(cluster, action="set_traffic", service="web", rps=0)
    cluster.step(15)
    assert [cpu(cluster, name) for name in names(cluster)] == [5, 5, 5]  # no traffic: the base


def test_set_cpu_model_changes_the_usage_without_a_rollout():
    cluster = served_cluster(replicas=2)
    before = cluster.store.get("Deployment", "web")["metadata"]["generation"]
    message = act(cluster, action="set_cpu_model", deployment="web", perRequest="50m", base="10m")
    assert message == "deployment.apps/web annotated"
    deployment = cluster.store.get("Deployment", "web")
    assert deployment["metadata"]["generation"] == before
    assert json.loads(deployment["metadata"]["annotations"][CPU_MODEL_ANNOTATION]) == {
        "perRequest": "50m",
        "base": "10m",
    }
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=10)
    cluster.step(20)
    assert [cpu(cluster, name) for name in names(cluster)] == [260, 260]  # 10 + 50 x 5
    act(cluster, action="set_traffic", service="web", rps=9)
    cluster.step(15)  # 135 requests in 15 s: 67 and 68
    assert sorted(cpu(cluster, name) for name in names(cluster)) == [233, 237]


def test_cpu_usage_never_goes_above_the_container_limit():
    cluster = served_cluster(replicas=2)
    deployment = cluster.store.get("Deployment", "web")
    with cluster.store.edit(deployment):
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        container["resources"]["limits"] = {"cpu": "300m", "memory": "256Mi"}
        deployment["metadata"]["generation"] += 1
    cluster.step(40)  # rolled out
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=100)
    cluster.step(30)
    assert [cpu(cluster, name) for name in names(cluster)] == [300, 300]  # 5 + 20 x 50 capped
    act(cluster, action="set_traffic", service="web", rps=20)
    cluster.step(25)  # a whole window at the new rate
    assert [cpu(cluster, name) for name in names(cluster)] == [205, 205]


def test_without_a_limit_a_pod_cannot_use_more_than_its_node():
    cluster = served_cluster(replicas=1, sizes=("small",))
    act(cluster, action="set_traffic", service="web", rps=1000)
    cluster.step(30)
    assert cpu(cluster, names(cluster)[0]) == 2000  # a small ship has 2 CPUs


def test_a_pod_that_started_during_the_window_is_averaged_over_its_own_running_time():
    cluster = served_cluster(replicas=1)
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=10)
    cluster.step(15)  # now 25
    act(cluster, action="scale", deployment="web", replicas=2)
    cluster.step(5)  # scrape at 30
    first, second = names(cluster)
    assert cpu(cluster, first) > cpu(cluster, second) > 5
    assert cpu(cluster, second) == pytest.approx(5 + 20 * 5, abs=30)


def test_pod_metrics_go_with_the_pod():
    cluster = served_cluster(replicas=2)
    cluster.step(5)
    victim = names(cluster)[0]
    assert cluster.store.get("PodMetrics", victim) is not None
    act(cluster, action="delete_pod", name=victim)
    cluster.step(29)
    assert cluster.store.get("PodMetrics", victim) is not None  # still running while terminating
    cluster.step(1)
    assert victim not in names(cluster)
    assert cluster.store.get("PodMetrics", victim) is None
    assert len(cluster.store.list("PodMetrics")) == 2  # the replacement's


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"deployment": "nope", "perRequest": "20m", "base": "5m"}, 'deployments.apps "nope"'),
        ({"deployment": "web", "perRequest": "lots", "base": "5m"}, "perRequest must be a CPU"),
        ({"deployment": "web", "perRequest": 20, "base": "5m"}, "perRequest must be a CPU"),
        ({"deployment": "web", "perRequest": "20m", "base": "-5m"}, "base must be a CPU"),
        ({"deployment": "web", "perRequest": "11", "base": "5m"}, 'from "0m" to "10000m"'),
    ],
)
def test_bad_cpu_models_are_refused_and_change_nothing(args, message):
    cluster = served_cluster(replicas=1)
    before = json.dumps(cluster.to_state(), sort_keys=True)
    with pytest.raises(ActionError, match=re.escape(message)):
        cluster.apply({"action": "set_cpu_model", **args})
    assert json.dumps(cluster.to_state(), sort_keys=True) == before


def test_a_hand_edited_cpu_model_that_does_not_parse_falls_back_to_the_defaults():
    cluster = served_cluster(replicas=1)
    deployment = cluster.store.get("Deployment", "web")
    with cluster.store.edit(deployment):
        deployment["metadata"]["annotations"][CPU_MODEL_ANNOTATION] = "{not json"
    cluster.step(5)
    assert cpu(cluster, names(cluster)[0]) == 5

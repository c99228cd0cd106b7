"""HPA-2..HPA-5: the replica calculation for a CPU utilization target, with the semantics
file's numbers. Pods and PodMetrics are built here in their real shapes."""

import pytest

from cluster_sim.hpa_calc import MetricError, cpu_replicas, group_pods, pod_cpu_metrics
from cluster_sim.timestamps import rfc3339

NOW = 1000.0  # long after every pod started: no CPU initialization window


def pod(name, cpu="250m", phase="Running", ready=True, start=0.0, ready_at=5.0, **extra):
    requests = {"cpu": cpu} if cpu else {}
    obj = {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "resources": {"requests": requests}}]},
        "status": {
            "phase": phase,
            "startTime": rfc3339(start),
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True" if ready else "False",
                    "lastTransitionTime": rfc3339(ready_at),
                }
            ],
        },
    }
    obj["metadata"].update(extra)
    if phase == "Pending":
        obj["status"] = {"phase": "Pending"}
    return obj


def metrics(name, usage, at=NOW - 5, window="15s"):
    return {
        "apiVersion": "metrics.k8s.io/v1beta1",
        "kind": "PodMetrics",
        "metadata": {"name": name, "namespace": "default"},
        "timestamp": rfc3339(at),
        "window": window,
        "containers": [{"name": "web", "usage": {"cpu": usage, "memory": "48Mi"}}],
    }


def fleet(count, usage, cpu="250m"):
    pods = [pod(f"web-{i}", cpu=cpu) for i in range(count)]
    return pods, [metrics(p["metadata"]["name"], usage) for p in pods]


def test_four_ready_pods_at_90_percent_against_50_give_8():
    pods, samples = fleet(4, "225m")
    result = cpu_replicas(pods, samples, target=50, current=4, now=NOW)
    assert result["utilization"] == 90
    assert result["ratio"] == pytest.approx(1.8)
    assert result["proposed"] == 8
    assert result["formula"] == "ceil(4 \u00d7 90 / 50) = 8"
    assert (result["usageMilli"], result["requestMilli"], result["averageMilli"]) == (
        900,
        1000,
        225,
    )


def test_utilization_is_truncated_to_a_whole_percent_before_the_ratio():
    # 1005m used of 3000m requested is 33.5 %, kept as 33 %: ratio 0.66, ceil(1.98) = 2
    # (33.5 % would give ceil(2.01) = 3).
    pods, samples = fleet(3, "335m", cpu="1")
    result = cpu_replicas(pods, samples, target=50, current=3, now=NOW)
    assert (result["usageMilli"], result["requestMilli"]) == (1005, 3000)
    assert result["utilization"] == 33
    assert result["ratio"] == pytest.approx(0.66)
    assert result["proposed"] == 2


@pytest.mark.parametrize(
    ("usage", "utilization", "proposed"),
    [("110m", 55, 4), ("90m", 45, 4), ("100m", 50, 4), ("112m", 56, 5), ("88m", 44, 4)],
)
def test_tolerance_keeps_the_count_within_ten_percent(usage, utilization, proposed):
    pods, samples = fleet(4, usage, cpu="200m")
    result = cpu_replicas(pods, samples, target=50, current=4, now=NOW)
    assert result["utilization"] == utilization
    within = 0.9 <= utilization / 50 <= 1.1
    assert result["withinTolerance"] is within
    assert result["proposed"] == proposed
    if within:
        assert result["formula"] == f"|1 \u2212 {utilization}/50| \u2264 0.1: keep 4"


def test_ratio_below_one_scales_down_ceil_of_ready_pods():
    pods, samples = fleet(4, "88m", cpu="200m")  # 44 % of 50 %: 0.88, ceil(3.52) = 4
    assert cpu_replicas(pods, samples, 50, 4, NOW)["proposed"] == 4
    pods, samples = fleet(4, "50m", cpu="200m")  # 25 %: ceil(2) = 2
    assert cpu_replicas(pods, samples, 50, 4, NOW)["proposed"] == 2


def test_missing_metric_on_a_scale_down_counts_as_full_request():
    pods, samples = fleet(4, "25m")  # 10 % each
    samples = samples[:3]
    result = cpu_replicas(pods, samples, target=50, current=4, now=NOW)
    # 3 x 25m + 1 x 250m (100 %) = 325m of 1000m = 32 %: 0.64 x 4 pods = ceil(2.56) = 3
    assert (result["readyPods"], result["missingPods"]) == (3, 1)
    assert result["utilization"] == 10  # status reports the undamped utilization
    assert result["dampenedUtilization"] == 32
    assert result["proposed"] == 3
    assert result["formula"] == "with 1 missing at 100%: ceil(4 \u00d7 32 / 50) = 3"


def test_missing_metric_on_a_scale_down_counts_at_the_target_when_above_100():
    pods, samples = fleet(2, "25m")
    result = cpu_replicas(pods, samples[:1], target=150, current=2, now=NOW)
    # 25m + 250m x 150 % = 400m of 500m = 80 % against 150 %: 0.533.. x 2 = ceil(1.07) = 2
    assert result["dampenedUtilization"] == 80
    assert result["proposed"] == 2


def test_missing_metric_on_a_scale_up_counts_as_zero():
    pods, samples = fleet(4, "225m")
    result = cpu_replicas(pods, samples[:3], target=50, current=4, now=NOW)
    # 675m + 0 of 1000m = 67 %: 1.34 x 4 = ceil(5.36) = 6
    assert result["dampenedUtilization"] == 67
    assert result["proposed"] == 6


def test_unready_pods_count_as_zero_on_a_scale_up():
    pods, samples = fleet(2, "500m")  # 200 % each
    pods += [pod("web-new-0", phase="Pending"), pod("web-new-1", phase="Pending")]
    result = cpu_replicas(pods, samples, target=50, current=4, now=NOW)
    assert (result["readyPods"], result["unreadyPods"]) == (2, 2)
    assert result["utilization"] == 200
    assert result["proposed"] == 8  # 1000m of 1000m = 100 %: ceil(2 x 4) = 8
    assert result["formula"] == "with 2 unready at 0%: ceil(4 \u00d7 100 / 50) = 8"


def test_dampening_that_flips_the_direction_keeps_the_current_count():
    pods, samples = fleet(3, "150m")  # 60 % against 50 %: a scale-up on its own
    pods += [pod("web-new-0", phase="Pending"), pod("web-new-1", phase="Pending")]
    result = cpu_replicas(pods, samples, target=50, current=5, now=NOW)
    # with the unready at 0: 450m of 1250m = 36 %, below target: keep 5
    assert result["dampenedUtilization"] == 36
    assert result["proposed"] == 5


def test_unready_pods_do_not_count_on_a_scale_down():
    pods, samples = fleet(2, "25m")
    pods.append(pod("web-new", phase="Pending"))
    result = cpu_replicas(pods, samples, target=50, current=3, now=NOW)
    assert result["proposed"] == 1  # ceil(2 x 0.2): the pending pod is simply left out


def test_deleted_and_failed_pods_are_ignored():
    pods, samples = fleet(2, "225m")
    pods.append(pod("web-old", deletionTimestamp=rfc3339(900)))
    pods.append(pod("web-dead", phase="Failed"))
    samples.append(metrics("web-old", "900m"))
    result = cpu_replicas(pods, samples, target=50, current=4, now=NOW)
    assert (result["readyPods"], result["ignoredPods"]) == (2, 2)
    assert result["utilization"] == 90


def test_cpu_initialization_period_skips_samples_older_than_one_window_after_ready():
    started = NOW - 100  # inside the 300 s initialization period
    fresh = pod("web-0", start=started, ready_at=started + 4)
    sample = pod_cpu_metrics([metrics("web-0", "200m", at=started + 15)])
    # The sample ends 15 s after the start; it must end at least one window (15 s)
    # after the pod became ready (started + 19).
    assert group_pods([fresh], sample, NOW)[1] == ["web-0"]
    sample = pod_cpu_metrics([metrics("web-0", "200m", at=started + 19)])
    assert group_pods([fresh], sample, NOW)[0] == ["web-0"]
    not_ready = pod("web-0", start=started, ready=False, ready_at=started + 50)
    sample = pod_cpu_metrics([metrics("web-0", "200m", at=NOW - 5)])
    assert group_pods([not_ready], sample, NOW)[1] == ["web-0"]


def test_after_initialization_only_never_ready_pods_are_skipped():
    sample = pod_cpu_metrics([metrics("web-0", "200m")])
    never_ready = pod("web-0", ready=False, ready_at=2)  # turned False 2 s after start (< 30 s)
    assert group_pods([never_ready], sample, NOW)[1] == ["web-0"]
    was_ready = pod("web-0", ready=False, ready_at=600)  # was Ready, then lost it
    assert group_pods([was_ready], sample, NOW)[0] == ["web-0"]


def test_no_metrics_at_all():
    pods, _ = fleet(2, "100m")
    with pytest.raises(MetricError) as raised:
        cpu_replicas(pods, [], 50, 2, NOW)
    assert str(raised.value) == (
        "unable to get metrics for resource cpu: no metrics returned from resource metrics API"
    )


def test_only_unready_pods_have_metrics():
    pods = [pod("web-0", ready=False, start=NOW - 60, ready_at=NOW - 59)]
    with pytest.raises(MetricError) as raised:
        cpu_replicas(pods, [metrics("web-0", "100m")], 50, 1, NOW)
    assert str(raised.value) == "did not receive metrics for targeted pods (pods might be unready)"


def test_a_container_without_a_cpu_request_stops_the_calculation():
    pods, samples = fleet(2, "100m")
    pods[1] = pod("web-1", cpu=None)
    with pytest.raises(MetricError) as raised:
        cpu_replicas(pods, samples, 50, 2, NOW)
    assert str(raised.value) == "missing request for cpu in container web of Pod web-1"


def test_requests_and_usage_sum_over_containers():
    two = pod("web-0")
    two["spec"]["containers"].append(
        {"name": "sidecar", "resources": {"requests": {"cpu": "0.25"}}}
    )
    sample = metrics("web-0", "100m")
    sample["containers"].append({"name": "sidecar", "usage": {"cpu": "150m"}})
    result = cpu_replicas([two], [sample], 50, 1, NOW)
    assert (result["usageMilli"], result["requestMilli"], result["utilization"]) == (250, 500, 50)

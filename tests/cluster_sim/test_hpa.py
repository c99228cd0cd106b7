"""The HPA controller in a running cluster (HPA-1, HPA-6..HPA-8) and its actions.

CPU usage comes from the metrics model (PodMetrics every 15 s); set_cpu_model with
perRequest 0 makes every pod use exactly `base`, so the numbers are the
semantics file's.
"""

import json

import pytest

from cluster_sim import ActionError, Cluster
from cluster_sim.hpa import CALC_ANNOTATION

from .conftest import act, add_deployment, cluster_with, get, pods, reasons

RESCALE_UP = "reason: cpu resource utilization (percentage of request) above target"


def hpa_events(cluster):
    return [
        e
        for e in cluster.recent_events()
        if e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"
    ]


def calc(cluster, name="web"):
    return json.loads(
        get(cluster, "HorizontalPodAutoscaler", name)["metadata"]["annotations"][CALC_ANNOTATION]
    )


def conditions(cluster, name="web"):
    hpa = get(cluster, "HorizontalPodAutoscaler", name)
    return {
        c["type"]: (c["status"], c["reason"], c["message"]) for c in hpa["status"]["conditions"]
    }


def replicas(cluster, name="web"):
    return get(cluster, "Deployment", name)["spec"]["replicas"]


def autoscaled(replicas=4, usage="225m", cpu="250m", seed=7, **hpa):
    """A settled Deployment whose pods each use `usage`, then an HPA on it at t = 30."""
    cluster = cluster_with("large", "large", seed=seed)
    add_deployment(cluster, "web", replicas=replicas, cpu=cpu)
    if cpu:
        act(cluster, action="set_cpu_model", deployment="web", perRequest="0m", base=usage)
    cluster.step(30)
    args = {"maxReplicas": 10, "cpuPercent": 50, **hpa}
    act(cluster, action="create_hpa", deployment="web", **args)
    return cluster


def test_create_hpa_makes_an_autoscaling_v2_object_like_kubectl_autoscale():
    cluster = cluster_with("large")
    add_deployment(cluster, "web", replicas=2)
    message = act(cluster, action="create_hpa", deployment="web", maxReplicas=5, cpuPercent=60)
    assert message == "horizontalpodautoscaler.autoscaling/web autoscaled"
    hpa = get(cluster, "HorizontalPodAutoscaler", "web")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"] == {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 1,
        "maxReplicas": 5,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 60},
                },
            }
        ],
    }
    assert hpa["status"] == {"currentMetrics": None, "desiredReplicas": 0}


def test_first_sync_comes_15_seconds_after_creation_then_every_15():
    cluster = autoscaled(usage="125m")  # exactly on target: nothing to do
    cluster.step(14)
    assert (
        CALC_ANNOTATION
        not in get(cluster, "HorizontalPodAutoscaler", "web")["metadata"]["annotations"]
    )
    cluster.step(1)
    first = calc(cluster)
    assert first["syncedAt"] == "2026-01-01T00:00:45Z"
    assert first["nextSync"] == "2026-01-01T00:01:00Z"
    cluster.step(15)
    assert calc(cluster)["syncedAt"] == "2026-01-01T00:01:00Z"


def test_four_ready_replicas_at_90_percent_scale_to_8():
    cluster = autoscaled()
    cluster.take_changes()
    cluster.step(15)
    assert replicas(cluster) == 8
    deployment = get(cluster, "Deployment", "web")
    assert deployment["metadata"]["generation"] == 2  # the scale subresource writes spec
    hpa = get(cluster, "HorizontalPodAutoscaler", "web")
    assert hpa["status"]["currentReplicas"] == 4
    assert hpa["status"]["desiredReplicas"] == 8
    assert hpa["status"]["lastScaleTime"] == "2026-01-01T00:00:45Z"
    assert hpa["status"]["currentMetrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "current": {"averageUtilization": 90, "averageValue": "225m"},
            },
        }
    ]
    assert conditions(cluster) == {
        "AbleToScale": (
            "True",
            "SucceededRescale",
            "the HPA controller was able to update the target scale to 8",
        ),
        "ScalingActive": (
            "True",
            "ValidMetricFound",
            "the HPA was able to successfully calculate a replica count from cpu resource "
            "utilization (percentage of request)",
        ),
        "ScalingLimited": (
            "False",
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        ),
    }
    _, events = cluster.take_changes()
    rescale = reasons(events, "SuccessfulRescale")
    assert [e["message"] for e in rescale] == [f"New size: 8; {RESCALE_UP}"]
    assert rescale[0]["type"] == "Normal"
    assert rescale[0]["source"] == {"component": "horizontal-pod-autoscaler"}
    numbers = calc(cluster)
    assert numbers["formula"] == "ceil(4 \u00d7 90 / 50) = 8"
    assert (numbers["readyPods"], numbers["utilization"], numbers["target"]) == (4, 90, 50)
    assert (numbers["proposed"], numbers["desired"], numbers["limitedBy"]) == (8, 8, None)
    assert (numbers["usageMilli"], numbers["requestMilli"], numbers["ratio"]) == (900, 1000, 1.8)
    cluster.step(20)
    assert len([p for p in pods(cluster, "web-") if p["status"].get("phase") == "Running"]) == 8


def test_within_tolerance_keeps_the_count():
    cluster = autoscaled(usage="135m")  # 54 %: ratio 1.08
    cluster.step(15)
    assert replicas(cluster) == 4
    assert calc(cluster)["withinTolerance"] is True
    assert reasons(hpa_events(cluster), "SuccessfulRescale") == []
    assert conditions(cluster)["AbleToScale"][1] == "ReadyForNewScale"


def test_legacy_scale_up_from_one_replica_is_capped_at_4():
    cluster = autoscaled(replicas=1, usage="2500m", maxReplicas=20)  # 1000 %: proposes 20
    cluster.step(15)
    assert replicas(cluster) == 4
    assert calc(cluster)["proposed"] == 20
    assert calc(cluster)["limitedBy"] == "ScaleUpLimit"
    assert conditions(cluster)["ScalingLimited"] == (
        "True",
        "ScaleUpLimit",
        "the desired replica count is increasing faster than the maximum scale rate",
    )


def test_behavior_defaults_scale_up_from_one_replica_to_5():
    cluster = autoscaled(replicas=1, usage="2500m", maxReplicas=20, behavior={})
    hpa = get(cluster, "HorizontalPodAutoscaler", "web")
    assert hpa["spec"]["behavior"]["scaleUp"]["policies"][0] == {
        "type": "Pods",
        "value": 4,
        "periodSeconds": 15,
    }
    cluster.step(15)
    assert replicas(cluster) == 5
    assert calc(cluster)["scaleUpEvents"] == [["2026-01-01T00:00:45Z", 4]]


def test_scale_down_is_held_300_seconds_by_stabilization_then_applied():
    cluster = autoscaled(usage="25m")  # 10 %: proposes ceil(4 x 0.2) = 1
    cluster.step(15)  # first sync at 45 s remembers the current 4
    assert replicas(cluster) == 4
    numbers = calc(cluster)
    assert numbers["proposed"] == 1
    assert numbers["stabilizedUntil"] == "2026-01-01T00:05:45Z"
    assert conditions(cluster)["AbleToScale"][1] == "ScaleDownStabilized"
    cluster.step(300)  # the sync at 345 s still counts the 4 from 45 s
    assert replicas(cluster) == 4
    cluster.step(15)
    assert replicas(cluster) == 1
    messages = [e["message"] for e in reasons(hpa_events(cluster), "SuccessfulRescale")]
    assert messages == ["New size: 1; reason: All metrics below target"]


def test_max_replicas_clamps_with_too_many_replicas():
    cluster = autoscaled(maxReplicas=6)
    cluster.step(15)
    assert replicas(cluster) == 6
    assert conditions(cluster)["ScalingLimited"] == (
        "True",
        "TooManyReplicas",
        "the desired replica count is more than the maximum replica count",
    )


def test_min_replicas_clamps_with_too_few_replicas():
    cluster = autoscaled(
        usage="25m", minReplicas=2, behavior={"scaleDown": {"stabilizationWindowSeconds": 0}}
    )
    cluster.step(15)
    assert replicas(cluster) == 2
    assert conditions(cluster)["ScalingLimited"][:2] == ("True", "TooFewReplicas")


def test_a_target_scaled_above_max_is_brought_back_at_the_next_sync():
    cluster = autoscaled(usage="125m", maxReplicas=5)
    act(cluster, action="scale", deployment="web", replicas=8)
    cluster.step(15)
    assert replicas(cluster) == 5
    messages = [e["message"] for e in reasons(hpa_events(cluster), "SuccessfulRescale")]
    assert messages == ["New size: 5; reason: Current number of replicas above Spec.MaxReplicas"]


def test_missing_cpu_request_fails_the_metric_and_does_not_scale():
    cluster = autoscaled(cpu=None)
    cluster.step(15)
    assert replicas(cluster) == 4
    pod = pods(cluster, "web-")[0]["metadata"]["name"]  # the first pod the lister returns
    failure = (
        f"failed to get cpu utilization: missing request for cpu in container web of Pod {pod}"
    )
    events = hpa_events(cluster)
    warning = reasons(events, "FailedGetResourceMetric")
    assert [(e["type"], e["message"]) for e in warning] == [("Warning", failure)]
    assert [e["message"] for e in reasons(events, "FailedComputeMetricsReplicas")] == [
        f"invalid metrics (1 invalid out of 1), first error is: {failure}"
    ]
    assert conditions(cluster)["ScalingActive"] == (
        "False",
        "FailedGetResourceMetric",
        f"the HPA was unable to compute the replica count: {failure}",
    )
    status = get(cluster, "HorizontalPodAutoscaler", "web")["status"]
    assert status["currentReplicas"] == 4
    assert status["desiredReplicas"] == 0
    assert status["currentMetrics"] == [{"type": ""}]
    assert calc(cluster)["error"] == failure


def test_zero_replicas_disable_scaling():
    cluster = autoscaled()
    act(cluster, action="scale", deployment="web", replicas=0)
    cluster.step(15)
    assert replicas(cluster) == 0
    assert conditions(cluster)["ScalingActive"] == (
        "False",
        "ScalingDisabled",
        "scaling is disabled since the replica count of the target is zero",
    )
    status = get(cluster, "HorizontalPodAutoscaler", "web")["status"]
    assert "currentReplicas" not in status  # omitempty: 0 is not written
    assert status["desiredReplicas"] == 0


def test_update_and_delete_hpa():
    cluster = autoscaled(usage="125m")
    message = act(cluster, action="update_hpa", name="web", maxReplicas=8, cpuPercent=70)
    assert message == "horizontalpodautoscaler.autoscaling/web patched"
    hpa = get(cluster, "HorizontalPodAutoscaler", "web")
    assert hpa["spec"]["maxReplicas"] == 8
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70
    assert hpa["metadata"]["generation"] == 2
    assert act(cluster, action="update_hpa", name="web", maxReplicas=8) == (
        "horizontalpodautoscaler.autoscaling/web patched (no change)"
    )
    act(cluster, action="update_hpa", name="web", behavior={"scaleUp": {"selectPolicy": "Min"}})
    assert (
        get(cluster, "HorizontalPodAutoscaler", "web")["spec"]["behavior"]["scaleUp"][
            "selectPolicy"
        ]
        == "Min"
    )
    act(cluster, action="update_hpa", name="web", behavior=None)
    assert "behavior" not in get(cluster, "HorizontalPodAutoscaler", "web")["spec"]
    assert act(cluster, action="delete_hpa", name="web") == (
        'horizontalpodautoscaler.autoscaling "web" deleted'
    )
    assert get(cluster, "HorizontalPodAutoscaler", "web") is None


@pytest.mark.parametrize(
    ("action", "text"),
    [
        (
            {"action": "create_hpa", "deployment": "nope", "maxReplicas": 3, "cpuPercent": 50},
            'deployments.apps "nope" not found',
        ),
        (
            {"action": "create_hpa", "deployment": "web", "maxReplicas": 3, "cpuPercent": 50},
            'horizontalpodautoscalers.autoscaling "web" already exists',
        ),
        (
            {"action": "update_hpa", "name": "web", "minReplicas": 0},
            "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        ),
        (
            {"action": "update_hpa", "name": "web", "minReplicas": 9},
            "spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`",
        ),
        (
            {"action": "update_hpa", "name": "web", "cpuPercent": 0},
            "averageUtilization: Invalid value: 0: must be greater than 0",
        ),
        (
            {"action": "update_hpa", "name": "web", "maxReplicas": 51},
            "maxReplicas can be at most 50",
        ),
        (
            {"action": "update_hpa", "name": "web", "behavior": {"scaleUp": {"policies": []}}},
            "spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
        ),
        (
            {
                "action": "update_hpa",
                "name": "web",
                "behavior": {"scaleDown": {"selectPolicy": "Most"}},
            },
            'spec.behavior.scaleDown.selectPolicy: Unsupported value: "Most"',
        ),
        (
            {
                "action": "update_hpa",
                "name": "web",
                "behavior": {"scaleUp": {"stabilizationWindowSeconds": 3601}},
            },
            "must be less than or equal to 3600",
        ),
        (
            {
                "action": "update_hpa",
                "name": "web",
                "behavior": {
                    "scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 15}]}
                },
            },
            "policies[0].value: Invalid value: 0: must be greater than zero",
        ),
        (
            {
                "action": "update_hpa",
                "name": "web",
                "behavior": {
                    "scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 1801}]}
                },
            },
            "policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800",
        ),
        (
            {"action": "update_hpa", "name": "web", "behavior": {"sideways": {}}},
            'unknown field "spec.behavior.sideways"',
        ),
        (
            {"action": "delete_hpa", "name": "api"},
            'horizontalpodautoscalers.autoscaling "api" not found',
        ),
    ],
)
def test_bad_hpa_actions_change_nothing(action, text):
    cluster = cluster_with("large")
    add_deployment(cluster, "web", replicas=2)
    act(cluster, action="create_hpa", deployment="web", maxReplicas=5, cpuPercent=50)
    before = cluster.to_state()
    with pytest.raises(ActionError) as raised:
        cluster.apply(action)
    assert text in str(raised.value)
    assert cluster.to_state() == before


def test_state_round_trip_keeps_the_controller_memory():
    cluster = autoscaled(usage="25m", behavior={})
    cluster.step(100)  # a scale-down held by the window, recommendations remembered
    copy = Cluster.from_state(json.loads(json.dumps(cluster.to_state())))
    for each in (cluster, copy):
        each.step(260)
    assert replicas(cluster) == replicas(copy) == 1
    assert cluster.to_state() == copy.to_state()


def test_real_traffic_scales_up_then_down_after_the_window():
    cluster = cluster_with("large", "large")
    add_deployment(cluster, "web", replicas=2)  # 250m requested each
    act(cluster, action="create_service", name="web", deployment="web")
    act(cluster, action="set_traffic", service="web", rps=40)
    act(cluster, action="create_hpa", deployment="web", maxReplicas=10, cpuPercent=50)
    cluster.step(15)  # pods started 15 s ago: their first sample does not count yet
    assert calc(cluster)["error"] == (
        "failed to get cpu utilization: did not receive metrics for targeted pods "
        "(pods might be unready)"
    )
    cluster.step(15)  # 2 x 5m base + 40 req/s x 20m = 810m of 500m: 162 %
    numbers = calc(cluster)
    assert numbers["formula"] == "ceil(2 \u00d7 162 / 50) = 7"
    assert (numbers["desired"], numbers["limitedBy"]) == (4, "ScaleUpLimit")  # max(2 x 2, 4)
    assert replicas(cluster) == 4
    cluster.step(15)  # the 7 of 15 s ago is the highest recent recommendation
    assert replicas(cluster) == 7
    act(cluster, action="set_traffic", service="web", rps=0)
    cluster.step(15)  # 2 % now: proposes 1, held by the 7 (30 s) and the 4 (45 s)
    assert calc(cluster)["proposed"] == 1
    assert calc(cluster)["stabilizedUntil"] == "2026-01-01T00:05:45Z"  # 45 s + 300 s
    cluster.step(270)  # 330 s: still 7, the 7 from 30 s counts up to 330 s
    assert replicas(cluster) == 7
    cluster.step(15)  # 345 s: the 4 from 45 s is now the highest
    assert replicas(cluster) == 4
    cluster.step(15)
    assert replicas(cluster) == 1
    messages = [e["message"] for e in reasons(hpa_events(cluster), "SuccessfulRescale")]
    assert messages == [
        f"New size: 4; {RESCALE_UP}",
        "New size: 7; reason: ",  # from stabilization alone: no metric above target
        "New size: 4; reason: All metrics below target",
        "New size: 1; reason: All metrics below target",
    ]


def test_a_missing_target_fails_to_get_its_scale():
    cluster = autoscaled(usage="125m")
    cluster.store.delete(cluster.store.get("Deployment", "web"))  # no user action does this
    cluster.step(15)
    error = 'deployments/scale.apps "web" not found'
    assert conditions(cluster)["AbleToScale"] == (
        "False",
        "FailedGetScale",
        f"the HPA controller was unable to get the target's current scale: {error}",
    )
    warning = reasons(hpa_events(cluster), "FailedGetScale")
    assert [(e["type"], e["message"]) for e in warning] == [("Warning", error)]


def test_same_seed_same_actions_same_autoscaling():
    runs = []
    for _ in range(2):
        cluster = cluster_with("large", "large", seed=11)
        add_deployment(cluster, "web", replicas=2)
        act(cluster, action="create_service", name="web", deployment="web")
        act(cluster, action="set_traffic", service="web", rps=60)
        act(cluster, action="create_hpa", deployment="web", maxReplicas=8, cpuPercent=50)
        cluster.step(120)
        act(cluster, action="set_traffic", service="web", rps=5)
        cluster.step(400)
        runs.append((cluster.to_state(), [e["message"] for e in hpa_events(cluster)]))
    assert runs[0] == runs[1]
    rescales = [m for m in runs[0][1] if m.startswith("New size")]
    assert rescales[1].startswith("New size: 8;")  # up to max ...
    assert rescales[-1] == "New size: 2; reason: All metrics below target"  # ... and back down

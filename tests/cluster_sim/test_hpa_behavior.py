"""HPA-6 and HPA-7: stabilization, scale rate limits and [min, max] after the proposal."""

from cluster_sim.hpa_behavior import (
    default_behavior,
    normalize_legacy,
    normalize_with_behavior,
    store_scale_event,
)

NOW = 1000


def limited(conditions):
    return next(c for c in conditions if c[0] == "ScalingLimited")


def able(conditions):
    return next(c for c in conditions if c[0] == "AbleToScale")


def test_defaults_are_filled_only_into_a_given_behavior():
    filled = default_behavior({})
    assert filled["scaleUp"] == {
        "stabilizationWindowSeconds": 0,
        "selectPolicy": "Max",
        "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ],
    }
    # scaleDown has no window default: the controller's 300 s applies.
    assert filled["scaleDown"] == {
        "selectPolicy": "Max",
        "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
    }
    custom = default_behavior({"scaleDown": {"stabilizationWindowSeconds": 60}})
    assert custom["scaleDown"]["stabilizationWindowSeconds"] == 60
    assert custom["scaleDown"]["policies"][0]["type"] == "Percent"


def test_legacy_scale_up_cap_from_one_replica_is_four():
    desired, conditions, _ = normalize_legacy({}, NOW, 1, 20, 1, 50)
    assert desired == 4
    assert limited(conditions) == (
        "ScalingLimited",
        "True",
        "ScaleUpLimit",
        "the desired replica count is increasing faster than the maximum scale rate",
    )


def test_legacy_scale_up_cap_from_ten_is_twenty():
    assert normalize_legacy({}, NOW, 10, 45, 1, 50)[0] == 20


def test_behavior_defaults_scale_up_limit_from_one_is_five_and_from_ten_twenty():
    behavior = default_behavior({})
    assert normalize_with_behavior({}, NOW, behavior, 1, 20, 1, 50)[0] == 5
    desired, conditions, _ = normalize_with_behavior({}, NOW, behavior, 10, 45, 1, 50)
    assert desired == 20
    assert limited(conditions)[1:3] == ("True", "ScaleUpLimit")


def test_select_policy_min_takes_the_smallest_change():
    behavior = default_behavior({"scaleUp": {"selectPolicy": "Min"}})
    assert normalize_with_behavior({}, NOW, behavior, 10, 45, 1, 50)[0] == 14  # min(14, 20)


def test_select_policy_disabled_forbids_that_direction():
    behavior = default_behavior({"scaleUp": {"selectPolicy": "Disabled"}})
    desired, conditions, _ = normalize_with_behavior({}, NOW, behavior, 10, 45, 1, 50)
    assert desired == 10
    assert limited(conditions)[1:3] == ("True", "ScaleUpLimit")
    behavior = default_behavior(
        {"scaleDown": {"selectPolicy": "Disabled", "stabilizationWindowSeconds": 0}}
    )
    desired, conditions, _ = normalize_with_behavior({}, NOW, behavior, 10, 2, 1, 50)
    assert desired == 10
    assert limited(conditions)[1:3] == ("True", "ScaleDownLimit")


def test_scale_events_inside_the_period_shrink_the_next_step():
    behavior = default_behavior({})
    memory = {}
    store_scale_event(memory, behavior, NOW - 10, 5, 10)  # +5 ten seconds ago
    # start of the period = 10 - 5 = 5: Pods 9, Percent 10; never below current.
    assert normalize_with_behavior(memory, NOW, behavior, 10, 45, 1, 50)[0] == 10
    memory = {}
    store_scale_event(memory, behavior, NOW - 15, 5, 10)  # exactly one period ago: expired
    assert normalize_with_behavior(memory, NOW, behavior, 10, 45, 1, 50)[0] == 20


def test_scale_down_policies_pods_and_percent():
    rules = {
        "stabilizationWindowSeconds": 0,
        "policies": [
            {"type": "Percent", "value": 50, "periodSeconds": 60},
            {"type": "Pods", "value": 2, "periodSeconds": 60},
        ],
    }
    behavior = default_behavior({"scaleDown": rules})
    desired, conditions, _ = normalize_with_behavior({}, NOW, behavior, 10, 1, 1, 50)
    assert desired == 5  # Max: the bigger change, floor(10 x 0.5) = 5 over 10 - 2 = 8
    assert limited(conditions) == (
        "ScalingLimited",
        "True",
        "ScaleDownLimit",
        "the desired replica count is decreasing faster than the maximum scale rate",
    )
    behavior = default_behavior({"scaleDown": {**rules, "selectPolicy": "Min"}})
    assert normalize_with_behavior({}, NOW, behavior, 10, 1, 1, 50)[0] == 8


def test_legacy_stabilization_holds_the_highest_recommendation_of_300_seconds():
    memory = {"recommendations": [[NOW - 300, 6]]}
    desired, conditions, until = normalize_legacy(memory, NOW, 6, 2, 1, 10)
    assert desired == 6
    assert able(conditions) == (
        "AbleToScale",
        "True",
        "ScaleDownStabilized",
        "recent recommendations were higher than current one, "
        "applying the highest recent recommendation",
    )
    assert until == NOW  # the 6 counts up to and including 300 s
    memory = {"recommendations": [[NOW - 301, 6]]}
    desired, conditions, until = normalize_legacy(memory, NOW, 6, 2, 1, 10)
    assert (desired, until) == (2, None)
    assert able(conditions)[2] == "ReadyForNewScale"
    # the expired sample's slot is reused for the new recommendation
    assert memory["recommendations"] == [[NOW, 2]]


def test_behavior_scale_up_window_applies_the_lowest_recent_recommendation():
    behavior = default_behavior({"scaleUp": {"stabilizationWindowSeconds": 60}})
    memory = {"recommendations": [[NOW - 30, 3]]}
    desired, conditions, _ = normalize_with_behavior(memory, NOW, behavior, 3, 6, 1, 10)
    assert desired == 3
    assert able(conditions)[2] == "ScaleUpStabilized"


def test_behavior_scale_down_window_is_300_seconds_by_default():
    behavior = default_behavior({})
    memory = {"recommendations": [[NOW - 299, 6]]}
    desired, _, until = normalize_with_behavior(memory, NOW, behavior, 6, 2, 1, 10)
    assert (desired, until) == (6, NOW + 1)
    memory = {"recommendations": [[NOW - 300, 6]]}
    assert normalize_with_behavior(memory, NOW, behavior, 6, 2, 1, 10)[0] == 2


def test_clamping_to_max_and_min():
    desired, conditions, _ = normalize_legacy({}, NOW, 4, 8, 1, 6)
    assert desired == 6
    assert limited(conditions) == (
        "ScalingLimited",
        "True",
        "TooManyReplicas",
        "the desired replica count is more than the maximum replica count",
    )
    desired, conditions, _ = normalize_legacy({}, NOW, 4, 1, 2, 6)
    assert desired == 2
    assert limited(conditions) == (
        "ScalingLimited",
        "True",
        "TooFewReplicas",
        "the desired replica count is less than the minimum replica count",
    )
    desired, conditions, _ = normalize_legacy({}, NOW, 4, 5, 1, 6)
    assert desired == 5
    assert limited(conditions) == (
        "ScalingLimited",
        "False",
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    )


def test_legacy_stabilization_also_lifts_a_proposal_that_keeps_the_count():
    # The legacy path takes the highest recent recommendation in both directions: a 7
    # proposed 15 s ago wins over today's "keep 4" (the event's reason is then empty).
    memory = {"recommendations": [[NOW - 15, 7]]}
    desired, conditions, until = normalize_legacy(memory, NOW, 4, 4, 1, 10)
    assert (desired, until) == (7, None)
    assert able(conditions)[2] == "ScaleDownStabilized"

"""The scheduling cycle in a running cluster: bind, decisions, ties, failures and retries."""

import re

from tests.cluster_sim.conftest import act, add_deployment, cluster_with, cordon, pods, reasons


def test_a_pod_is_bound_with_a_scheduled_event_and_condition():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    (pod,) = pods(cluster)
    assert pod["spec"]["nodeName"] == "ship-1"
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert condition["status"] == "True"
    (event,) = reasons(cluster.recent_events(), "Scheduled")
    assert event["message"] == f"Successfully assigned default/{pod['metadata']['name']} to ship-1"
    assert event["source"]["component"] == "default-scheduler"


def test_a_single_feasible_node_is_chosen_without_scoring():
    cluster = cluster_with("small", "large")
    add_deployment(cluster, cpu="3")  # only the large ship has 3 CPUs
    (pod,) = pods(cluster)
    decision = cluster.scheduling_decision(pod["metadata"]["name"])
    assert decision["winner"] == "ship-2"
    assert decision["scored"] is False
    assert decision["nodes"][0] == {
        "node": "ship-1",
        "feasible": False,
        "filter": "NodeResourcesFit",
        "reasons": ["Insufficient cpu"],
    }
    assert "scores" not in decision["nodes"][1]


def test_the_decision_lists_each_plugin_score_and_the_total():
    """Empty small (2 CPU, 4Gi) vs large (8 CPU, 16Gi) ships, pod 250m / 128Mi, LeastAllocated.

    small: cpu 87, memory 96 -> fit 91; balanced 1-|0.125-0.03125|/2 -> 95.
    large: cpu 96, memory 99 -> fit 97; balanced 1-|0.03125-0.0078125|/2 -> 98.
    Equal on both: TaintToleration 100 (x3), PodTopologySpread 100 (x2, no pods yet),
    NodeAffinity 0 (skipped), ImageLocality 0 (image absent). Totals 686 and 695.
    """
    cluster = cluster_with("small", "large")
    add_deployment(cluster)
    (pod,) = pods(cluster)
    decision = cluster.scheduling_decision(pod["metadata"]["name"])
    small, large = decision["nodes"]
    same = {"TaintToleration": 100, "NodeAffinity": 0, "PodTopologySpread": 100, "ImageLocality": 0}
    assert small["scores"] == {
        **same,
        "NodeResourcesFit": 91,
        "NodeResourcesBalancedAllocation": 95,
    }
    assert small["total"] == 686
    assert large["scores"] == {
        **same,
        "NodeResourcesFit": 97,
        "NodeResourcesBalancedAllocation": 98,
    }
    assert large["total"] == 695
    assert decision["weights"]["TaintToleration"] == 3
    assert decision["winner"] == "ship-2" == pod["spec"]["nodeName"]
    assert decision["strategy"] == "LeastAllocated"


def test_most_allocated_packs_pods_onto_the_fullest_ship():
    cluster = cluster_with("small", "large")
    act(cluster, action="set_strategy", strategy="MostAllocated")
    add_deployment(cluster, replicas=1)
    assert {pod["spec"]["nodeName"] for pod in pods(cluster)} == {"ship-1"}


def test_system_default_spreading_spreads_replicas_under_the_default_profile():
    """PodTopologySpread's system defaults (weight 2) score a ship already holding a replica
    lower, so replicas spread over ships."""
    cluster = cluster_with("small", "large")
    add_deployment(cluster, replicas=4)
    assert {pod["spec"]["nodeName"] for pod in pods(cluster)} == {"ship-1", "ship-2"}


def test_the_bin_packing_profile_drops_default_spreading_so_replicas_pack():
    """With default spreading left on it would outweigh MostAllocated (2 vs 1); the bin-packing
    profile lists no default constraints, so all four fill the small ship first."""
    cluster = cluster_with("small", "large")
    act(cluster, action="set_strategy", strategy="MostAllocated")
    add_deployment(cluster, replicas=4)
    assert {pod["spec"]["nodeName"] for pod in pods(cluster)} == {"ship-1"}
    decision = cluster.scheduling_decision(pods(cluster)[-1]["metadata"]["name"])
    assert {n["scores"]["PodTopologySpread"] for n in decision["nodes"] if n["feasible"]} == {0}


def test_ties_are_broken_at_random_but_the_same_seed_gives_the_same_choice():
    chosen = {}
    for seed in range(12):
        runs = []
        for _ in range(2):
            cluster = cluster_with("medium", "medium", seed=seed)
            add_deployment(cluster)
            (pod,) = pods(cluster)
            runs.append(pod["spec"]["nodeName"])
            decision = cluster.scheduling_decision(pod["metadata"]["name"])
            assert decision["tiedWith"] == ["ship-1", "ship-2"]
        assert runs[0] == runs[1]
        chosen[seed] = runs[0]
    assert set(chosen.values()) == {"ship-1", "ship-2"}


def test_an_unschedulable_pod_stays_pending_with_the_fit_error():
    cluster = cluster_with("small", "small", "small")
    cordon(cluster, "ship-1")
    add_deployment(cluster, cpu="3")
    (pod,) = pods(cluster)
    assert pod["spec"].get("nodeName") is None
    assert pod["status"]["phase"] == "Pending"
    expected = (
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu."
        " preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,"
        " 2 No preemption victims found for incoming pod."
    )
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "False",
        "Unschedulable",
        expected,
    )
    (event,) = reasons(cluster.recent_events(), "FailedScheduling")
    assert (event["type"], event["message"]) == ("Warning", expected)
    assert cluster.scheduling_decision(pod["metadata"]["name"])["winner"] is None


def test_a_pending_pod_is_placed_when_a_ship_is_added():
    cluster = cluster_with("small")
    add_deployment(cluster, cpu="3")
    name = pods(cluster)[0]["metadata"]["name"]
    cluster.step(30)
    assert pods(cluster)[0]["spec"].get("nodeName") is None
    act(cluster, action="add_node", size="large")
    cluster.step(10)  # at most one back-off (<= 10 s) later
    (pod,) = pods(cluster)
    assert pod["metadata"]["name"] == name
    assert pod["spec"]["nodeName"] == "ship-2"
    assert pod["status"]["phase"] == "Running"


def test_failed_pods_are_retried_at_least_every_five_minutes_without_spamming():
    cluster = cluster_with("small")
    add_deployment(cluster, cpu="3")
    cluster.step(299)
    (event,) = reasons(cluster.recent_events(), "FailedScheduling")
    assert event["count"] == 1
    cluster.step(2)
    (event,) = reasons(cluster.recent_events(), "FailedScheduling")
    assert event["count"] == 2  # the same message is aggregated, not repeated


def test_a_deleted_pod_moves_parked_pods_back_after_their_back_off():
    cluster = cluster_with("small")
    add_deployment(cluster, name="big", cpu="1500m")
    add_deployment(cluster, name="late", cpu="1")
    assert pods(cluster, "late")[0]["spec"].get("nodeName") is None
    act(cluster, action="scale", deployment="big", replicas=0)
    cluster.step(30)  # the big pod terminates for 30 s, then its CPU is free
    (late,) = pods(cluster, "late")
    assert late["spec"]["nodeName"] == "ship-1"


def test_the_decision_is_dropped_when_the_pod_is_gone():
    cluster = cluster_with("small")
    add_deployment(cluster, cpu="3")
    name = pods(cluster)[0]["metadata"]["name"]
    assert cluster.scheduling_decision(name) is not None
    act(cluster, action="scale", deployment="web", replicas=0)
    assert pods(cluster) == []
    assert cluster.scheduling_decision(name) is None


def test_with_no_nodes_the_pod_waits_with_the_no_nodes_message():
    cluster = cluster_with()
    add_deployment(cluster)
    (event,) = reasons(cluster.recent_events(), "FailedScheduling")
    assert event["message"] == "no nodes available to schedule pods"


def test_pending_demo_pods_report_the_histogram_for_the_three_ships(demo):
    act(demo, action="scale", deployment="api", replicas=50)
    pending = [p for p in pods(demo, "api") if not p["spec"].get("nodeName")]
    assert pending
    message = next(c for c in pending[0]["status"]["conditions"] if c["type"] == "PodScheduled")[
        "message"
    ]
    assert re.fullmatch(
        r"0/3 nodes are available: 3 Insufficient cpu\. preemption: 0/3 nodes are available: "
        r"3 No preemption victims found for incoming pod\.",
        message,
    )


def test_only_the_latest_decisions_are_kept_so_the_saved_state_stays_small():
    from cluster_sim.scheduler.cycle import MAX_DECISIONS

    cluster = cluster_with("large", "large")
    add_deployment(cluster, replicas=MAX_DECISIONS + 20, cpu="10m", memory="8Mi")
    placed = [p["metadata"]["name"] for p in pods(cluster) if p["spec"].get("nodeName")]
    assert len(placed) == MAX_DECISIONS + 20
    kept = [name for name in placed if cluster.scheduling_decision(name) is not None]
    assert len(kept) == MAX_DECISIONS
    assert len(cluster.to_state()["scheduler"]["decisions"]) == MAX_DECISIONS


def test_fresh_decisions_are_handed_over_once():
    cluster = cluster_with("medium", "large")
    add_deployment(cluster, replicas=2)
    taken = cluster.take_decisions()
    assert sorted(d["pod"] for d in taken) == sorted(p["metadata"]["name"] for p in pods(cluster))
    assert all(d["winner"] in ("ship-1", "ship-2") for d in taken)
    assert cluster.take_decisions() == []
    assert len(cluster.recent_decisions()) == 2

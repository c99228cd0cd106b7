"""The FitError message (SCH-23) with its preemption suffix (SCH-24)."""

from cluster_sim.scheduler.fit_error import fit_error_message, histogram

CORDONED = (["node(s) were unschedulable"], True)
NO_CPU = (["Insufficient cpu"], False)
NO_CPU_OR_MEMORY = (["Insufficient cpu", "Insufficient memory"], False)


def test_it_matches_the_documented_example():
    message = fit_error_message(3, [CORDONED, NO_CPU, NO_CPU])
    assert message == (
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu."
        " preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,"
        " 2 No preemption victims found for incoming pod."
    )


def test_a_node_short_of_two_resources_counts_once_for_preemption():
    message = fit_error_message(2, [NO_CPU_OR_MEMORY, NO_CPU])
    assert message == (
        "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu."
        " preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    )


def test_histogram_entries_sort_as_plain_strings():
    from collections import Counter

    counts = Counter(
        {"node(s) were unschedulable": 1, "Insufficient memory": 1, "Insufficient cpu": 10}
    )
    assert (
        histogram(counts)
        == "1 Insufficient memory, 1 node(s) were unschedulable, 10 Insufficient cpu"
    )
    assert histogram(Counter({"b": 2, "a": 10})) == "10 a, 2 b"


def test_no_nodes_at_all_has_its_own_message():
    assert fit_error_message(0, []) == "no nodes available to schedule pods"

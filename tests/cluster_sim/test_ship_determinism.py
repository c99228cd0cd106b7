"""New state (node health, drains, budgets, priorities) keeps determinism and round trips."""

import contextlib
import json
import random

from cluster_sim import ActionError, Cluster
from tests.cluster_sim.conftest import act, objects_of, pods


def random_action(rng, cluster):
    ships = [n["metadata"]["name"] for n in objects_of(cluster, "Node")] or ["none"]
    names = [p["metadata"]["name"] for p in pods(cluster)] or ["none"]
    deployment = rng.choice(["web", "api"])
    return rng.choice(
        [
            {"action": "sink_node", "name": rng.choice(ships)},
            {"action": "raise_node", "name": rng.choice(ships)},
            {"action": "cordon", "name": rng.choice(ships)},
            {"action": "uncordon", "name": rng.choice(ships)},
            {"action": "drain", "name": rng.choice(ships)},
            {"action": "remove_node", "name": rng.choice(ships)},
            {
                "action": "add_node",
                "size": "medium",
                "labels": {"topology.kubernetes.io/zone": rng.choice("ab")},
            },
            {
                "action": "taint_node",
                "name": rng.choice(ships),
                "key": "k",
                "effect": rng.choice(["NoSchedule", "NoExecute", "PreferNoSchedule"]),
            },
            {"action": "untaint_node", "name": rng.choice(ships), "key": "k"},
            {
                "action": "create_pdb",
                "deployment": deployment,
                "minAvailable": rng.choice([1, "50%"]),
            },
            {"action": "delete_pdb", "name": f"{deployment}-pdb"},
            {
                "action": "set_priority_class",
                "deployment": deployment,
                "priorityClassName": rng.choice(["", "high-priority", "low-priority"]),
            },
            {"action": "scale", "deployment": deployment, "replicas": rng.choice([1, 4, 12])},
            {"action": "delete_pod", "name": rng.choice(names)},
            {"action": "set_strategy", "strategy": "RequestedToCapacityRatio"},
        ]
    )


def run(seed):
    rng = random.Random(seed)
    cluster = Cluster.demo(seed=seed)
    seen = []
    for turn in range(30):
        with contextlib.suppress(ActionError):
            act(cluster, **random_action(rng, cluster))
        cluster.step(rng.choice([1, 5, 20, 70]))
        seen.append(cluster.take_changes())
        if turn % 6 == 0:
            state = json.loads(json.dumps(cluster.to_state()))
            assert Cluster.from_state(state).to_state() == cluster.to_state()
            cluster = Cluster.from_state(state)
    return seen, cluster.to_state()


def test_random_ship_actions_are_deterministic_and_round_trip():
    assert run(11) == run(11)


def test_a_reloaded_cluster_continues_a_node_failure_identically():
    kept = Cluster.demo(seed=5)
    act(kept, action="sink_node", name="ship-2")
    act(kept, action="create_pdb", deployment="web", maxUnavailable=1)
    act(kept, action="drain", name="ship-1")
    kept.take_changes()
    state = kept.to_state()
    for _ in range(40):
        kept.step(10)
        reloaded = Cluster.from_state(json.loads(json.dumps(state)))
        reloaded.step(10)
        assert reloaded.to_state() == kept.to_state()
        state = kept.to_state()
        kept.take_changes()

"""The playground.k8s/rollout-step annotation (contract in CONTRACTS.md "Rollout"), and the
rollout state surviving a save and load."""

import json

from cluster_sim import Cluster
from tests.cluster_sim.conftest import act, get

STEP = "playground.k8s/rollout-step"
KEYS = ["maxSurge", "maxTotal", "maxUnavailable", "minAvailable", "phase", "strategy", "text"]


def raw_step(cluster, name="web"):
    return get(cluster, "Deployment", name)["metadata"]["annotations"][STEP]


def steps_in(journal, name="web"):
    """Every distinct value the annotation took, in order."""
    seen = []
    for entry in journal:
        obj = entry["object"]
        if obj["kind"] == "Deployment" and obj["metadata"]["name"] == name:
            value = obj["metadata"].get("annotations", {}).get(STEP)
            if value and (not seen or seen[-1] != value):
                seen.append(value)
    return [json.loads(value) for value in seen]


def test_the_annotation_is_sorted_json_with_the_contract_keys(demo):
    raw = raw_step(demo)
    step = json.loads(raw)
    assert raw == json.dumps(step, sort_keys=True)
    assert sorted(step) == KEYS
    assert step["phase"] == "Complete"
    assert step["strategy"] == "RollingUpdate"
    # 6 replicas at 25 %: surge ceil(1.5) = 2, unavailable floor(1.5) = 1
    assert (step["maxSurge"], step["maxUnavailable"], step["maxTotal"], step["minAvailable"]) == (
        2,
        1,
        8,
        5,
    )
    assert step["text"].startswith("Rollout complete: ReplicaSet web-")
    assert "(revision 1) has all 6 pods available." in step["text"]


def test_a_rolling_update_tells_each_step_with_its_numbers(demo):
    act(demo, action="scale", deployment="web", replicas=10)
    demo.step(10)
    demo.take_changes()
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    demo.step(60)
    journal, _ = demo.take_changes()
    steps = steps_in(journal)
    assert steps[0]["text"].startswith("Rollout complete")  # revision 1, before the edit
    steps = steps[1:]
    phases = [step["phase"] for step in steps]
    assert phases[0] == "ScalingUp"
    assert phases[-1] == "Complete"
    assert "ScalingDown" in phases
    assert "WaitingForAvailable" in phases
    first = steps[0]["text"]
    assert "from 0 to 3: 10 desired + 3 surge allow 13 pods, 10 existed" in first
    assert "from 10 to 8, keeping at least 8 available" in first
    assert {
        (s["maxSurge"], s["maxUnavailable"], s["maxTotal"], s["minAvailable"]) for s in steps
    } == {(3, 2, 13, 8)}
    waiting = next(s["text"] for s in steps if s["phase"] == "WaitingForAvailable")
    assert waiting.startswith("Waiting for new pods to become available: ")
    assert "of 13 allowed pods exist" in waiting


def test_the_annotation_is_rewritten_only_when_it_changes(demo):
    demo.step(30)
    demo.take_changes()
    demo.step(60)  # a settled cluster: resyncs every 10 s, nothing to say
    journal, _ = demo.take_changes()
    assert [e for e in journal if e["object"]["kind"] == "Deployment"] == []


def test_a_scaling_sentence_stays_for_its_second_then_gives_way(demo):
    act(demo, action="scale", deployment="web", replicas=8)
    step = json.loads(raw_step(demo))
    assert step["phase"] == "ScalingUp"
    assert step["text"].endswith(
        "from 6 to 8: the only active ReplicaSet takes all 8 desired pods."
    )
    demo.step(1)
    assert json.loads(raw_step(demo))["phase"] != "ScalingUp"


def test_a_rollout_in_flight_survives_save_and_load_identically(demo):
    """Pending timed re-checks (minReadySeconds, the deadline) are part of the state."""
    act(demo, action="set_rollout", deployment="web", minReadySeconds=5, maxSurge=1)
    act(demo, action="set_rollout", deployment="api", strategy="Recreate")
    demo.step(20)
    act(demo, action="set_image", deployment="web", image="nginx:1.28")
    act(demo, action="set_image", deployment="api", image="ghcr.io/example/api:1.1")
    demo.step(3)
    copy = Cluster.from_state(json.loads(json.dumps(demo.to_state())))
    assert copy.dirty.later == demo.dirty.later
    for cluster in (demo, copy):
        cluster.take_changes()
        for _ in range(40):
            cluster.step(1)
    assert json.dumps(copy.to_state(), sort_keys=True) == json.dumps(
        demo.to_state(), sort_keys=True
    )
    assert json.loads(raw_step(copy))["phase"] == "Complete"
    assert json.loads(raw_step(copy, "api"))["phase"] == "Complete"

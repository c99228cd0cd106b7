"""Container states, restarts with back-off, image pull errors and probes (POD-2..POD-10)."""

import json

import pytest

from cluster_sim import ACTION_NAMES, ActionError, Cluster
from cluster_sim.kubelet import BACKOFF_ANNOTATION
from cluster_sim.objects import new_deployment
from cluster_sim.podutil import display_ready, display_status, pod_phase, restart_count
from tests.cluster_sim.conftest import act, add_deployment, cluster_with, pods, replica_sets


def container(pod, index=0):
    return pod["status"]["containerStatuses"][index]


def waiting_reason(pod):
    return container(pod)["state"].get("waiting", {}).get("reason")


def deploy(cluster, name="app", image="nginx:1.27", replicas=1, **container_fields):
    """A Deployment whose container gets extra fields (probes, resources) before it is created."""
    d = new_deployment(
        cluster,
        name,
        image=image,
        container_name=name,
        cpu="100m",
        memory="64Mi",
        replicas=replicas,
    )
    d["spec"]["template"]["spec"]["containers"][0].update(container_fields)
    cluster.store.create(d)
    cluster.reconcile()
    return d


def only_pod(cluster):
    (pod,) = [p for p in pods(cluster) if not p["metadata"].get("deletionTimestamp")]
    return pod


def probe(**fields):
    return {"httpGet": {"path": "/healthz", "port": 80}, **fields}


# POD-2: phase derivation


def status(state, last=None):
    return {"state": state, "lastState": {"terminated": last} if last else {}}


RUNNING = {"running": {}}
CREATING = {"waiting": {"reason": "ContainerCreating"}}
CRASHLOOP = {"waiting": {"reason": "CrashLoopBackOff"}}
EXIT0 = {"terminated": {"exitCode": 0, "reason": "Completed"}}
EXIT1 = {"terminated": {"exitCode": 1, "reason": "Error"}}


@pytest.mark.parametrize(
    ("states", "policy", "phase"),
    [
        ([status(CREATING)], "Always", "Pending"),
        ([status(RUNNING), status(CREATING)], "Always", "Pending"),
        ([status(RUNNING)], "Always", "Running"),
        ([status(CRASHLOOP, EXIT1["terminated"])], "Always", "Running"),
        ([status(RUNNING), status(CRASHLOOP, EXIT1["terminated"])], "Always", "Running"),
        ([status(EXIT1)], "Always", "Running"),
        ([status(EXIT0)], "Always", "Running"),
        ([status(EXIT0), status(EXIT0)], "Never", "Succeeded"),
        ([status(EXIT0), status(EXIT1)], "Never", "Failed"),
        ([status(EXIT0)], "OnFailure", "Succeeded"),
        ([status(EXIT1)], "OnFailure", "Running"),
        ([status(CRASHLOOP, EXIT1["terminated"])], "OnFailure", "Running"),
        ([], "Always", "Pending"),
    ],
)
def test_phase_is_derived_like_the_kubelet(states, policy, phase):
    assert pod_phase(states, policy) == phase


def test_a_deleted_pod_ends_in_a_terminal_phase():
    assert pod_phase([status(EXIT1)], "Always", terminal=True) == "Failed"
    assert pod_phase([status(EXIT0)], "Always", terminal=True) == "Succeeded"


# POD-5: the STATUS column


def pod_with(statuses, phase="Running", **extra):
    meta = {"name": "p", "namespace": "default", "uid": "u"}
    meta.update(extra.pop("metadata", {}))
    return {
        "metadata": meta,
        "spec": {"containers": [{"name": f"c{i}"} for i in range(len(statuses))], **extra},
        "status": {"phase": phase, "containerStatuses": statuses, "conditions": []},
    }


def cs(state, ready=False, restarts=0):
    return {"state": state, "ready": ready, "restartCount": restarts}


@pytest.mark.parametrize(
    ("pod", "shown"),
    [
        (pod_with([cs(RUNNING, True)]), "Running"),
        (pod_with([cs(CREATING)], "Pending"), "ContainerCreating"),
        (pod_with([cs(CRASHLOOP, restarts=4)]), "CrashLoopBackOff"),
        (
            pod_with([cs({"waiting": {"reason": "ImagePullBackOff"}})], "Pending"),
            "ImagePullBackOff",
        ),
        (pod_with([cs({"terminated": {"exitCode": 137, "reason": "OOMKilled"}})]), "OOMKilled"),
        (pod_with([cs(EXIT1)]), "Error"),
        (pod_with([cs({"terminated": {"exitCode": 2}})]), "ExitCode:2"),
        (pod_with([cs(EXIT0), cs(RUNNING, True)]), "NotReady"),  # no Ready condition
        (pod_with([cs(EXIT0)], "Succeeded"), "Completed"),
        (pod_with([cs(CRASHLOOP), cs(EXIT1)]), "CrashLoopBackOff"),  # the first one wins
        (pod_with([cs(RUNNING, True)], metadata={"deletionTimestamp": "x"}), "Terminating"),
        (pod_with([cs(EXIT1)], "Failed", metadata={"deletionTimestamp": "x"}), "Error"),
        (pod_with([], "Pending"), "Pending"),
    ],
)
def test_the_status_column_follows_kubectl(pod, shown):
    assert display_status(pod) == shown


def test_the_status_column_shows_init_containers_and_a_reason():
    pod = pod_with([cs(CREATING)], "Pending", initContainers=[{"name": "a"}, {"name": "b"}])
    pod["status"]["initContainerStatuses"] = [cs(EXIT0), cs(RUNNING)]
    assert display_status(pod) == "Init:1/2"
    pod["status"]["initContainerStatuses"] = [cs(EXIT1, restarts=2), cs(CREATING)]
    assert display_status(pod) == "Init:Error"
    assert restart_count(pod) == 2
    evicted = pod_with([], "Failed")
    evicted["status"]["reason"] = "Evicted"
    assert display_status(evicted) == "Evicted"


def test_ready_and_restarts_columns():
    pod = pod_with([cs(RUNNING, True, 1), cs(CRASHLOOP, restarts=3)])
    assert (display_ready(pod), restart_count(pod)) == ("1/2", 4)


# POD-7: crash loops


def restart_moments(cluster, seconds):
    """(simulated second of each restart, restartCount) and the back-off messages seen."""
    moments, messages = [], []
    count = 0
    for _ in range(seconds):
        cluster.step(1)
        pod = only_pod(cluster)
        if container(pod)["restartCount"] != count:
            count = container(pod)["restartCount"]
            moments.append(cluster.now)
        message = container(pod)["state"].get("waiting", {}).get("message")
        if message and (not messages or messages[-1] != message):
            messages.append(message)
    return moments, messages


def test_a_crashing_container_restarts_with_doubling_back_off():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/crashy:1")
    moments, messages = restart_moments(cluster, 935)
    # Started at 3 s, exits 2 s after every start; the waits after each exit:
    exits = [3 + 2]
    for restart in moments[:-1]:
        exits.append(restart + 2)
    waits = [restart - exit_ for restart, exit_ in zip(moments, exits, strict=True)]
    assert waits == [0, 10, 20, 40, 80, 160, 300, 300]
    pod = only_pod(cluster)
    who = f"{pod['metadata']['name']}_default({pod['metadata']['uid']})"
    assert [m.split(" restarting")[0] for m in messages] == [
        "back-off 10s",
        "back-off 20s",
        "back-off 40s",
        "back-off 1m20s",
        "back-off 2m40s",
        "back-off 5m0s",
    ]
    assert messages[0] == f"back-off 10s restarting failed container=app pod={who}"
    backoffs = [e for e in cluster.recent_events() if e["reason"] == "BackOff"]
    assert backoffs[-1]["type"] == "Warning"
    assert backoffs[-1]["message"] == f"Back-off restarting failed container app in pod {who}"
    assert backoffs[-1]["count"] >= 2  # aggregated


def test_crash_loop_state_phase_last_state_and_countdown():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/crashy:1")
    cluster.step(8)  # start 3, exit 5 (restart at once), exit 7: back-off until 17
    pod = only_pod(cluster)
    assert waiting_reason(pod) == "CrashLoopBackOff"
    assert pod["status"]["phase"] == "Running"
    assert display_status(pod) == "CrashLoopBackOff"
    assert (display_ready(pod), restart_count(pod)) == ("0/1", 1)
    last = container(pod)["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (1, "Error")
    assert last["finishedAt"] == "2026-01-01T00:00:07Z"
    assert json.loads(pod["metadata"]["annotations"][BACKOFF_ANNOTATION]) == {
        "app": "2026-01-01T00:00:17Z"
    }
    ready = {c["type"]: c for c in pod["status"]["conditions"]}["Ready"]
    assert (ready["status"], ready["reason"]) == ("False", "ContainersNotReady")
    cluster.step(10)
    pod = only_pod(cluster)
    assert "running" in container(pod)["state"]
    assert BACKOFF_ANNOTATION not in pod["metadata"]["annotations"]
    assert container(pod)["restartCount"] == 2


def test_crash_pod_restarts_at_once_then_backs_off_and_resets_after_600_seconds():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    cluster.step(5)
    name = only_pod(cluster)["metadata"]["name"]
    assert act(cluster, action="crash_pod", name=name) == f"pod/{name} crashed (exit code 1)"
    pod = only_pod(cluster)
    assert "running" in container(pod)["state"]
    assert container(pod)["restartCount"] == 1
    assert container(pod)["lastState"]["terminated"]["exitCode"] == 1
    cluster.step(1)
    act(cluster, action="crash_pod", name=name)
    assert waiting_reason(only_pod(cluster)) == "CrashLoopBackOff"
    with pytest.raises(ActionError, match="not running"):
        cluster.apply({"action": "crash_pod", "name": name})
    cluster.step(10)
    assert container(only_pod(cluster))["restartCount"] == 2
    cluster.step(300)
    act(cluster, action="crash_pod", name=name)  # within 600 s of the restart: 20 s
    assert "back-off 20s" in container(only_pod(cluster))["state"]["waiting"]["message"]
    cluster.step(20)
    cluster.step(601)
    act(cluster, action="crash_pod", name=name)  # ran 600 s: back-off starts over
    assert "running" in container(only_pod(cluster))["state"]
    cluster.step(1)
    act(cluster, action="crash_pod", name=name)
    assert "back-off 10s" in container(only_pod(cluster))["state"]["waiting"]["message"]


# Images that do not exist


def test_a_missing_image_goes_err_image_pull_then_back_off_doubling():
    cluster = cluster_with("medium")
    deploy(cluster, image="nginx:doesnotexist")
    failures, seen = [], []
    for _ in range(920):
        cluster.step(1)
        reason = waiting_reason(only_pod(cluster))
        if reason == "ErrImagePull" and (not seen or seen[-1] != reason):
            failures.append(cluster.now)
        seen.append(reason)
    assert failures == [1, 12, 33, 74, 155, 316, 617, 918]
    assert seen[1] == "ImagePullBackOff"
    pod = only_pod(cluster)
    assert pod["status"]["phase"] == "Pending"
    assert display_status(pod) in ("ImagePullBackOff", "ErrImagePull")
    events = cluster.recent_events()
    failed = [e["message"] for e in events if e["reason"] == "Failed"]
    assert failed[0].startswith(
        'Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound'
    )
    assert "docker.io/library/nginx:doesnotexist" in failed[0]
    assert {"Error: ErrImagePull", "Error: ImagePullBackOff"} <= set(failed)
    backoff = [e for e in events if e["reason"] == "BackOff"][-1]
    assert (backoff["type"], backoff["message"]) == (
        "Normal",
        'Back-off pulling image "nginx:doesnotexist"',
    )


def test_the_missing_repository_fails_to_pull_too():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/missing:1.0")
    cluster.step(3)
    assert waiting_reason(only_pod(cluster)) == "ImagePullBackOff"
    assert BACKOFF_ANNOTATION in only_pod(cluster)["metadata"]["annotations"]


# OOMKilled


def test_a_leaky_container_with_a_limit_is_oom_killed():
    cluster = cluster_with("medium")
    deploy(
        cluster,
        image="ghcr.io/example/leaky:1",
        resources={"requests": {"memory": "64Mi"}, "limits": {"memory": "128Mi"}},
    )
    cluster.step(33)
    pod = only_pod(cluster)
    assert container(pod)["restartCount"] == 1
    last = container(pod)["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (137, "OOMKilled")
    cluster.step(30)
    pod = only_pod(cluster)
    assert waiting_reason(pod) == "CrashLoopBackOff"
    assert container(pod)["lastState"]["terminated"]["reason"] == "OOMKilled"


def test_a_leaky_container_without_a_limit_keeps_running():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/leaky:1")
    cluster.step(100)
    assert container(only_pod(cluster))["restartCount"] == 0


# Probes


def test_a_passing_readiness_probe_is_ready_at_once():
    cluster = cluster_with("medium")
    deploy(cluster, readinessProbe=probe())
    cluster.step(3)
    pod = only_pod(cluster)
    assert container(pod)["ready"]
    assert display_status(pod) == "Running"


def test_failing_readiness_keeps_the_pod_running_but_not_ready():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/api:1.1-notready", replicas=2, readinessProbe=probe())
    cluster.step(60)
    for pod in pods(cluster):
        assert pod["status"]["phase"] == "Running"
        assert "running" in container(pod)["state"]
        assert container(pod)["restartCount"] == 0
        assert not container(pod)["ready"]
        conditions = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
        assert conditions["Ready"] == conditions["ContainersReady"] == "False"
        assert display_status(pod) == "Running"
    (rs,) = replica_sets(cluster, "app")
    assert rs["status"]["replicas"] == 2
    assert rs["status"]["readyReplicas"] == rs["status"]["availableReplicas"] == 0
    unhealthy = [e for e in cluster.recent_events() if e["reason"] == "Unhealthy"]
    assert unhealthy[0]["type"] == "Warning"
    assert (
        unhealthy[0]["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 503"
    )


def test_a_failing_liveness_probe_restarts_the_container():
    cluster = cluster_with("medium")
    deploy(cluster, image="ghcr.io/example/api:1.1-notready", livenessProbe=probe())
    cluster.step(22)  # started at 3; probes fail at 3, 13, 23
    assert container(only_pod(cluster))["restartCount"] == 0
    cluster.step(1)
    pod = only_pod(cluster)
    assert container(pod)["restartCount"] == 1
    assert container(pod)["lastState"]["terminated"]["exitCode"] == 137
    messages = [e["message"] for e in cluster.recent_events()]
    assert "Container app failed liveness probe, will be restarted" in messages
    assert "Liveness probe failed: HTTP probe failed with statuscode: 503" in messages


def test_a_startup_probe_holds_the_other_probes_until_it_succeeds():
    cluster = cluster_with("medium")
    deploy(
        cluster,
        image="ghcr.io/example/api:1.1-notready",
        startupProbe=probe(periodSeconds=5),
        readinessProbe=probe(),
    )
    cluster.step(12)  # started at 3; startup fails at 3, 8, 13
    pod = only_pod(cluster)
    assert container(pod)["started"] is False
    assert container(pod)["restartCount"] == 0
    cluster.step(1)
    assert container(only_pod(cluster))["restartCount"] == 1
    messages = [e["message"] for e in cluster.recent_events()]
    assert "Container app failed startup probe, will be restarted" in messages
    assert not any(m.startswith("Readiness probe failed") for m in messages)
    ok = cluster_with("medium")
    deploy(ok, startupProbe=probe(initialDelaySeconds=4), readinessProbe=probe())
    cluster = ok
    cluster.step(6)
    assert container(only_pod(cluster))["started"] is False
    cluster.step(1)
    assert container(only_pod(cluster))["started"]
    assert container(only_pod(cluster))["ready"]


def test_set_probe_patches_the_template_and_rolls_out():
    cluster = cluster_with("large")
    add_deployment(cluster, replicas=2)
    cluster.step(5)
    message = act(cluster, action="set_probe", deployment="web", probe="readiness", enabled=True)
    assert message == "deployment.apps/web patched"
    template = cluster.store.get("Deployment", "web")["spec"]["template"]
    assert template["spec"]["containers"][0]["readinessProbe"] == {
        "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
        "initialDelaySeconds": 0,
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    again = act(cluster, action="set_probe", deployment="web", probe="readiness", enabled=True)
    assert again == "deployment.apps/web patched (no change)"
    cluster.step(40)
    active = [p for p in pods(cluster) if not p["metadata"].get("deletionTimestamp")]
    assert len(active) == 2
    assert all(container(p)["ready"] for p in active)
    assert all("readinessProbe" in p["spec"]["containers"][0] for p in active)
    off = act(cluster, action="set_probe", deployment="web", probe="readiness", enabled=False)
    assert off == "deployment.apps/web patched"
    assert (
        "readinessProbe"
        not in cluster.store.get("Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    )


# A bad release, and rolling it back


def test_without_a_probe_a_bad_release_that_runs_5_seconds_rolls_through():
    """POD-9: no readiness probe, so each new pod is Ready while it runs (as in a real cluster)."""
    cluster = cluster_with("large", "large", "large")
    deploy(cluster, name="api", image="ghcr.io/example/api:1.0", replicas=10)
    cluster.step(10)
    act(cluster, action="set_image", deployment="api", image="ghcr.io/example/api:1.1-bad")
    cluster.step(120)
    active = [p for p in pods(cluster) if not p["metadata"].get("deletionTimestamp")]
    assert {p["spec"]["containers"][0]["image"] for p in active} == {"ghcr.io/example/api:1.1-bad"}
    assert all(display_status(p) == "CrashLoopBackOff" for p in active)


def test_a_bad_rollout_stalls_with_old_pods_available_and_rollback_heals_it():
    cluster = cluster_with("large", "large", "large")
    deploy(cluster, name="api", image="ghcr.io/example/api:1.0", replicas=10)
    cluster.step(10)
    act(cluster, action="set_probe", deployment="api", probe="readiness", enabled=True)
    cluster.step(60)
    assert cluster.store.get("Deployment", "api")["status"]["updatedReplicas"] == 10
    assert len(pods(cluster)) == 10
    act(cluster, action="set_image", deployment="api", image="ghcr.io/example/api:1.1-bad")
    cluster.step(120)
    d = cluster.store.get("Deployment", "api")
    assert d["status"]["availableReplicas"] >= 8
    by_image = {
        rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs
        for rs in replica_sets(cluster, "api")
        if "readinessProbe" in rs["spec"]["template"]["spec"]["containers"][0]
    }
    old, new = by_image["ghcr.io/example/api:1.0"], by_image["ghcr.io/example/api:1.1-bad"]
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (8, 5)  # 8 + 5 = 10 + surge 3
    assert old["status"]["availableReplicas"] >= 8
    assert new["status"]["availableReplicas"] == 0
    bad = [
        p
        for p in pods(cluster)
        if p["metadata"]["ownerReferences"][0]["uid"] == new["metadata"]["uid"]
        and not p["metadata"].get("deletionTimestamp")
    ]
    assert bad
    assert all(display_status(p) == "CrashLoopBackOff" for p in bad)
    assert all(p["status"]["phase"] == "Running" for p in bad)
    assert all(container(p)["restartCount"] >= 3 for p in bad)
    assert act(cluster, action="rollback", deployment="api") == "deployment.apps/api rolled back"
    cluster.step(60)
    d = cluster.store.get("Deployment", "api")
    assert d["status"]["availableReplicas"] == 10
    assert d["status"]["updatedReplicas"] == 10
    active = [p for p in pods(cluster) if not p["metadata"].get("deletionTimestamp")]
    assert len(active) == 10
    assert {p["spec"]["containers"][0]["image"] for p in active} == {"ghcr.io/example/api:1.0"}
    assert all(display_status(p) == "Running" for p in active)


# Determinism, persistence, refusals


def scenario(cluster):
    deploy(cluster, name="c", image="ghcr.io/example/crashy:2", replicas=2)
    deploy(
        cluster,
        name="n",
        image="ghcr.io/example/api:1.1-notready",
        livenessProbe=probe(),
        readinessProbe=probe(),
    )
    deploy(cluster, name="m", image="nginx:doesnotexist")
    deploy(cluster, name="w", replicas=2)
    cluster.step(30)


def test_crash_loops_and_probes_are_deterministic_and_round_trip():
    first, second = cluster_with("large"), cluster_with("large")
    scenario(first)
    scenario(second)
    assert first.to_state() == second.to_state()
    assert first.take_changes() == second.take_changes()
    copy = Cluster.from_state(json.loads(json.dumps(first.to_state())))
    for cluster in (first, copy):
        cluster.step(95)
        act(cluster, action="crash_pod", name=pods(cluster, "w-")[0]["metadata"]["name"])
        cluster.step(40)
    assert first.to_state() == copy.to_state()
    assert first.recent_events() == copy.recent_events()


@pytest.mark.parametrize(
    "action",
    [
        {"action": "crash_pod", "name": "nope"},
        {"action": "crash_pod"},
        {"action": "crash_pod", "name": 3},
        {"action": "set_probe", "deployment": "web", "probe": "startup", "enabled": True},
        {"action": "set_probe", "deployment": "web", "probe": "readiness", "enabled": "yes"},
        {"action": "set_probe", "deployment": "nope", "probe": "readiness", "enabled": True},
        {"action": "set_probe", "deployment": "web", "probe": "readiness"},
    ],
)
def test_bad_arguments_change_nothing(demo, action):
    before = demo.to_state()
    with pytest.raises(ActionError):
        demo.apply(action)
    assert demo.to_state() == before


def test_crashing_a_pod_that_does_not_run_is_refused_without_a_change():
    cluster = cluster_with("medium")
    deploy(cluster, image="nginx:doesnotexist")
    cluster.step(5)
    before = cluster.to_state()
    with pytest.raises(ActionError, match="is not running"):
        cluster.apply({"action": "crash_pod", "name": only_pod(cluster)["metadata"]["name"]})
    assert cluster.to_state() == before


def test_the_new_actions_are_listed():
    assert {"crash_pod", "set_probe"} <= set(ACTION_NAMES)


def test_saving_and_loading_around_every_tick_through_crashes_and_probes():
    """The Django side reloads the state for every tick: crash loops, pull back-offs and
    probe workers must carry on exactly as in a cluster kept in memory."""
    kept = Cluster.demo(seed=11)
    kept.take_changes()
    state = kept.to_state()
    seen = set()

    def both(change):
        nonlocal state
        change(kept)
        cluster = Cluster.from_state(json.loads(json.dumps(state)))
        change(cluster)
        state = cluster.to_state()
        changes, events = kept.take_changes()
        assert cluster.take_changes() == (changes, events)
        seen.update(event["reason"] for event in events)

    def web_pod(cluster):
        return next(
            p["metadata"]["name"]
            for p in pods(cluster, "web-")
            if "running" in p["status"]["containerStatuses"][0]["state"]
            and not p["metadata"].get("deletionTimestamp")
        )

    for action in (
        {"action": "set_probe", "deployment": "web", "probe": "liveness", "enabled": True},
        {"action": "set_image", "deployment": "api", "image": "ghcr.io/example/api:1.1-bad"},
        None,
        {"action": "set_image", "deployment": "web", "image": "ghcr.io/example/hang:1"},
        {"action": "rollback", "deployment": "web"},
        {"action": "set_image", "deployment": "api", "image": "nginx:doesnotexist"},
        {"action": "rollback", "deployment": "api"},
    ):
        if action is None:
            both(lambda c: (c.apply({"action": "crash_pod", "name": web_pod(c)}), c.reconcile()))
        else:
            both(lambda c, action=action: (c.apply(action), c.reconcile()))
        for _ in range(15):
            both(lambda c: c.step(2.5))
    assert state == kept.to_state()
    assert {"BackOff", "Killing", "Unhealthy", "Failed"} <= seen

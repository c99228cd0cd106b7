"""Pods consuming ConfigMaps and Secrets: env frozen at start, volumes following (CFG-1..CFG-3)."""

import json

from cluster_sim import Cluster
from cluster_sim.config_demo import add_demo_config
from cluster_sim.kubelet_config import PROPAGATION_SECONDS, SEEN_ANNOTATION, next_sync
from cluster_sim.objects import new_deployment
from cluster_sim.podutil import display_status
from cluster_sim.timestamps import rfc3339
from tests.cluster_sim.conftest import act, cluster_with, pods, reasons


def web(cluster, *uses, replicas=1, name="web"):
    """A Deployment whose very first template consumes the given (kind, name, as, extra)."""
    cluster.store.create(
        new_deployment(
            cluster,
            name,
            image="nginx:1.27",
            container_name=name,
            cpu="250m",
            memory="128Mi",
            replicas=replicas,
        )
    )
    for kind, source, how, extra in uses:
        cluster.apply(
            {
                "action": "use_config",
                "deployment": name,
                "kind": kind,
                "name": source,
                "as": how,
                **extra,
            }
        )
    cluster.reconcile()


def seen(pod):
    return json.loads(pod["metadata"]["annotations"][SEEN_ANNOTATION])


def version(cluster, kind, name):
    return cluster.store.get(kind, name)["metadata"]["resourceVersion"]


def container(pod):
    return pod["status"]["containerStatuses"][0]


def live(cluster, name):
    return cluster.store.get("Pod", name)


# Env (CFG-1)


def test_env_is_frozen_at_container_start_and_read_again_at_a_restart():
    cluster = cluster_with("medium")
    act(cluster, action="create_configmap", name="app", data={"GREETING": "hi"})
    first = version(cluster, "ConfigMap", "app")
    web(cluster, ("ConfigMap", "app", "env", {}))
    cluster.step(5)
    (pod,) = pods(cluster)
    assert seen(pod) == {"configmap/app": {"env": first, "volume": None}}
    started = container(pod)["state"]["running"]["startedAt"]
    act(cluster, action="update_configmap", name="app", data={"GREETING": "bye"})
    second = version(cluster, "ConfigMap", "app")
    cluster.step(300)
    (pod,) = pods(cluster)
    assert seen(pod)["configmap/app"]["env"] == first  # no restart, no rollout
    assert container(pod)["state"]["running"]["startedAt"] == started
    assert container(pod)["restartCount"] == 0
    act(cluster, action="crash_pod", name=pod["metadata"]["name"])
    (pod,) = pods(cluster)
    assert container(pod)["restartCount"] == 1
    assert seen(pod)["configmap/app"]["env"] == second


def test_a_missing_configmap_blocks_the_start_until_it_exists():
    cluster = cluster_with("medium")
    web(cluster, ("ConfigMap", "app", "env", {}))
    cluster.step(4)  # pulled at 3 s, then the env cannot be built
    (pod,) = pods(cluster)
    assert container(pod)["state"] == {
        "waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "app" not found'}
    }
    assert pod["status"]["phase"] == "Pending"
    assert display_status(pod) == "CreateContainerConfigError"
    assert seen(pod) == {"configmap/app": {"env": "missing", "volume": None}}
    events = cluster.recent_events()
    assert [(e["reason"], e["message"]) for e in events[-2:]] == [
        ("Pulled", events[-2]["message"]),
        ("Failed", 'Error: configmap "app" not found'),
    ]
    assert events[-2]["message"].startswith('Successfully pulled image "nginx:1.27"')
    assert events[-1]["type"] == "Warning"
    assert events[-1]["involvedObject"]["fieldPath"] == "spec.containers{web}"
    cluster.step(10)  # the pod worker retries 10 s after the failed sync
    (failed,) = reasons(cluster.recent_events(), "Failed")
    assert failed["count"] == 2
    assert reasons(cluster.recent_events(), "Pulled")[-1]["message"] == (
        'Container image "nginx:1.27" already present on machine'
    )
    act(cluster, action="create_configmap", name="app", data={"GREETING": "hi"})
    assert cluster.now == 14
    cluster.step(8)
    assert "waiting" in container(pods(cluster)[0])["state"]
    cluster.step(1)  # the retry at 23 s
    (pod,) = pods(cluster)
    assert container(pod)["state"] == {"running": {"startedAt": rfc3339(23)}}
    assert (container(pod)["ready"], container(pod)["restartCount"]) == (True, 0)
    assert pod["status"]["phase"] == "Running"
    assert seen(pod)["configmap/app"]["env"] == version(cluster, "ConfigMap", "app")


def test_a_missing_secret_and_a_missing_key_say_so():
    cluster = cluster_with("medium")
    web(cluster, ("Secret", "db", "env", {}))
    cluster.step(4)
    assert container(pods(cluster)[0])["state"]["waiting"]["message"] == 'secret "db" not found'

    cluster = cluster_with("medium")
    act(cluster, action="create_configmap", name="app", data={"GREETING": "hi"})
    web(cluster, ("ConfigMap", "app", "env", {"key": "LOG_LEVEL"}))
    cluster.step(4)
    assert container(pods(cluster)[0])["state"]["waiting"] == {
        "reason": "CreateContainerConfigError",
        "message": "couldn't find key LOG_LEVEL in ConfigMap default/app",
    }
    act(cluster, action="update_configmap", name="app", data={"LOG_LEVEL": "debug"})
    cluster.step(10)
    assert "running" in container(pods(cluster)[0])["state"]


def test_optional_sources_do_not_block():
    cluster = cluster_with("medium")
    web(
        cluster,
        ("ConfigMap", "app", "env", {"optional": True}),
        ("Secret", "db", "volume", {"optional": True}),
    )
    cluster.step(3)
    (pod,) = pods(cluster)
    assert "running" in container(pod)["state"]
    assert seen(pod) == {
        "configmap/app": {"env": "absent", "volume": None},
        "secret/db": {"env": None, "volume": "absent"},
    }
    assert not reasons(cluster.recent_events(), "FailedMount")


# Volumes (CFG-2)


def test_a_missing_volume_source_keeps_the_pod_creating_with_failed_mount_events():
    cluster = cluster_with("medium")
    web(cluster, ("ConfigMap", "app", "volume", {}))
    cluster.step(20)
    (pod,) = pods(cluster)
    assert display_status(pod) == "ContainerCreating"
    assert "podIP" not in pod["status"]  # no sandbox before the volumes are set up
    assert pod["status"]["startTime"] == rfc3339(0)
    conditions = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
    assert conditions["PodReadyToStartContainers"] == "False"
    assert seen(pod) == {"configmap/app": {"env": None, "volume": "missing"}}
    (failed,) = reasons(cluster.recent_events(), "FailedMount")
    assert (
        failed["message"] == 'MountVolume.SetUp failed for volume "app" : configmap "app" not found'
    )
    assert failed["type"] == "Warning"
    assert failed["source"] == {"component": "kubelet", "host": "ship-1"}
    assert failed["count"] == 6  # tries at 0, 1, 2, 4, 8, 16 s: back-off 0.5 s doubling
    assert not reasons(cluster.recent_events(), "Pulling")
    act(cluster, action="create_configmap", name="app", data={"index.html": "<h1>hi</h1>"})
    cluster.step(11)
    assert "podIP" not in pods(cluster)[0]["status"]  # the next try is at 32 s
    cluster.step(1)
    (pod,) = pods(cluster)
    assert pod["status"]["podIP"].startswith("10.244.")
    assert pod["status"]["startTime"] == rfc3339(0)
    assert seen(pod)["configmap/app"]["volume"] == version(cluster, "ConfigMap", "app")
    cluster.step(3)  # then the image pull as for any pod
    assert container(pods(cluster)[0])["state"] == {"running": {"startedAt": rfc3339(35)}}


def test_volume_files_change_at_each_pods_own_sync_plus_the_propagation_delay():
    cluster = cluster_with("large")
    act(cluster, action="create_configmap", name="app", data={"v": "1"})
    first = version(cluster, "ConfigMap", "app")
    web(cluster, ("ConfigMap", "app", "volume", {}), replicas=2)
    cluster.step(5)
    assert [seen(p)["configmap/app"]["volume"] for p in pods(cluster)] == [first, first]
    updated_at = cluster.now
    act(cluster, action="update_configmap", name="app", data={"v": "2"})
    second = version(cluster, "ConfigMap", "app")
    syncs = sorted(
        (next_sync(cluster.kubelet, pod), pod["metadata"]["name"]) for pod in pods(cluster)
    )
    assert all(updated_at < at <= updated_at + 60 for at, _ in syncs)
    assert syncs[0][0] != syncs[1][0]  # each pod has its own phase
    (early_sync, early), (late_sync, late) = syncs
    cluster.step(round(early_sync - cluster.now - 0.001, 6))
    assert seen(live(cluster, early))["configmap/app"]["volume"] == first  # not before its sync
    cluster.step(0.001)  # the sync reads version 2 ...
    assert seen(live(cluster, early))["configmap/app"]["volume"] == first
    cluster.step(PROPAGATION_SECONDS)  # ... and the files change a moment later
    assert seen(live(cluster, early))["configmap/app"]["volume"] == second
    if late_sync > cluster.now:
        assert seen(live(cluster, late))["configmap/app"]["volume"] == first
    cluster.step(round(late_sync + PROPAGATION_SECONDS - cluster.now, 6))
    assert seen(live(cluster, late))["configmap/app"]["volume"] == second
    for pod in pods(cluster):
        assert container(pod)["restartCount"] == 0
        assert next_sync(cluster.kubelet, pod) > cluster.now  # every 60 s from now on


def test_a_subpath_file_never_follows_the_object_until_the_container_restarts():
    cluster = cluster_with("medium")
    act(cluster, action="create_configmap", name="app", data={"nginx.conf": "v1"})
    first = version(cluster, "ConfigMap", "app")
    web(cluster, ("ConfigMap", "app", "volume", {"subPath": "nginx.conf"}))
    spec = cluster.store.get("Deployment", "web")["spec"]["template"]["spec"]
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": "app", "mountPath": "/etc/config/app/nginx.conf", "subPath": "nginx.conf"}
    ]
    cluster.step(5)
    act(cluster, action="update_configmap", name="app", data={"nginx.conf": "v2"})
    second = version(cluster, "ConfigMap", "app")
    cluster.step(125)  # two periodic syncs: the volume itself has the new files ...
    (pod,) = pods(cluster)
    assert cluster.kubelet.config[pod["metadata"]["uid"]]["volumes"]["app"]["seen"] == second
    assert seen(pod) == {"configmap/app": {"env": None, "volume": first}}  # ... the file not
    act(cluster, action="crash_pod", name=pod["metadata"]["name"])
    assert seen(pods(cluster)[0]) == {"configmap/app": {"env": None, "volume": second}}


def test_a_deleted_source_keeps_the_old_files_and_blocks_the_next_start():
    cluster = cluster_with("medium")
    act(cluster, action="create_configmap", name="app", data={"v": "1"})
    first = version(cluster, "ConfigMap", "app")
    web(cluster, ("ConfigMap", "app", "volume", {}), ("ConfigMap", "app", "env", {}))
    cluster.step(5)
    (pod,) = pods(cluster)
    act(cluster, action="delete_configmap", name="app")
    cluster.step(next_sync(cluster.kubelet, pod) - cluster.now + 2)
    (pod,) = pods(cluster)
    assert seen(pod) == {"configmap/app": {"env": first, "volume": first}}
    assert reasons(cluster.recent_events(), "FailedMount")[-1]["message"] == (
        'MountVolume.SetUp failed for volume "app" : configmap "app" not found'
    )
    act(cluster, action="crash_pod", name=pod["metadata"]["name"])
    (pod,) = pods(cluster)
    assert container(pod)["state"]["waiting"]["reason"] == "CreateContainerConfigError"
    assert container(pod)["lastState"]["terminated"]["exitCode"] == 1
    act(cluster, action="create_configmap", name="app", data={"v": "2"})
    cluster.step(10)
    (pod,) = pods(cluster)
    assert "running" in container(pod)["state"]
    assert container(pod)["restartCount"] == 1  # the start after the crash is a restart
    assert seen(pod)["configmap/app"]["env"] == version(cluster, "ConfigMap", "app")


# Rolling out a change (CFG-3)


def test_roll_out_config_replaces_the_pods_and_the_new_ones_see_the_new_version():
    cluster = cluster_with("large")
    act(cluster, action="create_configmap", name="app", data={"v": "1"})
    web(cluster, ("ConfigMap", "app", "env", {}), replicas=3)
    cluster.step(5)
    old = {pod["metadata"]["name"] for pod in pods(cluster)}
    act(cluster, action="update_configmap", name="app", data={"v": "2"})
    second = version(cluster, "ConfigMap", "app")
    act(cluster, action="roll_out_config", deployment="web")
    cluster.step(60)
    fresh = [pod for pod in pods(cluster) if pod["metadata"]["name"] not in old]
    assert len(fresh) == 3
    assert len(pods(cluster)) == 3
    assert all(seen(pod)["configmap/app"]["env"] == second for pod in fresh)
    annotations = fresh[0]["metadata"]["annotations"]
    assert len(annotations["checksum/config"]) == 64


# Persistence and the demo


def run_scenario(cluster, start, stop):
    """A config story in numbered moments; any of them can be the save point."""
    moments = [
        lambda: act(cluster, action="create_configmap", name="app", data={"v": "1"}),
        lambda: web(cluster, ("ConfigMap", "app", "volume", {}), replicas=2),
        lambda: web(
            cluster, ("Secret", "db", "volume", {}), ("Secret", "db", "env", {}), name="api"
        ),
        lambda: cluster.step(7),
        lambda: act(cluster, action="update_configmap", name="app", data={"v": "2"}),
        lambda: cluster.step(next_sync(cluster.kubelet, pods(cluster, "web")[0]) - cluster.now),
        lambda: act(cluster, action="create_secret", name="db", stringData={"p": "x"}),
        lambda: cluster.step(150),
    ]
    for moment in moments[start:stop]:
        moment()


def test_state_round_trips_mid_way_with_pending_files_and_waiting_mounts():
    straight = cluster_with("large")
    run_scenario(straight, 0, 8)
    saved = cluster_with("large")
    run_scenario(saved, 0, 6)
    state = saved.to_state()
    assert any(
        volume["pending"]
        for entry in state["kubelet"]["config"]
        for volume in entry[1]["volumes"].values()
    )
    assert any(not entry[1]["mounted"] for entry in state["kubelet"]["config"])
    restored = Cluster.from_state(json.loads(json.dumps(state)))
    run_scenario(restored, 6, 8)
    assert restored.to_state() == straight.to_state()
    assert restored.recent_events() == straight.recent_events()
    for pod in pods(restored):  # by the end everything was created and mounted
        assert "missing" not in [value for use in seen(pod).values() for value in use.values()]


def test_pods_without_config_are_left_alone(demo):
    demo.step(120)
    assert demo.kubelet.config == {}
    assert all(SEEN_ANNOTATION not in (p["metadata"].get("annotations") or {}) for p in pods(demo))


def test_the_demo_helper_gives_web_a_configmap_and_api_a_secret():
    cluster = cluster_with("small", "medium", "large")
    for name, image in (("web", "nginx:1.27"), ("api", "ghcr.io/example/api:1.0")):
        cluster.store.create(
            new_deployment(
                cluster,
                name,
                image=image,
                container_name=name,
                cpu="250m",
                memory="128Mi",
                replicas=2,
            )
        )
    messages = add_demo_config(cluster)
    assert messages[:2] == ["configmap/web-config created", "secret/api-credentials created"]
    cluster.reconcile()
    cluster.step(10)
    configmap = version(cluster, "ConfigMap", "web-config")
    secret = version(cluster, "Secret", "api-credentials")
    for pod in pods(cluster, "web-"):
        assert seen(pod) == {"configmap/web-config": {"env": configmap, "volume": configmap}}
    for pod in pods(cluster, "api-"):
        assert seen(pod) == {"secret/api-credentials": {"env": secret, "volume": None}}

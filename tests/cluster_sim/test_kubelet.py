"""Pod start-up and termination on a node (POD-1..POD-3, POD-11)."""

from cluster_sim.images import image_id, image_size
from tests.cluster_sim.conftest import act, add_deployment, cluster_with, pods, reasons


def state_of(pod):
    return next(iter(pod["status"]["containerStatuses"][0]["state"]))


def test_a_new_image_is_pulled_for_three_seconds_then_the_container_starts():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    (pod,) = pods(cluster)
    assert pod["status"]["phase"] == "Pending"
    assert pod["status"]["containerStatuses"][0]["state"] == {
        "waiting": {"reason": "ContainerCreating"}
    }
    (pulling,) = reasons(cluster.recent_events(), "Pulling")
    assert pulling["message"] == 'Pulling image "nginx:1.27"'
    assert pulling["source"] == {"component": "kubelet", "host": "ship-1"}
    assert pulling["involvedObject"]["fieldPath"] == "spec.containers{web}"
    cluster.step(2)
    assert state_of(pods(cluster)[0]) == "waiting"
    cluster.step(1)
    (pod,) = pods(cluster)
    assert pod["status"]["phase"] == "Running"
    status = pod["status"]["containerStatuses"][0]
    assert (status["ready"], status["started"], status["restartCount"]) == (True, True, 0)
    assert status["state"]["running"]["startedAt"] == "2026-01-01T00:00:03Z"
    assert status["imageID"].startswith("docker.io/library/nginx@sha256:")
    events = cluster.recent_events()
    assert [e["message"] for e in events[-3:]] == [
        'Successfully pulled image "nginx:1.27" in 3s (3s including waiting).'
        f" Image size: {image_size('nginx:1.27')} bytes.",
        "Created container: web",
        "Started container web",
    ]


def test_a_present_image_starts_the_container_after_one_second():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    cluster.step(5)
    act(cluster, action="scale", deployment="web", replicas=2)
    cluster.step(1)
    newest = pods(cluster)[-1]
    assert newest["status"]["phase"] == "Running"
    pulled = reasons(cluster.recent_events(), "Pulled")[-1]
    assert pulled["message"] == 'Container image "nginx:1.27" already present on machine'


def test_the_node_remembers_pulled_images():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    cluster.step(3)
    images = cluster.store.get("Node", "ship-1")["status"]["images"]
    assert [entry["names"][1] for entry in images] == ["nginx:1.27"]


def test_a_running_pod_has_ips_conditions_and_its_qos_class():
    cluster = cluster_with("medium")
    add_deployment(cluster, replicas=2)
    cluster.step(3)
    first, second = pods(cluster)
    assert first["status"]["hostIP"] == "192.168.0.11"
    assert [first["status"]["podIP"], second["status"]["podIP"]] == ["10.244.1.2", "10.244.1.3"]
    assert first["status"]["qosClass"] == "Burstable"
    assert first["status"]["startTime"] == "2026-01-01T00:00:00Z"
    conditions = {c["type"]: c for c in first["status"]["conditions"]}
    assert set(conditions) == {
        "PodScheduled",
        "PodReadyToStartContainers",
        "Initialized",
        "ContainersReady",
        "Ready",
    }
    assert all(c["status"] == "True" for c in conditions.values())
    assert conditions["Ready"]["lastTransitionTime"] == "2026-01-01T00:00:03Z"


def test_a_deleted_pod_terminates_for_its_grace_period_then_disappears():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    cluster.step(10)
    name = pods(cluster)[0]["metadata"]["name"]
    cluster.take_changes()
    assert act(cluster, action="delete_pod", name=name) == f'pod "{name}" deleted'
    doomed = next(p for p in pods(cluster) if p["metadata"]["name"] == name)
    assert doomed["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:40Z"
    assert doomed["metadata"]["deletionGracePeriodSeconds"] == 30
    (killing,) = reasons(cluster.take_changes()[1], "Killing")
    assert killing["message"] == "Stopping container web"
    cluster.step(29)
    assert name in [p["metadata"]["name"] for p in pods(cluster)]
    cluster.step(1)
    assert name not in [p["metadata"]["name"] for p in pods(cluster)]
    changes, _ = cluster.take_changes()
    final = [
        c
        for c in changes
        if c["object"]["metadata"]["name"] == name and c["object"]["kind"] == "Pod"
    ]
    assert [c["type"] for c in final[-2:]] == ["MODIFIED", "DELETED"]
    last = final[-1]["object"]
    assert last["status"]["phase"] == "Failed"
    terminated = last["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (137, "Error")


def test_a_pod_still_creating_its_container_stops_at_once():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    name = pods(cluster)[0]["metadata"]["name"]
    act(cluster, action="delete_pod", name=name)
    assert name not in [p["metadata"]["name"] for p in pods(cluster)]
    assert reasons(cluster.recent_events(), "Killing") == []


def test_image_ids_name_the_full_repository():
    assert image_id("nginx:1.27").startswith("docker.io/library/nginx@sha256:")
    assert image_id("bitnami/redis:7").startswith("docker.io/bitnami/redis@sha256:")
    assert image_id("ghcr.io/example/api:1.0").startswith("ghcr.io/example/api@sha256:")
    assert image_id("localhost:5000/app").startswith("localhost:5000/app@sha256:")

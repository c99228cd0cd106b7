"""The official Python client (kubernetes 37.x, strict pydantic models) against the live
stack: typed list/read/create/patch/delete, the scale subresource, watch.stream with a
timeout, and every kind the playground serves deserialising without error."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from kubernetes import client, watch

from cluster_sim.manifests import KINDS

from .stored import stored_objects

# The client's model for each kind's list (core/v1 Event is CoreV1Event in the client).
LIST_MODELS = {
    "Namespace": "V1NamespaceList",
    "Node": "V1NodeList",
    "Pod": "V1PodList",
    "Service": "V1ServiceList",
    "ConfigMap": "V1ConfigMapList",
    "Secret": "V1SecretList",
    "Event": "CoreV1EventList",
    "Deployment": "V1DeploymentList",
    "ReplicaSet": "V1ReplicaSetList",
    "HorizontalPodAutoscaler": "V2HorizontalPodAutoscalerList",
    "PodDisruptionBudget": "V1PodDisruptionBudgetList",
    "PriorityClass": "V1PriorityClassList",
    "EndpointSlice": "V1EndpointSliceList",
    "Lease": "V1LeaseList",
}


@pytest.fixture(scope="module")
def api(server):
    configuration = client.Configuration(host=server)
    with client.ApiClient(configuration) as api_client:
        yield api_client


def deployment(name: str, replicas: int = 1) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "terminationGracePeriodSeconds": 1,
                    "containers": [
                        {
                            "name": name,
                            "image": "nginx:1.27",
                            "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}},
                        }
                    ],
                },
            },
        },
    }


def test_list_read_create_patch_delete(api, live_stack, playground_id):
    core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
    pods = core.list_namespaced_pod("default")
    assert len(pods.items) == 9
    assert all(p.status.container_statuses[0].image_id for p in pods.items)
    created = apps.create_namespaced_deployment("default", deployment("py"))
    assert created.metadata.name == "py"
    assert created.spec.strategy.rolling_update.max_surge == "25%"  # defaulted by the server
    assert apps.read_namespaced_deployment("py", "default").spec.replicas == 1
    patched = apps.patch_namespaced_deployment(
        "py",
        "default",
        {"spec": {"template": {"spec": {"containers": [{"name": "py", "image": "nginx:1.28"}]}}}},
    )
    assert patched.spec.template.spec.containers[0].image == "nginx:1.28"
    assert patched.spec.template.spec.containers[0].resources.requests["cpu"] == "50m"  # merged
    scale = apps.patch_namespaced_deployment_scale("py", "default", {"spec": {"replicas": 2}})
    assert scale.spec.replicas == 2
    assert apps.read_namespaced_deployment_scale("py", "default").status.selector == "app=py"
    stored = stored_objects(live_stack, playground_id, "Deployment")["py"]
    assert stored["spec"]["replicas"] == 2
    assert stored["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    with pytest.raises(client.ApiException) as conflict:
        apps.create_namespaced_deployment("default", deployment("py"))
    assert conflict.value.status == 409
    assert json.loads(conflict.value.body)["reason"] == "AlreadyExists"
    invalid = deployment("bad")
    invalid["spec"]["replicas"] = -1
    with pytest.raises(client.ApiException) as refused:
        apps.create_namespaced_deployment("default", invalid)
    assert (refused.value.status, json.loads(refused.value.body)["reason"]) == (422, "Invalid")
    assert "spec.replicas" in json.loads(refused.value.body)["message"]
    elsewhere = deployment("moved")
    elsewhere["metadata"]["namespace"] = "kube-system"
    with pytest.raises(client.ApiException) as mismatch:
        apps.create_namespaced_deployment("default", elsewhere)
    assert (mismatch.value.status, json.loads(mismatch.value.body)["reason"]) == (
        400,
        "BadRequest",
    )
    assert "bad" not in stored_objects(live_stack, playground_id, "Deployment")
    apps.delete_namespaced_deployment("py", "default")
    assert "py" not in stored_objects(live_stack, playground_id, "Deployment")
    with pytest.raises(client.ApiException) as missing:
        apps.read_namespaced_deployment("py", "default")
    assert missing.value.status == 404


def test_watch_stream_sends_current_state_then_changes(api):
    core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
    apps.create_namespaced_deployment("default", deployment("watched"))

    def scale_up_soon():
        time.sleep(1.5)
        apps.patch_namespaced_deployment_scale("watched", "default", {"spec": {"replicas": 2}})

    helper = threading.Thread(target=scale_up_soon)
    helper.start()
    events = []
    started = time.monotonic()
    for event in watch.Watch().stream(
        core.list_namespaced_pod, "default", label_selector="app=watched", timeout_seconds=5
    ):
        events.append((event["type"], event["object"].metadata.name))
    helper.join()
    assert time.monotonic() - started < 20  # the server ended the watch at its timeout
    assert events[0][0] == "ADDED"  # no resourceVersion: the current pod first
    names = {name for _, name in events}
    assert len(names) == 2, events  # then the second pod, as it was created and started
    assert all(kind in ("ADDED", "MODIFIED") for kind, _ in events)


def test_every_kind_deserialises(api, server):
    # A Service (the demo's own is web), ConfigMap, Secret, HPA, PDB and PriorityClass so no
    # list is empty but Leases.
    client.CoreV1Api(api).create_namespaced_service(
        "default",
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web-extra"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        },
    )
    client.CoreV1Api(api).create_namespaced_config_map(
        "default", {"metadata": {"name": "settings"}, "data": {"mode": "demo"}}
    )
    client.CoreV1Api(api).create_namespaced_secret(
        "default", {"metadata": {"name": "token"}, "stringData": {"token": "s3cret"}}
    )
    client.AutoscalingV2Api(api).create_namespaced_horizontal_pod_autoscaler(
        "default",
        {
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 2,
                "maxReplicas": 8,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 60},
                        },
                    }
                ],
            },
        },
    )
    client.PolicyV1Api(api).create_namespaced_pod_disruption_budget(
        "default",
        {
            "metadata": {"name": "web"},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}},
        },
    )
    client.SchedulingV1Api(api).create_priority_class({"metadata": {"name": "high"}, "value": 1000})
    time.sleep(1)  # a tick: EndpointSlices and the HPA's status follow
    assert set(LIST_MODELS) == set(KINDS)
    counts = {}
    for kind, entry in KINDS.items():
        base = f"/apis/{entry['group']}/{entry['version']}" if entry["group"] else "/api/v1"
        with urllib.request.urlopen(f"{server}{base}/{entry['plural']}") as response:
            text = response.read().decode()
        items = api.deserialize(text, LIST_MODELS[kind], "application/json").items
        counts[kind] = len(items)
        for item in items:
            assert item.metadata.name
    assert counts["Pod"] >= 9
    assert counts["Service"] >= 1
    assert counts["EndpointSlice"] >= 1
    assert counts["Event"] >= 1
    assert counts["HorizontalPodAutoscaler"] == 1


def test_unknown_playground_and_protobuf_bodies_get_status_errors(live_stack, server):
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{live_stack.url}/k8s/nosuchplayground/api")
    assert missing.value.code == 404
    assert json.loads(missing.value.read())["kind"] == "Status"
    request = urllib.request.Request(
        f"{server}/apis/apps/v1/namespaces/default/deployments",
        data=b"k8s\x00\n\x0f\n\x07apps/v1",
        headers={"Content-Type": "application/vnd.kubernetes.protobuf"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    status = json.loads(refused.value.read())
    assert (refused.value.code, status["reason"]) == (415, "UnsupportedMediaType")
    assert "--dry-run=client -o yaml | kubectl apply -f -" in status["message"]

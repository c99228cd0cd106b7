"""kubectl apply/create/replace of manifests (cluster_sim.manifests.apply)."""

import json

import pytest

from cluster_sim import Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.apply import apply_documents
from cluster_sim.manifests.export import export_manifests
from cluster_sim.manifests.read import get_object, list_objects
from cluster_sim.manifests.writers import LAST_APPLIED

from . import manifest_docs as docs


def base_cluster():
    cluster = Cluster.empty(seed=11)
    apply_documents(cluster, [docs.node("ship-1"), docs.deployment("web", 2)])
    cluster.step(10)
    return cluster


def _change_label(doc):
    doc["metadata"]["labels"] = {"team": "blue"}


def _change_data(doc):
    doc["data"] = {"greeting": "bonjour"}


def _change_string_data(doc):
    doc["stringData"] = {"password": "other"}


def _change_replicas(doc):
    doc["spec"]["replicas"] = 4


def _change_port(doc):
    doc["spec"]["ports"][0]["port"] = 8080


def _change_max(doc):
    doc["spec"]["maxReplicas"] = 9


def _change_min_available(doc):
    doc["spec"]["minAvailable"] = 2


def _change_description(doc):
    doc["description"] = "nightly batch jobs"


def _change_taints(doc):
    doc["spec"] = {"taints": [{"key": "gpu", "value": "yes", "effect": "NoSchedule"}]}


KINDS = [
    (docs.pod("p1"), "pod/p1", _change_label),
    (docs.node("ship-9"), "node/ship-9", _change_taints),
    (docs.deployment("shop", 2), "deployment.apps/shop", _change_replicas),
    (docs.service("web"), "service/web", _change_port),
    (docs.configmap(), "configmap/web-config", _change_data),
    (docs.secret(), "secret/creds", _change_string_data),
    (docs.hpa("web"), "horizontalpodautoscaler.autoscaling/web", _change_max),
    (docs.pdb(), "poddisruptionbudget.policy/web-pdb", _change_min_available),
    (docs.priority_class(), "priorityclass.scheduling.k8s.io/batch", _change_description),
]


@pytest.mark.parametrize(("doc", "prefix", "change"), KINDS, ids=[k[1] for k in KINDS])
def test_every_kind_is_created_unchanged_and_configured(doc, prefix, change):
    cluster = base_cluster()
    assert apply_documents(cluster, [doc]) == [f"{prefix} created"]
    version = cluster.store.resource_version
    assert apply_documents(cluster, [json.loads(json.dumps(doc))]) == [f"{prefix} unchanged"]
    assert cluster.store.resource_version == version  # unchanged writes nothing
    changed = json.loads(json.dumps(doc))
    change(changed)
    assert apply_documents(cluster, [changed]) == [f"{prefix} configured"]
    stored = get_object(cluster, doc["kind"], doc["metadata"]["name"])
    annotation = json.loads(stored["metadata"]["annotations"][LAST_APPLIED])
    if doc["kind"] not in ("Node", "PriorityClass"):  # kubectl fills in the namespace
        changed["metadata"]["namespace"] = "default"
    assert annotation == changed  # kubectl's last-applied-configuration, as sent


def test_a_label_change_is_configured_too():
    cluster = base_cluster()
    doc = docs.configmap()
    apply_documents(cluster, [doc])
    _change_label(doc)
    assert apply_documents(cluster, [doc]) == ["configmap/web-config configured"]
    assert get_object(cluster, "ConfigMap", "web-config")["metadata"]["labels"] == {"team": "blue"}


def test_a_whole_scenario_applied_to_an_empty_cluster_runs():
    cluster = Cluster.empty(seed=3)
    lines = apply_documents(cluster, docs.scenario())
    assert lines == [
        "node/ship-1 created",
        "node/ship-2 created",
        "configmap/web-config created",
        "deployment.apps/web created",
        "deployment.apps/api created",
        "service/web created",
        "horizontalpodautoscaler.autoscaling/web created",
    ]
    cluster.step(20)
    nodes = list_objects(cluster, "Node")
    assert [n["metadata"]["labels"]["playground.k8s/size"] for n in nodes] == ["medium", "large"]
    assert nodes[1]["status"]["allocatable"]["cpu"] == "8"
    running = [p for p in list_objects(cluster, "Pod") if p["status"]["phase"] == "Running"]
    assert len(running) == 5
    web = get_object(cluster, "Deployment", "web")
    assert web["status"]["availableReplicas"] == 3
    assert web["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }
    assert web["spec"]["revisionHistoryLimit"] == 10
    assert web["spec"]["progressDeadlineSeconds"] == 600
    pod_spec = web["spec"]["template"]["spec"]
    assert pod_spec["restartPolicy"] == "Always"
    assert pod_spec["terminationGracePeriodSeconds"] == 30
    assert pod_spec["dnsPolicy"] == "ClusterFirst"
    assert pod_spec["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    slices = list_objects(cluster, "EndpointSlice", label_selector="kubernetes.io/service-name=web")
    assert sum(len(s["endpoints"]) for s in slices) == 3
    service = get_object(cluster, "Service", "web")
    assert service["spec"]["clusterIP"].startswith("10.")
    assert service["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]


def test_an_applied_deployment_is_stored_like_a_clicked_one():
    applied = Cluster.empty(seed=1)
    apply_documents(applied, [docs.deployment("web", 2)])
    clicked = Cluster.demo(seed=1, config=False, traffic=False)
    ours = get_object(applied, "Deployment", "web")["spec"]
    theirs = get_object(clicked, "Deployment", "web")["spec"]
    assert set(ours) == set(theirs)
    assert set(ours["template"]["spec"]) == set(theirs["template"]["spec"])
    assert set(ours["template"]["spec"]["containers"][0]) == set(
        theirs["template"]["spec"]["containers"][0]
    )


def test_export_then_apply_to_a_fresh_cluster_round_trips():
    cluster = Cluster.demo(seed=4, config=False, traffic=False)
    for action in (
        {"action": "create_service", "name": "web", "deployment": "web", "type": "NodePort"},
        {"action": "create_hpa", "deployment": "web", "maxReplicas": 8, "cpuPercent": 50},
        {"action": "create_pdb", "deployment": "api", "minAvailable": 2},
        {"action": "create_configmap", "name": "cfg", "data": {"a": "1"}},
        {"action": "create_secret", "name": "creds", "stringData": {"password": "x"}},
        {"action": "taint_node", "name": "ship-1", "key": "k", "value": "v", "effect": "NoExecute"},
        {"action": "cordon", "name": "ship-2"},
        {"action": "set_probe", "deployment": "api", "probe": "readiness", "enabled": True},
    ):
        cluster.apply(action)
    cluster.step(5)
    exported = export_manifests(cluster)
    assert [d["kind"] for d in exported] == [
        "PriorityClass",
        "PriorityClass",
        "Node",
        "Node",
        "Node",
        "ConfigMap",
        "Secret",
        "Deployment",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ]
    for doc in exported:
        assert "status" not in doc or doc["kind"] == "Node"
        assert set(doc["metadata"]) <= {"name", "namespace", "labels", "annotations"}
    fresh = Cluster.empty(seed=99)
    apply_documents(fresh, exported)
    fresh.step(15)
    assert export_manifests(fresh) == exported
    node = get_object(fresh, "Node", "ship-2")
    assert node["spec"]["unschedulable"] is True


def test_apply_removes_what_the_manifest_no_longer_says_and_keeps_other_writers_changes():
    cluster = base_cluster()
    doc = docs.deployment("shop", 2)
    doc["spec"].pop("replicas")
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {
        "httpGet": {"path": "/healthz", "port": 80}
    }
    apply_documents(cluster, [doc])
    cluster.apply({"action": "scale", "deployment": "shop", "replicas": 5})  # kubectl scale
    del doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    assert apply_documents(cluster, [doc]) == ["deployment.apps/shop configured"]
    stored = get_object(cluster, "Deployment", "shop")
    assert stored["spec"]["replicas"] == 5  # never in the manifest: the live value stays
    assert "readinessProbe" not in stored["spec"]["template"]["spec"]["containers"][0]
    assert stored["metadata"]["generation"] == 3


def test_applied_probes_get_the_api_defaults():
    cluster = base_cluster()
    doc = docs.deployment("shop", 1)
    doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = {"tcpSocket": {"port": 80}}
    apply_documents(cluster, [doc])
    probe = get_object(cluster, "Deployment", "shop")["spec"]["template"]["spec"]["containers"][0][
        "livenessProbe"
    ]
    assert probe == {
        "tcpSocket": {"port": 80},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }


def test_create_refuses_an_existing_object_and_replace_a_missing_one():
    cluster = base_cluster()
    with pytest.raises(ManifestError) as error:
        apply_documents(cluster, [docs.deployment("web", 2)], mode="create")
    assert error.value.code == 409
    assert error.value.server_message == 'deployments.apps "web" already exists'
    with pytest.raises(ManifestError) as error:
        apply_documents(cluster, [docs.configmap("nope")], mode="replace")
    assert error.value.code == 404
    assert error.value.server_message == 'configmaps "nope" not found'


def test_replace_puts_the_whole_object_and_checks_its_resource_version():
    cluster = base_cluster()
    live = get_object(cluster, "Deployment", "web")
    live["spec"]["replicas"] = 4
    assert apply_documents(cluster, [live], mode="replace") == ["deployment.apps/web replaced"]
    assert get_object(cluster, "Deployment", "web")["spec"]["replicas"] == 4
    with pytest.raises(ManifestError) as error:
        apply_documents(cluster, [live], mode="replace")  # the old resourceVersion
    assert error.value.code == 409
    assert "the object has been modified" in error.value.server_message


def test_create_mode_takes_generate_name():
    cluster = base_cluster()
    doc = docs.configmap()
    doc["metadata"] = {"generateName": "cfg-"}
    [line] = apply_documents(cluster, [doc], mode="create")
    assert line.startswith("configmap/cfg-")
    assert line.endswith(" created")


def test_a_node_manifest_with_taints_and_labels_joins_as_a_ship():
    cluster = Cluster.empty(seed=2)
    doc = docs.node("gpu-1", "2", "4Gi")
    doc["metadata"]["labels"] = {"accelerator": "gpu"}
    doc["spec"] = {"taints": [{"key": "gpu", "value": "yes", "effect": "NoExecute"}]}
    assert apply_documents(cluster, [doc]) == ["node/gpu-1 created"]
    node = get_object(cluster, "Node", "gpu-1")
    assert node["metadata"]["labels"]["accelerator"] == "gpu"
    assert node["metadata"]["labels"]["playground.k8s/size"] == "small"
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == "gpu-1"
    assert node["spec"]["taints"][0]["timeAdded"] == "2026-01-01T00:00:00Z"
    assert node["status"]["conditions"][-1]["type"] == "Ready"
    doc["spec"] = {"unschedulable": True}
    assert apply_documents(cluster, [doc]) == ["node/gpu-1 configured"]
    node = get_object(cluster, "Node", "gpu-1")
    assert node["spec"]["taints"] == [
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
    ]
    reasons = [e["reason"] for e in list_objects(cluster, "Event")]
    assert "NodeNotSchedulable" in reasons


def test_the_action_applies_a_list_and_joins_the_lines():
    cluster = Cluster.empty(seed=5)
    message = cluster.apply({"action": "apply_manifest", "documents": docs.scenario()[:3]})
    assert message == "node/ship-1 created\nnode/ship-2 created\nconfigmap/web-config created"


def test_a_pod_made_by_hand_is_admitted_scheduled_and_started():
    cluster = base_cluster()
    assert apply_documents(cluster, [docs.pod("p1")], mode="create") == ["pod/p1 created"]
    pod = get_object(cluster, "Pod", "p1")
    assert "ownerReferences" not in pod["metadata"]
    assert pod["spec"]["priority"] == 0
    assert [t["key"] for t in pod["spec"]["tolerations"]] == [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ]
    assert pod["status"]["qosClass"] == "BestEffort"
    cluster.step(6)
    pod = get_object(cluster, "Pod", "p1")
    assert pod["spec"]["nodeName"] == "ship-1"
    assert pod["status"]["phase"] == "Running"
    changed = docs.pod("p1", "nginx:1.28")
    with pytest.raises(ManifestError) as error:
        apply_documents(cluster, [changed])
    assert error.value.server_message.startswith('Pod "p1" is invalid: spec: Forbidden')


def test_a_service_switches_type_and_keeps_its_address():
    cluster = base_cluster()
    apply_documents(cluster, [docs.service("web")])
    address = get_object(cluster, "Service", "web")["spec"]["clusterIP"]
    assert apply_documents(cluster, [docs.service("web", type_="NodePort")]) == [
        "service/web configured"
    ]
    spec = get_object(cluster, "Service", "web")["spec"]
    assert spec["clusterIP"] == address
    node_port = spec["ports"][0]["nodePort"]
    assert 30086 <= node_port <= 32767  # the dynamic (upper) band
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert apply_documents(cluster, [docs.service("web", type_="NodePort")]) == [
        "service/web unchanged"
    ]
    assert get_object(cluster, "Service", "web")["spec"]["ports"][0]["nodePort"] == node_port
    apply_documents(cluster, [docs.service("web")])
    spec = get_object(cluster, "Service", "web")["spec"]
    assert "nodePort" not in spec["ports"][0]
    assert "externalTrafficPolicy" not in spec
    assert spec["clusterIP"] == address


def test_an_hpa_from_a_manifest_scales_like_a_clicked_one():
    cluster = base_cluster()
    apply_documents(cluster, [docs.hpa("web-scaler", target="web", cpu=50)])
    cluster.step(20)
    hpa = get_object(cluster, "HorizontalPodAutoscaler", "web-scaler")
    assert hpa["spec"]["minReplicas"] == 2
    assert get_object(cluster, "Deployment", "web")["spec"]["replicas"] == 2
    assert [c["type"] for c in hpa["status"]["conditions"]][:2] == ["AbleToScale", "ScalingActive"]
    doc = docs.hpa("web-scaler", target="web", cpu=50)
    doc["spec"]["minReplicas"] = 3
    assert apply_documents(cluster, [doc]) == [
        "horizontalpodautoscaler.autoscaling/web-scaler configured"
    ]
    cluster.step(16)
    assert get_object(cluster, "Deployment", "web")["spec"]["replicas"] == 3
    # The controller's memory stays with the object across applies.
    hpa = get_object(cluster, "HorizontalPodAutoscaler", "web-scaler")
    assert "playground.k8s/hpa-calc" in hpa["metadata"]["annotations"]
    assert hpa["metadata"]["generation"] == 2


def test_a_list_stands_for_its_items():
    cluster = base_cluster()
    listed = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [docs.configmap("a"), docs.configmap("b")],
    }
    assert apply_documents(cluster, [listed, None]) == [
        "configmap/a created",
        "configmap/b created",
    ]


def test_yaml_timestamps_arrive_as_strings():
    import datetime

    cluster = base_cluster()
    doc = docs.configmap("dates", {"day": datetime.date(2026, 1, 2)})
    doc["metadata"]["creationTimestamp"] = datetime.datetime(2026, 1, 1, 12, 0)
    assert apply_documents(cluster, [doc]) == ["configmap/dates created"]
    assert get_object(cluster, "ConfigMap", "dates")["data"] == {"day": "2026-01-02"}
    json.dumps(cluster.to_state())  # still JSON-safe


def test_applying_is_deterministic_and_survives_a_state_round_trip():
    def run():
        cluster = Cluster.empty(seed=21)
        apply_documents(cluster, docs.scenario())
        cluster.step(3)
        return cluster

    first, second = run(), run()
    assert first.to_state() == second.to_state()
    restored = Cluster.from_state(json.loads(json.dumps(first.to_state())))
    first.step(30)
    restored.step(30)
    assert restored.to_state() == first.to_state()


def test_a_server_dry_run_checks_everything_and_stores_nothing():
    cluster = base_cluster()
    before = cluster.to_state()
    lines = apply_documents(cluster, [docs.configmap("a"), docs.deployment("web", 5)], dry_run=True)
    assert lines == [
        "configmap/a created (server dry run)",
        "deployment.apps/web configured (server dry run)",
    ]
    assert cluster.to_state() == before
    with pytest.raises(ManifestError):
        apply_documents(cluster, [docs.deployment("web", -1)], dry_run=True)

"""The console's kubectl: parsing, the verbs through the engine's actions, kubectl's texts."""

import json

import pytest

from cluster_sim.cluster import Cluster
from cluster_sim.errors import ActionError
from cluster_sim.kubectl_cli import reads_only, run, wants_yaml
from cluster_sim.kubectl_cli.args import CliError, split


@pytest.fixture
def cluster():
    c = Cluster.demo(seed=1, config=False, traffic=False)
    for _ in range(60):
        c.step(1)
    return c


def ok(cluster, command):
    text, code = run(cluster, command)
    assert code == 0, text
    return text


def fails(cluster, command):
    text, code = run(cluster, command)
    assert code == 1
    return text


def pod_names(cluster, app="web"):
    return sorted(
        p["metadata"]["name"]
        for p in cluster.store.list("Pod")
        if p["metadata"]["labels"]["app"] == app
    )


def test_split_flags_and_words():
    line = split("kubectl get pods -n default -o=wide -l app=web --show-labels -A")
    assert line.words == ["get", "pods"]
    assert line.flags == {
        "namespace": "default",
        "output": "wide",
        "selector": "app=web",
        "show-labels": True,
        "all-namespaces": True,
    }
    assert split("scale deploy/web --replicas 3").flags == {"replicas": "3"}
    with pytest.raises(CliError, match="unknown shorthand flag: 'z'"):
        split("get pods -z")


def test_get_pods_table_sorted_by_name(cluster):
    lines = ok(cluster, "kubectl get pods").splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [line.split()[0] for line in lines[1:]] == pod_names(cluster, "api") + pod_names(cluster)
    assert lines[1].split()[1:] == ["1/1", "Running", "0", "70s"]


def test_get_errors_as_kubectl_words_them(cluster):
    assert fails(cluster, "get foo") == 'error: the server doesn\'t have a resource type "foo"'
    assert fails(cluster, "get pods x") == 'Error from server (NotFound): pods "x" not found'
    assert fails(cluster, "get deploy nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found'
    )
    assert ok(cluster, "get hpa") == "No resources found in default namespace."


def test_get_wide_labels_name_json_and_several_kinds(cluster):
    wide = ok(cluster, "get pods -l app=api -o wide").splitlines()
    assert wide[0].split()[-4:] == ["NODE", "NOMINATED", "NODE", "READINESS", "GATES"][-4:]
    assert len(wide) == 4
    assert ok(cluster, "get deploy -o name").splitlines() == [
        "deployment.apps/api",
        "deployment.apps/web",
    ]
    single = json.loads(ok(cluster, "get deployment web -o json"))
    assert single["kind"] == "Deployment"
    listed = json.loads(ok(cluster, "get deployments -o yaml"))
    assert listed["kind"] == "List"
    assert [d["metadata"]["name"] for d in listed["items"]] == ["api", "web"]
    both = ok(cluster, "get deploy,rs")
    assert "deployment.apps/web" in both
    assert "\n\nNAME" in both
    assert "replicaset.apps/web-" in both
    assert "app=web,pod-template-hash=" in ok(cluster, "get pods --show-labels")


def test_yaml_requests_are_recognised():
    assert wants_yaml("kubectl get deploy web -o yaml")
    assert not wants_yaml("kubectl get deploy web -o json")
    assert not wants_yaml("kubectl describe deploy web")


def test_scale_and_rollout_status(cluster):
    assert ok(cluster, "kubectl scale deployment web --replicas=8") == "deployment.apps/web scaled"
    assert cluster.store.get("Deployment", "web")["spec"]["replicas"] == 8
    assert fails(cluster, "scale deployment web") == 'error: required flag(s) "replicas" not set'
    assert fails(cluster, "scale deployment nope --replicas=2") == (
        'Error from server (NotFound): deployments.apps "nope" not found'
    )
    for _ in range(30):
        cluster.step(1)
    assert ok(cluster, "rollout status deployment/web") == (
        'deployment "web" successfully rolled out'
    )
    ok(cluster, "set image deployment/web web=nginx:1.28")
    cluster.reconcile()
    assert ok(cluster, "rollout status deploy web").startswith(
        'Waiting for deployment "web" rollout to finish: '
    )


def test_rollout_history_undo_to_revision_and_restart(cluster):
    ok(cluster, "set image deployment/web web=nginx:1.28")
    for _ in range(60):
        cluster.step(1)
    assert ok(cluster, "rollout history deployment/web").splitlines() == [
        "deployment.apps/web ",
        "REVISION  CHANGE-CAUSE",
        "1         <none>",
        "2         <none>",
    ]
    assert fails(cluster, "rollout undo deployment/web --to-revision=7") == (
        "error: unable to find specified revision 7 in history"
    )
    assert ok(cluster, "rollout undo deployment/web --to-revision=1") == (
        "deployment.apps/web rolled back"
    )
    image = cluster.store.get("Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert image["image"] == "nginx:1.27"
    assert ok(cluster, "rollout restart deployment web") == "deployment.apps/web restarted"
    template = cluster.store.get("Deployment", "web")["spec"]["template"]
    assert "kubectl.kubernetes.io/restartedAt" in template["metadata"]["annotations"]


def replica_sets(cluster, app="web"):
    return sorted(
        rs["metadata"]["name"]
        for rs in cluster.store.list("ReplicaSet")
        if rs["metadata"]["labels"]["app"] == app
    )


def test_rollout_pause_resume_are_the_rollout_actions(cluster):
    """DEP-10: a paused deployment keeps its ReplicaSets through a template change; resume
    rolls it out. The refusals are the rollout actions' words with kubectl's prefix."""
    before = replica_sets(cluster)
    assert fails(cluster, "rollout resume deployment/web") == (
        'error: deployments.apps "web" is not paused'
    )
    assert ok(cluster, "rollout pause deployment/web") == "deployment.apps/web paused"
    assert cluster.store.get("Deployment", "web")["spec"]["paused"] is True
    assert fails(cluster, "rollout pause deploy web") == (
        'error: deployments.apps "web" is already paused'
    )
    assert fails(cluster, "rollout restart deployment/web") == (
        'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)'
    )
    assert fails(cluster, "rollout undo deployment/web") == (
        "error: you cannot rollback a paused deployment; resume it first with "
        "'kubectl rollout resume' and try again"
    )
    ok(cluster, "set image deployment/web web=nginx:1.28")
    for _ in range(30):
        cluster.step(1)
    assert replica_sets(cluster) == before
    assert ok(cluster, "rollout resume deployment/web") == "deployment.apps/web resumed"
    assert "paused" not in cluster.store.get("Deployment", "web")["spec"]
    for _ in range(60):
        cluster.step(1)
    assert len(replica_sets(cluster)) == len(before) + 1
    assert ok(cluster, "rollout status deployment/web") == (
        'deployment "web" successfully rolled out'
    )
    assert ok(cluster, "rollout undo deployment/web") == "deployment.apps/web rolled back"
    assert fails(cluster, "rollout undo deployment/web --to-revision=9") == (
        "error: unable to find specified revision 9 in history"
    )


def test_nodes_cordon_taint_label(cluster):
    assert ok(cluster, "cordon ship-1") == "node/ship-1 cordoned"
    assert "Ready,SchedulingDisabled" in ok(cluster, "get nodes")
    assert ok(cluster, "uncordon ship-1") == "node/ship-1 uncordoned"
    assert (
        fails(cluster, "cordon ship-9") == 'Error from server (NotFound): nodes "ship-9" not found'
    )
    assert ok(cluster, "taint nodes ship-2 dedicated=gpu:NoSchedule") == "node/ship-2 tainted"
    taints = cluster.store.get("Node", "ship-2")["spec"]["taints"]
    assert taints == [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]
    assert ok(cluster, "taint nodes ship-2 dedicated-") == "node/ship-2 untainted"
    assert "taints" not in cluster.store.get("Node", "ship-2")["spec"]
    assert ok(cluster, "label nodes ship-2 disk=ssd") == "node/ship-2 labeled"
    assert fails(cluster, "label nodes ship-2 disk=hdd") == (
        "error: 'disk' already has a value (ssd), and --overwrite is false"
    )
    assert ok(cluster, "label nodes ship-2 disk=hdd --overwrite") == "node/ship-2 labeled"
    assert cluster.store.get("Node", "ship-2")["metadata"]["labels"]["disk"] == "hdd"
    assert ok(cluster, "label nodes ship-2 disk-") == "node/ship-2 unlabeled"


def test_drain_evicts_and_delete_pod(cluster):
    text = ok(cluster, "drain ship-3")
    assert text.splitlines()[0] == "node/ship-3 cordoned"
    assert text.splitlines()[-1] == "node/ship-3 drained"
    name = pod_names(cluster)[0]
    assert ok(cluster, f"delete pod {name}") == f'pod "{name}" deleted'


def test_describe_deployment_and_pod(cluster):
    text = ok(cluster, "describe deployment web")
    assert (
        "Replicas:               6 desired | 6 updated | 6 total | 6 available | 0 unavailable"
        in text
    )
    assert "NewReplicaSet:" in text
    assert "ScalingReplicaSet" in text
    pod = ok(cluster, f"describe pod {pod_names(cluster)[0]}")
    assert pod.startswith("Name:")
    assert "Controlled By:  ReplicaSet/web-" in pod
    assert fails(cluster, "describe pod x") == 'Error from server (NotFound): pods "x" not found'


def test_logs_and_unknown_commands(cluster):
    lines = ok(cluster, f"logs {pod_names(cluster)[0]} --tail=2").splitlines()
    assert len(lines) == 2
    assert "kube-probe" in lines[0]
    text = fails(cluster, "kubectl frobnicate")
    assert text.startswith('error: unknown command "frobnicate" for "kubectl"')
    assert "kubectl scale deployment NAME --replicas=N" in text


def test_the_kubectl_action_raises_kubectl_errors(cluster):
    assert cluster.apply({"action": "kubectl", "command": "kubectl get deploy -o name"}) == (
        "deployment.apps/api\ndeployment.apps/web"
    )
    with pytest.raises(ActionError, match=r'pods "x" not found'):
        cluster.apply({"action": "kubectl", "command": "get pod x"})
    with pytest.raises(ActionError, match="documents must be a list"):
        cluster.apply({"action": "kubectl", "command": "apply -f -", "documents": "x"})


SHOP = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "shop"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "shop"}},
        "template": {
            "metadata": {"labels": {"app": "shop"}},
            "spec": {"containers": [{"name": "shop", "image": "nginx:1.27"}]},
        },
    },
}


def test_apply_from_stdin_documents(cluster):
    assert fails(cluster, "apply -f shop.yaml").startswith("error: the console applies pasted")
    text, code = run(cluster, "kubectl apply -f -", [SHOP])
    assert (text, code) == ("deployment.apps/shop created", 0)
    assert cluster.store.get("Deployment", "shop")["spec"]["replicas"] == 2
    bad = {**SHOP, "spec": {**SHOP["spec"], "replicas": "two"}}
    text, code = run(cluster, "kubectl apply -f -", [bad])
    assert code == 1
    assert text.startswith("Error from server (BadRequest): document 1 (Deployment/shop)")
    assert "spec.replicas" in text


def test_delete_by_kind_and_name(cluster):
    cluster.apply({"action": "create_service", "name": "web", "deployment": "web"})
    assert ok(cluster, "delete deploy api") == ('deployment.apps "api" deleted')
    assert cluster.store.get("Deployment", "api") is None
    assert ok(cluster, "delete service/web") == 'service "web" deleted'
    assert fails(cluster, "delete deployment api") == (
        'Error from server (NotFound): deployments.apps "api" not found'
    )
    assert fails(cluster, "delete pods") == (
        "error: resource(s) were provided, but no name was specified"
    )


def test_label_a_deployment_as_a_merge_patch(cluster):
    assert ok(cluster, "label deployment web tier=front") == "deployment.apps/web labeled"
    assert cluster.store.get("Deployment", "web")["metadata"]["labels"]["tier"] == "front"
    assert ok(cluster, "label deploy/web tier=front") == "deployment.apps/web not labeled"
    assert ok(cluster, "label deploy web tier-") == "deployment.apps/web unlabeled"
    assert fails(cluster, "label deploy web tier-") == 'error: label "tier" not found.'


def test_describe_hpa_pdb_secret_as_kubectl_lays_them_out(cluster):
    cluster.apply(
        {"action": "create_hpa", "deployment": "web", "maxReplicas": 10, "cpuPercent": 50}
    )
    cluster.apply({"action": "create_pdb", "deployment": "web", "minAvailable": 2})
    cluster.apply({"action": "create_secret", "name": "s", "stringData": {"pw": "hunter2"}})
    for _ in range(60):
        cluster.step(1)
    hpa = ok(cluster, "describe hpa web")
    assert "Reference:                                             Deployment/web" in hpa
    assert "  resource cpu on pods  (as a percentage of request):  " in hpa
    assert "playground.k8s/" not in hpa
    assert "Deployment pods:                                       6 current / 6 desired" in hpa
    pdb = ok(cluster, "describe pdb web-pdb").splitlines()
    assert pdb[2:5] == ["Min available:  2", "Selector:       app=web", "Status:"]
    assert "    Allowed disruptions:  4" in pdb
    secret = ok(cluster, "describe secret s")
    assert "pw:      7 bytes" in secret
    assert "hunter2" not in secret


def test_top_pods_from_pod_metrics(cluster):
    lines = ok(cluster, "kubectl top pods").splitlines()
    assert lines[0].split() == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert len(lines) == 10
    api = [line.split() for line in lines if line.startswith("api-")]
    assert api[0][1:] == ["5m", "192Mi"]
    assert fails(Cluster.demo(seed=1), "top pods") == "error: metrics not available yet"


def test_create_deployment_and_expose(cluster):
    text = ok(
        cluster, "kubectl create deployment shop --image=ghcr.io/example/api:1.0 --replicas=3"
    )
    assert text == "deployment.apps/shop created"
    shop = cluster.store.get("Deployment", "shop")
    assert shop["spec"]["replicas"] == 3
    assert shop["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    assert shop["spec"]["template"]["spec"]["containers"][0]["name"] == "api"
    assert fails(cluster, "create deployment shop --image=nginx") == (
        'error: failed to create deployment: deployments.apps "shop" already exists'
    )
    assert fails(cluster, "create deployment x") == 'error: required flag(s) "image" not set'
    assert ok(cluster, "expose deployment shop --port=80 --type=NodePort") == "service/shop exposed"
    assert cluster.store.get("Service", "shop")["spec"]["type"] == "NodePort"
    assert fails(cluster, "expose deployment shop --port=80") == (
        'Error from server (AlreadyExists): services "shop" already exists'
    )


@pytest.mark.parametrize(
    ("command", "looks_only"),
    [
        ("get pods", True),
        ("describe deployment web", True),
        ("logs web-x", True),
        ("top pods", True),
        ("rollout status deployment/web", True),
        ("rollout history deployment/web", True),
        ("", True),
        ("rollout undo deployment/web", False),
        ("scale deployment web --replicas=3", False),
        ("delete pod web-x", False),
        ("apply -f -", False),
        ('get "unclosed', False),
    ],
)
def test_which_commands_only_look(command, looks_only):
    assert reads_only(command) is looks_only

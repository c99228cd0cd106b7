"""Real kubectl v1.36 against /k8s/<playground id>/ on the live stack (issue #6).

One playground for the module; the tests build on each other in file order, as a person
at a terminal would: look around, apply a Deployment, change it, roll it back, drain a ship.
Assertions are on kubectl's output and on the state the playground saved."""

import json
import subprocess
import time
import urllib.request

from .stored import stored_objects

DEMO = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  labels: {app: demo}
spec:
  replicas: 2
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: demo
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 100m, memory: 64Mi}
"""

LONE_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: lone
  labels: {run: lone}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: lone
    image: nginx:1.27
    resources:
      requests: {cpu: 50m, memory: 32Mi}
"""


def eventually(check, timeout: float = 30.0):
    """Poll check() until it returns something truthy (the simulation runs in real time)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def running_pod(kubectl, app: str) -> str:
    """A Running pod of the app that is not terminating (old pods linger a second)."""
    items = kubectl.json("pods", "-l", f"app={app}")["items"]
    live = [
        p
        for p in items
        if p["status"].get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")
    ]
    return live[0]["metadata"]["name"]


def header(output: str) -> list[str]:
    return output.splitlines()[0].split()


def test_get_shows_kubectls_columns(kubectl):
    assert header(kubectl("get", "pods")) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    deployments = kubectl("get", "deploy")
    assert header(deployments) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert any(line.split()[:2] == ["web", "6/6"] for line in deployments.splitlines())
    nodes = kubectl("get", "nodes")
    assert header(nodes) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert "ship-1" in nodes
    assert "Ready" in nodes
    wide = kubectl("get", "pods", "-o", "wide")
    assert header(wide)[5:7] == ["IP", "NODE"]
    # The demo already has Service web (made by the engine); expose makes a second one.
    kubectl("expose", "deployment", "web", "--port=80", "--name=web-exposed")
    services = kubectl("get", "svc", "web-exposed")
    assert header(services) == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert "ClusterIP" in services
    assert "80/TCP" in services


def test_the_served_kubeconfig_works(kubectl, live_stack, playground_id, tmp_path):
    with urllib.request.urlopen(f"{live_stack.url}/k8s/{playground_id}/kubeconfig") as response:
        config = response.read().decode()
    assert f"server: {live_stack.url}/k8s/{playground_id}" in config
    path = tmp_path / "harbour.kubeconfig"
    path.write_text(config)
    result = subprocess.run(
        [str(kubectl.binary), "--kubeconfig", str(path), "get", "deployments", "-o", "name"],
        capture_output=True,
        text=True,
        timeout=60,
        env=kubectl.env(),
    )
    assert result.stdout.split() == ["deployment.apps/api", "deployment.apps/web"], result.stderr


def test_get_yaml_and_selectors(kubectl):
    pods = kubectl.json("pods", "-l", "app=web")
    assert len(pods["items"]) == 6
    assert {p["metadata"]["labels"]["app"] for p in pods["items"]} == {"web"}
    name = pods["items"][0]["metadata"]["name"]
    text = kubectl("get", "pod", name, "-o", "yaml")
    assert "kind: Pod" in text
    assert f"name: {name}" in text
    assert "phase: Running" in text
    missing = kubectl.run("get", "pod", "nope", check=False)
    assert missing.returncode == 1
    assert 'Error from server (NotFound): pods "nope" not found' in missing.stderr


def test_describe_shows_events(kubectl):
    pod = kubectl.json("pods", "-l", "app=web")["items"][0]["metadata"]["name"]
    described = kubectl("describe", "pod", pod)
    assert "Name:" in described
    assert pod in described
    assert "Scheduled" in described
    assert "Started" in described
    deployment = kubectl("describe", "deployment", "web")
    assert "NewReplicaSet:" in deployment
    assert "ScalingReplicaSet" in deployment


def test_apply_creates_then_configures(kubectl, live_stack, playground_id):
    assert kubectl("apply", "-f", "-", stdin=DEMO).strip() == "deployment.apps/demo created"
    stored = stored_objects(live_stack, playground_id, "Deployment")["demo"]
    assert stored["spec"]["replicas"] == 2
    assert "kubectl.kubernetes.io/last-applied-configuration" in stored["metadata"]["annotations"]
    assert kubectl("apply", "-f", "-", stdin=DEMO).strip() == "deployment.apps/demo unchanged"
    changed = DEMO.replace("replicas: 2", "replicas: 3")
    assert kubectl("apply", "-f", "-", stdin=changed).strip() == "deployment.apps/demo configured"
    assert stored_objects(live_stack, playground_id, "Deployment")["demo"]["spec"]["replicas"] == 3
    out = kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)
    assert 'deployment "demo" successfully rolled out' in out
    dry = kubectl("delete", "deployment", "demo", "--dry-run=server")
    assert "(server dry run)" in dry
    assert "demo" in stored_objects(live_stack, playground_id, "Deployment")


def test_scale(kubectl, live_stack, playground_id):
    assert kubectl("scale", "deployment", "demo", "--replicas=2").strip() == (
        "deployment.apps/demo scaled"
    )
    assert stored_objects(live_stack, playground_id, "Deployment")["demo"]["spec"]["replicas"] == 2
    kubectl("scale", "deployment", "demo", "--current-replicas=2", "--replicas=2")


def test_set_image_rollout_status_history_and_undo(kubectl, live_stack, playground_id):
    out = kubectl("set", "image", "deployment/demo", "demo=nginx:1.28")
    assert out.strip() == "deployment.apps/demo image updated"
    status = kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)
    assert 'deployment "demo" successfully rolled out' in status
    history = kubectl("rollout", "history", "deployment/demo")
    assert "REVISION" in history
    assert [line.split()[0] for line in history.splitlines()[2:] if line.strip()] == ["1", "2"]
    assert (
        kubectl("rollout", "undo", "deployment/demo").strip() == "deployment.apps/demo rolled back"
    )
    kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)
    template = stored_objects(live_stack, playground_id, "Deployment")["demo"]["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == "nginx:1.27"


def demo_replica_sets(live_stack, playground_id) -> dict:
    return {
        name: rs
        for name, rs in stored_objects(live_stack, playground_id, "ReplicaSet").items()
        if name.startswith("demo-")
    }


def test_rollout_restart_pause_and_resume(kubectl, live_stack, playground_id):
    assert kubectl("rollout", "restart", "deployment/demo").strip() == (
        "deployment.apps/demo restarted"
    )
    stored = stored_objects(live_stack, playground_id, "Deployment")["demo"]
    annotations = stored["spec"]["template"]["metadata"]["annotations"]
    assert "kubectl.kubernetes.io/restartedAt" in annotations
    kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)
    # kubectl rollout pause sends a strategic merge patch of spec.paused (DEP-10).
    assert kubectl("rollout", "pause", "deployment/demo").strip() == "deployment.apps/demo paused"
    assert stored_objects(live_stack, playground_id, "Deployment")["demo"]["spec"]["paused"]
    again = kubectl.run("rollout", "pause", "deployment/demo", check=False)
    assert again.returncode == 1
    assert 'deployments.apps "demo" is already paused' in again.stderr
    before = set(demo_replica_sets(live_stack, playground_id))
    kubectl("set", "image", "deployment/demo", "demo=nginx:1.28")

    def observed():  # the controller has seen the new template (and made no ReplicaSet)
        demo = stored_objects(live_stack, playground_id, "Deployment")["demo"]
        generation = demo["metadata"]["generation"]
        return demo["status"].get("observedGeneration") == generation

    assert eventually(observed)
    assert set(demo_replica_sets(live_stack, playground_id)) == before
    assert kubectl("rollout", "resume", "deployment/demo").strip() == (
        "deployment.apps/demo resumed"
    )
    assert "paused" not in stored_objects(live_stack, playground_id, "Deployment")["demo"]["spec"]
    kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)
    after = demo_replica_sets(live_stack, playground_id)
    (new,) = [rs for name, rs in after.items() if name not in before]
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    not_paused = kubectl.run("rollout", "resume", "deployment/demo", check=False)
    assert 'deployments.apps "demo" is not paused' in not_paused.stderr
    # Back to the restarted nginx:1.27 for the tests that follow.
    assert kubectl("rollout", "undo", "deployment/demo").strip() == (
        "deployment.apps/demo rolled back"
    )
    kubectl("rollout", "status", "deployment/demo", "--timeout=90s", timeout=100)


def test_label_and_logs(kubectl, live_stack, playground_id):
    pod = running_pod(kubectl, "demo")
    assert kubectl("label", "pod", pod, "tier=front").strip() == f"pod/{pod} labeled"
    labels = stored_objects(live_stack, playground_id, "Pod")[pod]["metadata"]["labels"]
    assert labels["tier"] == "front"
    logs = kubectl("logs", pod)
    assert "simulated" in logs
    assert "nginx:1.28" not in logs
    assert "nginx:1.27" in logs


def test_apply_new_pod_then_delete_waits_until_gone(kubectl, live_stack, playground_id):
    assert kubectl("apply", "-f", "-", stdin=LONE_POD).strip() == "pod/lone created"
    assert eventually(lambda: "Running" in kubectl("get", "pod", "lone"))
    # The pod terminates for its 1 s grace period: kubectl watches (WatchList) until DELETED.
    assert kubectl("delete", "pod", "lone", timeout=60).strip() == (
        'pod "lone" deleted from default namespace'
    )
    assert "lone" not in stored_objects(live_stack, playground_id, "Pod")


def test_get_watch_streams_events_until_timeout(kubectl):
    before = {p["metadata"]["name"] for p in kubectl.json("pods", "-l", "app=demo")["items"]}
    watching = kubectl.popen("get", "pods", "-l", "app=demo", "-w", "--request-timeout=8s")
    time.sleep(2)  # let the watch start: the scale below must reach it as events
    kubectl("scale", "deployment", "demo", "--replicas=3")
    output, _ = watching.communicate(timeout=30)  # ends by itself when the timeout runs out
    lines = [line.split() for line in output.splitlines() if line.strip()]
    assert lines[0][:3] == ["NAME", "READY", "STATUS"]
    assert {line[0] for line in lines[1 : len(before) + 1]} == before
    new = [line for line in lines[len(before) + 1 :] if line[0] not in before]
    assert new, output  # the new pod streamed in, e.g. Pending then ContainerCreating
    assert new[0][0].startswith("demo-")


def test_cordon_taint_drain_uncordon(kubectl, live_stack, playground_id):
    assert kubectl("cordon", "ship-3").strip() == "node/ship-3 cordoned"
    assert stored_objects(live_stack, playground_id, "Node")["ship-3"]["spec"]["unschedulable"]
    assert "SchedulingDisabled" in kubectl("get", "node", "ship-3")
    out = kubectl("taint", "nodes", "ship-3", "dedicated=demo:NoSchedule")
    assert out.strip() == "node/ship-3 tainted"
    taints = stored_objects(live_stack, playground_id, "Node")["ship-3"]["spec"]["taints"]
    assert {"key": "dedicated", "value": "demo", "effect": "NoSchedule"} in taints
    drained = kubectl(
        "drain", "ship-3", "--ignore-daemonsets", "--grace-period=1", "--timeout=90s", timeout=100
    )
    assert "node/ship-3 drained" in drained
    pods = stored_objects(live_stack, playground_id, "Pod").values()
    assert not [p for p in pods if p["spec"].get("nodeName") == "ship-3"]
    assert kubectl("uncordon", "ship-3").strip() == "node/ship-3 uncordoned"
    assert not stored_objects(live_stack, playground_id, "Node")["ship-3"]["spec"].get(
        "unschedulable"
    )


def test_protobuf_generators_get_a_clear_415(kubectl):
    refused = kubectl.run("create", "deployment", "d", "--image=nginx", check=False)
    assert refused.returncode != 0
    assert "kubectl apply -f -" in refused.stderr
    piped = kubectl("create", "deployment", "d", "--image=nginx", "--dry-run=client", "-o", "json")
    assert json.loads(piped)["kind"] == "Deployment"
    assert kubectl("apply", "-f", "-", stdin=piped).strip() == "deployment.apps/d created"


def test_rollout_status_reports_a_passed_progress_deadline(kubectl):
    # DEP-12: a release whose pods never get Ready (api:1.1-bad fails its readiness probe,
    # as set_probe makes it) stalls; after progressDeadlineSeconds the Progressing condition
    # says ProgressDeadlineExceeded and kubectl's rollout status gives up with its error.
    patch = {
        "spec": {
            "progressDeadlineSeconds": 10,
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "api",
                            "image": "ghcr.io/example/api:1.1-bad",
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 80}},
                        }
                    ]
                }
            },
        }
    }
    assert kubectl("patch", "deployment", "api", "-p", json.dumps(patch)).strip() == (
        "deployment.apps/api patched"
    )
    stalled = kubectl.run(
        "rollout", "status", "deployment/api", "--timeout=90s", check=False, timeout=100
    )
    assert stalled.returncode == 1
    assert stalled.stderr.strip() == 'error: deployment "api" exceeded its progress deadline'
    conditions = kubectl.json("deployment", "api")["status"]["conditions"]
    progressing = next(c for c in conditions if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")

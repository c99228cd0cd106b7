"""kubectl's table columns and AGE humanisation (printers.py)."""

import pytest

from cluster_sim import printers
from cluster_sim.cluster import Cluster


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (-5, "<invalid>"),
        (-1, "0s"),
        (0, "0s"),
        (45, "45s"),
        (119, "119s"),
        (120, "2m"),
        (200, "3m20s"),
        (599, "9m59s"),
        (900, "15m"),
        (179 * 60, "179m"),
        (3 * 3600, "3h"),
        (5 * 3600 + 180, "5h3m"),
        (20 * 3600, "20h"),
        (2 * 86400, "2d"),
        (3 * 86400 + 7200, "3d2h"),
        (30 * 86400, "30d"),
        (3 * 365 * 86400 + 5 * 86400, "3y5d"),
        (10 * 365 * 86400, "10y"),
    ],
)
def test_age_is_humanised_as_kubectl_does(seconds, shown):
    assert printers.human_duration(seconds) == shown


@pytest.fixture
def cluster():
    c = Cluster.demo(seed=1, config=False, traffic=False)
    c.apply({"action": "create_service", "name": "web", "deployment": "web", "type": "NodePort"})
    c.apply({"action": "create_hpa", "deployment": "web", "maxReplicas": 10, "cpuPercent": 50})
    c.apply({"action": "create_pdb", "deployment": "web", "minAvailable": 2})
    for _ in range(200):
        c.step(1)
    return c


def names(body):
    return [d["name"] for d in body["columnDefinitions"]]


def test_pod_columns_plain_and_wide(cluster):
    pods = cluster.store.list("Pod")
    plain = printers.table("Pod", pods, cluster.now)
    assert names(plain) == ["Name", "Ready", "Status", "Restarts", "Age"]
    row = plain["rows"][0]
    assert row["cells"] == [pods[0]["metadata"]["name"], "1/1", "Running", "0", "3m30s"]
    assert row["object"] is pods[0]
    wide = printers.table("Pod", pods, cluster.now, wide=True)
    assert names(wide)[5:] == ["IP", "Node", "Nominated Node", "Readiness Gates"]
    assert [d["priority"] for d in wide["columnDefinitions"]] == [0] * 5 + [1] * 4
    assert wide["rows"][0]["cells"][6] == pods[0]["spec"]["nodeName"]


def test_rendered_like_kubectl(cluster):
    deployments = cluster.store.list("Deployment")
    text = printers.render(printers.table("Deployment", deployments, cluster.now))
    assert text.splitlines() == [
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE",
        "web    6/6     6            6           3m30s",
        "api    3/3     3            3           3m30s",
    ]


def test_cordoned_node_status(cluster):
    cluster.apply({"action": "cordon", "name": "ship-1"})
    node = cluster.store.get("Node", "ship-1", "")
    cells = printers.table("Node", [node], cluster.now)["rows"][0]["cells"]
    assert cells[:3] == ["ship-1", "Ready,SchedulingDisabled", "<none>"]


def test_service_hpa_pdb_columns(cluster):
    service = cluster.store.list("Service")[0]
    cells = printers.table("Service", [service], cluster.now)["rows"][0]["cells"]
    port = service["spec"]["ports"][0]["nodePort"]
    assert cells[1:5] == ["NodePort", service["spec"]["clusterIP"], "<none>", f"80:{port}/TCP"]
    hpa = cluster.store.list("HorizontalPodAutoscaler")[0]
    cells = printers.table("HorizontalPodAutoscaler", [hpa], cluster.now)["rows"][0]["cells"]
    assert cells[1] == "Deployment/web"
    assert cells[2].startswith("cpu: ")
    assert cells[2].endswith("%/50%")
    assert cells[3:6] == ["1", 10, 6]
    pdb = cluster.store.list("PodDisruptionBudget")[0]
    cells = printers.table("PodDisruptionBudget", [pdb], cluster.now)["rows"][0]["cells"]
    assert cells[1:4] == ["2", "N/A", 4]


def test_restarts_show_when_the_last_one_was(cluster):
    pod = cluster.store.list("Pod")[0]
    cluster.apply({"action": "crash_pod", "name": pod["metadata"]["name"]})
    for _ in range(30):
        cluster.step(1)
    pod = cluster.store.get("Pod", pod["metadata"]["name"])
    restarts = printers.table("Pod", [pod], cluster.now)["rows"][0]["cells"][3]
    assert restarts.startswith("1 (")
    assert restarts.endswith(" ago)")

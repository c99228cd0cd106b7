"""Services (SVC-1) and the EndpointSlice controller (SVC-2, SVC-3, POD-9, POD-12)."""

import ipaddress
import json
import re

import pytest

from cluster_sim import ActionError, Cluster
from cluster_sim.endpointslices import MAX_ENDPOINTS_PER_SLICE
from cluster_sim.services import NODE_PORT_MAX, NODE_PORT_MIN
from tests.cluster_sim.conftest import act, add_deployment, cluster_with, pods
from tests.cluster_sim.service_helpers import endpoints, served_cluster, slices

SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/12")


def test_expose_a_deployment_creates_a_service_with_the_api_defaults():
    cluster = cluster_with("large")
    add_deployment(cluster, replicas=2)
    message = act(cluster, action="create_service", name="web", deployment="web")
    assert message == "service/web exposed"
    service = cluster.store.get("Service", "web")
    assert service["apiVersion"] == "v1"
    assert service["metadata"]["labels"] == {"app": "web"}
    spec = service["spec"]
    assert spec["type"] == "ClusterIP"
    assert spec["selector"] == {"app": "web"}
    assert spec["ports"] == [{"protocol": "TCP", "port": 80, "targetPort": 80}]
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    assert spec["sessionAffinity"] == "None"
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert "externalTrafficPolicy" not in spec
    address = ipaddress.IPv4Address(spec["clusterIP"])
    assert address in SERVICE_CIDR
    # SVC-1: dynamic allocations come from the upper band (above the first 256 addresses).
    assert int(address) - int(SERVICE_CIDR.network_address) >= 256
    assert service["status"] == {"loadBalancer": {}}


def test_a_node_port_service_gets_a_port_in_range_and_every_service_its_own_ip_and_port():
    cluster = cluster_with("large")
    add_deployment(cluster)
    for index in range(20):
        act(cluster, action="create_service", name=f"s{index}", deployment="web", type="NodePort")
    services = cluster.store.list("Service")
    ports = [s["spec"]["ports"][0]["nodePort"] for s in services]
    ips = [s["spec"]["clusterIP"] for s in services]
    assert all(NODE_PORT_MIN <= port <= NODE_PORT_MAX for port in ports)
    assert all(port >= NODE_PORT_MIN + 86 for port in ports)  # upper band first (SVC-1)
    assert len(set(ports)) == 20
    assert len(set(ips)) == 20
    assert services[0]["spec"]["externalTrafficPolicy"] == "Cluster"


def test_the_same_seed_allocates_the_same_addresses():
    def allocate():
        cluster = cluster_with("large", seed=11)
        add_deployment(cluster)
        act(cluster, action="create_service", name="web", deployment="web", type="NodePort")
        spec = cluster.store.get("Service", "web")["spec"]
        return spec["clusterIP"], spec["ports"][0]["nodePort"]

    assert allocate() == allocate()


def test_a_selector_service_uses_the_given_selector_and_ports():
    cluster = cluster_with("large")
    add_deployment(cluster)
    act(
        cluster,
        action="create_service",
        name="front",
        selector={"app": "web"},
        port=8080,
        targetPort=80,
    )
    service = cluster.store.get("Service", "front")
    assert service["spec"]["selector"] == {"app": "web"}
    assert service["spec"]["ports"][0]["port"] == 8080
    assert "labels" not in service["metadata"]
    assert slices(cluster, "front")[0]["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "Web", "deployment": "web"}, "a DNS-1035 label must consist"),
        ({"name": "1web", "deployment": "web"}, "start with an alphabetic character"),
        ({"name": "web"}, "create_service needs exactly one of deployment or selector"),
        (
            {"name": "web", "deployment": "web", "selector": {"app": "web"}},
            "create_service needs exactly one of deployment or selector",
        ),
        ({"name": "web", "deployment": "nope"}, 'deployments.apps "nope" not found'),
        ({"name": "web", "selector": {}}, "a Service needs a selector with at least one label"),
        ({"name": "web", "selector": {"app": "a b"}}, "value 'a b' is invalid"),
        (
            {"name": "web", "deployment": "web", "type": "LoadBalancer"},
            'spec.type: Unsupported value: "LoadBalancer": supported values: '
            '"ClusterIP", "NodePort"',
        ),
        (
            {"name": "web", "deployment": "web", "port": 0},
            'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: '
            "must be between 1 and 65535, inclusive",
        ),
        (
            {"name": "web", "deployment": "web", "targetPort": 70000},
            "spec.ports[0].targetPort: Invalid value: 70000",
        ),
        ({"name": "web", "deployment": "web", "port": True}, "spec.ports[0].port"),
        ({"name": "taken", "deployment": "web"}, 'services "taken" already exists'),
    ],
)
def test_bad_service_arguments_are_refused_and_change_nothing(args, message):
    cluster = cluster_with("large")
    add_deployment(cluster)
    act(cluster, action="create_service", name="taken", deployment="web")
    before = json.dumps(cluster.to_state(), sort_keys=True)
    with pytest.raises(ActionError, match=re.escape(message)):
        cluster.apply({"action": "create_service", **args})
    assert json.dumps(cluster.to_state(), sort_keys=True) == before


def test_delete_service_deletes_its_slices():
    cluster = served_cluster()
    assert len(slices(cluster)) == 1
    assert act(cluster, action="delete_service", name="web") == 'service "web" deleted'
    assert cluster.store.get("Service", "web") is None
    assert slices(cluster) == []
    with pytest.raises(ActionError, match='services "web" not found'):
        cluster.apply({"action": "delete_service", "name": "web"})


def test_a_slice_lists_every_pod_with_an_ip_as_kubernetes_shapes_it():
    cluster = served_cluster(replicas=3)
    (endpoint_slice,) = slices(cluster)
    meta = endpoint_slice["metadata"]
    assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", meta["name"])
    assert meta["generateName"] == "web-"
    assert meta["labels"]["kubernetes.io/service-name"] == "web"
    assert meta["labels"]["endpointslice.kubernetes.io/managed-by"] == (
        "endpointslice-controller.k8s.io"
    )
    (owner,) = meta["ownerReferences"]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Service", "web", True)
    assert endpoint_slice["apiVersion"] == "discovery.k8s.io/v1"
    assert endpoint_slice["addressType"] == "IPv4"
    by_name = {p["metadata"]["name"]: p for p in pods(cluster)}
    assert len(endpoint_slice["endpoints"]) == 3
    for endpoint in endpoint_slice["endpoints"]:
        pod = by_name[endpoint["targetRef"]["name"]]
        assert endpoint["addresses"] == [pod["status"]["podIP"]]
        assert endpoint["nodeName"] == pod["spec"]["nodeName"]
        assert endpoint["targetRef"] == {
            "kind": "Pod",
            "namespace": "default",
            "name": pod["metadata"]["name"],
            "uid": pod["metadata"]["uid"],
        }
        assert endpoint["conditions"] == {"ready": True, "serving": True, "terminating": False}


def test_not_ready_pods_are_listed_with_ready_false():
    """SVC-3 / POD-9: a pod whose readiness probe fails stays an endpoint, ready=false."""
    cluster = served_cluster(replicas=2)
    act(cluster, action="set_probe", deployment="web", probe="readiness", enabled=True)
    act(cluster, action="set_image", deployment="web", image="ghcr.io/example/api:1.1-notready")
    cluster.step(20)
    conditions = endpoints(cluster)
    new = [
        p["metadata"]["name"]
        for p in pods(cluster)
        if "notready" in p["spec"]["containers"][0]["image"]
    ]
    assert new  # the rollout is stuck on pods that never become ready
    for name in new:
        assert conditions[name] == {"ready": False, "serving": False, "terminating": False}
    assert sum(c["ready"] for c in conditions.values()) == 2  # the old pods keep serving


def test_a_starting_pod_is_listed_not_ready_as_soon_as_it_has_an_ip():
    cluster = served_cluster(replicas=1)
    act(cluster, action="scale", deployment="web", replicas=2)
    conditions = endpoints(cluster)
    assert sorted(c["ready"] for c in conditions.values()) == [False, True]
    cluster.step(5)
    assert all(c["ready"] for c in endpoints(cluster).values())


def test_terminating_pods_are_ready_false_serving_true_terminating_true():
    """POD-12: a Terminating pod that was Ready keeps serving=true until it is gone."""
    cluster = served_cluster(replicas=2)
    victim = pods(cluster)[0]["metadata"]["name"]
    act(cluster, action="delete_pod", name=victim)
    assert endpoints(cluster)[victim] == {"ready": False, "serving": True, "terminating": True}
    cluster.step(30)
    assert victim not in endpoints(cluster)
    assert len(endpoints(cluster)) == 2  # the replacement


def test_more_than_100_pods_fill_a_second_slice_without_rebalancing():
    cluster = cluster_with("large", "large", seed=3)
    add_deployment(cluster, replicas=120, cpu="10m", memory="8Mi")
    cluster.step(10)
    act(cluster, action="create_service", name="web", deployment="web")
    sizes = sorted(len(s["endpoints"]) for s in slices(cluster))
    assert sizes == [20, MAX_ENDPOINTS_PER_SLICE]
    first, second = slices(cluster)
    kept = [e["targetRef"]["name"] for e in first["endpoints"]]
    act(cluster, action="delete_pod", name=kept[0])
    cluster.step(40)  # the pod is gone and its replacement runs
    first_after, second_after = (
        cluster.store.get("EndpointSlice", s["metadata"]["name"]) for s in (first, second)
    )
    names_after = [e["targetRef"]["name"] for e in first_after["endpoints"]]
    assert names_after == kept[1:]  # endpoints stay where they are: no re-balancing
    # The replacement appeared while the full first slice still held the terminating pod,
    # so it went to the slice with room.
    assert len(second_after["endpoints"]) == 21


def test_a_service_without_matching_pods_keeps_one_empty_slice():
    cluster = cluster_with("large")
    add_deployment(cluster)
    act(cluster, action="create_service", name="lonely", selector={"app": "nothing"})
    (placeholder,) = slices(cluster, "lonely")
    assert placeholder["endpoints"] == []
    cluster = served_cluster(replicas=1)
    act(cluster, action="scale", deployment="web", replicas=0)
    cluster.step(31)
    (emptied,) = slices(cluster)
    assert emptied["endpoints"] == []


def test_a_slice_removed_by_hand_is_created_again():
    cluster = served_cluster(replicas=2)
    (endpoint_slice,) = slices(cluster)
    cluster.store.delete(cluster.store.get("EndpointSlice", endpoint_slice["metadata"]["name"]))
    cluster.reconcile()
    (again,) = slices(cluster)
    assert again["metadata"]["name"] != endpoint_slice["metadata"]["name"]
    assert len(again["endpoints"]) == 2


def test_a_zone_label_on_the_node_shows_on_its_endpoints():
    cluster = served_cluster(replicas=1)
    node = pods(cluster)[0]["spec"]["nodeName"]
    act(cluster, action="label_node", name=node, labels={"topology.kubernetes.io/zone": "north"})
    assert [e.get("zone") for s in slices(cluster) for e in s["endpoints"]] == ["north"]


def test_services_slices_traffic_and_metrics_survive_a_state_round_trip():
    cluster = served_cluster(replicas=3)
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=7.5)
    cluster.step(17.5)
    saved = json.loads(json.dumps(cluster.to_state()))
    restored = Cluster.from_state(saved)
    assert restored.to_state() == cluster.to_state()
    for each in (cluster, restored):
        act(each, action="delete_pod", name=pods(each)[0]["metadata"]["name"])
        each.step(40)
    assert restored.to_state() == cluster.to_state()
    assert restored.objects() == cluster.objects()


def test_a_state_saved_before_services_existed_still_loads():
    cluster = Cluster.demo(seed=2, config=False, traffic=False)
    cluster.step(7)
    state = json.loads(json.dumps(cluster.to_state()))
    for key in ("endpointSlices", "traffic", "metrics"):
        del state[key]
    restored = Cluster.from_state(state)
    assert restored.traffic.last_second == 17
    assert restored.metrics.next_scrape == 30
    restored.step(20)
    assert restored.store.list("PodMetrics")

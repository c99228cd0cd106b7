"""The traffic model: kube-proxy's choice of endpoint (SVC-3, SVC-4), per simulated second."""

import json
import re

import pytest

from cluster_sim import ActionError
from cluster_sim.traffic import rule_probabilities
from tests.cluster_sim.conftest import act, pods
from tests.cluster_sim.service_helpers import endpoints, served_cluster, traffic


def pod_names(cluster):
    return sorted(p["metadata"]["name"] for p in pods(cluster))


def test_a_new_service_shows_no_traffic_yet_and_the_proxy_mode():
    cluster = served_cluster()
    assert traffic(cluster) == {
        "rps": 0,
        "mode": "iptables",
        "sent": 0,
        "failed": 0,
        "errorRate": 0.0,
        "served": {},
        "recent": [],
    }
    act(cluster, action="set_proxy_mode", mode="ipvs")
    assert traffic(cluster)["mode"] == "ipvs"


def test_set_traffic_says_what_it_did_and_shows_on_the_service_at_once():
    cluster = served_cluster()
    assert act(cluster, action="set_traffic", service="web", rps=2.5) == (
        "traffic to service/web set to 2.5 requests/s"
    )
    assert act(cluster, action="set_traffic", service="web", rps=12) == (
        "traffic to service/web set to 12 requests/s"
    )
    shown = traffic(cluster)
    assert shown == {
        "rps": 12,
        "mode": "iptables",
        "sent": 0,
        "failed": 0,
        "errorRate": 0.0,
        "served": {},
        "recent": [],
    }
    annotation = cluster.store.get("Service", "web")["metadata"]["annotations"]
    text = annotation["playground.k8s/traffic"]
    assert text == json.dumps(json.loads(text), sort_keys=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"service": "nope", "rps": 1}, 'services "nope" not found'),
        (
            {"service": "web", "rps": -1},
            "rps must be a number of requests per second from 0 to 1000",
        ),
        ({"service": "web", "rps": 1001}, "from 0 to 1000"),
        ({"service": "web", "rps": True}, "from 0 to 1000"),
        ({"service": "web", "rps": "10"}, "from 0 to 1000"),
        ({"service": "web", "rps": float("nan")}, "from 0 to 1000"),
    ],
)
def test_bad_traffic_arguments_are_refused_and_change_nothing(args, message):
    cluster = served_cluster()
    before = json.dumps(cluster.to_state(), sort_keys=True)
    with pytest.raises(ActionError, match=re.escape(message)):
        cluster.apply({"action": "set_traffic", **args})
    assert json.dumps(cluster.to_state(), sort_keys=True) == before


def test_set_proxy_mode():
    cluster = served_cluster()
    assert act(cluster, action="set_proxy_mode", mode="ipvs") == "kube-proxy mode set to ipvs"
    assert cluster.to_state()["settings"]["proxyMode"] == "ipvs"
    with pytest.raises(ActionError, match="mode must be iptables or ipvs"):
        cluster.apply({"action": "set_proxy_mode", "mode": "nftables"})


def test_iptables_rules_match_with_probability_one_over_n_minus_i():
    """SVC-4, printed as kube-proxy prints them."""
    assert rule_probabilities(1) == []
    assert rule_probabilities(2) == ["0.5000000000"]
    assert rule_probabilities(3) == ["0.3333333333", "0.5000000000"]
    assert rule_probabilities(4) == ["0.2500000000", "0.3333333333", "0.5000000000"]


def test_ipvs_round_robin_gives_every_ready_pod_the_same_count():
    cluster = served_cluster(replicas=3)
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=7)
    cluster.step(10)  # 70 requests over 3 pods, in turn across the seconds
    served = traffic(cluster)["served"]
    assert sorted(served.values()) == [23, 23, 24]
    cluster.step(2)  # 84 requests: exactly 28 each
    assert sorted(traffic(cluster)["served"].values()) == [28, 28, 28]
    recent = traffic(cluster)["recent"]
    assert len(recent) == 20
    # In turn: each pod is followed by the same next pod every time.
    assert all(recent[i] == recent[i + 3] for i in range(len(recent) - 3))
    assert len(set(recent[:3])) == 3


def test_iptables_random_gives_each_pod_about_one_nth_exactly_for_a_seed():
    cluster = served_cluster(replicas=4, seed=5)
    act(cluster, action="set_traffic", service="web", rps=1000)
    cluster.step(10)
    shown = traffic(cluster)
    counts = [shown["served"][name] for name in pod_names(cluster)]
    assert sum(counts) == 10_000
    assert all(abs(count - 2500) < 150 for count in counts)  # 1/n each, within 3 sigma
    assert counts == EXPECTED_SEED_5_COUNTS
    assert len(shown["recent"]) == 20
    assert shown["sent"] == 1000
    assert shown["failed"] == 0


EXPECTED_SEED_5_COUNTS = [2445, 2583, 2507, 2465]


def test_iptables_each_rule_matches_one_over_n_minus_i_of_what_reaches_it():
    cluster = served_cluster(replicas=4, seed=9)
    act(cluster, action="set_traffic", service="web", rps=1000)
    cluster.step(20)
    by_ip = sorted(
        (tuple(int(x) for x in p["status"]["podIP"].split(".")), p["metadata"]["name"])
        for p in pods(cluster)
    )
    served = traffic(cluster)["served"]
    counts = [served[name] for _, name in by_ip]  # in rule order: endpoints sorted by IP
    reaching = sum(counts)
    for index, probability in enumerate(rule_probabilities(4)):
        assert counts[index] / reaching == pytest.approx(float(probability), abs=0.015)
        reaching -= counts[index]


def test_only_ready_endpoints_get_traffic():
    """A rollout stuck on pods that never get ready: they are endpoints, but get nothing."""
    cluster = served_cluster(replicas=3)
    act(cluster, action="set_probe", deployment="web", probe="readiness", enabled=True)
    cluster.step(40)  # the probe rolled out and the old pods are gone
    old = pod_names(cluster)
    assert all(c["ready"] for c in endpoints(cluster).values())
    act(cluster, action="set_image", deployment="web", image="ghcr.io/example/api:1.1-notready")
    cluster.step(10)
    conditions = endpoints(cluster)
    not_ready = [name for name, c in conditions.items() if not c["ready"]]
    assert len(conditions) == 4
    assert len(not_ready) == 1
    assert not_ready[0] not in old
    act(cluster, action="set_traffic", service="web", rps=50)
    cluster.step(10)
    served = traffic(cluster)["served"]
    assert sum(served.values()) == 500
    assert set(served) <= set(old)
    assert all(name not in served for name in not_ready)


def test_with_no_ready_endpoint_traffic_falls_back_to_serving_terminating_ones():
    cluster = served_cluster(replicas=2)
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=10)
    cluster.step(2)
    act(cluster, action="scale", deployment="web", replicas=0)
    assert all(
        c == {"ready": False, "serving": True, "terminating": True}
        for c in endpoints(cluster).values()
    )
    before = traffic(cluster)["served"]
    cluster.step(10)
    shown = traffic(cluster)
    assert shown["failed"] == 0
    assert shown["errorRate"] == 0.0
    assert sum(shown["served"].values()) == sum(before.values()) + 100


def test_with_no_usable_endpoint_every_request_fails():
    cluster = served_cluster(replicas=1)
    act(cluster, action="set_traffic", service="web", rps=4)
    cluster.step(5)
    act(cluster, action="scale", deployment="web", replicas=0)
    cluster.step(30)  # the pod is gone after its grace period
    assert endpoints(cluster) == {}
    cluster.step(5)
    shown = traffic(cluster)
    assert (shown["sent"], shown["failed"]) == (4, 4)
    assert shown["recent"][-4:] == ["", "", "", ""]
    assert shown["served"] == {}  # a deleted pod's count goes with it
    cluster.step(5)
    assert traffic(cluster)["errorRate"] == 1.0
    act(cluster, action="scale", deployment="web", replicas=1)
    cluster.step(5)
    shown = traffic(cluster)
    assert shown["failed"] == 0
    assert 0 < shown["errorRate"] < 1  # the last 10 s mix failures and successes


def test_a_fractional_rate_carries_its_remainder_exactly():
    cluster = served_cluster(replicas=2)
    act(cluster, action="set_traffic", service="web", rps=0.1)
    sent = []
    for _ in range(30):
        cluster.step(1)
        sent.append(traffic(cluster)["sent"])
    assert sum(sent) == 3
    act(cluster, action="set_traffic", service="web", rps=2.5)
    sent = []
    for _ in range(4):
        cluster.step(1)
        sent.append(traffic(cluster)["sent"])
    assert sum(sent) == 10
    assert set(sent) == {2, 3}


@pytest.mark.parametrize("mode", ["iptables", "ipvs"])
def test_one_big_step_gives_the_same_totals_as_many_small_ones(mode):
    def run(steps):
        cluster = served_cluster(replicas=3, seed=4)
        act(cluster, action="set_proxy_mode", mode=mode)
        act(cluster, action="set_traffic", service="web", rps=13.5)
        for dt in steps:
            cluster.step(dt)
        return cluster.objects()

    assert run([60]) == run([1] * 60) == run([0.5] * 120) == run([1.5] * 40)


def test_the_service_is_written_once_a_second_and_pods_never():
    cluster = served_cluster(replicas=3)
    act(cluster, action="set_traffic", service="web", rps=20)
    cluster.take_changes()
    cluster.step(10)
    journal, _ = cluster.take_changes()
    kinds = [(c["object"]["kind"], c["type"]) for c in journal]
    assert kinds.count(("Service", "MODIFIED")) == 10
    assert ("Pod", "MODIFIED") not in kinds
    act(cluster, action="set_traffic", service="web", rps=0)
    cluster.step(20)  # the error window drains, then nothing changes any more
    cluster.take_changes()
    cluster.step(10)
    journal, _ = cluster.take_changes()
    assert [c for c in journal if c["object"]["kind"] == "Service"] == []


def test_traffic_restarting_from_zero_counts_from_zero():
    cluster = served_cluster(replicas=2)
    act(cluster, action="set_traffic", service="web", rps=10)
    cluster.step(3)
    act(cluster, action="set_traffic", service="web", rps=0)
    cluster.step(1)
    assert sum(traffic(cluster)["served"].values()) == 30
    act(cluster, action="set_traffic", service="web", rps=5)
    assert traffic(cluster)["served"] == {}
    cluster.step(2)
    assert sum(traffic(cluster)["served"].values()) == 10


def test_pods_on_a_sunk_ship_stop_getting_traffic_once_the_node_is_not_ready():
    cluster = served_cluster(replicas=4, sizes=("medium", "medium"))
    act(cluster, action="set_proxy_mode", mode="ipvs")
    act(cluster, action="set_traffic", service="web", rps=40)
    sunk = pods(cluster)[0]["spec"]["nodeName"]
    on_sunk = [p["metadata"]["name"] for p in pods(cluster) if p["spec"]["nodeName"] == sunk]
    act(cluster, action="sink_node", name=sunk)
    cluster.step(60)  # past the 50 s grace period: the node controller marks its pods not Ready
    conditions = endpoints(cluster)
    assert all(not conditions[name]["ready"] for name in on_sunk)
    before = dict(traffic(cluster)["served"])
    cluster.step(10)
    after = traffic(cluster)["served"]
    assert all(after[name] == before[name] for name in on_sunk)
    assert sum(after.values()) - sum(before.values()) == 400
    assert traffic(cluster)["failed"] == 0


def test_a_rolling_update_under_traffic_loses_no_request():
    cluster = served_cluster(replicas=4)
    act(cluster, action="set_traffic", service="web", rps=50)
    act(cluster, action="set_image", deployment="web", image="nginx:1.28")
    failed = []
    for _ in range(60):
        cluster.step(1)
        failed.append(traffic(cluster)["failed"])
    assert failed == [0] * 60
    shown = traffic(cluster)
    assert all("nginx:1.28" in p["spec"]["containers"][0]["image"] for p in pods(cluster))
    assert set(shown["served"]) == set(pod_names(cluster))

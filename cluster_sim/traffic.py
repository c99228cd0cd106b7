"""The traffic model: requests per second through each Service, routed as kube-proxy does.

Each simulated second (t-1, t] is processed once, when the clock reaches t, so
step(60) and sixty step(1) give the same requests to the same pods. A Service's
rate may be fractional: the remainder is carried exactly (Fractions) to the next
second. kube-proxy's choice (SVC-3, SVC-4):

- the usable endpoints are the ready ones of the Service's EndpointSlices; with none
  ready, the ones that are serving and terminating; with none of those, every
  request fails (connection refused);
- `iptables` mode picks per request with a chain of rules: for n endpoints rule i
  (0-based, i < n-1) matches with probability 1/(n-i) as iptables prints it (10
  decimals), the last rule always, one draw of the cluster's RNG per rule tried;
- `ipvs` mode is round-robin (scheduler `rr`), its position kept across seconds.

Endpoints are ordered by IP address, as kube-proxy writes its rules. The model
writes only the Service annotation `playground.k8s/traffic` (once per second, when
it changed); pods are never written. Requests served per pod are kept for the
metrics model (metrics.py).
"""

import json
import math
from fractions import Fraction

from .endpointslices import slices_of

ANNOTATION = "playground.k8s/traffic"
MODES = ("iptables", "ipvs")
DEFAULT_MODE = "iptables"
MAX_RPS = 1000
RECENT = 20  # requests remembered in the annotation's "recent"
ERROR_WINDOW = 10  # seconds the error rate is averaged over
MAX_CATCH_UP = 3600  # seconds processed at most in one go (a clock jump never stalls a tick)


def proxy_mode(cluster) -> str:
    return cluster.settings.get("proxyMode", DEFAULT_MODE)


def rule_probabilities(n: int) -> list[str]:
    """SVC-4: the `--probability` of each iptables rule but the last, as kube-proxy prints it."""
    return [f"{1 / (n - i):.10f}" for i in range(n - 1)]


def usable_endpoints(cluster, service: dict) -> list[str]:
    """SVC-3: pod names of the ready endpoints, else of the serving-terminating ones."""
    ready, fallback = [], []
    for endpoint_slice in slices_of(cluster, service):
        for endpoint in endpoint_slice["endpoints"]:
            conditions = endpoint["conditions"]
            address = tuple(int(part) for part in endpoint["addresses"][0].split("."))
            key = (address, endpoint["targetRef"]["name"])
            if conditions.get("ready"):
                ready.append(key)
            elif conditions.get("serving") and conditions.get("terminating"):
                fallback.append(key)
    return [name for _, name in sorted(ready or fallback)]


def rps_text(rps) -> str:
    return str(int(rps)) if rps == int(rps) else f"{rps:g}"


class Traffic:
    def __init__(self, last_second: int = 0) -> None:
        self.last_second = last_second  # the last whole simulated second processed
        self.flows: dict[str, dict] = {}  # Service uid -> its rate, counters, position
        self.window: dict[str, int] = {}  # pod name -> requests served since the last scrape

    # The set_traffic action

    def set_rate(self, cluster, service: dict, rps) -> None:
        uid = service["metadata"]["uid"]
        flow = self.flows.get(uid)
        if flow is None:
            flow = self.flows[uid] = {
                "rps": 0,
                "carry": "0",
                "served": {},
                "recent": [],
                "history": [],
                "rrLast": None,
                "rrIndex": -1,
            }
        if rps > 0 and flow["rps"] == 0:  # traffic starts: count from zero again
            flow.update(served={}, recent=[], carry="0")
        flow["rps"] = rps
        self._annotate(cluster, service, flow)

    def show_all(self, cluster) -> None:
        for uid, flow in self.flows.items():
            service = cluster.store.by_uid(uid)
            if service is not None:
                self._annotate(cluster, service, flow)

    def forget(self, service_uid: str) -> None:
        self.flows.pop(service_uid, None)

    # Each simulated second

    def run(self, cluster) -> None:
        second = math.floor(cluster.now + 1e-6)
        if second <= self.last_second:
            return
        count = min(second - self.last_second, MAX_CATCH_UP)
        self.last_second = second
        for uid in list(self.flows):
            service = cluster.store.by_uid(uid)
            if service is None:
                del self.flows[uid]
                continue
            flow = self.flows[uid]
            endpoints = usable_endpoints(cluster, service)
            for _ in range(count):
                self._one_second(cluster, flow, endpoints)
            self._annotate(cluster, service, flow)

    def _one_second(self, cluster, flow: dict, endpoints: list[str]) -> None:
        carry = Fraction(flow["carry"]) + Fraction(str(flow["rps"]))
        requests = math.floor(carry)
        flow["carry"] = str(carry - requests)
        if requests and not endpoints:
            failed, targets = requests, [""] * min(requests, RECENT)
        elif requests and proxy_mode(cluster) == "ipvs":
            failed, targets = 0, self._round_robin(flow, endpoints, requests)
        elif requests:
            failed, targets = 0, self._random(cluster.rng, flow, endpoints, requests)
        else:
            failed, targets = 0, []
        flow["recent"] = (flow["recent"] + targets)[-RECENT:]
        flow["history"] = (flow["history"] + [[requests, failed]])[-ERROR_WINDOW:]

    def _count(self, flow: dict, pod: str, requests: int) -> None:
        if requests:
            flow["served"][pod] = flow["served"].get(pod, 0) + requests
            self.window[pod] = self.window.get(pod, 0) + requests

    def _round_robin(self, flow: dict, endpoints: list[str], requests: int) -> list[str]:
        """IPVS rr: the next endpoint after the last one used, in turn."""
        n = len(endpoints)
        if flow["rrLast"] in endpoints:
            start = (endpoints.index(flow["rrLast"]) + 1) % n
        else:
            start = (flow["rrIndex"] + 1) % n
        whole, extra = divmod(requests, n)
        for offset in range(n):
            self._count(flow, endpoints[(start + offset) % n], whole + (offset < extra))
        last = (start + requests - 1) % n
        flow["rrLast"], flow["rrIndex"] = endpoints[last], last
        first = max(0, requests - RECENT)
        return [endpoints[(start + j) % n] for j in range(first, requests)]

    def _random(self, rng, flow: dict, endpoints: list[str], requests: int) -> list[str]:
        """iptables: rule i matches with probability 1/(n-i), the last rule always (SVC-4)."""
        rules = [float(p) for p in rule_probabilities(len(endpoints))]
        last = len(endpoints) - 1
        counts = [0] * len(endpoints)
        picks = []
        for _ in range(requests):
            chosen = last
            for index, probability in enumerate(rules):
                if rng.random() < probability:
                    chosen = index
                    break
            counts[chosen] += 1
            picks.append(chosen)
        for index, name in enumerate(endpoints):
            self._count(flow, name, counts[index])
        return [endpoints[index] for index in picks[-RECENT:]]

    # What the Service shows

    def _annotate(self, cluster, service: dict, flow: dict) -> None:
        served = flow["served"]
        for pod in [pod for pod in served if cluster.store.get("Pod", pod) is None]:
            del served[pod]  # a deleted pod's count goes with it: the map stays small
        sent, failed = flow["history"][-1] if flow["history"] else (0, 0)
        window_sent = sum(s for s, _ in flow["history"])
        window_failed = sum(f for _, f in flow["history"])
        value = {
            "rps": flow["rps"],
            "mode": proxy_mode(cluster),
            "sent": sent,
            "failed": failed,
            "errorRate": round(window_failed / window_sent, 4) if window_sent else 0.0,
            "served": dict(served),
            "recent": list(flow["recent"]),
        }
        text = json.dumps(value, sort_keys=True)
        annotations = service["metadata"].get("annotations") or {}
        if annotations.get(ANNOTATION) == text:
            return
        with cluster.store.edit(service):
            service["metadata"].setdefault("annotations", {})[ANNOTATION] = text

    # For the metrics model

    def take_window(self) -> dict[str, int]:
        window, self.window = self.window, {}
        return window

    # Persistence

    def to_state(self) -> dict:
        return {
            "lastSecond": self.last_second,
            "flows": [{"uid": uid, **flow} for uid, flow in self.flows.items()],
            "window": [[pod, count] for pod, count in self.window.items()],
        }

    @classmethod
    def from_state(cls, state: dict | None, now: float) -> "Traffic":
        if state is None:  # saved before the traffic model existed
            return cls(math.floor(now + 1e-6))
        traffic = cls(state["lastSecond"])
        for flow in state["flows"]:
            flow = dict(flow)
            traffic.flows[flow.pop("uid")] = flow
        traffic.window = {pod: count for pod, count in state["window"]}
        return traffic

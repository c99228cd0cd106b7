"""kube-scheduler's scheduling cycle: pop one pod, filter, score, pick, bind (SCH-1..SCH-25).

Simplifications (see cluster_sim/README.md): only NodeUnschedulable,
TaintToleration and NodeResourcesFit filter; only NodeResourcesFit and
NodeResourcesBalancedAllocation score (the other default plugins give every
node the same score here, or are not modelled: PodTopologySpread's system
default spreading, ImageLocality); every node is scored
(percentageOfNodesToScore only matters from 100 nodes); preemption never finds
victims because every pod has priority 0.
"""

from ..podutil import is_terminating, requests, set_condition
from ..store import DELETED
from ..timestamps import rfc3339
from .fit_error import NO_NODES, fit_error_message
from .plugins import FILTERS, NodeInfo, balanced_allocation_score, resources_fit_score
from .queue import SchedulingQueue

COMPONENT = "default-scheduler"
# "Why this ship?" is asked of recent placements; each record lists every node, so
# keeping one per pod would grow the saved state with pods x nodes.
MAX_DECISIONS = 100


class Scheduler:
    def __init__(self) -> None:
        self.queue = SchedulingQueue()
        self.decisions: dict[str, dict] = {}  # pod name -> latest decision
        self.fresh: list[str] = []  # pods decided since the driver last took them (not saved)

    # Watching the store

    def observe_pod(self, change: str, pod: dict, now: float) -> None:
        uid = pod["metadata"]["uid"]
        spec = pod["spec"]
        if change == DELETED or spec.get("nodeName") or is_terminating(pod):
            self.queue.remove(uid)
        elif spec.get("schedulerName", COMPONENT) == COMPONENT:
            self.queue.add(uid, pod["metadata"]["name"], spec.get("priority", 0), now)
        if change == DELETED:
            self.decisions.pop(pod["metadata"]["name"], None)

    def cluster_changed(self, now: float) -> None:
        """A pod was deleted or a node added or changed: parked pods may fit now."""
        self.queue.move_all(now)

    # The cycle

    def run(self, cluster) -> None:
        self.queue.flush_stale(cluster.now)
        infos = None
        while (entry := self.queue.pop(cluster.now)) is not None:
            pod = cluster.store.by_uid(entry["uid"])
            if pod is None or pod["spec"].get("nodeName") or is_terminating(pod):
                self.queue.remove(entry["uid"])
                continue
            if infos is None:
                infos = {
                    node["metadata"]["name"]: NodeInfo.build(
                        node, cluster.store.pods_on_node(node["metadata"]["name"])
                    )
                    for node in cluster.store.list("Node")
                }
            self.schedule_one(cluster, pod, infos)  # binds (dequeued) or parks the pod

    def schedule_one(self, cluster, pod: dict, infos: dict[str, NodeInfo]) -> None:
        pod_requests = requests(pod)
        verdicts, feasible, failures = [], [], []
        for info in infos.values():
            for plugin, check in FILTERS:
                failed = check(pod, info, pod_requests)
                if failed:
                    reasons, _ = failed
                    failures.append(failed)
                    verdicts.append(
                        {"node": info.name, "feasible": False, "filter": plugin, "reasons": reasons}
                    )
                    break
            else:
                feasible.append(info)
                verdicts.append({"node": info.name, "feasible": True})
        if not feasible:
            message = fit_error_message(len(infos), failures) if infos else NO_NODES
            self._record(cluster, pod, verdicts, None, False, [], message)
            self._fail(cluster, pod, message)
            return
        scored = len(feasible) > 1
        if scored:
            winner, tied = self._score_and_select(cluster, pod, pod_requests, feasible, verdicts)
        else:
            winner, tied = feasible[0], []  # SCH-20: a single feasible node is not scored
        meta = pod["metadata"]
        message = f"Successfully assigned {meta['namespace']}/{meta['name']} to {winner.name}"
        self._record(cluster, pod, verdicts, winner.name, scored, tied, message)
        self._bind(cluster, pod, winner, message)

    def _score_and_select(self, cluster, pod, pod_requests, feasible, verdicts):
        strategy = cluster.settings["strategy"]
        by_node = {v["node"]: v for v in verdicts}
        totals = []
        for info in feasible:
            scores = {
                "NodeResourcesFit": resources_fit_score(strategy, pod, info),
                "NodeResourcesBalancedAllocation": balanced_allocation_score(pod_requests, info),
            }
            total = sum(scores.values())  # both plugins have weight 1
            by_node[info.name].update(scores=scores, total=total)
            totals.append((info, total))
        # SCH-20 selectHost: reservoir sampling among the nodes sharing the top score.
        selected, best = totals[0]
        tied = [selected.name]
        count = 1
        for info, total in totals[1:]:
            if total > best:
                selected, best, count, tied = info, total, 1, [info.name]
            elif total == best:
                count += 1
                tied.append(info.name)
                if cluster.rng.randrange(count) == 0:
                    selected = info
        return selected, tied if len(tied) > 1 else []

    def _bind(self, cluster, pod: dict, info: NodeInfo, message: str) -> None:
        with cluster.store.edit(pod):
            pod["spec"]["nodeName"] = info.name
            set_condition(pod, "PodScheduled", "True", cluster.now)
        info.add(pod)
        cluster.recorder.record(cluster, pod, "Normal", "Scheduled", message, COMPONENT)

    def _fail(self, cluster, pod: dict, message: str) -> None:
        with cluster.store.edit(pod):
            pod["status"]["phase"] = "Pending"
            set_condition(pod, "PodScheduled", "False", cluster.now, "Unschedulable", message)
        self.queue.park(pod["metadata"]["uid"], cluster.now)
        cluster.recorder.record(cluster, pod, "Warning", "FailedScheduling", message, COMPONENT)

    def _record(self, cluster, pod, verdicts, winner, scored, tied, message) -> None:
        entry = self.queue.entries.get(pod["metadata"]["uid"], {})
        name = pod["metadata"]["name"]
        self.fresh.append(name)
        self.decisions.pop(name, None)  # re-inserted last: the dict is oldest-first
        while len(self.decisions) >= MAX_DECISIONS:
            del self.decisions[next(iter(self.decisions))]
        self.decisions[name] = {
            "pod": pod["metadata"]["name"],
            "podUID": pod["metadata"]["uid"],
            "time": cluster.now,
            "timestamp": rfc3339(cluster.now),
            "strategy": cluster.settings["strategy"],
            "attempt": entry.get("attempts", 0) + 1,
            "nodes": verdicts,
            "scored": scored,
            "winner": winner,
            "tiedWith": tied,
            "message": message,
        }

    def take_fresh(self) -> list[dict]:
        names, self.fresh = self.fresh, []
        latest = {name: self.decisions[name] for name in names if name in self.decisions}
        return list(latest.values())

    # Persistence

    def to_state(self) -> dict:
        return {"queue": self.queue.to_state(), "decisions": self.decisions}

    @classmethod
    def from_state(cls, state: dict) -> "Scheduler":
        scheduler = cls()
        scheduler.queue = SchedulingQueue.from_state(state["queue"])
        scheduler.decisions = state["decisions"]
        return scheduler

"""kube-scheduler's scheduling cycle: pop one pod, filter, score, pick, bind (SCH-1..SCH-25).

Filters run in the real order and stop at a node's first failing plugin; when
no node fits, DefaultPreemption looks for lower-priority victims (SCH-24).
Simplifications (see cluster_sim/README.md): no NodePorts, volume or
InterPodAffinity plugins; the search for feasible nodes always starts at the
first node (the round-robin start only matters from 100 nodes).
"""

from ..podutil import is_terminating, requests, set_condition
from ..store import DELETED
from ..timestamps import rfc3339
from .fit_error import NO_NODES, fit_error_message
from .plugins import FILTERS, NodeInfo
from .preemption import preempt
from .queue import SchedulingQueue
from .scoring import WEIGHTS, num_feasible_nodes_to_find, score_all
from .spread import SpreadFilter

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
        filters = (*FILTERS, ("PodTopologySpread", SpreadFilter(pod, infos.values())))
        verdicts, feasible, failures = [], [], []
        wanted = num_feasible_nodes_to_find(len(infos))
        for info in infos.values():
            if len(feasible) >= wanted:
                break
            for plugin, check in filters:
                failed = check(pod, info, pod_requests)
                if failed:
                    reasons, _ = failed
                    failures.append(failed)
                    verdicts.append(
                        {
                            "node": info.name,
                            "feasible": False,
                            "filter": plugin,
                            "reasons": reasons,
                        }
                    )
                    break
            else:
                feasible.append(info)
                verdicts.append({"node": info.name, "feasible": True})
        if not feasible:
            nominated = None
            if not infos:
                message = NO_NODES
            else:
                nominated, suffix = preempt(cluster, pod, verdicts, failures, pod_requests)
                message = fit_error_message(len(infos), failures, suffix)
            self._record(cluster, pod, verdicts, None, False, [], message)
            if infos and nominated:
                self.decisions[pod["metadata"]["name"]]["preemption"] = nominated
            self._fail(cluster, pod, message)
            return
        nominated = pod["status"].get("nominatedNodeName")
        chosen = next((info for info in feasible if info.name == nominated), None)
        scored = len(feasible) > 1 and chosen is None
        if scored:
            winner, tied = self._score_and_select(
                cluster, pod, pod_requests, feasible, infos, verdicts
            )
        else:
            # SCH-20: a single feasible node (or the nominated one, if it fits) is not scored.
            winner, tied = chosen or feasible[0], []
        meta = pod["metadata"]
        message = f"Successfully assigned {meta['namespace']}/{meta['name']} to {winner.name}"
        self._record(cluster, pod, verdicts, winner.name, scored, tied, message)
        self._bind(cluster, pod, winner, message)

    def _score_and_select(self, cluster, pod, pod_requests, feasible, infos, verdicts):
        by_node = {v["node"]: v for v in verdicts}
        per_plugin = score_all(cluster, pod, pod_requests, feasible, infos)
        totals = []
        for info in feasible:
            scores = {plugin: values[info.name] for plugin, values in per_plugin.items()}
            total = sum(WEIGHTS[plugin] * score for plugin, score in scores.items())
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
            pod["status"].pop("nominatedNodeName", None)
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
            "weights": dict(WEIGHTS),
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

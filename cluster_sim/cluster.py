"""The Cluster facade: one simulated cluster, its clock, its RNG and its control plane.

See docs/ARCHITECTURE.md ("Engine API") for the contract this implements.
"""

import math
import random

from . import actions, demo, disruption, hpa, taint_manager
from .controllers import deployment as deployment_controller
from .controllers import replicaset as replicaset_controller
from .endpointslices import EndpointSliceController
from .events import EventRecorder
from .kubelet import Kubelet
from .metrics import Metrics
from .node_health import NodeHealth
from .nodes import NodeLifecycle
from .scheduler import Scheduler
from .scheduler.plugins import LEAST_ALLOCATED
from .store import ADDED, DELETED, Store, clone, controller_uid
from .traffic import Traffic
from .workqueue import WorkQueues

STATE_FORMAT = 1
MAX_SUBSTEP = 1.0  # seconds of simulated time per control-plane pass
MAX_PASSES = 25  # bound on the passes one moment may take to settle


class Cluster:
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = 0.0
        self.settings = {"strategy": LEAST_ALLOCATED}
        self.store = Store()
        self.recorder = EventRecorder()
        self.scheduler = Scheduler()
        self.kubelet = Kubelet()
        self.nodes = NodeLifecycle()
        self.health = NodeHealth()
        self.dirty = WorkQueues()
        self.endpoint_slices = EndpointSliceController()
        self.traffic = Traffic()
        self.metrics = Metrics()
        self.store.listeners.append(self._observe)

    # Construction

    @classmethod
    def empty(cls, seed: int = 0) -> "Cluster":
        return cls(seed)

    @classmethod
    def demo(cls, seed: int = 0, *, config: bool = True, traffic: bool = True) -> "Cluster":
        """Three ships and two Deployments, scheduled and started by the simulation itself;
        with their ConfigMap and Secret (config) and the web Service's traffic (traffic)."""
        cluster = cls(seed)
        demo.populate(cluster, config=config, traffic=traffic)
        return cluster

    # Driving

    def apply(self, action: dict) -> str:
        """Validate and perform one user action; ActionError (and no change) on bad input."""
        return actions.apply(self, action)

    def step(self, dt: float) -> None:
        """Advance simulated time by dt seconds, in sub-steps of at most one second."""
        if isinstance(dt, bool) or not isinstance(dt, int | float) or not (0 <= dt < math.inf):
            raise ValueError(f"dt must be a number of seconds >= 0, not {dt!r}")
        if dt == 0:
            self.reconcile()
            return
        remaining = float(dt)
        while remaining > 1e-9:
            delta = min(MAX_SUBSTEP, remaining)
            # Rounded to microseconds so repeated small steps never drift apart.
            self.now = round(self.now + delta, 6)
            remaining = round(remaining - delta, 6)
            self.reconcile()

    def reconcile(self) -> None:
        """Zero-time passes of the whole control plane until nothing changes (bounded)."""
        self.dirty.resync_if_due(self)
        for _ in range(MAX_PASSES):
            before = self.store.resource_version
            deployment_controller.run(self)
            replicaset_controller.run(self)
            self.scheduler.run(self)
            self.kubelet.run(self)
            self.health.run(self)
            taint_manager.run(self)
            self.nodes.run(self)
            disruption.run(self)
            self.endpoint_slices.run(self)
            self.traffic.run(self)  # whole seconds only, after the slices are current
            self.metrics.run(self)
            hpa.run(self)  # each HPA at its 15 s tick, after the metrics of the moment
            if self.store.resource_version == before:
                break  # a pass that wrote nothing: every part agrees with the state

    # Reading

    def objects(self) -> list[dict]:
        return [clone(obj) for obj in self.store.all()]

    def recent_events(self, limit: int = 200) -> list[dict]:
        return clone(self.recorder.recent[-limit:]) if limit > 0 else []

    def take_changes(self) -> tuple[list[dict], list[dict]]:
        return self.store.take_journal(), self.recorder.take()

    def take_decisions(self) -> list[dict]:
        """Scheduling decisions made since the last call (for "why this ship?" as it happens)."""
        return clone(self.scheduler.take_fresh())

    def recent_decisions(self) -> list[dict]:
        """The latest kept scheduling decisions, oldest first."""
        return clone(list(self.scheduler.decisions.values()))

    def scheduling_decision(self, pod_name: str) -> dict | None:
        """Why the scheduler put (or could not put) this pod where it did: the latest attempt."""
        decision = self.scheduler.decisions.get(pod_name)
        return clone(decision) if decision is not None else None

    # Persistence

    def to_state(self) -> dict:
        """A JSON-safe deep copy of everything the future depends on (parts' to_state() may
        share live data; the single copy here makes the snapshot independent)."""
        version, internal, gauss = self.rng.getstate()
        return clone(
            {
                "format": STATE_FORMAT,
                "seed": self.seed,
                "now": self.now,
                "rng": [version, list(internal), gauss],
                "resourceVersion": self.store.resource_version,
                "settings": self.settings,
                "objects": list(self.store.all()),
                "events": self.recorder.to_state(),
                "scheduler": self.scheduler.to_state(),
                "kubelet": self.kubelet.to_state(),
                "nodes": self.nodes.to_state(),
                "health": self.health.to_state(),
                "workqueues": self.dirty.to_state(),
                "endpointSlices": self.endpoint_slices.to_state(),
                "traffic": self.traffic.to_state(),
                "metrics": self.metrics.to_state(),
            }
        )

    @classmethod
    def from_state(cls, state: dict) -> "Cluster":
        """Rebuild a cluster from to_state() output, taking ownership of the dict (no copy:
        callers pass freshly loaded JSON, and copying a large state costs milliseconds)."""
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported cluster state format {state.get('format')!r}")
        cluster = cls(state["seed"])
        version, internal, gauss = state["rng"]
        cluster.rng.setstate((version, tuple(internal), gauss))
        cluster.now = state["now"]
        cluster.settings = state["settings"]
        cluster.store.restore(state["objects"], state["resourceVersion"])
        cluster.recorder = EventRecorder.from_state(state["events"])
        cluster.scheduler = Scheduler.from_state(state["scheduler"])
        cluster.kubelet = Kubelet.from_state(state["kubelet"])
        cluster.nodes = NodeLifecycle.from_state(state["nodes"])
        cluster.health = NodeHealth.from_state(state.get("health"))
        cluster.dirty = WorkQueues.from_state(state["workqueues"])
        cluster.endpoint_slices = EndpointSliceController.from_state(state.get("endpointSlices"))
        cluster.traffic = Traffic.from_state(state.get("traffic"), cluster.now)
        cluster.metrics = Metrics.from_state(state.get("metrics"), cluster.now)
        return cluster

    # Watching the store: route every write to the parts that care

    def _observe(self, change: str, obj: dict, before: dict | None) -> None:
        kind = obj["kind"]
        uid = obj["metadata"]["uid"]
        owner = controller_uid(obj)
        self.endpoint_slices.observe(self, change, obj, before)
        self.metrics.observe(change, obj)
        if kind == "Pod":
            if owner:
                self.dirty.add("ReplicaSet", owner)
                if change == DELETED:
                    self._pod_gone(owner)
            self.scheduler.observe_pod(change, obj, self.now)
            self.kubelet.observe_pod(change, obj)
            if change == DELETED and obj["spec"].get("nodeName"):
                self.scheduler.cluster_changed(self.now)  # its resources are free again
        elif kind == "ReplicaSet":
            if change != DELETED:
                self.dirty.add("ReplicaSet", uid)
            if owner:
                self.dirty.add("Deployment", owner)
        elif kind == "Deployment":
            if change != DELETED:
                self.dirty.add("Deployment", uid)
        elif kind == "Node" and (
            change == ADDED
            or (change != DELETED and _schedulable_view(obj) != _schedulable_view(before))
        ):
            self.scheduler.cluster_changed(self.now)

    def _pod_gone(self, rs_uid: str) -> None:
        """A Recreate rollout waits for old pods to disappear (DEP-7): the Deployment
        controller hears about every deleted pod of its ReplicaSets."""
        rs = self.store.by_uid(rs_uid)
        deployment = controller_uid(rs) if rs is not None else None
        if deployment:
            self.dirty.add("Deployment", deployment)


def _schedulable_view(node: dict | None) -> tuple:
    """The parts of a Node a scheduling decision depends on."""
    if node is None:
        return ()
    return (
        node["spec"].get("unschedulable"),
        node["spec"].get("taints"),
        node["metadata"].get("labels"),
        node["status"].get("allocatable"),
    )

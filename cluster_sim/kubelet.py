"""The kubelets of all nodes: start bound pods, stop deleted ones (POD-1..POD-3, POD-11).

A bound pod waits in ContainerCreating for a short simulated delay: 3 s when
its image must be pulled to that node (Pulling, then Pulled), 1 s when the
image is already there (Pulled "already present"); then its containers are
Created and Started, running and ready at once (no probes are modelled yet).

A deleted pod whose containers run is stopped after its whole grace period:
the simulated apps ignore SIGTERM, so they are SIGKILLed when it runs out
(exit code 137). The kubelet then reports the terminal phase (POD-3: Failed)
and removes the object. A pod whose containers never started stops at once.
"""

from .images import image_id, image_size, remember_image
from .ipam import allocate_pod_ip
from .podutil import is_terminating, pod_phase, set_condition
from .store import DELETED
from .timestamps import go_duration, rfc3339, seconds_since_epoch

COMPONENT = "kubelet"
PULL_SECONDS = 3.0
START_SECONDS = 1.0
SIGKILL_EXIT_CODE = 137


def field_path(container: dict) -> str:
    return f"spec.containers{{{container['name']}}}"


class Kubelet:
    def __init__(self) -> None:
        self.pods: dict[str, dict] = {}  # pod uid -> what this kubelet is doing with it
        self.dirty: dict[str, None] = {}  # pods the API changed since the last sync
        self.pulls: dict[str, float] = {}  # "node image" -> when the pull in progress ends
        self.last_ip: dict[str, int] = {}  # node -> last host number handed out
        self.timers: dict[str, float] = {}  # pod uid -> when its next stage is due

    def observe_pod(self, change: str, pod: dict) -> None:
        uid = pod["metadata"]["uid"]
        if change == DELETED:
            self.pods.pop(uid, None)
            self.dirty.pop(uid, None)
            self.timers.pop(uid, None)
        elif pod["spec"].get("nodeName"):
            self.dirty[uid] = None

    def run(self, cluster) -> None:
        down = cluster.health.is_down  # a sunk ship's kubelet does nothing until it is raised
        dirty, self.dirty = self.dirty, {}
        for uid in dirty:
            pod = cluster.store.by_uid(uid)
            if pod is None:
                continue
            if down(pod["spec"]["nodeName"]):
                self.dirty[uid] = None
            else:
                self.sync_pod(cluster, pod)
        due = [
            uid
            for uid, at in self.timers.items()
            if at <= cluster.now and not down(self.pods.get(uid, {}).get("node", ""))
        ]
        for uid in due:
            del self.timers[uid]
            pod = cluster.store.by_uid(uid)
            if pod is None:
                self.pods.pop(uid, None)
            elif self.pods[uid]["stage"] == "creating":
                self._start(cluster, pod)
            else:
                self._finish(cluster, pod)
        for key in [key for key, end in self.pulls.items() if end <= cluster.now]:
            del self.pulls[key]

    def sync_pod(self, cluster, pod: dict) -> None:
        work = self.pods.get(pod["metadata"]["uid"])
        if work is None:
            if is_terminating(pod):
                cluster.store.delete(pod)  # never started here: nothing to stop
            else:
                self._admit(cluster, pod)
        elif is_terminating(pod) and work["stage"] != "terminating":
            self._begin_termination(cluster, pod, work)

    # Starting

    def _admit(self, cluster, pod: dict) -> None:
        node = cluster.store.get("Node", pod["spec"]["nodeName"])
        now = cluster.now
        present = {name for image in node["status"].get("images", ()) for name in image["names"]}
        due = now + START_SECONDS
        pulling = []
        for container in pod["spec"]["containers"]:
            image = container["image"]
            if container.get("imagePullPolicy") != "Always" and image in present:
                continue
            key = f"{node['metadata']['name']} {image}"
            end = self.pulls.setdefault(
                key, now + (START_SECONDS if image in present else PULL_SECONDS)
            )
            due = max(due, end)
            pulling.append(container["name"])
        host_ip = node["status"]["addresses"][0]["address"]
        pod_ip = allocate_pod_ip(cluster, node, self.last_ip)
        with cluster.store.edit(pod):
            status = pod["status"]
            status.update(
                phase="Pending",
                hostIP=host_ip,
                hostIPs=[{"ip": host_ip}],
                podIP=pod_ip,
                podIPs=[{"ip": pod_ip}],
                startTime=rfc3339(now),
            )
            names = " ".join(c["name"] for c in pod["spec"]["containers"])
            set_condition(pod, "PodReadyToStartContainers", "True", now)
            set_condition(pod, "Initialized", "True", now)
            for type_ in ("Ready", "ContainersReady"):
                set_condition(
                    pod,
                    type_,
                    "False",
                    now,
                    "ContainersNotReady",
                    f"containers with unready status: [{names}]",
                )
            status["containerStatuses"] = [
                {
                    "name": c["name"],
                    "image": c["image"],
                    "imageID": "",
                    "ready": False,
                    "started": False,
                    "restartCount": 0,
                    "state": {"waiting": {"reason": "ContainerCreating"}},
                    "lastState": {},
                }
                for c in pod["spec"]["containers"]
            ]
        self.pods[pod["metadata"]["uid"]] = {
            "name": pod["metadata"]["name"],
            "node": node["metadata"]["name"],
            "stage": "creating",
            "since": now,
            "pulling": pulling,
        }
        self.timers[pod["metadata"]["uid"]] = due
        host = node["metadata"]["name"]
        for container in pod["spec"]["containers"]:
            if container["name"] in pulling:
                cluster.recorder.record(
                    cluster,
                    pod,
                    "Normal",
                    "Pulling",
                    f'Pulling image "{container["image"]}"',
                    COMPONENT,
                    host=host,
                    field_path=field_path(container),
                )

    def _start(self, cluster, pod: dict) -> None:
        work = self.pods[pod["metadata"]["uid"]]
        now = cluster.now
        node = cluster.store.get("Node", work["node"])
        host = work["node"]
        started = rfc3339(now)
        statuses = []
        for container in pod["spec"]["containers"]:
            image = container["image"]
            path = field_path(container)
            if container["name"] in work["pulling"]:
                took = go_duration(now - work["since"])
                message = (
                    f'Successfully pulled image "{image}" in {took} ({took} including waiting).'
                    f" Image size: {image_size(image)} bytes."
                )
                remember_image(cluster, node, image)
            else:
                message = f'Container image "{image}" already present on machine'
            record = cluster.recorder.record
            record(cluster, pod, "Normal", "Pulled", message, COMPONENT, host=host, field_path=path)
            record(
                cluster,
                pod,
                "Normal",
                "Created",
                f"Created container: {container['name']}",
                COMPONENT,
                host=host,
                field_path=path,
            )
            record(
                cluster,
                pod,
                "Normal",
                "Started",
                f"Started container {container['name']}",
                COMPONENT,
                host=host,
                field_path=path,
            )
            statuses.append(
                {
                    "name": container["name"],
                    "image": image,
                    "imageID": image_id(image),
                    "containerID": f"containerd://{cluster.rng.getrandbits(256):064x}",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": started}},
                    "lastState": {},
                }
            )
        with cluster.store.edit(pod):
            pod["status"]["containerStatuses"] = statuses
            pod["status"]["phase"] = pod_phase(statuses, pod["spec"].get("restartPolicy", "Always"))
            for type_ in ("ContainersReady", "Ready"):
                set_condition(pod, type_, "True", now)
        work.update(stage="running", pulling=[])

    # Stopping

    def _begin_termination(self, cluster, pod: dict, work: dict) -> None:
        statuses = pod["status"].get("containerStatuses") or []
        running = [s["name"] for s in statuses if "running" in s.get("state", {})]
        for container in pod["spec"]["containers"]:
            if container["name"] in running:
                cluster.recorder.record(
                    cluster,
                    pod,
                    "Normal",
                    "Killing",
                    f"Stopping container {container['name']}",
                    COMPONENT,
                    host=work["node"],
                    field_path=field_path(container),
                )
        grace = pod["metadata"].get("deletionGracePeriodSeconds", 30)
        due = cluster.now + (grace if running else 0)
        work.update(stage="terminating", pulling=[])
        self.timers[pod["metadata"]["uid"]] = due

    def _finish(self, cluster, pod: dict) -> None:
        """SIGKILL whatever still runs, report the terminal phase, remove the pod."""
        now = cluster.now
        statuses = pod["status"].get("containerStatuses") or []
        if any("running" in s.get("state", {}) for s in statuses):
            with cluster.store.edit(pod):
                for status in statuses:
                    running = status.get("state", {}).get("running")
                    if running is None:
                        continue
                    status["state"] = {
                        "terminated": {
                            "exitCode": SIGKILL_EXIT_CODE,
                            "reason": "Error",
                            "startedAt": running["startedAt"],
                            "finishedAt": rfc3339(now),
                            "containerID": status.get("containerID", ""),
                        }
                    }
                    status["ready"] = False
                    status["started"] = False
                pod["status"]["phase"] = pod_phase(
                    statuses, pod["spec"]["restartPolicy"], terminal=True
                )
                names = " ".join(s["name"] for s in statuses)
                for type_ in ("ContainersReady", "Ready"):
                    set_condition(
                        pod,
                        type_,
                        "False",
                        now,
                        "PodCompleted",
                        f"containers with unready status: [{names}]",
                    )
        self.pods.pop(pod["metadata"]["uid"], None)
        cluster.store.delete(pod)

    def node_returned(self, cluster, node_name: str) -> None:
        """A raised ship's kubelet catches up: pods whose deletion deadline passed are
        finished at once, the others report Ready again or go on where they were."""
        now = cluster.now
        for pod in cluster.store.pods_on_node(node_name):
            uid = pod["metadata"]["uid"]
            work = self.pods.get(uid)
            if is_terminating(pod):
                if work is None:
                    cluster.store.delete(pod)
                    self.dirty.pop(uid, None)
                else:
                    self.dirty.pop(uid, None)
                    deadline = seconds_since_epoch(pod["metadata"]["deletionTimestamp"])
                    if deadline <= now:
                        self.timers.pop(uid, None)
                        self._finish(cluster, pod)
                    else:  # stop what runs, by the deadline the API set
                        if work["stage"] != "terminating":
                            self._begin_termination(cluster, pod, work)
                        self.timers[uid] = deadline
                continue
            if work is not None and work["stage"] == "running":
                with cluster.store.edit(pod):
                    for type_ in ("ContainersReady", "Ready"):
                        set_condition(pod, type_, "True", now)

    # Persistence

    def to_state(self) -> dict:
        return {
            "pods": [{"uid": uid, **work} for uid, work in self.pods.items()],
            "dirty": list(self.dirty),
            "pulls": [[key, end] for key, end in self.pulls.items()],
            "lastIP": [[node, host] for node, host in self.last_ip.items()],
            "timers": [[uid, due] for uid, due in self.timers.items()],
        }

    @classmethod
    def from_state(cls, state: dict) -> "Kubelet":
        kubelet = cls()
        for work in state["pods"]:
            work = dict(work)
            kubelet.pods[work.pop("uid")] = work
        kubelet.dirty = dict.fromkeys(state["dirty"])
        kubelet.pulls = {key: end for key, end in state["pulls"]}
        kubelet.last_ip = {node: host for node, host in state["lastIP"]}
        kubelet.timers = {uid: due for uid, due in state["timers"]}
        return kubelet

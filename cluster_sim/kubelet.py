"""The kubelets of all nodes: run bound pods' containers, stop deleted ones (POD-1..POD-11).

A bound pod waits in ContainerCreating for a short simulated delay: 3 s when
its image must be pulled to that node (Pulling, then Pulled), 1 s when the
image is already there (Pulled "already present"); then its containers are
Created and Started. An image that does not exist fails to pull after 1 s
(ErrImagePull, then ImagePullBackOff; retries 10 s, 20 s, ... 300 s after each
failure). A running container may exit (the image table in `images.py`) or be
killed by its liveness/startup probe; it is restarted per restartPolicy with
the crash-loop back-off of POD-7 (first restart at once, then 10 s doubling to
300 s, reset after 600 s of running). Probes (POD-8..POD-10) run every
periodSeconds from initialDelaySeconds after the start; they pass unless the
image does not serve (`images.serves`). Without a readiness probe a started
container is ready at once.

A deleted pod whose containers run is stopped after its whole grace period:
the simulated apps ignore SIGTERM, so they are SIGKILLed when it runs out
(exit code 137). The kubelet then reports the terminal phase (POD-3: Failed)
and removes the object. A pod whose containers never started stops at once.

Each container's runtime record (`work["containers"]`) keeps its status, its
mode (create, pull, pullerr, pullbackoff, run, crashloop, configerr, done), the moment
its mode ends (`due`), the restart and image-pull back-off entries and the
probe workers. The moment a back-off ends is exposed on the pod as annotation
`playground.k8s/backoff-until` (JSON object container name -> RFC 3339 time).

ConfigMaps and Secrets (CFG-1, CFG-2) are `kubelet_config.py`'s: it holds a pod
before admission while its config volumes cannot be set up, checks each
container's env just before the container is created, and refreshes volumes.
"""

import json

from . import kubelet_config
from .images import exit_plan, image_id, image_size, pull_error, remember_image, serves
from .ipam import allocate_pod_ip
from .podutil import is_terminating, pod_phase, set_condition
from .store import DELETED, clone
from .timestamps import go_duration, rfc3339, seconds_since_epoch

COMPONENT = "kubelet"
PULL_SECONDS = 3.0
START_SECONDS = 1.0
PULL_FAIL_SECONDS = 1.0  # a pull of an image that does not exist fails after this
ERR_IMAGE_PULL_SECONDS = 1.0  # ErrImagePull shows this long before ImagePullBackOff
SIGKILL_EXIT_CODE = 137
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
BACKOFF_RESET = 2 * BACKOFF_MAX  # flowcontrol's expiry: an entry older than this starts over
BACKOFF_ANNOTATION = "playground.k8s/backoff-until"
PROBE_KINDS = ("startup", "readiness", "liveness")
PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "periodSeconds": 10,
    "timeoutSeconds": 1,
    "successThreshold": 1,
    "failureThreshold": 3,
}


def field_path(container: dict) -> str:
    return f"spec.containers{{{container['name']}}}"


def probe_setting(probe: dict, key: str):
    return probe.get(key) or PROBE_DEFAULTS[key]


def probe_failure(probe: dict, pod: dict) -> str:
    """What the prober says when the app does not answer."""
    if "httpGet" in probe:
        return "HTTP probe failed with statuscode: 503"
    if "tcpSocket" in probe:
        ip = pod["status"].get("podIP", "")
        return f"dial tcp {ip}:{probe['tcpSocket'].get('port')}: connect: connection refused"
    return "command terminated with exit code 1"


def _next_backoff(entry: float) -> float:
    return BACKOFF_INITIAL if not entry else min(entry * 2, BACKOFF_MAX)


class Kubelet:
    def __init__(self) -> None:
        self.pods: dict[str, dict] = {}  # pod uid -> what this kubelet is doing with it
        self.dirty: dict[str, None] = {}  # pods the API changed since the last sync
        self.pulls: dict[str, float] = {}  # "node image" -> when the pull in progress ends
        self.last_ip: dict[str, int] = {}  # node -> last host number handed out
        self.timers: dict[str, float] = {}  # pod uid -> when its next stage is due
        self.config: dict[str, dict] = {}  # pod uid -> its ConfigMap/Secret use (kubelet_config)

    def observe_pod(self, change: str, pod: dict) -> None:
        uid = pod["metadata"]["uid"]
        if change == DELETED:
            self.pods.pop(uid, None)
            self.dirty.pop(uid, None)
            self.timers.pop(uid, None)
            self.config.pop(uid, None)
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
            elif self.pods[uid]["stage"] == "terminating":
                self._finish(cluster, pod)
            else:
                self._advance(cluster, pod, self.pods[uid])
        for key in [key for key, end in self.pulls.items() if end <= cluster.now]:
            del self.pulls[key]
        kubelet_config.run(cluster, self)

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
        if kubelet_config.waits_for_volumes(cluster, self, pod):
            return  # ContainerCreating until its ConfigMap/Secret volumes are set up (CFG-2)
        node = cluster.store.get("Node", pod["spec"]["nodeName"])
        now = cluster.now
        present = {name for image in node["status"].get("images", ()) for name in image["names"]}
        due = now + START_SECONDS
        pulling = []
        for container in pod["spec"]["containers"]:
            image = container["image"]
            if container.get("imagePullPolicy") != "Always" and image in present:
                continue
            pulling.append(container["name"])
            if pull_error(image):
                continue
            key = f"{node['metadata']['name']} {image}"
            end = self.pulls.setdefault(
                key, now + (START_SECONDS if image in present else PULL_SECONDS)
            )
            due = max(due, end)
        host_ip = node["status"]["addresses"][0]["address"]
        pod_ip = allocate_pod_ip(cluster, node, self.last_ip)
        records = []
        for c in pod["spec"]["containers"]:
            bad = pull_error(c["image"]) is not None
            records.append(
                {
                    "name": c["name"],
                    "mode": "pull" if bad else "create",
                    "due": now + PULL_FAIL_SECONDS if bad else due,
                    "backoff": 0,
                    "backoffAt": None,
                    "pullBackoff": 0,
                    "startedAt": None,
                    "probes": {},
                    "status": _new_container_status(c),
                }
            )
        with cluster.store.edit(pod):
            status = pod["status"]
            status.update(
                phase="Pending",
                hostIP=host_ip,
                hostIPs=[{"ip": host_ip}],
                podIP=pod_ip,
                podIPs=[{"ip": pod_ip}],
                startTime=status.get("startTime") or rfc3339(now),
            )
            set_condition(pod, "PodReadyToStartContainers", "True", now)
            set_condition(pod, "Initialized", "True", now)
            _set_containers_ready(pod, [c["name"] for c in pod["spec"]["containers"]], now)
            status["containerStatuses"] = [clone(r["status"]) for r in records]
        uid = pod["metadata"]["uid"]
        self.pods[uid] = {
            "name": pod["metadata"]["name"],
            "node": node["metadata"]["name"],
            "stage": "creating",
            "since": now,
            "pulling": pulling,
            "containers": records,
        }
        self.timers[uid] = min(r["due"] for r in records)
        host = node["metadata"]["name"]
        for container in pod["spec"]["containers"]:
            if container["name"] in pulling:
                self._event(
                    cluster,
                    pod,
                    host,
                    container,
                    "Normal",
                    "Pulling",
                    f'Pulling image "{container["image"]}"',
                )

    def _event(self, cluster, pod, host, container, type_, reason, message) -> None:
        cluster.recorder.record(
            cluster,
            pod,
            type_,
            reason,
            message,
            COMPONENT,
            host=host,
            field_path=field_path(container),
        )

    # Running: every container's next moment, in time order

    def _advance(self, cluster, pod: dict, work: dict) -> None:
        specs = {c["name"]: c for c in pod["spec"]["containers"]}
        for record in self._records(cluster, pod, work):
            for _ in range(100):  # bounded: a few transitions can share one moment
                what, at = self._next(record)
                if at is None or at > cluster.now:
                    break
                self._transition(cluster, pod, work, record, specs[record["name"]], what)
        self._write_status(cluster, pod, work)
        self._schedule(pod, work)

    def _records(self, cluster, pod: dict, work: dict) -> list[dict]:
        """The runtime records; a state saved before they existed gets them from the pod."""
        if "containers" not in work:
            work["containers"] = []
            statuses = {s["name"]: s for s in pod["status"].get("containerStatuses") or ()}
            for c in pod["spec"]["containers"]:
                status = statuses.get(c["name"], {})
                running = "running" in status.get("state", {})
                work["containers"].append(
                    {
                        "name": c["name"],
                        "mode": "run" if running else "create",
                        "due": None if running else cluster.now,
                        "backoff": 0,
                        "backoffAt": None,
                        "pullBackoff": 0,
                        "startedAt": cluster.now if running else None,
                        "probes": {},
                        "status": clone(status) or _new_container_status(c),
                    }
                )
        return work["containers"]

    @staticmethod
    def _next(record: dict) -> tuple[str, float | None]:
        """The record's earliest pending moment: its mode's end or a probe."""
        what, at = "mode", record["due"]
        if record["mode"] == "run":
            for kind, probe in record["probes"].items():
                if probe["next"] is not None and (at is None or probe["next"] < at):
                    what, at = kind, probe["next"]
        return what, at

    def _schedule(self, pod: dict, work: dict) -> None:
        uid = pod["metadata"]["uid"]
        moments = [self._next(r)[1] for r in work["containers"]]
        moments = [m for m in moments if m is not None]
        if moments:
            self.timers[uid] = min(moments)
        else:
            self.timers.pop(uid, None)

    def _transition(self, cluster, pod, work, record, spec, what) -> None:
        now = cluster.now
        host = work["node"]
        image = spec["image"]
        status = record["status"]
        if what != "mode":
            self._probe(cluster, pod, work, record, spec, what)
            return
        mode = record["mode"]
        if mode in ("create", "crashloop", "configerr"):
            restart = mode == "crashloop" or record.pop("restartPending", False)
            self._run_container(cluster, pod, work, record, spec, restart=restart)
        elif mode == "pull":
            error = pull_error(image)
            self._event(
                cluster,
                pod,
                host,
                spec,
                "Warning",
                "Failed",
                f'Failed to pull image "{image}": {error}',
            )
            self._event(cluster, pod, host, spec, "Warning", "Failed", "Error: ErrImagePull")
            record["pullBackoff"] = _next_backoff(record["pullBackoff"])
            record["retryAt"] = now + record["pullBackoff"]
            record.update(mode="pullerr", due=now + ERR_IMAGE_PULL_SECONDS)
            status["state"] = {"waiting": {"reason": "ErrImagePull", "message": error}}
        elif mode == "pullerr":
            message = f'Back-off pulling image "{image}"'
            self._event(cluster, pod, host, spec, "Normal", "BackOff", message)
            self._event(cluster, pod, host, spec, "Warning", "Failed", "Error: ImagePullBackOff")
            record.update(mode="pullbackoff", due=record.pop("retryAt"))
            status["state"] = {"waiting": {"reason": "ImagePullBackOff", "message": message}}
        elif mode == "pullbackoff":
            self._event(cluster, pod, host, spec, "Normal", "Pulling", f'Pulling image "{image}"')
            record.update(mode="pull", due=now + PULL_FAIL_SECONDS)
        elif mode == "run":
            _, code, reason = exit_plan(image, spec)
            self.exit_container(cluster, pod, work, record, spec, code, reason)

    def _run_container(self, cluster, pod, work, record, spec, *, restart: bool) -> None:
        now = cluster.now
        host = work["node"]
        image = spec["image"]
        status = record["status"]
        if record["name"] in work.get("pulling", ()) and not restart:
            took = go_duration(now - work["since"])
            message = (
                f'Successfully pulled image "{image}" in {took} ({took} including waiting).'
                f" Image size: {image_size(image)} bytes."
            )
            remember_image(cluster, cluster.store.get("Node", host), image)
        else:
            message = f'Container image "{image}" already present on machine'
        self._event(cluster, pod, host, spec, "Normal", "Pulled", message)
        if kubelet_config.blocks_start(cluster, self, pod, work, record, spec, restart):
            return  # CreateContainerConfigError (CFG-1), retried in 10 s
        self._event(
            cluster, pod, host, spec, "Normal", "Created", f"Created container: {spec['name']}"
        )
        self._event(
            cluster, pod, host, spec, "Normal", "Started", f"Started container {spec['name']}"
        )
        if restart:
            record["backoff"] = _next_backoff(record["backoff"])  # flowcontrol Next()
            record["backoffAt"] = now
            status["restartCount"] += 1
        status.update(
            imageID=image_id(image),
            containerID=f"containerd://{cluster.rng.getrandbits(256):064x}",
            state={"running": {"startedAt": rfc3339(now)}},
        )
        plan = exit_plan(image, spec)
        record.update(mode="run", startedAt=now, due=now + plan[0] if plan else None)
        startup = spec.get("startupProbe")
        record["probes"] = {}
        for kind in PROBE_KINDS:
            probe = spec.get(f"{kind}Probe")
            if probe:
                first = now + probe_setting(probe, "initialDelaySeconds")
                record["probes"][kind] = {
                    "next": first if kind == "startup" or not startup else None,
                    "ok": 0,
                    "fail": 0,
                }
        status["started"] = not startup
        status["ready"] = not startup and "readiness" not in record["probes"]
        if all(r["mode"] != "create" for r in work["containers"]):
            work.update(stage="running", pulling=[])

    def _probe(self, cluster, pod, work, record, spec, kind) -> None:
        now = cluster.now
        probe = spec[f"{kind}Probe"]
        worker = record["probes"][kind]
        worker["next"] = now + probe_setting(probe, "periodSeconds")
        status = record["status"]
        if serves(spec["image"]):
            worker.update(ok=worker["ok"] + 1, fail=0)
            if worker["ok"] < probe_setting(probe, "successThreshold"):
                return
            if kind == "startup":
                worker["next"] = None  # done: the other probes take over
                status["started"] = True
                status["ready"] = "readiness" not in record["probes"]
                for other in ("readiness", "liveness"):
                    if other in record["probes"]:
                        delay = spec[f"{other}Probe"].get("initialDelaySeconds", 0)
                        record["probes"][other]["next"] = max(now, record["startedAt"] + delay)
            elif kind == "readiness":
                status["ready"] = True
            return
        worker.update(ok=0, fail=worker["fail"] + 1)
        self._event(
            cluster,
            pod,
            work["node"],
            spec,
            "Warning",
            "Unhealthy",
            f"{kind.capitalize()} probe failed: {probe_failure(probe, pod)}",
        )
        if worker["fail"] < probe_setting(probe, "failureThreshold"):
            return
        if kind == "readiness":
            status["ready"] = False
            return
        self._event(
            cluster,
            pod,
            work["node"],
            spec,
            "Normal",
            "Killing",
            f"Container {spec['name']} failed {kind} probe, will be restarted",
        )
        self.exit_container(cluster, pod, work, record, spec, SIGKILL_EXIT_CODE, "Error")

    def exit_container(self, cluster, pod, work, record, spec, code: int, reason: str) -> None:
        """The container ended: keep its termination, restart it now or after a back-off."""
        now = cluster.now
        status = record["status"]
        running = status["state"].get("running", {})
        terminated = {
            "exitCode": code,
            "reason": reason,
            "startedAt": running.get("startedAt", rfc3339(now)),
            "finishedAt": rfc3339(now),
            "containerID": status.get("containerID", ""),
        }
        status.update(ready=False, started=False)
        for worker in record["probes"].values():
            worker["next"] = None
        policy = pod["spec"].get("restartPolicy", "Always")
        if policy == "Never" or (policy == "OnFailure" and code == 0):
            status["state"] = {"terminated": terminated}
            record.update(mode="done", due=None)
            return
        status["lastState"] = {"terminated": terminated}
        fresh = not record["backoff"] or now - record["backoffAt"] > BACKOFF_RESET
        if fresh:  # POD-7: the first exit (or the first after 600 s) restarts at once
            record["backoff"] = 0
            self._run_container(cluster, pod, work, record, spec, restart=True)
            return
        wait = record["backoff"]
        meta = pod["metadata"]
        who = f"{meta['name']}_{meta['namespace']}({meta['uid']})"
        status["state"] = {
            "waiting": {
                "reason": "CrashLoopBackOff",
                "message": f"back-off {go_duration(wait)} restarting failed "
                f"container={spec['name']} pod={who}",
            }
        }
        record.update(mode="crashloop", due=now + wait)
        self._event(
            cluster,
            pod,
            work["node"],
            spec,
            "Warning",
            "BackOff",
            f"Back-off restarting failed container {spec['name']} in pod {who}",
        )

    def _write_status(self, cluster, pod: dict, work: dict) -> None:
        now = cluster.now
        records = work["containers"]
        statuses = [clone(r["status"]) for r in records]
        unready = [s["name"] for s in statuses if not s["ready"]]
        until = {
            r["name"]: rfc3339(r["due"])
            for r in records
            if r["mode"] in ("crashloop", "pullbackoff") and r["due"] is not None
        }
        with cluster.store.edit(pod):
            pod["status"]["containerStatuses"] = statuses
            pod["status"]["phase"] = pod_phase(statuses, pod["spec"].get("restartPolicy", "Always"))
            _set_containers_ready(pod, unready, now)
            annotations = pod["metadata"].get("annotations") or {}
            if until:
                annotations[BACKOFF_ANNOTATION] = json.dumps(until, sort_keys=True)
            else:
                annotations.pop(BACKOFF_ANNOTATION, None)
            kubelet_config.annotate(self, pod, annotations)
            if annotations or "annotations" in pod["metadata"]:
                pod["metadata"]["annotations"] = annotations

    # The crash_pod action

    def crashable(self, cluster, pod: dict) -> str | None:
        """Why the pod's first container cannot crash now, or None when it can."""
        work = self.pods.get(pod["metadata"]["uid"])
        if is_terminating(pod):
            return f'pod "{pod["metadata"]["name"]}" is terminating'
        if work is None or cluster.health.is_down(work["node"]):
            return f'pod "{pod["metadata"]["name"]}" has no kubelet running it'
        first = (pod["status"].get("containerStatuses") or [{}])[0]
        state = first.get("state", {})
        records = work.get("containers")  # None in a state saved before records existed
        if "running" not in state or (records and records[0]["mode"] != "run"):
            reason = next(iter(state.values()), {}).get("reason", "not started")
            name = pod["spec"]["containers"][0]["name"]
            return f'container "{name}" is not running ({reason})'
        return None

    def crash(self, cluster, pod: dict) -> None:
        work = self.pods[pod["metadata"]["uid"]]
        record = self._records(cluster, pod, work)[0]
        spec = pod["spec"]["containers"][0]
        self.exit_container(cluster, pod, work, record, spec, 1, "Error")
        self._write_status(cluster, pod, work)
        self._schedule(pod, work)

    # Stopping

    def _begin_termination(self, cluster, pod: dict, work: dict) -> None:
        statuses = pod["status"].get("containerStatuses") or []
        running = [s["name"] for s in statuses if "running" in s.get("state", {})]
        for container in pod["spec"]["containers"]:
            if container["name"] in running:
                self._event(
                    cluster,
                    pod,
                    work["node"],
                    container,
                    "Normal",
                    "Killing",
                    f"Stopping container {container['name']}",
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
        finished at once, the others report their containers' readiness again or go on."""
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
                    if deadline <= cluster.now:
                        self.timers.pop(uid, None)
                        self._finish(cluster, pod)
                    else:  # stop what runs, by the deadline the API set
                        if work["stage"] != "terminating":
                            self._begin_termination(cluster, pod, work)
                        self.timers[uid] = deadline
                continue
            if work is not None and work["stage"] == "running":
                self._records(cluster, pod, work)
                self._write_status(cluster, pod, work)

    # Persistence

    def to_state(self) -> dict:
        return {
            "pods": [{"uid": uid, **work} for uid, work in self.pods.items()],
            "dirty": list(self.dirty),
            "pulls": [[key, end] for key, end in self.pulls.items()],
            "lastIP": [[node, host] for node, host in self.last_ip.items()],
            "timers": [[uid, due] for uid, due in self.timers.items()],
            "config": [[uid, entry] for uid, entry in self.config.items()],
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
        kubelet.config = {uid: entry for uid, entry in state.get("config", [])}
        return kubelet


def _new_container_status(container: dict) -> dict:
    """A container's status before anything has happened to it."""
    return {
        "name": container["name"],
        "image": container["image"],
        "imageID": "",
        "ready": False,
        "started": False,
        "restartCount": 0,
        "state": {"waiting": {"reason": "ContainerCreating"}},
        "lastState": {},
    }


def _set_containers_ready(pod: dict, unready: list[str], now: float) -> None:
    """ContainersReady and Ready: True when no container is unready, else False naming them."""
    # Created in the order kubectl describe lists them: Ready, then ContainersReady.
    for type_ in ("Ready", "ContainersReady"):
        if unready:
            message = f"containers with unready status: [{' '.join(unready)}]"
            set_condition(pod, type_, "False", now, "ContainersNotReady", message)
        else:
            set_condition(pod, type_, "True", now)

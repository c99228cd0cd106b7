"""The kubelet's side of ConfigMaps and Secrets: env at container start, volumes (CFG-1, CFG-2).

Env (CFG-1): envFrom and env valueFrom are resolved each time a container is
started and never change while it runs. A missing non-optional object or key
stops the start: waiting reason CreateContainerConfigError with the kubelet's
message (`configmap "x" not found`, `couldn't find key K in ConfigMap
default/x`) and Warning Failed `Error: ...`; the pod worker retries the sync
every RETRY_SECONDS (10 s, its back-off after a failed sync), so creating the
object later starts the container.

Volumes (CFG-2): a configMap/secret volume is set up before anything else of
the pod (no sandbox, no IP, no image pull). A missing non-optional source keeps
the pod ContainerCreating with Warning FailedMount `MountVolume.SetUp failed
for volume "v" : configmap "x" not found`, retried with the volume manager's
exponential back-off (0.5 s doubling, at most 2 min 2 s). Once mounted, the
files follow the object eventually: each pod's periodic sync comes every 60 s
(SYNC_PERIOD) at a phase of its own (derived from its uid, so pods started
together refresh at different moments); a sync that finds a newer version
swaps the files PROPAGATION_SECONDS later. No container restarts. A subPath
mount is bound when its container starts and never follows (only a restart
shows the files of that moment).

What each pod has seen is kept per pod uid in `kubelet.config` (saved with the
kubelet's state) and shown as pod annotation `playground.k8s/config-seen`:
{"configmap/NAME": {"env": resourceVersion at the last container start |
"missing" | "absent" (optional, not there) | null, "volume": resourceVersion
of the files now in the volume (mounted only with subPath: the files bound at
the last container start) | "missing" | "absent" | null}}.
"""

import hashlib
import json

from . import configrefs
from .podutil import is_terminating, set_condition
from .timestamps import rfc3339

COMPONENT = "kubelet"
SEEN_ANNOTATION = "playground.k8s/config-seen"
SYNC_PERIOD = 60.0  # kubelet --sync-frequency
PROPAGATION_SECONDS = 1.0  # watch-based cache: the files change this long after the sync
RETRY_SECONDS = 10.0  # the pod worker's back-off after a failed sync
MOUNT_BACKOFF_INITIAL = 0.5
MOUNT_BACKOFF_MAX = 122.0  # 2 min 2 s
MISSING, ABSENT = "missing", "absent"


def sync_phase(uid: str) -> float:
    """Seconds (0 < phase <= 60, millisecond steps) from mount to the pod's first periodic sync."""
    digest = hashlib.sha256(uid.encode()).digest()
    return (int.from_bytes(digest[:4], "big") % 60000 + 1) / 1000


def next_sync(kubelet, pod: dict) -> float | None:
    """When the kubelet next syncs this pod's config volumes (None: no volumes, not mounted)."""
    entry = kubelet.config.get(pod["metadata"]["uid"])
    return entry["nextSync"] if entry else None


def _lookup(cluster, kind: str, name: str, namespace: str) -> dict | None:
    return cluster.store.get(kind, name, namespace)


def _not_found(kind: str, name: str) -> str:
    return f'{configrefs.KINDS[kind]} "{name}" not found'


# Volumes


def waits_for_volumes(cluster, kubelet, pod: dict) -> bool:
    """Called when the kubelet admits a pod: True while its config volumes cannot be set up
    (the pod then stays ContainerCreating; the retries happen in run())."""
    uid = pod["metadata"]["uid"]
    entry = kubelet.config.get(uid)
    if entry is not None:
        return not entry["mounted"]
    used = configrefs.usage(pod["spec"])
    if not used:
        return False  # nothing to do for this pod, ever
    entry = kubelet.config[uid] = {
        "mounted": False,
        "backoff": 0.0,
        "retryAt": None,
        "nextSync": None,
        "volumes": {},
        "env": {},
    }
    if _mount(cluster, pod, entry):
        return False
    _write_waiting(cluster, kubelet, pod)
    return True


def _mount(cluster, pod: dict, entry: dict) -> bool:
    """SetUp of every config volume; FailedMount for those whose source is missing."""
    namespace = pod["metadata"]["namespace"]
    failed = False
    for volume in pod["spec"].get("volumes") or ():
        source = configrefs.volume_source(volume)
        if source is None:
            continue
        kind, name, optional = source
        obj = _lookup(cluster, kind, name, namespace)
        if obj is not None:
            seen = obj["metadata"]["resourceVersion"]
        elif optional:
            seen = ABSENT
        else:
            seen = MISSING
            failed = True
            cluster.recorder.record(
                cluster,
                pod,
                "Warning",
                "FailedMount",
                f'MountVolume.SetUp failed for volume "{volume["name"]}" : '
                f"{_not_found(kind, name)}",
                COMPONENT,
                host=pod["spec"]["nodeName"],
            )
        entry["volumes"][volume["name"]] = {
            "ref": configrefs.ref(kind, name),
            "seen": seen,
            "pending": None,
        }
    now = cluster.now
    if failed:
        backoff = entry["backoff"]
        entry["backoff"] = min(backoff * 2, MOUNT_BACKOFF_MAX) if backoff else MOUNT_BACKOFF_INITIAL
        entry["retryAt"] = now + entry["backoff"]
        return False
    entry.update(mounted=True, backoff=0.0, retryAt=None)
    if entry["volumes"]:
        entry["nextSync"] = round(now + sync_phase(pod["metadata"]["uid"]), 6)
    return True


def _write_waiting(cluster, kubelet, pod: dict) -> None:
    """The status of a pod whose volumes are not set up: Pending, no IP, ContainerCreating."""
    now = cluster.now
    node = cluster.store.get("Node", pod["spec"]["nodeName"])
    host_ip = node["status"]["addresses"][0]["address"]
    names = [c["name"] for c in pod["spec"]["containers"]]
    with cluster.store.edit(pod):
        status = pod["status"]
        status.update(
            phase="Pending",
            hostIP=host_ip,
            hostIPs=[{"ip": host_ip}],
            startTime=status.get("startTime") or rfc3339(now),
        )
        set_condition(pod, "PodReadyToStartContainers", "False", now)
        set_condition(pod, "Initialized", "True", now)
        message = f"containers with unready status: [{' '.join(names)}]"
        for type_ in ("Ready", "ContainersReady"):
            set_condition(pod, type_, "False", now, "ContainersNotReady", message)
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
        _annotate_in_place(kubelet, pod)


# Env


def blocks_start(cluster, kubelet, pod: dict, work: dict, record: dict, spec: dict, restart):
    """Called just before a container is created: resolve its env (CFG-1). On a missing
    object or key the container waits in CreateContainerConfigError and True is returned."""
    entry = kubelet.config.get(pod["metadata"]["uid"])
    if entry is None:
        return False
    error = _resolve_env(cluster, pod, spec, entry["env"])
    if error is None:
        _bind_sub_paths(entry, spec)
        return False
    status = record["status"]
    status.update(ready=False, started=False)
    status["state"] = {"waiting": {"reason": "CreateContainerConfigError", "message": error}}
    record.update(mode="configerr", due=cluster.now + RETRY_SECONDS, restartPending=restart)
    work["pulling"] = [name for name in work.get("pulling", ()) if name != spec["name"]]
    cluster.recorder.record(
        cluster,
        pod,
        "Warning",
        "Failed",
        f"Error: {error}",
        COMPONENT,
        host=work["node"],
        field_path=f"spec.containers{{{spec['name']}}}",
    )
    return True


def _resolve_env(cluster, pod: dict, spec: dict, seen: dict) -> str | None:
    """makeEnvironmentVariables: envFrom first, then env; the first error stops it."""
    namespace = pod["metadata"]["namespace"]
    for kind, name, key, optional in configrefs.env_sources(spec):
        ref = configrefs.ref(kind, name)
        obj = _lookup(cluster, kind, name, namespace)
        if obj is None:
            seen[ref] = ABSENT if optional else MISSING
            if optional:
                continue
            return _not_found(kind, name)
        if key is not None and key not in (obj.get("data") or {}):
            if optional:
                seen[ref] = obj["metadata"]["resourceVersion"]
                continue
            seen[ref] = MISSING
            return f"couldn't find key {key} in {kind} {namespace}/{name}"
        seen[ref] = obj["metadata"]["resourceVersion"]
    return None


def _bind_sub_paths(entry: dict, spec: dict) -> None:
    """A subPath mount is bound once, at container start: later file swaps never reach it."""
    frozen = entry.setdefault("subPath", {})
    for mount in spec.get("volumeMounts") or ():
        volume = entry["volumes"].get(mount["name"])
        if volume is not None and mount.get("subPath"):
            frozen[mount["name"]] = volume["seen"]


# The annotation


def annotate(kubelet, pod: dict, annotations: dict) -> None:
    """Put the config-seen annotation into annotations (a pod's, about to be written)."""
    entry = kubelet.config.get(pod["metadata"]["uid"])
    if entry is None:
        return
    whole = {  # volumes some container mounts whole (their files follow the object)
        m["name"]
        for c in pod["spec"]["containers"]
        for m in c.get("volumeMounts") or ()
        if not m.get("subPath")
    }
    seen = {}
    for ref, use in configrefs.usage(pod["spec"]).items():
        name = use["volumes"][0] if use["volumes"] else None
        volume = entry["volumes"].get(name) if name else None
        if volume is not None and name not in whole:  # only subPath mounts: frozen at start
            files = entry.get("subPath", {}).get(name)
        else:
            files = volume["seen"] if volume else None
        seen[ref] = {"env": entry["env"].get(ref) if use["env"] else None, "volume": files}
    annotations[SEEN_ANNOTATION] = json.dumps(seen, sort_keys=True)


def _annotate_in_place(kubelet, pod: dict) -> None:
    annotations = pod["metadata"].get("annotations") or {}
    annotate(kubelet, pod, annotations)
    pod["metadata"]["annotations"] = annotations


def _write_seen(cluster, kubelet, pod: dict) -> None:
    with cluster.store.edit(pod):  # a write only when the annotation changed
        _annotate_in_place(kubelet, pod)


# Time passing: mount retries, periodic syncs, files swapped in


def _due(entry: dict) -> float | None:
    if not entry["mounted"]:
        return entry["retryAt"]
    moments = [v["pending"][1] for v in entry["volumes"].values() if v["pending"]]
    if entry["nextSync"] is not None:
        moments.append(entry["nextSync"])
    return min(moments) if moments else None


def run(cluster, kubelet) -> None:
    now = cluster.now
    for uid in list(kubelet.config):
        entry = kubelet.config[uid]
        due = _due(entry)
        if due is None or due > now:
            continue
        pod = cluster.store.by_uid(uid)
        if pod is None:
            del kubelet.config[uid]
            continue
        if is_terminating(pod) or cluster.health.is_down(pod["spec"]["nodeName"]):
            continue  # a stopping pod gets no new files; a sunk ship catches up when raised
        if not entry["mounted"]:
            if _mount(cluster, pod, entry):
                kubelet._admit(cluster, pod)  # volumes ready: the pod starts as any other
            _write_seen(cluster, kubelet, pod)
            continue
        if entry["nextSync"] is not None and entry["nextSync"] <= now:
            _periodic_sync(cluster, pod, entry)
        _swap_files(entry, now)
        _write_seen(cluster, kubelet, pod)


def _swap_files(entry: dict, now: float) -> None:
    for volume in entry["volumes"].values():
        pending = volume["pending"]
        if pending and pending[1] <= now:
            volume.update(seen=pending[0], pending=None)


def _periodic_sync(cluster, pod: dict, entry: dict) -> None:
    """CFG-2: read each source again; a newer version reaches the files a little later. A
    deleted non-optional source keeps the old files and says FailedMount."""
    # Counted from when the sync was due, not from the sub-step that reached it.
    at = entry["nextSync"]
    namespace = pod["metadata"]["namespace"]
    specs = {v["name"]: v for v in pod["spec"].get("volumes") or ()}
    for name, volume in entry["volumes"].items():
        kind, source, optional = configrefs.volume_source(specs[name])
        obj = _lookup(cluster, kind, source, namespace)
        if obj is not None:
            target = obj["metadata"]["resourceVersion"]
        elif optional:
            target = ABSENT
        else:
            cluster.recorder.record(
                cluster,
                pod,
                "Warning",
                "FailedMount",
                f'MountVolume.SetUp failed for volume "{name}" : {_not_found(kind, source)}',
                COMPONENT,
                host=pod["spec"]["nodeName"],
            )
            continue
        if target != volume["seen"]:
            volume["pending"] = [target, round(at + PROPAGATION_SECONDS, 6)]
    while entry["nextSync"] <= cluster.now:
        entry["nextSync"] = round(entry["nextSync"] + SYNC_PERIOD, 6)

"""The EndpointSlice controller (SVC-2, SVC-3; POD-9, POD-12).

For every Service with a selector it keeps discovery.k8s.io/v1 EndpointSlices named
`<service>-<5 random chars>`, labelled `kubernetes.io/service-name`, owned by the
Service, with one endpoint per matching pod that has an IP and has not finished, at
most 100 endpoints per slice. Slices are filled without re-balancing: an endpoint
stays in the slice it is in, changed endpoints are updated in place, new ones go to
slices that are being written anyway, then to a new slice. A Service whose pods are
all gone keeps one empty slice (the controller's placeholder). Deleting a Service
deletes its slices (the garbage collector follows their ownerReference).

Work is proportional to what changed: writes of matching pods and of Services put
the Service on a dirty list, and only dirty Services are synced.
"""

from .disruption import selects
from .names import generate_name, new_uid
from .objects import controller_reference
from .podutil import is_finished, is_ready, is_terminating
from .services import SERVICE_NAME_LABEL
from .store import DELETED, MODIFIED
from .timestamps import rfc3339

MAX_ENDPOINTS_PER_SLICE = 100
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
ZONE_LABEL = "topology.kubernetes.io/zone"


def endpoint_conditions(service: dict, pod: dict) -> dict:
    """SVC-3: ready mirrors Ready and is false while terminating; serving = readiness."""
    publish = bool(service["spec"].get("publishNotReadyAddresses"))
    serving = publish or is_ready(pod)
    terminating = is_terminating(pod)
    ready = publish or (serving and not terminating)
    return {"ready": ready, "serving": serving, "terminating": terminating}


def selected_pods(cluster, service: dict) -> list[dict]:
    """SVC-2: matching pods that have an IP and are not in a terminal phase, oldest first."""
    selector = {"matchLabels": service["spec"].get("selector") or {}}
    return [
        pod
        for pod in cluster.store.list("Pod")
        if pod["status"].get("podIP")
        and not is_finished(pod)
        and selects(selector, pod["metadata"].get("labels") or {})
    ]


def pod_endpoint(cluster, service: dict, pod: dict) -> dict:
    endpoint = {
        "addresses": [pod["status"]["podIP"]],
        "conditions": endpoint_conditions(service, pod),
        "nodeName": pod["spec"]["nodeName"],
        "targetRef": {
            "kind": "Pod",
            "namespace": pod["metadata"]["namespace"],
            "name": pod["metadata"]["name"],
            "uid": pod["metadata"]["uid"],
        },
    }
    node = cluster.store.get("Node", pod["spec"]["nodeName"])
    zone = node and (node["metadata"].get("labels") or {}).get(ZONE_LABEL)
    if zone:
        endpoint["zone"] = zone
    return endpoint


def slice_ports(service: dict) -> list[dict]:
    """The slice's ports are the Service's target ports (what the pods listen on)."""
    return [
        {"name": port.get("name", ""), "port": port["targetPort"], "protocol": port["protocol"]}
        for port in service["spec"].get("ports") or ()
    ]


def slices_of(cluster, service: dict) -> list[dict]:
    """The Service's EndpointSlices, oldest first."""
    return cluster.store.owned_by(service["metadata"]["uid"], "EndpointSlice")


def new_slice(cluster, service: dict, endpoints: list[dict]) -> dict:
    name = service["metadata"]["name"]
    labels = dict(service["metadata"].get("labels") or {})
    labels[SERVICE_NAME_LABEL] = name
    labels[MANAGED_BY] = CONTROLLER_NAME
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": generate_name(f"{name}-", cluster.rng),
            "generateName": f"{name}-",
            "namespace": service["metadata"]["namespace"],
            "uid": new_uid(cluster.rng),
            "resourceVersion": "",
            "creationTimestamp": rfc3339(cluster.now),
            "generation": 1,
            "labels": labels,
            "ownerReferences": [controller_reference(service)],
        },
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": slice_ports(service),
        "spec": {},  # EndpointSlice has neither; the wire contract promises both on every object
        "status": {},
    }


class EndpointSliceController:
    def __init__(self) -> None:
        self.dirty: dict[str, None] = {}  # Service uids to sync

    # Watching

    def observe(self, cluster, change: str, obj: dict, before: dict | None) -> None:
        kind = obj["kind"]
        if kind == "Service":
            # Not when only metadata changed (the traffic model annotates every second).
            if change != MODIFIED or before is None or before["spec"] != obj["spec"]:
                self.dirty[obj["metadata"]["uid"]] = None
        elif kind == "Pod":
            labels = [obj["metadata"].get("labels") or {}]
            if before is not None and before is not obj:
                labels.append(before["metadata"].get("labels") or {})
            for service in cluster.store.list("Service"):
                selector = {"matchLabels": service["spec"].get("selector") or {}}
                if any(selects(selector, found) for found in labels):
                    self.dirty[service["metadata"]["uid"]] = None
        elif kind == "EndpointSlice" and change == DELETED:
            owner = obj["metadata"]["ownerReferences"][0]["uid"]
            self.dirty[owner] = None  # a slice removed by hand is re-created
        elif kind == "Node" and before is not None and change != DELETED:
            zone = (obj["metadata"].get("labels") or {}).get(ZONE_LABEL)
            if zone != (before["metadata"].get("labels") or {}).get(ZONE_LABEL):
                for service in cluster.store.list("Service"):
                    self.dirty[service["metadata"]["uid"]] = None

    # Reconciling

    def run(self, cluster) -> None:
        dirty, self.dirty = self.dirty, {}
        for uid in dirty:
            service = cluster.store.by_uid(uid)
            if service is None:
                self._collect_garbage(cluster, uid)
            elif service["spec"].get("selector"):
                self.sync(cluster, service)

    def _collect_garbage(self, cluster, service_uid: str) -> None:
        # The store forgets a deleted owner's index entry, so the slices are found by their
        # ownerReference, as the garbage collector finds dependents.
        for endpoint_slice in cluster.store.list("EndpointSlice"):
            if endpoint_slice["metadata"]["ownerReferences"][0]["uid"] == service_uid:
                cluster.store.delete(endpoint_slice)

    def sync(self, cluster, service: dict) -> None:
        desired = {
            pod["metadata"]["uid"]: pod_endpoint(cluster, service, pod)
            for pod in selected_pods(cluster, service)
        }
        ports = slice_ports(service)
        plans = []  # [slice, new endpoints]
        stale = []
        for endpoint_slice in slices_of(cluster, service):
            if endpoint_slice["ports"] != ports:
                stale.append(endpoint_slice)  # a different port mapping: rebuilt from scratch
                continue
            kept = []
            for endpoint in endpoint_slice["endpoints"]:
                found = desired.pop(endpoint["targetRef"]["uid"], None)
                if found is not None:
                    kept.append(found)
            plans.append([endpoint_slice, kept])
        remaining = list(desired.values())
        # New endpoints go first to slices that change anyway, then (all of the rest) to one
        # slice with room for them, else to new slices.
        for plan in plans:
            endpoint_slice, kept = plan
            if kept != endpoint_slice["endpoints"] and remaining:
                room = MAX_ENDPOINTS_PER_SLICE - len(kept)
                kept.extend(remaining[:room])
                remaining = remaining[room:]
        for plan in plans:
            endpoint_slice, kept = plan
            if remaining and len(kept) + len(remaining) <= MAX_ENDPOINTS_PER_SLICE:
                kept.extend(remaining)
                remaining = []
        for endpoint_slice in stale:
            cluster.store.delete(endpoint_slice)
        keep_one = not remaining and all(not kept for _, kept in plans)
        for index, (endpoint_slice, kept) in enumerate(plans):
            if not kept and not (keep_one and index == 0):
                cluster.store.delete(endpoint_slice)
            elif kept != endpoint_slice["endpoints"]:
                with cluster.store.edit(endpoint_slice):
                    endpoint_slice["endpoints"] = kept
                    endpoint_slice["metadata"]["generation"] += 1
        for start in range(0, len(remaining), MAX_ENDPOINTS_PER_SLICE):
            chunk = remaining[start : start + MAX_ENDPOINTS_PER_SLICE]
            cluster.store.create(new_slice(cluster, service, chunk))
        if not plans and not remaining:
            cluster.store.create(new_slice(cluster, service, []))  # the placeholder slice

    # Persistence

    def to_state(self) -> dict:
        return {"dirty": list(self.dirty)}

    @classmethod
    def from_state(cls, state: dict | None) -> "EndpointSliceController":
        controller = cls()
        controller.dirty = dict.fromkeys((state or {}).get("dirty", []))
        return controller

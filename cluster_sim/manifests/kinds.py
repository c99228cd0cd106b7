"""The kinds the playground serves, as API discovery (`/api/v1`, `/apis/<group>/<version>`)
lists them.

One entry per kind: its group/version, plural resource name, short names,
scope, the `all` category (what `kubectl get all` lists) and the verbs. Kinds
the controllers own entirely (EndpointSlice, Event, Lease) are read-only here.
"""

READ_VERBS = ["get", "list", "watch"]
WRITE_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def _kind(kind, group, version, plural, short=(), *, namespaced=True, all_=False, writable=True):
    return {
        "kind": kind,
        "apiVersion": f"{group}/{version}" if group else version,
        "group": group,
        "version": version,
        "plural": plural,
        "singular": kind.lower(),
        "shortNames": list(short),
        "namespaced": namespaced,
        "categories": ["all"] if all_ else [],
        "verbs": list(WRITE_VERBS if writable else READ_VERBS),
        "writable": writable,
    }


KINDS = {
    entry["kind"]: entry
    for entry in (
        _kind("Namespace", "", "v1", "namespaces", ("ns",), namespaced=False),
        _kind("Node", "", "v1", "nodes", ("no",), namespaced=False),
        _kind("Pod", "", "v1", "pods", ("po",), all_=True),
        _kind("Service", "", "v1", "services", ("svc",), all_=True),
        _kind("ConfigMap", "", "v1", "configmaps", ("cm",)),
        _kind("Secret", "", "v1", "secrets"),
        _kind("Event", "", "v1", "events", ("ev",), writable=False),
        _kind("Deployment", "apps", "v1", "deployments", ("deploy",), all_=True),
        _kind("ReplicaSet", "apps", "v1", "replicasets", ("rs",), all_=True),
        _kind(
            "HorizontalPodAutoscaler",
            "autoscaling",
            "v2",
            "horizontalpodautoscalers",
            ("hpa",),
            all_=True,
        ),
        _kind("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", ("pdb",)),
        _kind(
            "PriorityClass", "scheduling.k8s.io", "v1", "priorityclasses", ("pc",), namespaced=False
        ),
        _kind("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", writable=False),
        _kind("Lease", "coordination.k8s.io", "v1", "leases", writable=False),
    )
}


def kind_for(name: str) -> dict | None:
    """The entry for a kind, plural, singular or short name, optionally with its group
    (`deployments.apps`, `deploy`, `Deployment`, `hpa`); None if the playground has no such kind."""
    if not isinstance(name, str) or not name:
        return None
    base, _, group = name.partition(".")
    lowered = base.lower()
    for entry in KINDS.values():
        if group and group != entry["group"]:
            continue
        names = (entry["kind"].lower(), entry["plural"], entry["singular"], *entry["shortNames"])
        if lowered in names:
            return entry
    return None


def kind_for_api(api_version: str, kind: str) -> dict | None:
    """The entry for a manifest's apiVersion and kind (exact, as the API server matches them)."""
    entry = KINDS.get(kind)
    if entry is None or entry["apiVersion"] != api_version:
        return None
    return entry


def resource_name(entry: dict) -> str:
    """kubectl's resource prefix: `deployment.apps`, `service`, `pod`."""
    return f"{entry['singular']}.{entry['group']}" if entry["group"] else entry["singular"]


def qualified_plural(entry: dict) -> str:
    """The API server's resource in messages: `deployments.apps`, `pods`."""
    return f"{entry['plural']}.{entry['group']}" if entry["group"] else entry["plural"]

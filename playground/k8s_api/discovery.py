"""Legacy discovery (/version, /api, /apis, /api/v1, /apis/<group>/<version>) from the
engine's KINDS registry. kubectl fetches /api and /apis, then every group-version; the
legacy shapes are enough (aggregated discovery would only save requests)."""

from cluster_sim.manifests import KINDS

VERSION = {
    "major": "1",
    "minor": "36",
    "gitVersion": "v1.36.0-sim",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.26.0",
    "compiler": "gc",
    "platform": "linux/amd64",
}

# Subresources served per kind (name suffix, group/version/kind of the subresource).
SUBRESOURCES = {
    "Pod": [
        ("eviction", ("policy", "v1", "Eviction"), ["create"]),
        ("log", None, ["get"]),
        ("status", None, ["get"]),
    ],
    "Deployment": [
        ("scale", ("autoscaling", "v1", "Scale"), ["get", "patch", "update"]),
        ("status", None, ["get"]),
    ],
}


def group_versions() -> list[tuple[str, str]]:
    """(group, version) pairs in registry order, the core group first."""
    seen: dict[tuple[str, str], None] = {}
    for entry in KINDS.values():
        seen[(entry["group"], entry["version"])] = None
    return sorted(seen, key=lambda gv: gv[0] != "")


def entries_in(group: str, version: str) -> list[dict]:
    return [e for e in KINDS.values() if e["group"] == group and e["version"] == version]


def api_versions() -> dict:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
    }


def api_group_list() -> dict:
    groups = []
    for group, version in group_versions():
        if not group:
            continue
        gv = {"groupVersion": f"{group}/{version}", "version": version}
        groups.append({"name": group, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> dict | None:
    for candidate in api_group_list()["groups"]:
        if candidate["name"] == group:
            return {"kind": "APIGroup", "apiVersion": "v1", **candidate}
    return None


def resource_list(group: str, version: str) -> dict | None:
    entries = entries_in(group, version)
    if not entries:
        return None
    resources = []
    for entry in entries:
        resource = {
            "name": entry["plural"],
            "singularName": entry["singular"],
            "namespaced": entry["namespaced"],
            "kind": entry["kind"],
            "verbs": entry["verbs"],
        }
        if entry["shortNames"]:
            resource["shortNames"] = entry["shortNames"]
        if entry["categories"]:
            resource["categories"] = entry["categories"]
        resources.append(resource)
        for sub, gvk, verbs in SUBRESOURCES.get(entry["kind"], ()):
            item = {
                "name": f"{entry['plural']}/{sub}",
                "singularName": "",
                "namespaced": entry["namespaced"],
                "kind": gvk[2] if gvk else entry["kind"],
                "verbs": verbs,
            }
            if gvk:
                item["group"], item["version"] = gvk[0], gvk[1]
            resources.append(item)
    group_version = f"{group}/{version}" if group else version
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }

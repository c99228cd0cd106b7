"""Resource paths: /api/v1/namespaces/default/pods/web-1/log -> what is asked for."""

from dataclasses import dataclass

from cluster_sim.manifests import KINDS

from .status import not_found_path


@dataclass
class Target:
    entry: dict  # the KINDS entry
    namespace: str | None  # None: every namespace (or a cluster-scoped kind)
    name: str | None  # None: the collection
    subresource: str | None


def parse_resource_path(segments: list[str]) -> Target:
    """segments after the prefix, e.g. ["apis", "apps", "v1", "namespaces", "d", "deployments"]."""
    if segments[:1] == ["api"] and len(segments) >= 3:
        group, version, rest = "", segments[1], segments[2:]
    elif segments[:1] == ["apis"] and len(segments) >= 4:
        group, version, rest = segments[1], segments[2], segments[3:]
    else:
        raise not_found_path()
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3:
        namespace, rest = rest[1], rest[2:]
    if len(rest) > 3:
        raise not_found_path()
    plural = rest[0]
    entry = next(
        (
            e
            for e in KINDS.values()
            if e["plural"] == plural and e["group"] == group and e["version"] == version
        ),
        None,
    )
    if entry is None or (namespace is not None and not entry["namespaced"]):
        raise not_found_path()
    name = rest[1] if len(rest) >= 2 else None
    subresource = rest[2] if len(rest) == 3 else None
    if entry["namespaced"] and name is not None and namespace is None:
        raise not_found_path()
    return Target(entry, namespace, name, subresource)

"""A pure, deterministic simulation of a Kubernetes control plane (standard library only)."""

from .cluster import Cluster
from .errors import ActionError

__all__ = ["ActionError", "Cluster"]

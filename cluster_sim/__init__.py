"""A pure, deterministic simulation of a Kubernetes control plane (standard library only)."""

from .actions import ACTION_NAMES
from .cluster import Cluster
from .errors import ActionError

__all__ = ["ACTION_NAMES", "ActionError", "Cluster"]

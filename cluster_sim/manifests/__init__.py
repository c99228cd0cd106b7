"""Kubernetes manifests in and out of the engine: apply/create/replace, patch, read, delete,
export. Objects applied from YAML go through the same validation and constructors as the
actions, so they behave exactly like objects created by a click."""

from .errors import ManifestError
from .kinds import KINDS, kind_for

__all__ = ["KINDS", "ManifestError", "kind_for"]

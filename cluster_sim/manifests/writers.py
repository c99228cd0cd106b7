"""One writer per kind: validate a (defaulted) manifest against the stored object, then
create or update it through the same constructors, limits and side effects as the actions.

A writer gets the document and the current object (None to create) and returns True when
something changed. Every check happens before the first write.
"""

from .common import LAST_APPLIED, Invalid, generated_name, label_errors
from .write_config import write_configmap, write_secret
from .write_node import write_node
from .write_policy import write_hpa, write_pdb, write_priority_class
from .write_service import write_service
from .write_workloads import write_deployment, write_pod

WRITERS = {
    "Pod": write_pod,
    "Deployment": write_deployment,
    "ConfigMap": write_configmap,
    "Secret": write_secret,
    "Service": write_service,
    "Node": write_node,
    "HorizontalPodAutoscaler": write_hpa,
    "PodDisruptionBudget": write_pdb,
    "PriorityClass": write_priority_class,
}


__all__ = ["LAST_APPLIED", "WRITERS", "Invalid", "generated_name", "label_errors"]

"""Deployments and hand-made Pods from manifests: the API defaults, the API server's
validation, then the same objects the actions and the ReplicaSet controller make."""

from ..errors import ActionError
from ..rollout_rules import rollout_errors
from ..store import clone
from .common import (
    MAX_REPLICAS,
    Invalid,
    bump_generation,
    fresh_metadata,
    label_errors,
    labels_text,
    store_write,
    updated_metadata,
)
from .kinds import KINDS
from .podspec import default_pod_spec, pod_spec_errors

# Deployments


def default_deployment_spec(spec: dict) -> dict:
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxSurge", "25%")
        rolling.setdefault("maxUnavailable", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    spec.setdefault("minReadySeconds", 0)
    template = spec.setdefault("template", {})
    template.setdefault("metadata", {})
    default_pod_spec(template.setdefault("spec", {}))
    return spec


def selector_errors(spec: dict, template_labels: dict, current_spec) -> list[str]:
    selector = spec.get("selector")
    if not selector:  # a nil selector matches nothing, so the template check fails too
        return [
            "spec.selector: Required value",
            f"spec.template.metadata.labels: Invalid value: {labels_text(template_labels)}: "
            "`selector` does not match template `labels`",
        ]
    errors = []
    if selector.get("matchExpressions"):
        errors.append(
            "spec.selector.matchExpressions: Forbidden: the playground's controllers select "
            "pods by matchLabels only"
        )
    match = selector.get("matchLabels") or {}
    if not match:
        errors.append(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid "
            "for deployment"
        )
    errors += label_errors("spec.selector.matchLabels", match)
    if match and any(template_labels.get(k) != v for k, v in match.items()):
        errors.append(
            f"spec.template.metadata.labels: Invalid value: {labels_text(template_labels)}: "
            "`selector` does not match template `labels`"
        )
    if current_spec is not None and current_spec.get("selector") != selector:
        errors.append(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
            f"{labels_text(match)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: "
            "field is immutable"
        )
    return errors


def write_deployment(cluster, doc: dict, current: dict | None) -> bool:
    spec = default_deployment_spec(clone(doc.get("spec") or {}))
    errors = []
    replicas = spec["replicas"]
    if replicas < 0:
        errors.append(
            f"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
        )
    elif replicas > MAX_REPLICAS:
        errors.append(
            f"spec.replicas: Invalid value: {replicas}: must be less than or equal to "
            f"{MAX_REPLICAS} (the playground's limit)"
        )
    template_labels = spec["template"]["metadata"].get("labels") or {}
    errors += selector_errors(spec, template_labels, current and current["spec"])
    errors += label_errors("spec.template.metadata.labels", template_labels)
    errors += pod_spec_errors(
        "spec.template.spec", spec["template"]["spec"], restart_policies=("Always",)
    )
    errors += rollout_errors(spec)
    if not spec.get("paused"):
        spec.pop("paused", None)  # false is omitted, as the API server's JSON does
    if errors:
        raise Invalid(errors)
    if current is None:
        obj = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": fresh_metadata(cluster, doc, KINDS["Deployment"], generation=1),
            "spec": spec,
            "status": {},
        }
        return store_write(cluster, None, obj)
    new = {**clone(current), "metadata": updated_metadata(current, doc), "spec": spec}
    bump_generation(current, new)
    return store_write(cluster, current, new)


# Pods made by hand (kubectl run, create -f pod.yaml): no owner, the same admission as a
# ReplicaSet's pods; after creation only labels and annotations change (the playground's
# kubelet does not restart containers for a new image).


def write_pod(cluster, doc: dict, current: dict | None) -> bool:
    from ..objects import admission_defaults
    from ..podutil import qos_class
    from ..priority import admit

    spec = default_pod_spec(clone(doc.get("spec") or {}))
    errors = pod_spec_errors("spec", spec)
    if errors:
        raise Invalid(errors)
    if current is not None:
        if spec != current["spec"]:
            raise Invalid(
                [
                    "spec: Forbidden: pod updates may not change fields other than "
                    "metadata.labels and metadata.annotations in the playground"
                ]
            )
        new = {**clone(current), "metadata": updated_metadata(current, doc)}
        return store_write(cluster, current, new)
    if spec.get("nodeName"):
        raise Invalid(["spec.nodeName: Forbidden: the playground's scheduler places every pod"])
    spec = admission_defaults(spec)
    refusal = admit(cluster, spec)
    if refusal:
        raise ActionError(f'pods "{doc["metadata"]["name"]}" is forbidden: {refusal}')
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": fresh_metadata(cluster, doc, KINDS["Pod"]),
        "spec": spec,
        "status": {"phase": "Pending", "qosClass": qos_class(spec)},
    }
    if not obj["metadata"].get("annotations"):
        obj["metadata"].pop("annotations", None)
    return store_write(cluster, None, obj)

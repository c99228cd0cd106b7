"""kubectl's changing verbs, each through the engine's actions (validated, kubectl's messages):
scale, set image, delete, label, taint, cordon, uncordon, drain, apply -f -."""

from ..errors import ActionError
from ..manifests.apply import apply_documents
from ..manifests.delete import delete_object
from ..manifests.kinds import resource_name
from ..manifests.update import patch_object
from .args import CliError, Line, integer_flag
from .targets import entry, namespace, not_found, resolve


def act(cluster, action: dict) -> str:
    """Run an engine action; its refusal becomes kubectl's `error: ...`."""
    try:
        return cluster.apply(action)
    except ActionError as exc:
        text = str(exc)
        if text.startswith(("error:", "Error from server")):
            raise CliError(text) from None
        raise CliError(_server_error(exc)) from None


def _one(
    cluster, line: Line, words: list[str], verb: str, kinds: tuple[str, ...]
) -> tuple[dict, str]:
    """The single object a verb works on, given as `kind name` or `kind/name`."""
    groups = resolve(line, words, verb)
    if len(groups) != 1 or len(groups[0][1]) != 1:
        raise CliError(
            f"error: {verb} needs exactly one resource, e.g. kubectl {verb} deployment web"
        )
    item, names = groups[0]
    if item["kind"] not in kinds:
        raise CliError(
            f"error: {verb} works on {', '.join(k.lower() + 's' for k in kinds)} in the "
            f"playground, not {item['plural']}"
        )
    name = names[0]
    if cluster.store.get(item["kind"], name, namespace(line) if item["namespaced"] else "") is None:
        raise CliError(not_found(item, name))
    return item, name


def scale(cluster, line: Line) -> str:
    replicas = integer_flag(line, "replicas")
    if replicas is None:
        raise CliError('error: required flag(s) "replicas" not set')
    _, name = _one(cluster, line, line.words[1:], "scale", ("Deployment",))
    if replicas < 0:
        raise CliError(
            "error: The --replicas=COUNT flag is required, "
            "and COUNT must be greater than or equal to 0"
        )
    return act(cluster, {"action": "scale", "deployment": name, "replicas": replicas})


def set_image(cluster, line: Line) -> str:
    words = line.words[1:]
    if not words or words[0] != "image":
        raise CliError(
            "error: the console supports `kubectl set image deployment/NAME CONTAINER=IMAGE`"
        )
    pairs = [w for w in words[1:] if "=" in w]
    targets = [w for w in words[1:] if "=" not in w]
    if not pairs:
        raise CliError("error: at least one image update is required")
    _, name = _one(cluster, line, targets, "set image", ("Deployment",))
    for pair in pairs:
        container, _, image = pair.partition("=")
        if container != "*":
            act(
                cluster,
                {"action": "set_image", "deployment": name, "image": image, "container": container},
            )
        else:
            act(cluster, {"action": "set_image", "deployment": name, "image": image})
    return f"deployment.apps/{name} image updated"


def delete(cluster, line: Line) -> str:
    """kubectl delete KIND NAME...: `deployment.apps "web" deleted` per object (K1's
    delete_object: graceful pod deletes, owners' dependents garbage-collected)."""
    if line.flag("filename"):
        raise CliError("error: the console deletes by name: kubectl delete KIND NAME")
    grace = integer_flag(line, "grace-period")
    groups = resolve(line, line.words[1:], "delete")
    lines, errors = [], []
    for item, names in groups:
        if not names:
            raise CliError("error: resource(s) were provided, but no name was specified")
        for name in names:
            try:
                delete_object(
                    cluster, item["kind"], name, namespace(line), grace if grace != -1 else None
                )
            except ActionError as exc:
                errors.append(_server_error(exc))
                continue
            lines.append(f'{resource_name(item)} "{name}" deleted')
    text = "\n".join(lines + errors)
    if errors:
        raise CliError(text)
    return text


def _server_error(exc: ActionError) -> str:
    reason = getattr(exc, "reason", "")
    return f"Error from server ({reason}): {exc}" if reason else f"error: {exc}"


def cordon(cluster, line: Line, verb: str) -> str:
    names = [w.split("/", 1)[-1] for w in line.words[1:]]
    if len(names) != 1:
        raise CliError(f"error: USAGE: {verb} NODE [flags]")
    if cluster.store.get("Node", names[0]) is None:
        raise CliError(not_found(entry("node"), names[0]))
    return act(cluster, {"action": verb, "name": names[0]})


LABELLED = ("Node", "Deployment", "Pod", "Service", "ConfigMap", "Secret", "ReplicaSet")


def label(cluster, line: Line) -> str:
    """kubectl label KIND NAME k=v [k2-] [--overwrite]: nodes through the label_node action,
    other kinds as a merge patch of metadata.labels."""
    words = line.words[1:]
    pairs = [w for w in words[1:] if "=" in w or (w.endswith("-") and "/" not in w)]
    targets = [w for w in words if w not in pairs]
    item, name = _one(cluster, line, targets, "label", LABELLED)
    if not pairs:
        raise CliError("error: at least one label update is required")
    obj = cluster.store.get(item["kind"], name, namespace(line) if item["namespaced"] else "")
    current = obj["metadata"].get("labels") or {}
    labels: dict = {}
    for pair in pairs:
        if pair.endswith("-") and "=" not in pair:
            labels[pair[:-1]] = None
            continue
        key, _, value = pair.partition("=")
        if key in current and current[key] != value and not line.flag("overwrite"):
            raise CliError(
                f"error: '{key}' already has a value ({current[key]}), and --overwrite is false"
            )
        labels[key] = value
    shown = f"{resource_name(item)}/{name}"
    removing = any(v is None for v in labels.values())
    if not removing and all(current.get(k) == v for k, v in labels.items()):
        return f"{shown} not labeled"
    if item["kind"] == "Node":
        act(cluster, {"action": "label_node", "name": name, "labels": labels})
    else:
        missing = [k for k, v in labels.items() if v is None and k not in current]
        if missing:
            raise CliError(f'error: label "{missing[0]}" not found.')
        try:
            patch_object(
                cluster,
                item["kind"],
                name,
                namespace(line),
                {"metadata": {"labels": labels}},
                "merge",
            )
        except ActionError as exc:
            raise CliError(_server_error(exc)) from None
    return f"{shown} {'unlabeled' if all(v is None for v in labels.values()) else 'labeled'}"


def taint(cluster, line: Line) -> str:
    words = line.words[1:]
    specs = [w for w in words if ":" in w or w.endswith("-")]
    targets = [w for w in words if w not in specs]
    if targets and targets[0] in ("nodes", "node", "no"):
        targets = targets[:1] + targets[1:]
    _, name = _one(cluster, line, targets, "taint", ("Node",))
    if not specs:
        raise CliError("error: at least one taint update is required")
    added = removed = False
    for spec in specs:
        remove = spec.endswith("-")
        body = spec[:-1] if remove else spec
        key_value, _, effect = body.partition(":")
        key, _, value = key_value.partition("=")
        if remove:
            args = {"action": "untaint_node", "name": name, "key": key}
            if effect:
                args["effect"] = effect
            act(cluster, args)
            removed = True
        else:
            if not effect:
                raise CliError(f'error: invalid taint spec: {spec}, unknown taint effect ""')
            args = {"action": "taint_node", "name": name, "key": key, "effect": effect}
            if value:
                args["value"] = value
            act(cluster, args)
            added = True
    return f"node/{name} {'modified' if added and removed else 'tainted' if added else 'untainted'}"


def apply(cluster, line: Line, documents: list[dict] | None) -> str:
    source = line.flag("filename")
    if source != "-":
        raise CliError(
            "error: the console applies pasted manifests: kubectl apply -f - "
            "(then paste YAML in the box that opens)"
        )
    if not documents:
        raise CliError("error: no objects passed to apply")
    try:
        return "\n".join(apply_documents(cluster, documents, mode="apply"))
    except ActionError as exc:
        raise CliError(_server_error(exc)) from None

"""The browser console's kubectl: parse a command line, run it against the cluster through
the engine's actions and the manifests functions, answer with kubectl's text.

run(cluster, command, stdin_documents) -> (text, exit_code). `-o yaml` is answered as JSON
(kubectl's -o json text); the playground turns it into YAML, since the engine uses only the
standard library.
"""

from ..describe import DescribeError, describe
from .args import CliError, Line, split
from .create import create, expose
from .get import get, output_format
from .logs import logs
from .rollout import rollout
from .targets import namespace, resolve
from .top import top
from .write import apply, cordon, delete, label, scale, set_image, taint

SUPPORTED = (
    "get [-o wide|yaml|json|name] [-l SELECTOR] [-A] [--show-labels]",
    "describe KIND NAME",
    "apply -f -   (paste YAML)",
    "create deployment NAME --image=IMAGE [--replicas=N]",
    "expose deployment NAME --port=P [--target-port=T] [--type=NodePort] [--name=N]",
    "delete KIND NAME",
    "scale deployment NAME --replicas=N",
    "set image deployment/NAME CONTAINER=IMAGE",
    "rollout status|history|undo [--to-revision=N]|restart deployment/NAME",
    "cordon NODE | uncordon NODE | drain NODE",
    "taint nodes NODE KEY[=VALUE]:EFFECT | KEY[:EFFECT]-",
    "label KIND NAME KEY=VALUE [--overwrite] | KEY-",
    "logs POD [-c CONTAINER] [--tail=N]",
    "top pods [NAME]",
)
VERBS = (
    "get",
    "describe",
    "apply",
    "create",
    "expose",
    "delete",
    "scale",
    "set",
    "rollout",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "label",
    "logs",
    "top",
    "help",
)


def usage() -> str:
    return "The console runs these kubectl commands:\n" + "\n".join(
        f"  kubectl {line}" for line in SUPPORTED
    )


# Commands that only look: the playground answers them without saving anything.
READ_ONLY_VERBS = ("get", "describe", "logs", "top", "help")
READ_ONLY_ROLLOUTS = ("status", "history")


def reads_only(command: str) -> bool:
    """True when the command cannot change the cluster (get, describe, rollout status, ...)."""
    try:
        words = split(command).words
    except CliError:
        return False
    if not words:
        return True
    if words[0] == "rollout":
        return len(words) > 1 and words[1] in READ_ONLY_ROLLOUTS
    return words[0] in READ_ONLY_VERBS


def wants_yaml(command: str) -> bool:
    """True when the command asks for -o yaml (the playground converts the JSON answer)."""
    try:
        line = split(command)
        return bool(line.words) and line.words[0] == "get" and output_format(line) == "yaml"
    except CliError:
        return False


def run(cluster, command: str, stdin_documents: list[dict] | None = None) -> tuple[str, int]:
    try:
        line = split(command)
        return _run(cluster, line, stdin_documents)
    except CliError as exc:
        return exc.text, exc.code
    except DescribeError as exc:
        return str(exc), 1


def _run(cluster, line: Line, documents) -> tuple[str, int]:
    if not line.words or line.words[0] == "help" or line.flag("help"):
        return usage(), 0
    verb = line.words[0]
    if verb == "get":
        return get(cluster, line)
    if verb == "describe":
        return _describe(cluster, line)
    simple = {
        "scale": scale,
        "set": set_image,
        "delete": delete,
        "rollout": rollout,
        "label": label,
        "taint": taint,
        "logs": logs,
        "top": top,
        "create": create,
        "expose": expose,
    }
    if verb in simple:
        return simple[verb](cluster, line), 0
    if verb in ("cordon", "uncordon", "drain"):
        return cordon(cluster, line, verb), 0
    if verb == "apply":
        return apply(cluster, line, documents), 0
    raise CliError(f'error: unknown command "{verb}" for "kubectl"\n\n{usage()}')


def _describe(cluster, line: Line) -> tuple[str, int]:
    groups = resolve(line, line.words[1:], "describe")
    texts = []
    for item, names in groups:
        if not names:
            from ..manifests.read import list_objects

            names = [
                o["metadata"]["name"]
                for o in list_objects(
                    cluster, item["kind"], namespace(line), str(line.flag("selector") or "")
                )
            ]
        texts += [describe(cluster, item["kind"], name, namespace(line)) for name in names]
    return "\n\n\n".join(texts), 0


__all__ = ["SUPPORTED", "VERBS", "reads_only", "run", "usage", "wants_yaml"]

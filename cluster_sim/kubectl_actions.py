"""The console's `kubectl` action: one kubectl command line run against the cluster."""

from .errors import ActionError
from .kubectl_cli import run

MAX_COMMAND = 2000


def kubectl(cluster, command, documents=None) -> str:
    """kubectl_cli.run; a non-zero exit becomes an ActionError carrying kubectl's text."""
    if not isinstance(command, str) or not command.strip():
        raise ActionError("command must be a kubectl command line, e.g. kubectl get pods")
    if len(command) > MAX_COMMAND:
        raise ActionError(f"command is longer than {MAX_COMMAND} characters")
    if documents is not None and (
        not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents)
    ):
        raise ActionError("documents must be a list of objects (the parsed YAML documents)")
    text, code = run(cluster, command, documents)
    if code != 0:
        raise ActionError(text)
    return text


# action name -> (function, required arguments, optional arguments)
HANDLERS = {"kubectl": (kubectl, ("command",), ("documents",))}

"""kubectl create deployment NAME --image=IMAGE [--replicas=N] and kubectl expose deployment NAME
--port=P [--target-port=T] [--type=T] [--name=N]: the objects kubectl's generators build."""

from ..errors import ActionError
from ..manifests.apply import apply_documents
from .args import CliError, Line, integer_flag
from .write import _one, _server_error, act


def container_name(image: str) -> str:
    """kubectl names the container after the image: `ghcr.io/example/api:1.0` -> `api`."""
    last = image.rsplit("/", 1)[-1]
    return last.split("@", 1)[0].split(":", 1)[0]


def create(cluster, line: Line) -> str:
    words = line.words[1:]
    if len(words) != 2 or words[0] not in ("deployment", "deploy"):
        raise CliError(
            "error: the console creates deployments: kubectl create deployment NAME --image=IMAGE "
            "(other kinds: kubectl apply -f -)"
        )
    name = words[1]
    image = line.flag("image")
    if not isinstance(image, str) or not image:
        raise CliError('error: required flag(s) "image" not set')
    replicas = integer_flag(line, "replicas")
    labels = {"app": name}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": 1 if replicas is None else replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": [{"name": container_name(image), "image": image}]},
            },
        },
    }
    try:
        return "\n".join(apply_documents(cluster, [deployment], mode="create"))
    except ActionError as exc:
        if getattr(exc, "reason", "") == "AlreadyExists":
            # kubectl create names no document: it sent one object.
            text = str(exc).split("): ", 1)[-1]
            raise CliError(f"error: failed to create deployment: {text}") from None
        raise CliError(_server_error(exc)) from None


def expose(cluster, line: Line) -> str:
    _, name = _one(cluster, line, line.words[1:], "expose", ("Deployment",))
    port = integer_flag(line, "port")
    if port is None:
        raise CliError(
            "error: couldn't find port via --port flag or introspection\n"
            "See 'kubectl expose -h' for help and examples"
        )
    target = integer_flag(line, "target-port")
    action = {
        "action": "create_service",
        "name": str(line.flag("name") or name),
        "deployment": name,
        "port": port,
        "targetPort": port if target is None else target,
        "type": str(line.flag("type") or "ClusterIP"),
    }
    if cluster.store.get("Service", action["name"]) is not None:
        raise CliError(
            f'Error from server (AlreadyExists): services "{action["name"]}" already exists'
        )
    return act(cluster, action)

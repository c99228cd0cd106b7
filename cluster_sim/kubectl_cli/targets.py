"""Which objects a command names: `pods`, `pod/web-x`, `deploy web api`, `pods,svc`, `all`."""

from ..manifests.kinds import KINDS, kind_for, qualified_plural, resource_name
from ..manifests.read import get_object, list_objects
from .args import CliError, Line

ALL = [entry for entry in KINDS.values() if "all" in entry["categories"]]


def entry(word: str) -> dict:
    found = kind_for(word)
    if found is None:
        raise CliError(f'error: the server doesn\'t have a resource type "{word}"')
    return found


def kinds(word: str) -> list[dict]:
    """A comma list of kinds; `all` is kubectl's category (pods, services, deployments...)."""
    found = []
    for part in word.split(","):
        for item in ALL if part == "all" else [entry(part)]:
            if item not in found:
                found.append(item)
    return found


def namespace(line: Line) -> str:
    return str(line.flag("namespace") or "default")


def not_found(item: dict, name: str) -> str:
    return f'Error from server (NotFound): {qualified_plural(item)} "{name}" not found'


def resolve(line: Line, words: list[str], verb: str) -> list[tuple[dict, list[str]]]:
    """[(kind entry, names)], names empty meaning every object of that kind."""
    if not words:
        raise CliError(
            "error: You must specify the type of resource to "
            f'{verb}. Use "kubectl api-resources" for a complete list of supported resources.'
        )
    if "/" in words[0]:
        groups: list[tuple[dict, list[str]]] = []
        for word in words:
            kind_word, slash, name = word.partition("/")
            if not slash or not name:
                raise CliError(
                    "error: there is no need to specify a resource type as a separate argument "
                    "when passing arguments in resource/name form (e.g. 'kubectl get "
                    "resource/<resource_name>' instead of 'kubectl get resource "
                    "resource/<resource_name>'"
                )
            groups.append((entry(kind_word), [name]))
        return groups
    return [(item, list(words[1:])) for item in kinds(words[0])]


def fetch(cluster, line: Line, item: dict, names: list[str]):
    """(objects found, errors) for one kind, honouring -n, -A and -l."""
    ns = None if line.flag("all-namespaces") else namespace(line)
    if names:
        found, errors = [], []
        for name in names:
            obj = get_object(cluster, item["kind"], name, ns or "default")
            if obj is None:
                errors.append(not_found(item, name))
            else:
                found.append(obj)
        return found, errors
    selector = str(line.flag("selector") or "")
    fields = str(line.flag("field-selector") or "")
    try:
        return list_objects(cluster, item["kind"], ns, selector, fields), []
    except Exception as exc:  # a malformed selector: the API server's 400
        raise CliError(f"Error from server (BadRequest): {exc}") from None


def object_name(obj: dict) -> str:
    """`deployment.apps/web`, as `-o name` and the mutating verbs print it."""
    return f"{resource_name(kind_for(obj['kind']))}/{obj['metadata']['name']}"

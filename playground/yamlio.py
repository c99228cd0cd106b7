"""YAML in and out, the way kubectl reads and prints it (PyYAML; the engine never sees YAML).

parse_documents: a multi-document manifest -> JSON-safe dicts (timestamps stay strings, keys
become strings, `kind: List` expands to its items), errors naming the document and line.
dump / dump_all: objects as `kubectl get -o yaml` prints them (sorted keys, sequences not
indented under their key, strings that would read as another type in double quotes, text
with line breaks as a literal block).
"""

import json

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class YamlError(ValueError):
    """kubectl's wording for a manifest it cannot read."""


class _ManifestLoader(_Loader):
    """SafeLoader without the timestamp type: creationTimestamp stays the string it was."""


_ManifestLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def _json_safe(value, path: str):
    if isinstance(value, dict):
        return {str(k): _json_safe(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, float) and value != value:  # .nan has no JSON form
        raise YamlError(f"{path}: NaN is not a valid JSON number")
    if isinstance(value, bytes):
        raise YamlError(f"{path}: binary values are not supported; use a base64 string")
    return value


def parse_documents(text: str, source: str = "STDIN") -> list[dict]:
    """Every non-empty document of a manifest; raises YamlError naming the document."""
    if not isinstance(text, str):
        raise YamlError("error: the manifest must be text")
    documents: list[dict] = []
    index = 0
    try:
        for index, doc in enumerate(yaml.load_all(text, Loader=_ManifestLoader), start=1):
            if doc is None:
                continue
            if not isinstance(doc, dict):
                raise YamlError(
                    f"error: error parsing {source}: document {index} is a {_type_name(doc)}, "
                    "not an object (a mapping with apiVersion, kind and metadata)"
                )
            doc = _json_safe(doc, f"document {index}")
            if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
                documents += [item for item in doc["items"] if isinstance(item, dict)]
            else:
                documents.append(doc)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {_line_in_document(text, mark.line)}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(
            f"error: error parsing {source}: document {index + 1}: error converting YAML to "
            f"JSON: yaml: {where}{problem}"
        ) from None
    if not documents:
        raise YamlError(f"error: no objects passed to apply (nothing in {source})")
    return documents


def _line_in_document(text: str, line: int) -> int:
    """A stream's line number counted from its document's start, as kubectl (which splits the
    stream into documents first) reports it."""
    separators = [i for i, row in enumerate(text.splitlines()[:line]) if row.startswith("---")]
    return line - separators[-1] if separators else line + 1


def _type_name(value) -> str:
    return {str: "string", list: "list", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


class _KubectlDumper(_Dumper):
    pass


def _represent_str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if resolved != "tag:yaml.org,2002:str" or value == "":
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_KubectlDumper.add_representer(str, _represent_str)


def dump(obj) -> str:
    return yaml.dump(
        obj,
        Dumper=_KubectlDumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 30,
    )


def dump_all(objects: list[dict]) -> str:
    """A multi-document YAML stream, `---` between documents as `kubectl get -o yaml` pipes do."""
    return "---\n".join(dump(obj) for obj in objects)


def json_text_to_yaml(text: str) -> str:
    """The engine's `-o json` answer printed as `-o yaml` (kubectl's output has no final \\n)."""
    return dump(json.loads(text)).rstrip("\n")

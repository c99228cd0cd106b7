"""kubectl get: tables (plain, wide, --show-labels, -A), -o name, -o json (-o yaml: see run())."""

import json

from .. import printers
from ..manifests.kinds import resource_name
from .args import CliError, Line
from .targets import fetch, namespace, object_name, resolve

FORMATS = ("", "wide", "name", "json", "yaml")


def output_format(line: Line) -> str:
    output = str(line.flag("output") or "")
    if output not in FORMATS:
        raise CliError(
            f'error: unable to match a printer suitable for the output format "{output}", '
            "allowed formats are: json,name,wide,yaml (the playground's)"
        )
    return output


def as_list(objects: list[dict]) -> dict:
    return {
        "apiVersion": "v1",
        "items": objects,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def get(cluster, line: Line) -> tuple[str, int]:
    if line.flag("watch"):
        raise CliError("error: --watch is not supported in the console; the stage is the watch")
    output = output_format(line)
    groups = resolve(line, line.words[1:], "get")
    single = len(groups) == 1 and len(groups[0][1]) == 1
    sections, errors, everything = [], [], []
    for item, names in groups:
        objects, missing = fetch(cluster, line, item, names)
        errors += missing
        everything += objects
        if output in ("json", "yaml"):
            continue
        if output == "name":
            sections += [object_name(obj) for obj in objects]
            continue
        if not objects:
            continue
        body = printers.table(item["kind"], objects, cluster.now, wide=output == "wide")
        if line.flag("show-labels"):
            body["columnDefinitions"].append({"name": "Labels", "type": "string"})
            for row in body["rows"]:
                labels = row["object"]["metadata"].get("labels") or {}
                row["cells"].append(",".join(f"{k}={v}" for k, v in labels.items()) or "<none>")
        many = len(groups) > 1
        sections.append(
            printers.render(
                body,
                headers=not line.flag("no-headers"),
                namespace_column=bool(line.flag("all-namespaces")) and item["namespaced"],
                show_kind=resource_name(item) if many else "",
            )
        )
    if output in ("json", "yaml") and (everything or not errors):
        body = everything[0] if single and everything else as_list(everything)
        sections = [json.dumps(body, indent=4)]
    text = ("\n" if output == "name" else "\n\n").join(s for s in sections if s)
    if not text and not errors and output not in ("json", "yaml"):
        text = _nothing(line, groups)
    if errors:
        text = "\n".join(([text] if text else []) + errors)
    return text, 1 if errors else 0


def _nothing(line: Line, groups) -> str:
    if line.flag("all-namespaces") or not any(item["namespaced"] for item, _ in groups):
        return "No resources found"
    return f"No resources found in {namespace(line)} namespace."

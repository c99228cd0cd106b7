"""One catch-all view for /k8s/<playground id>/<path>: discovery, OpenAPI, resources.

csrf_exempt (kubectl sends no CSRF token) and async, so a long watch holds no thread;
everything else runs synchronously in Django's thread."""

import json
import logging

import orjson
from asgiref.sync import sync_to_async
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from playground.models import Playground

from . import discovery, logs, openapi, reads, writes
from .paths import parse_resource_path
from .status import (
    ApiError,
    method_not_allowed,
    not_found_path,
    status_response,
    unsupported_media_type,
)
from .tables import TABLE_CONTENT_TYPE, wants_table
from .timeshift import offset_for, shift
from .watch import WatchStart, prepare, stream

log = logging.getLogger(__name__)


def json_response(body, status: int = 200, content_type: str = "application/json"):
    return HttpResponse(orjson.dumps(body), status=status, content_type=content_type)


@csrf_exempt
async def endpoint(request, playground_id: str, path: str):
    try:
        segments = [part for part in path.split("/") if part]
        params = request.GET
        if request.method == "GET" and params.get("watch") in ("true", "1"):
            return await _watch(request, playground_id, segments)
        return await sync_to_async(_handle)(request, playground_id, segments)
    except ApiError as exc:
        return status_response(exc.code, exc.reason, exc.message, exc.details)
    except Exception:
        # A Status, not Django's HTML page, so kubectl prints something readable.
        log.exception("k8s API %s %s failed", request.method, request.get_full_path())
        return status_response(
            500, "InternalError", "an error on the server: the request was not carried out"
        )


async def _watch(request, playground_id: str, segments: list[str]):
    target = parse_resource_path(segments)
    if target.name is not None:
        raise not_found_path()
    as_table = wants_table(request.headers.get("Accept", ""))
    start = WatchStart(target, request.GET, as_table)
    await prepare(playground_id, start)
    response = StreamingHttpResponse(
        stream(playground_id, start),
        content_type=TABLE_CONTENT_TYPE if as_table else "application/json",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _handle(request, playground_id: str, segments: list[str]):
    method = request.method
    head = segments[:1]
    if not Playground.objects.filter(pk=playground_id).exists():
        raise ApiError(
            404,
            "NotFound",
            f"playground {playground_id!r} does not exist (it may have been deleted)",
        )
    if segments == ["version"]:
        return json_response(discovery.VERSION)
    if segments == ["openapi", "v2"]:
        raise not_found_path()
    if head == ["openapi"]:
        return _openapi(segments)
    if method == "GET" and segments == ["api"]:
        return json_response(discovery.api_versions())
    if method == "GET" and segments == ["apis"]:
        return json_response(discovery.api_group_list())
    if method == "GET" and len(segments) == 2 and head == ["api"]:
        return _found(discovery.resource_list("", segments[1]))
    if method == "GET" and len(segments) == 2 and head == ["apis"]:
        return _found(discovery.api_group(segments[1]))
    if method == "GET" and len(segments) == 3 and head == ["apis"]:
        return _found(discovery.resource_list(segments[1], segments[2]))
    target = parse_resource_path(segments)
    if target.name is None:
        return _collection(request, playground_id, target)
    if target.subresource is None:
        return _item(request, playground_id, target)
    return _subresource(request, playground_id, target)


def _found(body):
    if body is None:
        raise not_found_path()
    return json_response(body)


def _openapi(segments: list[str]):
    if segments == ["openapi", "v3"]:
        return json_response(openapi.root_document())
    rest = segments[2:]
    if rest[:1] == ["api"] and len(rest) == 2:
        document = openapi.gv_document("", rest[1])
    elif rest[:1] == ["apis"] and len(rest) == 3:
        document = openapi.gv_document(rest[1], rest[2])
    else:
        document = None
    return _found(document)


def _body(request, allow_yaml: bool = False):
    content_type = request.content_type or ""
    if "protobuf" in content_type:
        raise unsupported_media_type(content_type)
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except ValueError as exc:
        hint = " (send the object as JSON; kubectl does)" if allow_yaml else ""
        raise ApiError(
            400, "BadRequest", f"the request body is not valid JSON: {exc}{hint}"
        ) from exc


def _dry_run(request) -> bool:
    return request.GET.get("dryRun") == "All"


def _writable(target) -> None:
    if not target.entry["writable"]:
        raise ApiError(
            405,
            "MethodNotAllowed",
            f"{target.entry['plural']} are written by the simulated controllers only",
        )


def _collection(request, playground_id, target):
    if request.method == "GET":
        _, cluster = reads.load(playground_id)
        objects = reads.list_kind(target, cluster, request.GET)
        offset = offset_for(cluster.now, playground_id)
        if wants_table(request.headers.get("Accept", "")):
            body = shift(reads.table_body(target, objects, cluster, request.GET), offset)
            return json_response(body, content_type=TABLE_CONTENT_TYPE)
        body = reads.list_body(target, shift(objects, offset), reads.current_rv(cluster))
        return json_response(body)
    if request.method == "POST":
        if target.entry["namespaced"] and target.namespace is None:
            raise method_not_allowed("POST")
        _writable(target)
        created = writes.create(playground_id, target, _body(request), _dry_run(request))
        return json_response(created, status=201)
    raise method_not_allowed(request.method)


def _item(request, playground_id, target):
    method = request.method
    if method == "GET":
        _, cluster = reads.load(playground_id)
        obj = reads.get_one(target, cluster)
        offset = offset_for(cluster.now, playground_id)
        if wants_table(request.headers.get("Accept", "")):
            body = shift(reads.table_body(target, [obj], cluster, request.GET), offset)
            return json_response(body, content_type=TABLE_CONTENT_TYPE)
        return json_response(shift(obj, offset))
    _writable(target)
    if method == "PUT":
        return json_response(
            writes.replace(playground_id, target, _body(request), _dry_run(request))
        )
    if method == "PATCH":
        patch_type = _patch_type(request)
        body = _body(request, allow_yaml=patch_type == "apply")
        return json_response(
            writes.patch(playground_id, target, body, patch_type, _dry_run(request))
        )
    if method == "DELETE":
        options = _body(request) or {}
        # kubectl sends dryRun for deletes in the DeleteOptions body, not the query.
        dry_run = _dry_run(request) or "All" in (options.get("dryRun") or ())
        grace = request.GET.get("gracePeriodSeconds", options.get("gracePeriodSeconds"))
        if grace is not None:
            try:
                grace = int(grace)
            except (TypeError, ValueError) as exc:
                raise ApiError(400, "BadRequest", f"invalid gracePeriodSeconds {grace!r}") from exc
        return json_response(writes.delete(playground_id, target, grace, dry_run))
    raise method_not_allowed(method)


def _patch_type(request) -> str:
    content_type = request.content_type or ""
    if "protobuf" in content_type:
        raise unsupported_media_type(content_type)
    patch_type = writes.PATCH_TYPES.get(content_type)
    if patch_type is None:
        raise unsupported_media_type(content_type)
    return patch_type


def _subresource(request, playground_id, target):
    kind, sub, method = target.entry["kind"], target.subresource, request.method
    if kind == "Deployment" and sub == "scale":
        if method == "GET":
            _, cluster = reads.load(playground_id)
            scale = writes.read_scale(cluster, target)
            return json_response(shift(scale, offset_for(cluster.now, playground_id)))
        if method in ("PUT", "PATCH"):
            patch_type = "replace" if method == "PUT" else _patch_type(request)
            if patch_type == "apply":
                patch_type = "merge"
            body = _body(request)
            return json_response(
                writes.write_scale(playground_id, target, body, patch_type, _dry_run(request))
            )
        raise method_not_allowed(method)
    if kind == "Pod" and sub == "eviction" and method == "POST":
        body = _body(request)
        return json_response(writes.evict(playground_id, target, body, _dry_run(request)), 201)
    if sub == "status" and method == "GET" and kind in ("Pod", "Deployment"):
        return _item(request, playground_id, target)
    if kind == "Pod" and sub == "log" and method == "GET":
        _, cluster = reads.load(playground_id)
        pod = reads.get_one(target, cluster)
        tail = request.GET.get("tailLines")
        text = logs.container_log(
            pod,
            request.GET.get("container"),
            int(tail) if tail and tail.lstrip("-").isdigit() else None,
            request.GET.get("timestamps") == "true",
        )
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    raise not_found_path()

"""Errors as the API server sends them: a meta/v1 Status with code, reason and message."""

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details


def status_body(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        body["details"] = details
    return body


def status_response(code: int, reason: str, message: str, details: dict | None = None):
    response = JsonResponse(status_body(code, reason, message, details), status=code)
    if details and "retryAfterSeconds" in details:
        # client-go waits and retries by itself on a 429 with Retry-After (a busy lock).
        response["Retry-After"] = str(details["retryAfterSeconds"])
    return response


def not_found_path() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource")


def not_found(plural: str, group: str, name: str) -> ApiError:
    resource = f"{plural}.{group}" if group else plural
    return ApiError(
        404,
        "NotFound",
        f'{resource} "{name}" not found',
        {"name": name, "group": group, "kind": plural},
    )


def method_not_allowed(method: str) -> ApiError:
    return ApiError(
        405,
        "MethodNotAllowed",
        f"the server does not allow this method on the requested resource ({method})",
    )


# kubectl's imperative generators (create deployment/namespace/configmap/service/job,
# autoscale) send protobuf; kubectl does not fall back to JSON, so name what works instead.
PROTOBUF_MESSAGE = (
    "this simulated API server speaks JSON only and cannot read protobuf request bodies "
    "(kubectl create <generator> and kubectl autoscale send them); use a manifest instead, e.g. "
    "`kubectl create deployment d --image=nginx --dry-run=client -o yaml | kubectl apply -f -`"
)


def unsupported_media_type(content_type: str) -> ApiError:
    if "protobuf" in content_type:
        return ApiError(415, "UnsupportedMediaType", PROTOBUF_MESSAGE)
    return ApiError(
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format: {content_type}",
    )

"""What the API server checks and stores for ConfigMaps and Secrets (CFG-4, CFG-5).

Errors read like the API server's: decoding problems (a value of the wrong JSON
type, bad base64) as `Secret in version "v1" cannot be handled as a Secret:
...`, validation problems as `ConfigMap "x" is invalid: data[k]: ...`, several
of them in one bracketed list as field.ErrorList prints them.
"""

import base64
import hashlib
import json
import re

from .errors import ActionError

MAX_SIZE = 1024 * 1024  # corev1.MaxSecretSize: the values of one object, in bytes
MAX_KEY_LENGTH = 253
MAX_NAME_LENGTH = 253
MAX_TYPE_LENGTH = 253
KEY_FORMAT = "[-._a-zA-Z0-9]+"
_KEY = re.compile(KEY_FORMAT)
_SUBDOMAIN_FORMAT = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_SUBDOMAIN = re.compile(_SUBDOMAIN_FORMAT)
IMMUTABLE = "field is immutable when `immutable` is set"
OPAQUE = "Opaque"
# CFG-5: the built-in Secret types (any other non-empty type is accepted as is).
SECRET_TYPES = (
    OPAQUE,
    "kubernetes.io/service-account-token",
    "kubernetes.io/dockercfg",
    "kubernetes.io/dockerconfigjson",
    "kubernetes.io/basic-auth",
    "kubernetes.io/ssh-auth",
    "kubernetes.io/tls",
    "bootstrap.kubernetes.io/token",
)
_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_NEWLINES = (ord("\n"), ord("\r"))
_GO_JSON_TYPES = ((bool, "bool"), (int, "number"), (float, "number"), (list, "array"))


def quote(value: str) -> str:
    """A Go %q-style quoted string (enough for what users type)."""
    return json.dumps(value, ensure_ascii=False)


def invalid(kind: str, name: str, errors: list[str]) -> ActionError:
    """The API server's 422 message: one error as is, several as a bracketed list."""
    body = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return ActionError(f"{kind} {quote(name)} is invalid: {body}")


def undecodable(kind: str, message: str) -> ActionError:
    """The API server's 400 message when the request body does not decode."""
    return ActionError(f'{kind} in version "v1" cannot be handled as a {kind}: {message}')


def name_errors(name: str) -> list[str]:
    """metadata.name of a ConfigMap or Secret: a DNS-1123 subdomain."""
    if name == "":
        return ["metadata.name: Required value: name or generateName is required"]
    errors = []
    if len(name) > MAX_NAME_LENGTH:
        errors.append(f"must be no more than {MAX_NAME_LENGTH} characters")
    if not _SUBDOMAIN.fullmatch(name):
        errors.append(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
            " '-' or '.', and must start and end with an alphanumeric character"
            f" (e.g. 'example.com', regex used for validation is '{_SUBDOMAIN_FORMAT}')"
        )
    return [f"metadata.name: Invalid value: {quote(name)}: {error}" for error in errors]


def key_errors(field: str, key: str) -> list[str]:
    """validation.IsConfigMapKey, one error per broken rule, as field.Invalid prints them."""
    errors = []
    if len(key) > MAX_KEY_LENGTH:
        errors.append(f"must be no more than {MAX_KEY_LENGTH} characters")
    if not _KEY.fullmatch(key):
        errors.append(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
            " (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name',"
            f" regex used for validation is '{KEY_FORMAT}')"
        )
    if key == ".":
        errors.append("must not be '.'")
    elif key == "..":
        errors.append("must not be '..'")
    elif key.startswith(".."):
        errors.append("must not start with '..'")
    return [f"{field}[{key}]: Invalid value: {quote(key)}: {error}" for error in errors]


def _go_type(value) -> str:
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    for python, go in _GO_JSON_TYPES:
        if isinstance(value, python):
            return go
    return "string"


def string_map(kind: str, field: str, value, element: str) -> dict:
    """A JSON object of strings, or the decoder's complaint (element: the Go element type)."""
    if not isinstance(value, dict):
        raise undecodable(
            kind,
            f"json: cannot unmarshal {_go_type(value)} into Go struct field {kind}.{field}"
            f" of type map[string]{element}",
        )
    for item in value.values():
        if not isinstance(item, str):
            raise undecodable(
                kind,
                f"json: cannot unmarshal {_go_type(item)} into Go struct field {kind}.{field}"
                f" of type {element}",
            )
    return dict(value)


def boolean(kind: str, field: str, value) -> bool:
    if not isinstance(value, bool):
        raise undecodable(
            kind,
            f"json: cannot unmarshal {_go_type(value)} into Go struct field {kind}.{field}"
            " of type bool",
        )
    return value


def base64_error_offset(text: str) -> int | None:
    """Where Go's base64.StdEncoding.Decode gives up ("illegal base64 data at input byte N"),
    or None when text decodes. Newlines are skipped; padding is required."""
    data = text.encode()
    size = len(data)
    at = 0
    while True:
        filled = 0
        while filled < 4:
            if at == size:
                return None if filled == 0 else at - filled
            byte = data[at]
            at += 1
            if byte in _B64_ALPHABET:
                filled += 1
                continue
            if byte in _NEWLINES:
                continue
            if byte != ord("=") or filled < 2:
                return at - 1
            if filled == 2:  # "==" expected: the second "=" must follow
                while at < size and data[at] in _NEWLINES:
                    at += 1
                if at == size:
                    return size
                if data[at] != ord("="):
                    return at - 1
                at += 1
            while at < size and data[at] in _NEWLINES:
                at += 1
            return at if at < size else None


def decode_secret_data(data: dict) -> dict[str, bytes]:
    """Secret.data as the API server decodes it: every value base64 (CFG-5)."""
    decoded = {}
    for key, text in data.items():
        offset = base64_error_offset(text)
        if offset is not None:
            raise undecodable("Secret", f"illegal base64 data at input byte {offset}")
        decoded[key] = base64.b64decode(text.replace("\n", "").replace("\r", ""))
    return decoded


def encode(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def configmap_errors(name: str, data: dict, binary: dict) -> list[str]:
    """ValidateConfigMap: name, keys, 1 MiB of values (CFG-4's neighbour rules)."""
    errors = name_errors(name)
    for key in data:
        errors += key_errors("data", key)
    for key in binary:
        errors += key_errors("binaryData", key)
        if key in data:
            errors.append(
                f"data[{key}]: Invalid value: {quote(key)}: duplicate of key present in binaryData"
            )
    size = sum(len(value.encode()) for value in data.values())
    size += sum(len(base64.b64decode(value)) for value in binary.values())
    if size > MAX_SIZE:
        errors.append(f"[]: Too long: may not be more than {MAX_SIZE} bytes")
    return errors


def secret_errors(name: str, type_: str, data: dict[str, bytes], annotations: dict) -> list[str]:
    """ValidateSecret: name, keys, 1 MiB, and the keys each built-in type requires (CFG-5)."""
    errors = name_errors(name)
    for key in data:
        errors += key_errors("data", key)
    if sum(len(value) for value in data.values()) > MAX_SIZE:
        errors.append(f"data: Too long: may not be more than {MAX_SIZE} bytes")
    errors += _type_errors(type_, data, annotations)
    return errors


def _type_errors(type_: str, data: dict[str, bytes], annotations: dict) -> list[str]:
    def required(key: str) -> str:
        return f"data[{key}]: Required value"

    if type_ == "kubernetes.io/service-account-token":
        if not annotations.get("kubernetes.io/service-account.name"):
            return ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]
    elif type_ in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if type_ == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            return [required(key)]
        problem = _json_object_problem(data[key])
        if problem:
            return [f'data[{key}]: Invalid value: "<secret contents redacted>": {problem}']
    elif type_ == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [required("username"), required("password")]
    elif type_ == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            return [required("ssh-privatekey")]
    elif type_ == "kubernetes.io/tls":
        return [required(key) for key in ("tls.crt", "tls.key") if key not in data]
    return []


def _json_object_problem(raw: bytes) -> str | None:
    """Why json.Unmarshal into a map would fail, in Go's words for the common cases."""
    text = raw.decode("utf-8", errors="replace")
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        return "unexpected end of JSON input"
    if stripped[0] not in '{["-0123456789tfn':
        return f"invalid character {stripped[0]!r} looking for beginning of value"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return "unexpected end of JSON input"
    if not isinstance(value, dict) and value is not None:
        kind = _go_type(value)
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


def checksum(consumed: dict) -> str:
    """CFG-3: sha256 of the canonical JSON of {"configmap/NAME": data, ...}."""
    canonical = json.dumps(consumed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()

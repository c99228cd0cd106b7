"""Parsing and checking what browsers send, before anything else sees it."""

import re
import time
from dataclasses import dataclass, field

import orjson

from cluster_sim import ACTION_NAMES

MAX_MESSAGE_BYTES = 16 * 1024
MAX_ID_LENGTH = 64
MAX_ARGS = 16
ACTIONS = frozenset(ACTION_NAMES)
CONTROLS = frozenset({"pause", "resume", "step", "speed"})
PLAYGROUND_ID = re.compile(r"^[a-z0-9]{1,16}$")


class ProtocolError(Exception):
    def __init__(self, message: str, message_id=None):
        super().__init__(message)
        self.message_id = message_id


@dataclass(frozen=True)
class ClientMessage:
    type: str
    id: str | int | None = None
    name: str = ""  # the action or control name
    args: dict = field(default_factory=dict)


def parse(text: str | None, data: bytes | None = None) -> ClientMessage:
    raw = text if text is not None else data
    if raw is None:
        raise ProtocolError("empty message")
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message too large: {size} bytes, the limit is {MAX_MESSAGE_BYTES}")
    try:
        message = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ProtocolError("malformed message: not valid JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("malformed message: expected a JSON object")

    message_id = message.get("id")
    if message_id is not None and not _valid_id(message_id):
        raise ProtocolError(f"malformed message: id must be a string of at most {MAX_ID_LENGTH}")
    kind = message.get("type")
    if kind in ("ping", "resync"):
        return ClientMessage(type=kind, id=message_id)
    if kind == "action":
        return _named(message, "action", ACTIONS, message_id)
    if kind == "control":
        return _named(message, "control", CONTROLS, message_id)
    raise ProtocolError(
        f"unknown message type {str(kind)[:40]!r}: use action, control, resync or ping", message_id
    )


def _named(message: dict, key: str, known: frozenset, message_id) -> ClientMessage:
    name = message.get(key)
    if not isinstance(name, str) or name not in known:
        choices = ", ".join(sorted(known))
        raise ProtocolError(f"unknown {key} {str(name)[:40]!r}: use one of {choices}", message_id)
    args = message.get("args", {})
    if not isinstance(args, dict) or len(args) > MAX_ARGS:
        raise ProtocolError(f"malformed {key}: args must be an object", message_id)
    if name == "kubectl" and "yaml" in args:
        args = _yaml_documents(args, message_id)
    return ClientMessage(type=message["type"], id=message_id, name=name, args=args)


def _yaml_documents(args: dict, message_id) -> dict:
    """The console's `apply -f -`: pasted YAML becomes the documents the engine applies."""
    from .yamlio import YamlError, parse_documents

    text = args.get("yaml")
    try:
        documents = parse_documents(text)
    except YamlError as exc:
        raise ProtocolError(str(exc), message_id) from None
    rest = {key: value for key, value in args.items() if key != "yaml"}
    return dict(rest, documents=documents)


def _valid_id(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and len(value) <= MAX_ID_LENGTH


class RateLimiter:
    """A token bucket per connection: bursts are fine, a flood is refused."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.clock = clock
        self.last = clock()

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

"""Users' actions wait in a per-playground list in Redis.

Whichever worker holds the playground's lock takes them oldest first, so
actions apply in the order they arrived even with many workers running at once.
Redis may lose the list; an action lost that way was never acknowledged.
"""

import orjson

from .redis_client import redis_client

# Nobody waits longer than this for an action to be applied.
KEEP_SECONDS = 120


def _key(playground_id: str) -> str:
    return f"playground:{playground_id}:mailbox"


def post(playground_id: str, item: dict) -> None:
    key = _key(playground_id)
    pipe = redis_client().pipeline()
    pipe.rpush(key, orjson.dumps(item))
    pipe.expire(key, KEEP_SECONDS)
    pipe.execute()


def take(playground_id: str) -> dict | None:
    raw = redis_client().lpop(_key(playground_id))
    return None if raw is None else orjson.loads(raw)

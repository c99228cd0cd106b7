"""The recent journal of each playground in Redis, for watches.

Every saved change (playground.services records the journal entries of each write here,
next to the broadcast) goes into a sorted set scored by resourceVersion, capped to the
latest KEEP entries. A watch replays what came after the resourceVersion it was given and
then polls for more. Why this and not a Channels group subscription: a watch must replay
the gap between kubectl's list and its watch request (the simulation writes every tick),
must say 410 Expired when it cannot, and must not silently lose events when a slow
client lets a channel fill up; a capped log keyed by resourceVersion gives all three, and
a poll every POLL seconds is plenty for a person watching `kubectl get -w`.
"""

import orjson
from django.conf import settings

KEEP = 3000
TTL_SECONDS = 3600
POLL = 0.25


def key(playground_id: str) -> str:
    return f"k8s-journal:{playground_id}"


def record(
    client, playground_id: str, journal: list[dict], events: list[dict] = (), rv: int = 0
) -> None:
    """Add a write's journal entries ({"type", "object"}) to the playground's log, and the
    Events it recorded (kept by the event recorder, outside the store), stamped with the
    write's final resourceVersion: new ones ADDED, repeats (count > 1) MODIFIED."""
    members = {}
    for entry in journal:
        entry_rv = int(entry["object"]["metadata"]["resourceVersion"])
        members[orjson.dumps({"rv": entry_rv, **entry})] = entry_rv
    for event in events:
        stamped = {**event, "metadata": {**event["metadata"], "resourceVersion": str(rv)}}
        change = "ADDED" if event.get("count", 1) == 1 else "MODIFIED"
        members[orjson.dumps({"rv": rv, "type": change, "object": stamped})] = rv
    if not members:
        return
    name = key(playground_id)
    with client.pipeline() as pipe:
        pipe.zadd(name, members)
        pipe.zremrangebyrank(name, 0, -KEEP - 1)
        pipe.expire(name, TTL_SECONDS)
        pipe.execute()


def record_safely(playground_id: str, journal: list[dict], events: list[dict], rv: int) -> None:
    """Called by playground.services after each save; a Redis hiccup only costs watchers."""
    from playground.redis_client import redis_client

    try:
        record(redis_client(), playground_id, journal, events, rv)
    except Exception:  # watches see a gap and answer 410; the write stands
        import logging

        logging.getLogger(__name__).exception("journal of %s not recorded", playground_id)


_async_client = None


def async_client():
    global _async_client
    if _async_client is None:
        import redis.asyncio

        _async_client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    return _async_client


async def entries_after(client, playground_id: str, rv: int) -> list[dict]:
    raw = await client.zrangebyscore(key(playground_id), f"({rv}", "+inf")
    return [orjson.loads(item) for item in raw]


async def oldest(client, playground_id: str) -> int | None:
    first = await client.zrange(key(playground_id), 0, 0, withscores=True)
    return int(first[0][1]) if first else None

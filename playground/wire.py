"""Server-to-browser messages, encoded once with orjson and sent as-is to every viewer."""

import orjson


def encode(message: dict) -> str:
    return orjson.dumps(message).decode()


def snapshot_message(playground, cluster, *, event_limit: int = 50) -> dict:
    return {
        "type": "snapshot",
        "version": playground.version,
        "time": cluster.now,
        "settings": playground.settings_payload(),
        "objects": cluster.objects(),
        "events": cluster.recent_events(event_limit),
        "decisions": cluster.recent_decisions(),
    }


def delta_message(playground, cluster, changes: list, events: list, decisions: list) -> dict:
    return {
        "type": "delta",
        "from": playground.version - 1,
        "version": playground.version,
        "time": cluster.now,
        "settings": playground.settings_payload(),
        "changes": changes,
        "events": events,
        "decisions": decisions,
    }


def ack_message(message_id, text: str) -> dict:
    return {"type": "ack", "id": message_id, "message": text}


def error_message(message_id, text: str) -> dict:
    return {"type": "error", "id": message_id, "message": text}

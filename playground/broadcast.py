"""The one place that pushes messages to browsers.

Callers hand over a message dict; it is encoded once and the same text goes to
every viewer of the playground, so the fan-out mechanism can change here
without touching callers.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .wire import encode

# The consumer method that receives these: "playground.message" -> playground_message.
EVENT_TYPE = "playground.message"


def group_name(playground_id: str) -> str:
    return f"playground_{playground_id}"


def broadcast(playground_id: str, message: dict) -> None:
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(
        group_name(playground_id), {"type": EVENT_TYPE, "text": encode(message)}
    )


def reply(channel_name: str | None, message: dict) -> None:
    """Answer one connection (an ack or an error for the sender of an action)."""
    if not channel_name:
        return
    layer = get_channel_layer()
    async_to_sync(layer.send)(channel_name, {"type": EVENT_TYPE, "text": encode(message)})

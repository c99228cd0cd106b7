"""The websocket consumer: send a snapshot, relay deltas, hand actions to Celery.

It stays thin and async; every state change happens in a Celery task.
"""

import logging
import time

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from . import services
from .broadcast import group_name
from .protocol import PLAYGROUND_ID, ProtocolError, RateLimiter, parse
from .wire import encode, error_message

log = logging.getLogger(__name__)

# Close code for "this playground does not exist": browsers stop reconnecting.
CLOSE_NOT_FOUND = 4404
TOUCH_EVERY = 30.0


class PlaygroundConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.playground_id = self.scope["url_route"]["kwargs"]["playground_id"]
        self.actions = RateLimiter(rate=5, burst=15)
        self.resyncs = RateLimiter(rate=1, burst=3)
        self.last_touch = 0.0
        await self.accept()
        if not PLAYGROUND_ID.match(self.playground_id):
            await self._refuse_missing()
            return
        # Join before reading the snapshot so no delta falls in between; older
        # deltas that queue behind the snapshot are ignored by the client.
        self.group = group_name(self.playground_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        try:
            await self._send_snapshot()
        except services.PlaygroundMissing:
            await self._refuse_missing()
            return
        await self._touch()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = parse(text_data, bytes_data)
        except ProtocolError as exc:
            await self._send(error_message(exc.message_id, str(exc)))
            return
        if message.type == "ping":
            await self._send({"type": "pong"})
            await self._touch()
        elif message.type == "resync":
            if self.resyncs.allow():
                await self._send_snapshot()
            else:
                await self._send(error_message(message.id, "too many resyncs: wait a moment"))
        elif not self.actions.allow():
            await self._send(error_message(message.id, "too many actions: slow down a little"))
        else:
            await self._dispatch(message)

    async def playground_message(self, event):
        """A delta (or a reply) from a worker, already encoded once for everyone."""
        await self.send(text_data=event["text"])

    async def _dispatch(self, message):
        from .tasks import submit

        item = {
            "type": message.type,
            "name": message.name,
            "args": message.args,
            "reply_to": self.channel_name,
            "id": message.id,
        }
        try:
            await sync_to_async(submit)(self.playground_id, item)
        except Exception:
            log.exception("could not queue %s for playground %s", message.name, self.playground_id)
            await self._send(
                error_message(message.id, "the playground's workers are unreachable; try again")
            )
            return
        await self._touch()

    async def _send_snapshot(self):
        snapshot = await database_sync_to_async(services.snapshot)(self.playground_id)
        await self._send(snapshot)

    async def _refuse_missing(self):
        text = f"playground {self.playground_id[:40]!r} does not exist"
        await self._send(error_message(None, text))
        await self.close(code=CLOSE_NOT_FOUND)

    async def _touch(self):
        now = time.monotonic()
        if now - self.last_touch >= TOUCH_EVERY:
            self.last_touch = now
            await database_sync_to_async(services.touch)(self.playground_id)

    async def _send(self, message: dict):
        await self.send(text_data=encode(message))

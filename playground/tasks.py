"""Celery tasks: thin wrappers that call services and answer the sender."""

import logging

from celery import shared_task
from django.conf import settings

from . import mailbox, services
from .broadcast import reply
from .wire import ack_message, error_message

log = logging.getLogger(__name__)


@shared_task
def tick_active_playgrounds() -> int:
    """Beat's entry point: queue one tick per playground that is running and watched."""
    ids = services.active_playground_ids()
    for playground_id in ids:
        # A tick that cannot start before the next one is due is dropped, not queued.
        tick_playground.apply_async((playground_id,), expires=settings.TICK_INTERVAL * 2)
    return len(ids)


@shared_task
def tick_playground(playground_id: str) -> bool:
    return services.tick(playground_id)


def submit(playground_id: str, item: dict) -> None:
    """Queue a user's action or control behind the ones already waiting, then wake a worker."""
    mailbox.post(playground_id, item)
    apply_pending.apply_async((playground_id,), expires=mailbox.KEEP_SECONDS)


@shared_task(bind=True, max_retries=20)
def apply_pending(self, playground_id: str) -> int:
    """Apply a playground's waiting actions in arrival order and answer each sender."""
    try:
        return services.apply_mailbox(playground_id, answer=_answer)
    except services.PlaygroundBusy as exc:
        # A long tick holds the lock: the actions wait in the mailbox for the retry.
        raise self.retry(countdown=0.5) from exc


def _answer(item: dict, ok: bool, text: str) -> None:
    make = ack_message if ok else error_message
    if ok and item.get("name") == "kubectl":
        text = _kubectl_output(item.get("args") or {}, text)
    reply(item.get("reply_to"), make(item.get("id"), text))


def _kubectl_output(args: dict, text: str) -> str:
    """The engine answers `-o yaml` with kubectl's JSON; the console gets it as YAML."""
    from cluster_sim.kubectl_cli import wants_yaml

    from .yamlio import json_text_to_yaml

    if isinstance(args.get("command"), str) and wants_yaml(args["command"]) and text:
        return json_text_to_yaml(text)
    return text

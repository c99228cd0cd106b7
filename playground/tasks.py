"""Celery tasks: thin wrappers that call services and answer the sender."""

import logging

from celery import shared_task
from django.conf import settings

from cluster_sim import ActionError

from . import services
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


@shared_task
def apply_action(playground_id: str, action: dict, reply_to: str | None, message_id) -> None:
    _answer(reply_to, message_id, lambda: services.perform_action(playground_id, action))


@shared_task
def apply_control(
    playground_id: str, control: str, args: dict, reply_to: str | None, message_id
) -> None:
    _answer(reply_to, message_id, lambda: services.perform_control(playground_id, control, args))


def _answer(reply_to, message_id, operation) -> None:
    """Run operation and tell the sender how it went; never let bad input kill the worker."""
    try:
        text = operation()
    except (ActionError, services.PlaygroundMissing, services.PlaygroundBusy) as exc:
        reply(reply_to, error_message(message_id, str(exc)))
        return
    except Exception:
        log.exception("action %s failed", message_id)
        reply(reply_to, error_message(message_id, "internal error: the action was not applied"))
        return
    reply(reply_to, ack_message(message_id, text))

"""Playground operations, each one unit: lock, load, change, save with version + 1, broadcast.

Celery tasks and views call these; they hold no Kubernetes logic, which lives in
cluster_sim.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cluster_sim import ActionError, Cluster
from cluster_sim.kubectl_cli import reads_only

from . import mailbox
from .broadcast import broadcast
from .k8s_api.history import record_safely as record_journal
from .models import Playground
from .wire import delta_message, snapshot_message

log = logging.getLogger(__name__)

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
# How long a user action waits for a tick that holds the lock.
ACTION_LOCK_WAIT = 5.0


class PlaygroundMissing(Exception):
    def __init__(self, playground_id: str):
        super().__init__(f"playground {playground_id!r} does not exist (it may have been deleted)")


class PlaygroundBusy(Exception):
    def __init__(self):
        super().__init__("the playground is busy; try again in a moment")


def create_playground(seed: int | None = None) -> Playground:
    if seed is None:
        seed = secrets.randbelow(2**31)
    cluster = Cluster.demo(seed=seed)
    cluster.take_changes()  # the starting state reaches browsers as a snapshot
    return Playground.objects.create(state=cluster.to_state())


def snapshot(playground_id: str) -> dict:
    playground = Playground.objects.filter(pk=playground_id).first()
    if playground is None:
        raise PlaygroundMissing(playground_id)
    return snapshot_message(playground, Cluster.from_state(playground.state))


def touch(playground_id: str) -> None:
    """Record that someone is watching, so the playground keeps ticking."""
    Playground.objects.filter(pk=playground_id).update(last_seen_at=timezone.now())


def active_playground_ids() -> list[str]:
    since = timezone.now() - timedelta(seconds=settings.IDLE_AFTER)
    rows = Playground.objects.filter(paused=False, last_seen_at__gte=since)
    return list(rows.values_list("id", flat=True))


def tick(playground_id: str) -> bool:
    """Advance one tick; False when skipped (lock taken, paused or gone)."""

    def advance(playground, cluster):
        if playground.paused:
            return None
        cluster.step(settings.TICK_INTERVAL * playground.speed)
        return True

    try:
        return bool(_mutate(playground_id, advance, wait=None))
    except (PlaygroundMissing, PlaygroundBusy):
        return False


def perform_action(playground_id: str, action: dict) -> str:
    """Apply one user action and the controllers' immediate reaction."""
    return _mutate(playground_id, _action_change(action), wait=ACTION_LOCK_WAIT)


def perform_api_write(playground_id: str, write: Callable):
    """A write from the Kubernetes API (playground/k8s_api): write(cluster) -> the object to
    answer with, then the controllers' immediate reaction, saved and broadcast like a click."""

    def change(playground, cluster):
        result = write(cluster)
        cluster.reconcile()
        return (result,)  # never None, which would mean "nothing to save"

    return _mutate(playground_id, change, wait=ACTION_LOCK_WAIT)[0]


def perform_control(playground_id: str, control: str, args: dict) -> str:
    """Pause, resume, single-step or change the speed of the simulated clock."""
    return _mutate(playground_id, _control_change(control, args), wait=ACTION_LOCK_WAIT)


def apply_mailbox(playground_id: str, answer: Callable) -> int:
    """Apply every waiting action of a playground, oldest first, under one hold of its lock.

    answer(item, ok, text) is called after each one. Raises PlaygroundBusy when the
    lock cannot be had; the actions then stay in the mailbox for the next try.
    """
    from .locks import playground_lock

    done = 0
    with playground_lock(playground_id, wait=ACTION_LOCK_WAIT) as held:
        if not held:
            raise PlaygroundBusy()
        while (item := mailbox.take(playground_id)) is not None:
            if item.get("type") == "control":
                change = _control_change(item["name"], item.get("args", {}))
            else:
                change = _action_change(dict(item.get("args", {}), action=item["name"]))
            try:
                answer(item, True, _mutate_held(playground_id, change))
            except (ActionError, PlaygroundMissing, PlaygroundBusy) as exc:
                answer(item, False, str(exc))
            except Exception:
                # Bad input must never take the worker down or lose the playground.
                log.exception("action %s on %s failed", item.get("name"), playground_id)
                answer(item, False, "internal error: the action was not applied")
            done += 1
    return done


class _Answer(str):
    """A change's answer that wrote nothing: no save, no new version, no broadcast."""


def _action_change(action: dict) -> Callable:
    if action.get("action") == "kubectl" and reads_only(str(action.get("command", ""))):
        # kubectl get/describe/logs: a hundred people typing them must not mean a hundred
        # saves and a hundred empty deltas to every viewer.
        return lambda playground, cluster: _Answer(cluster.apply(action))

    def apply(playground, cluster):
        message = cluster.apply(action)
        cluster.reconcile()
        return message

    return apply


def _control_change(control: str, args: dict) -> Callable:
    def change(playground, cluster):
        if control == "pause":
            playground.paused = True
            return "paused: simulated time stands still"
        if control == "resume":
            playground.paused = False
            return "resumed"
        if control == "step":
            dt = settings.TICK_INTERVAL * playground.speed
            cluster.step(dt)
            return f"stepped {dt:g} simulated seconds"
        if control == "speed":
            speed = args.get("speed")
            if isinstance(speed, bool) or not isinstance(speed, int | float):
                raise ActionError("speed must be one of " + ", ".join(f"{s:g}x" for s in SPEEDS))
            if float(speed) not in SPEEDS:
                raise ActionError("speed must be one of " + ", ".join(f"{s:g}x" for s in SPEEDS))
            playground.speed = float(speed)
            return f"speed {float(speed):g}x"
        raise ActionError(f"unknown control {control!r}: use pause, resume, step or speed")

    return change


def _mutate(playground_id: str, change: Callable, *, wait: float | None):
    """Take the playground's lock, then run change as one unit (see _mutate_held).

    Returns None when the lock was not free and wait is None.
    """
    from .locks import playground_lock

    with playground_lock(playground_id, wait=wait) as held:
        if not held:
            if wait is None:
                return None
            raise PlaygroundBusy()
        return _mutate_held(playground_id, change)


def _mutate_held(playground_id: str, change: Callable):
    """With the lock held: load, change(playground, cluster), save with version + 1, broadcast.

    Returns change's result. A change that returns None is "nothing to do" and saves nothing.
    """
    with transaction.atomic():
        playground = Playground.objects.filter(pk=playground_id).first()
        if playground is None:
            raise PlaygroundMissing(playground_id)
        cluster = Cluster.from_state(playground.state)
        result = change(playground, cluster)
        if result is None:
            return None
        if isinstance(result, _Answer):
            return str(result)
        changes, events = cluster.take_changes()
        decisions = cluster.take_decisions()
        old_version = playground.version
        playground.state = cluster.to_state()
        playground.version = old_version + 1
        saved = Playground.objects.filter(pk=playground_id, version=old_version).update(
            state=playground.state,
            version=playground.version,
            paused=playground.paused,
            speed=playground.speed,
        )
        if saved != 1:
            # Someone wrote meanwhile (the lock was lost): give up this change.
            raise PlaygroundBusy()
    # Watches of the Kubernetes API replay and follow this journal.
    record_journal(playground_id, changes, events, cluster.store.resource_version)
    # Broadcast while the caller still holds the lock, so deltas leave in version order.
    try:
        broadcast(playground_id, delta_message(playground, cluster, changes, events, decisions))
    except Exception:
        # Saved is saved; viewers notice the gap and ask for a snapshot.
        log.exception("broadcast of %s v%s failed", playground_id, playground.version)
    return result

"""Per-playground mutual exclusion in Redis.

The lock keeps two workers from stepping one playground at once; the
compare-and-swap on the version column (see services.py) keeps the database
right even if Redis loses the lock.
"""

from contextlib import contextmanager, suppress

import redis

from .redis_client import redis_client

# Longer than any single mutation takes; a crashed holder frees it by expiry.
LOCK_TIMEOUT = 15


@contextmanager
def playground_lock(playground_id: str, *, wait: float | None):
    """Yield True when the lock is held, False when it could not be had.

    wait=None means do not wait at all (ticks); a number waits that many seconds.
    """
    lock = redis_client().lock(f"playground:{playground_id}:lock", timeout=LOCK_TIMEOUT)
    if wait is None:
        acquired = lock.acquire(blocking=False)
    else:
        acquired = lock.acquire(blocking=True, blocking_timeout=wait)
    try:
        yield acquired
    finally:
        if acquired:
            # Expired or Redis was flushed meanwhile; the version check still holds.
            with suppress(redis.exceptions.LockError):
                lock.release()

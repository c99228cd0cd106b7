"""Tests keep to their own Redis databases so a running `make run` is never disturbed."""

import os
from urllib.parse import urlsplit, urlunsplit

# In-process tests (consumers, tasks) and the live stack each get a database number.
IN_PROCESS_DB = 15
LIVE_STACK_DB = 14
# A second stack that a test restarts and whose Redis it flushes.
RESTART_STACK_DB = 13


def base_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_url(db: int) -> str:
    parts = urlsplit(base_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))

"""Shared fixtures: Redis isolation for in-process tests and the live stack."""

import pytest

from tests.browser_fixtures import browser, new_page, pytest_runtest_makereport  # noqa: F401
from tests.live_stack import LiveStack
from tests.redis_urls import IN_PROCESS_DB, redis_url


def pytest_configure(config):
    from django.conf import settings

    # Channel layers and locks are built lazily, so pointing them elsewhere here is enough.
    url = redis_url(IN_PROCESS_DB)
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [url]
    settings.CELERY_BROKER_URL = url


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory):
    """Real daphne, a real Celery worker and real beat, on a private SQLite file."""
    stack = LiveStack(tmp_path_factory.mktemp("live"))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()

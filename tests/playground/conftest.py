import pytest
import redis
from django.conf import settings


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def playground(db):
    from playground.services import create_playground

    return create_playground(seed=7)


def pods(objects: list[dict], app: str | None = None) -> list[dict]:
    found = [o for o in objects if o["kind"] == "Pod"]
    if app is not None:
        found = [p for p in found if p["metadata"].get("labels", {}).get("app") == app]
    return found

"""The page keeps itself right: it resynchronises after a gap and reconnects after a restart."""

import re

import orjson
import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from tests.live_stack import LiveStack
from tests.redis_urls import RESTART_STACK_DB

pytestmark = [pytest.mark.browser, pytest.mark.live]

WEB_POD = re.compile(r"^pod (web-[a-z0-9]+-[a-z0-9]{5}), Running, on ship-\d+$")


def web_pod_names(page) -> list[str]:
    labels = page.get_by_role("button", name=WEB_POD).evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    return sorted(WEB_POD.match(label).group(1) for label in labels)


def test_a_page_that_misses_a_version_asks_for_a_snapshot(new_page, live_stack):
    page = new_page()
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=8)}/")
    expect(page.get_by_role("button", name=WEB_POD)).to_have_count(6)
    names = web_pod_names(page)
    # Lose a pod and a version from the page's copy, as a dropped delta would.
    dropped = page.evaluate(
        """name => {
            const state = window.__harbour.state;
            const pods = state.byKind.get("Pod");
            const key = [...pods.keys()].find(k => pods.get(k).metadata.name === name);
            state.version -= 1;
            return pods.delete(key);
        }""",
        names[0],
    )
    assert dropped is True
    # The next tick's delta does not follow on, so the page fetches a snapshot and heals.
    expect(page.get_by_role("button", name=WEB_POD)).to_have_count(6)
    page.wait_for_function("() => !window.__harbour.state.awaitingSnapshot")
    assert web_pod_names(page) == names


def test_the_page_reconnects_after_the_server_restarts_without_a_reload(new_page, tmp_path):
    stack = LiveStack(tmp_path, redis_db=RESTART_STACK_DB)
    stack.start()
    try:
        playground_id = stack.new_playground(seed=9)
        page = new_page()
        page.goto(f"{stack.url}/playgrounds/{playground_id}/")
        expect(page.get_by_role("button", name=WEB_POD)).to_have_count(6)
        page.evaluate("() => { window.__sameDocument = true; }")

        stack.stop_process("web")
        stack.start_web()

        victim = web_pod_names(page)[0]
        with connect(stack.ws_url(playground_id)) as ws:
            ws.recv(timeout=10)
            ws.send(
                orjson.dumps(
                    {"type": "action", "id": "r1", "action": "delete_pod", "args": {"name": victim}}
                ).decode()
            )
            while orjson.loads(ws.recv(timeout=10))["type"] != "ack":
                pass
        terminating = re.compile(rf"^pod {re.escape(victim)}, Terminating\b")
        expect(page.get_by_role("button", name=terminating)).to_have_count(1, timeout=20_000)
        assert page.evaluate("() => window.__sameDocument") is True
    finally:
        stack.stop()

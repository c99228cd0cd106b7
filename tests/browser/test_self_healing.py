"""A person kills a pod by clicking it and watches Kubernetes replace it, in every browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
RUNNING_WEB_POD = re.compile(r"^pod (web-[a-z0-9]+-[a-z0-9]{5}), Running, on ship-\d+$")


def open_new_playground(page, live_stack) -> str:
    page.goto(live_stack.url + "/")
    page.get_by_role("button", name="New playground").click()
    page.wait_for_url(re.compile(r"/playgrounds/[a-z0-9]+/$"))
    expect(page.get_by_role("button", name=RUNNING_WEB_POD)).to_have_count(6)
    return page.url


def running_web_pods(page) -> set[str]:
    labels = page.get_by_role("button", name=RUNNING_WEB_POD).evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    return {RUNNING_WEB_POD.match(label).group(1) for label in labels}


def pod_button(page, name: str, state: str):
    return page.get_by_role("button", name=re.compile(rf"^pod {re.escape(name)}, {state}\b"))


def test_clicking_a_container_kills_the_pod_and_a_replacement_sails_in(new_page, live_stack):
    page = new_page()
    open_new_playground(page, live_stack)
    before = running_web_pods(page)
    victim = sorted(before)[0]

    pod_button(page, victim, "Running").click()

    expect(pod_button(page, victim, "Terminating")).to_have_count(1)
    expect(page.get_by_text(f"kubectl delete pod {victim}").first).to_be_visible()
    expect(page.get_by_role("log").get_by_text("Killing").first).to_be_visible()
    # The ReplicaSet makes a new pod at once; the scheduler and kubelet bring it up.
    expect(page.get_by_role("button", name=RUNNING_WEB_POD)).to_have_count(6, timeout=20_000)
    replacement = running_web_pods(page) - before
    assert len(replacement) == 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "self-healing.png"))


def test_two_browsers_see_the_same_change(new_page, live_stack):
    presenter, audience = new_page(), new_page(390, 844)
    url = open_new_playground(presenter, live_stack)
    audience.goto(url)
    expect(audience.get_by_role("button", name=RUNNING_WEB_POD)).to_have_count(6)
    victim = sorted(running_web_pods(presenter))[-1]

    pod_button(presenter, victim, "Running").click()

    expect(pod_button(audience, victim, "Terminating")).to_have_count(1, timeout=5_000)
    expect(audience.get_by_role("button", name=RUNNING_WEB_POD)).to_have_count(6, timeout=20_000)
    assert running_web_pods(audience) == running_web_pods(presenter)
    SHOTS.mkdir(exist_ok=True)
    audience.screenshot(path=str(SHOTS / "audience-phone.png"))

"""Every action of the playground, from the UI, as a presenter would use it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]


def pods_of(page, app: str, state: str = "Running"):
    pattern = rf"^pod ({app}-[a-z0-9]+-[a-z0-9]{{5}}), {state}, on ship-\d+$"
    return page.get_by_role("button", name=re.compile(pattern))


def template_hashes(page, app: str) -> set[str]:
    labels = pods_of(page, app).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    return {re.match(rf"^pod {app}-([a-z0-9]+)-", label).group(1) for label in labels}


@pytest.fixture
def page(new_page, live_stack):
    page = new_page(1440, 900)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(pods_of(page, "web")).to_have_count(6)
    page.locator("#speed").select_option("8")
    expect(page.locator("#kubectl")).to_contain_text("8")
    return page


def test_scaling_adds_and_removes_containers(page):
    page.get_by_role("button", name="One more replica of web").click()
    expect(pods_of(page, "web")).to_have_count(7)
    replicas = page.get_by_label("Replicas of web")
    replicas.fill("3")
    replicas.press("Enter")
    expect(page.locator("#kubectl")).to_contain_text("kubectl scale deployment/web --replicas=3")
    expect(pods_of(page, "web")).to_have_count(3, timeout=20_000)
    expect(page.get_by_role("log").get_by_text("ScalingReplicaSet").first).to_be_visible()


def test_absurd_and_negative_replica_counts_are_answered_not_obeyed(page):
    replicas = page.get_by_label("Replicas of web")
    replicas.fill("100000")
    replicas.press("Enter")
    expect(page.locator("#kubectl")).to_contain_text("50")
    expect(replicas).to_have_value("50")
    replicas.fill("-4")
    replicas.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("replicas must be a whole number")
    expect(replicas).to_have_value("50")


def test_a_rolling_update_and_a_rollback(page):
    old = template_hashes(page, "web")
    page.get_by_label("New image for web").fill("nginx:1.28")
    page.get_by_role("button", name="Roll out web").click()
    expect(page.locator("#kubectl")).to_contain_text("kubectl set image deployment/web")
    card = page.locator('article.deploy[data-deployment="web"]')
    expect(card.locator(".rev")).to_contain_text("2")
    # Old and new containers trade places a few at a time, until only new ones are left.
    expect(pods_of(page, "web")).to_have_count(6, timeout=30_000)
    page.wait_for_function(
        "old => [...document.querySelectorAll('button.target-pod[data-app=web]')]"
        ".every(b => !old.some(h => b.dataset.pod.startsWith(`web-${h}-`)))",
        arg=list(old),
        timeout=40_000,
    )
    new = template_hashes(page, "web")
    assert new
    assert not new & old

    page.get_by_role("button", name="Roll back web").click()
    expect(page.locator("#kubectl")).to_contain_text("kubectl rollout undo deployment/web")
    expect(card.locator(".rev")).to_contain_text("3")
    page.wait_for_function(
        "old => { const pods = [...document.querySelectorAll("
        "'button.target-pod[data-app=web][data-state=Running]')];"
        " return pods.length === 6"
        " && pods.every(b => old.some(h => b.dataset.pod.startsWith(`web-${h}-`))) }",
        arg=list(old),
        timeout=40_000,
    )


def test_ships_join_and_leave_and_their_containers_sail_elsewhere(page):
    page.locator("#ship-size").select_option("large")
    page.get_by_role("button", name="Add ship").click()
    expect(page.get_by_role("button", name=re.compile(r"^ship ship-4, Ready"))).to_have_count(1)

    on_ship_one = page.locator('button.target-pod[data-on="ship-1"]')
    doomed = on_ship_one.evaluate_all("els => els.map(e => e.dataset.pod)")
    assert doomed
    page.get_by_role("button", name=re.compile(r"^ship ship-1, ")).click()
    page.get_by_role("dialog").get_by_role("button", name="Remove ship").click()
    expect(page.locator("#kubectl")).to_contain_text("kubectl drain ship-1")
    expect(page.get_by_role("button", name=re.compile(r"^ship ship-1, .*draining"))).to_have_count(
        1
    )
    # Its pods are evicted and replaced elsewhere; once empty the ship leaves.
    expect(page.get_by_role("button", name=re.compile(r"^ship ship-1\b"))).to_have_count(
        0, timeout=30_000
    )
    for name in doomed:
        expect(page.locator(f'button.target-pod[data-pod="{name}"]')).to_have_count(0)
    expect(pods_of(page, "web")).to_have_count(6, timeout=20_000)
    expect(pods_of(page, "api")).to_have_count(3, timeout=20_000)


def test_pause_step_and_resume_the_clock(page):
    page.locator("#speed").select_option("2")
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#paused-badge")).to_be_visible()
    clock = page.locator("#clock")
    paused_at = clock.inner_text()
    page.wait_for_timeout(1500)
    expect(clock).to_have_text(paused_at)
    page.get_by_role("button", name="Step").click()
    expect(clock).not_to_have_text(paused_at)
    page.get_by_role("button", name="Resume", exact=True).click()
    expect(page.locator("#paused-badge")).to_be_hidden()


def test_the_strategy_switch_reaches_the_scheduler(page):
    page.get_by_text("Bin-pack", exact=True).click()
    expect(page.locator("#kubectl")).to_contain_text("MostAllocated")
    page.reload()
    expect(page.locator('input[name=strategy][value="MostAllocated"]')).to_be_checked()

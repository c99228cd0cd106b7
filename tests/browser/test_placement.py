"""Placement you can see and explain: verdicts, "Ask why", spread vs bin-pack, cordon, sinking."""

import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pods_of(page, app: str, state: str = "Running", ship: str = r"ship-\d+"):
    pattern = rf"^pod ({app}-[a-z0-9]+-[a-z0-9]{{5}}), {state}, on {ship}$"
    return page.get_by_role("button", name=re.compile(pattern))


def ship_button(page, name: str):
    return page.get_by_role("button", name=re.compile(rf"^ship {re.escape(name)}, "))


def open_playground(new_page, live_stack, width=1440, height=900, speed="8"):
    page = new_page(width, height)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(pods_of(page, "web")).to_have_count(6)
    if speed:
        page.locator("#speed").select_option(speed)
        expect(page.locator("#kubectl")).to_contain_text(speed)
    return page


def web_per_ship(page) -> Counter:
    ships = page.locator('button.target-pod[data-app="web"][data-state="Running"]').evaluate_all(
        "els => els.map(e => e.dataset.on)"
    )
    return Counter(ships)


def scale_web(page, replicas: int) -> None:
    box = page.get_by_label("Replicas of web")
    box.fill(str(replicas))
    box.press("Enter")
    expect(page.locator("#kubectl")).to_contain_text(f"--replicas={replicas}")


def test_a_new_pod_shows_each_ships_verdict_and_ask_why_explains_it(new_page, live_stack):
    page = open_playground(new_page, live_stack, speed=None)
    page.get_by_role("button", name="One more replica of web").click()
    # The verdict flashes on the ships: the winner is marked, the others carry a score or a reason.
    winner = page.locator("#verdicts .verdict-win")
    expect(winner).to_have_count(1, timeout=10_000)
    expect(page.locator("#verdicts .verdict-card")).to_contain_text("→ ship-")

    # Clicking kills by default; in "Ask why" mode a click opens the explanation instead.
    page.get_by_role("radio", name="Ask why").check(force=True)
    expect(page.get_by_role("radio", name="Ask why")).to_be_checked()
    pods = pods_of(page, "web")
    expect(pods).to_have_count(7, timeout=20_000)
    name = pods.first.get_attribute("data-pod")
    pods.first.click()
    dialog = page.get_by_role("dialog", name=re.compile(rf"Why {re.escape(name)} is on ship-\d"))
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Strategy")
    expect(dialog.locator("tbody tr")).to_have_count(3)
    expect(dialog.locator("tr.why-win")).to_have_count(1)
    # Nothing was killed.
    expect(page.locator(f'button.target-pod[data-pod="{name}"]')).to_have_attribute(
        "data-state", "Running"
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "ask-why.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_spread_and_bin_pack_place_the_same_workload_differently(new_page, live_stack):
    counts = {}
    for label, strategy in (("Spread", "LeastAllocated"), ("Bin-pack", "MostAllocated")):
        page = open_playground(new_page, live_stack)
        radio = page.locator(f'input[name=strategy][value="{strategy}"]')
        if not radio.is_checked():
            page.get_by_text(label, exact=True).click()
            expect(page.locator("#kubectl")).to_contain_text(strategy)
        expect(radio).to_be_checked()
        before = web_per_ship(page)
        scale_web(page, 12)
        expect(pods_of(page, "web")).to_have_count(12, timeout=30_000)
        after = web_per_ship(page)
        counts[strategy] = after - before
    spread, packed = counts["LeastAllocated"], counts["MostAllocated"]
    print("new web pods per ship:", dict(spread), dict(packed))
    # Same seed, same workload, same scale-up: only the scoring strategy differs.
    assert spread != packed, (spread, packed)


def test_a_cordoned_ship_flies_its_flag_and_new_pods_avoid_it(new_page, live_stack):
    page = open_playground(new_page, live_stack)
    ship_button(page, "ship-3").click()
    panel = page.get_by_role("dialog", name="ship-3")
    panel.get_by_role("button", name="Cordon").click()
    expect(page.locator("#kubectl")).to_contain_text("kubectl cordon ship-3")
    cordoned = re.compile(r"^ship ship-3, Ready, .*, cordoned")
    expect(page.get_by_role("button", name=cordoned)).to_have_count(1)
    expect(panel.get_by_role("button", name="Uncordon")).to_be_visible()
    before = set(
        pods_of(page, "web", ship="ship-3").evaluate_all("els => els.map(e => e.dataset.pod)")
    )
    scale_web(page, 10)
    expect(pods_of(page, "web")).to_have_count(10, timeout=30_000)
    after = set(
        pods_of(page, "web", ship="ship-3").evaluate_all("els => els.map(e => e.dataset.pod)")
    )
    assert after <= before, after - before


def test_a_sunk_ship_goes_not_ready_and_its_containers_sail_elsewhere(new_page, live_stack):
    page = open_playground(new_page, live_stack)
    doomed = page.locator('button.target-pod[data-on="ship-1"]').evaluate_all(
        "els => els.map(e => e.dataset.pod)"
    )
    assert doomed
    ship_button(page, "ship-1").click()
    page.get_by_role("dialog", name="ship-1").get_by_role("button", name="Sink").click()
    expect(page.locator("#kubectl")).to_contain_text("heartbeats stop")
    page.keyboard.press("Escape")
    # At first nothing but silence: the node is still Ready in the API.
    silent = re.compile(r"^ship ship-1, Ready, .*, no signal")
    expect(page.get_by_role("button", name=silent)).to_have_count(1)
    # After the 50 s grace period the node is NotReady; its pods are hatched (not ready).
    expect(page.get_by_role("button", name=re.compile(r"^ship ship-1, NotReady, "))).to_have_count(
        1, timeout=40_000
    )
    hatched = page.locator('button.target-pod[data-on="ship-1"][data-state="NotReady"]')
    expect(hatched).to_have_count(len(doomed), timeout=15_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "sunk-ship.png"))
    # 300 s of toleration later they are evicted: Terminating on the sunk ship, replaced elsewhere.
    for name in doomed:
        terminating = re.compile(rf"^pod {re.escape(name)}, Terminating, on ship-1$")
        expect(page.get_by_role("button", name=terminating)).to_have_count(1, timeout=90_000)
    expect(pods_of(page, "web", ship="ship-[23]")).to_have_count(6, timeout=60_000)
    expect(pods_of(page, "api", ship="ship-[23]")).to_have_count(3, timeout=60_000)


def test_ships_join_with_labels_and_taints_and_bad_input_is_explained(new_page, live_stack):
    page = open_playground(new_page, live_stack, speed=None)
    page.get_by_text("Labels and taints").click()
    page.locator("#ship-taints").fill("dedicated=gpu:Sometimes")
    page.get_by_role("button", name="Add ship").click()
    expect(page.locator("#add-ship .form-error")).to_contain_text("is not an effect")
    page.locator("#ship-labels").fill("disk=ssd")
    page.locator("#ship-taints").fill("dedicated=gpu:NoSchedule")
    page.get_by_role("button", name="Add ship").click()
    tainted = re.compile(r"^ship ship-4, Ready, 0 pods, .*, tainted dedicated=gpu:NoSchedule$")
    ship = page.get_by_role("button", name=tainted)
    expect(ship).to_have_count(1)
    ship.click()
    panel = page.get_by_role("dialog", name="ship-4")
    expect(panel.get_by_text("disk=ssd")).to_be_visible()
    panel.get_by_role("button", name="Remove taint dedicated=gpu:NoSchedule").click()
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text("kubectl taint nodes ship-4 dedicated:NoSchedule-")
    untainted = re.compile(r"^ship ship-4, Ready, 0 pods, [^,]+ CPU requested$")
    expect(page.get_by_role("button", name=untainted)).to_have_count(1)

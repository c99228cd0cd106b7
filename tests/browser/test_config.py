"""Config & Secrets from the UI, as a trainer shows them: a ConfigMap change is not seen by running
pods until it is rolled out (CFG-1, CFG-3), and Secret values stay masked until revealed (CFG-5)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROLLOUT = 90_000  # ms: six pods replaced one by one at 8x speed


def web_pods(page):
    return page.get_by_role("button", name=re.compile(r"^pod web-[a-z0-9]+-[a-z0-9]{5}, Running, "))


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"config-{name}.png"))


def show(page, locator) -> None:
    """Scroll the side panel so the thing the test is about is at the top of the view."""
    locator.evaluate("el => el.scrollIntoView({block: 'start'})")


@pytest.fixture
def page(new_page, live_stack):
    page = new_page(1440, 900)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(web_pods(page)).to_have_count(6)
    page.locator("#speed").select_option("8")
    expect(page.locator("#kubectl")).to_contain_text("8")
    page.locator("#config-section > summary").click()
    return page


def create_configmap(page, name: str, key: str, value: str, immutable: bool = False) -> None:
    page.get_by_role("button", name="+ New ConfigMap").click()
    editor = page.get_by_role("form", name="New ConfigMap")
    editor.get_by_label("Name", exact=True).fill(name)
    editor.get_by_label("Key 1", exact=True).fill(key)
    editor.get_by_label("Value 1", exact=True).fill(value)
    if immutable:
        editor.get_by_label("Immutable").check()
    editor.get_by_role("button", name="Create ConfigMap").click()


def test_a_configmap_change_reaches_pods_only_when_rolled_out(page):
    strip = page.locator("#kubectl")
    create_configmap(page, "app-config", "GREETING", "hello")
    expect(strip).to_contain_text(
        "kubectl create configmap app-config --from-literal=GREETING=hello"
    )
    card = page.locator('article.cfg[data-kind="ConfigMap"][data-name="app-config"]')
    expect(card.locator(".cfg-kv")).to_contain_text("hello")
    expect(page.get_by_role("form", name="New ConfigMap")).to_have_count(0)
    first_version = card.locator(".cfg-badge-version").inner_text()

    card.get_by_label("Deployment to use ConfigMap app-config in").select_option("web")
    card.get_by_role("button", name="Use ConfigMap app-config in the chosen Deployment").click()
    expect(strip).to_contain_text("kubectl set env deployment/web --from=configmap/app-config")
    consumer = card.locator('.cfg-consumer[data-deployment="web"]')
    # Using it is a template change: a rollout replaces every pod, and each new one reads the value.
    expect(consumer.locator('.cfg-seen[data-status="current"]')).to_have_count(6, timeout=ROLLOUT)
    expect(consumer.locator('.cfg-seen:not([data-status="current"])')).to_have_count(
        0, timeout=ROLLOUT
    )
    expect(consumer.locator(".cfg-tally")).to_have_text("6 pods · 6 current")

    card.get_by_role("button", name="Edit ConfigMap app-config").click()
    editor = page.get_by_role("form", name="Edit ConfigMap app-config")
    editor.get_by_label("Value 1", exact=True).fill("hello again")
    editor.get_by_role("button", name="Save").click()
    expect(strip).to_contain_text("kubectl create configmap app-config")
    expect(strip).to_contain_text("kubectl apply -f -")
    expect(card.locator(".cfg-kv")).to_contain_text("hello again")
    expect(card.locator(".cfg-badge-version")).not_to_have_text(first_version)
    # Env is read at container start: the running pods keep the old version (CFG-1).
    expect(consumer.locator('.cfg-seen[data-status="stale"]')).to_have_count(6)
    expect(consumer.locator(".cfg-tally")).to_have_text("6 pods · 6 stale")
    expect(consumer.locator(".cfg-seen").first).to_contain_text(f"stale (v{first_version[8:]})")
    show(page, card)
    shot(page, "stale")

    consumer.get_by_role("button", name="Roll out new config to web").click()
    expect(strip).to_contain_text("kubectl patch deployment web")
    expect(strip).to_contain_text("checksum/config")
    expect(consumer.locator(".cfg-checksum")).not_to_contain_text("not set")
    expect(consumer.locator('.cfg-seen[data-status="current"]')).to_have_count(6, timeout=ROLLOUT)
    expect(consumer.locator('.cfg-seen:not([data-status="current"])')).to_have_count(
        0, timeout=ROLLOUT
    )
    expect(consumer.locator(".cfg-tally")).to_have_text("6 pods · 6 current")
    show(page, card)
    shot(page, "rolled-out")


def test_a_secret_is_masked_until_revealed(page):
    page.get_by_role("button", name="+ New Secret").click()
    editor = page.get_by_role("form", name="New Secret")
    editor.get_by_label("Name", exact=True).fill("db")
    editor.get_by_label("Key 1", exact=True).fill("password")
    editor.get_by_label("Value 1", exact=True).fill("hunter2")
    editor.get_by_role("button", name="+ Add key").click()
    editor.get_by_label("Key 2", exact=True).fill("username")
    editor.get_by_label("Value 2", exact=True).fill("admin")
    expect(editor.get_by_label("Value 1", exact=True)).to_have_attribute("type", "password")
    editor.get_by_role("button", name="Create Secret").click()
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text(
        "kubectl create secret generic db --from-literal=password=•••• --from-literal=username=••••"
    )
    card = page.locator('article.cfg[data-kind="Secret"][data-name="db"]')
    expect(card.locator(".cfg-masked")).to_have_count(2)
    expect(card).not_to_contain_text("hunter2")
    expect(strip).not_to_contain_text("hunter2")
    expect(strip).not_to_contain_text("admin")

    reveal = card.get_by_role("button", name="Reveal the value of password in Secret db")
    expect(reveal).to_have_attribute("aria-pressed", "false")
    reveal.click()
    expect(reveal).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".cfg-revealed .cfg-value")).to_have_text("hunter2")
    expect(card.locator(".cfg-masked")).to_have_count(1)  # only the value asked for
    expect(card.locator(".cfg-b64")).to_contain_text("aHVudGVyMg==")
    expect(card).to_contain_text("base64 is an encoding, not encryption")
    show(page, card)
    shot(page, "secret-revealed")

    reveal.click()
    expect(reveal).to_have_attribute("aria-pressed", "false")
    expect(card).not_to_contain_text("hunter2")


def test_the_server_refuses_to_change_an_immutable_configmap(page):
    create_configmap(page, "frozen", "MODE", "a", immutable=True)
    card = page.locator('article.cfg[data-kind="ConfigMap"][data-name="frozen"]')
    expect(card.locator(".cfg-badge-immutable")).to_be_visible()
    card.get_by_role("button", name="Edit ConfigMap frozen").click()
    editor = page.get_by_role("form", name="Edit ConfigMap frozen")
    editor.get_by_label("Value 1", exact=True).fill("b")
    editor.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("field is immutable")
    # The form stays open with what was typed; the ConfigMap is unchanged.
    expect(editor).to_be_visible()
    expect(card.locator(".cfg-kv")).to_contain_text("a")


def use(page, card, kind: str, name: str, deployment: str, way: str) -> None:
    card.get_by_label(f"Deployment to use {kind} {name} in").select_option(deployment)
    card.get_by_role("group", name="How the pods read it").get_by_text(way, exact=True).click()
    card.get_by_role("button", name=f"Use {kind} {name} in the chosen Deployment").click()


def pod_names(consumer) -> list[str]:
    return consumer.locator(".cfg-pod").evaluate_all("els => els.map(e => e.dataset.pod).sort()")


def test_volume_files_follow_the_configmap_without_a_restart(page):
    create_configmap(page, "site", "INDEX", "v1")
    card = page.locator('article.cfg[data-kind="ConfigMap"][data-name="site"]')
    use(page, card, "ConfigMap", "site", "api", "volume")
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text("kubectl patch deployment api")
    expect(strip).to_contain_text('"mountPath":"/etc/config/site"')
    consumer = card.locator('.cfg-consumer[data-deployment="api"]')
    expect(consumer.locator(".cfg-consumer-head")).to_contain_text("volume at /etc/config/site")
    expect(consumer.locator('.cfg-seen[data-status="current"]')).to_have_count(3, timeout=ROLLOUT)
    expect(consumer.locator('.cfg-seen:not([data-status="current"])')).to_have_count(
        0, timeout=ROLLOUT
    )
    pods = pod_names(consumer)

    # Time stands still: the change is in the API, not yet in the files.
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#paused-badge")).to_be_visible()
    card.get_by_role("button", name="Edit ConfigMap site").click()
    editor = page.get_by_role("form", name="Edit ConfigMap site")
    editor.get_by_label("Value 1", exact=True).fill("v2")
    editor.get_by_role("button", name="Save").click()
    expect(card.locator(".cfg-kv")).to_contain_text("v2")
    expect(consumer.locator(".cfg-tally")).to_have_text("3 pods · 3 stale")
    show(page, card)
    shot(page, "volume-stale")

    # Each pod's periodic kubelet sync (within a minute) swaps the files in:
    # the same pods, no restart, no rollout (CFG-2).
    page.get_by_role("button", name="Resume", exact=True).click()
    expect(consumer.locator(".cfg-tally")).to_have_text("3 pods · 3 current", timeout=ROLLOUT)
    assert pod_names(consumer) == pods


def test_a_missing_configmap_holds_new_pods_until_it_exists(page):
    create_configmap(page, "flags", "BETA", "on")
    card = page.locator('article.cfg[data-kind="ConfigMap"][data-name="flags"]')
    use(page, card, "ConfigMap", "flags", "api", "env")
    consumer = card.locator('.cfg-consumer[data-deployment="api"]')
    expect(consumer.locator('.cfg-seen[data-status="current"]')).to_have_count(3, timeout=ROLLOUT)
    expect(consumer.locator('.cfg-seen:not([data-status="current"])')).to_have_count(
        0, timeout=ROLLOUT
    )

    card.get_by_role("button", name="Delete ConfigMap flags").click()
    expect(page.locator("#kubectl")).to_contain_text("kubectl delete configmap flags")
    expect(card.locator(".cfg-badge-missing")).to_be_visible()
    # Running containers keep their environment; a replacement pod cannot start (CFG-1).
    expect(consumer.locator(".cfg-tally")).to_have_text("3 pods · 3 stale")
    victim = pod_names(consumer)[0]
    page.locator(f'button.target-pod[data-pod="{victim}"]').click()
    blocked = consumer.locator(".cfg-pod.is-blocked")
    expect(blocked).to_have_count(1, timeout=ROLLOUT)
    expect(blocked).to_contain_text("CreateContainerConfigError")
    expect(blocked).to_contain_text("waiting: object missing")
    show(page, card)
    shot(page, "missing")

    card.get_by_role("button", name="Create ConfigMap flags").click()
    editor = page.get_by_role("form", name="New ConfigMap")
    expect(editor.get_by_label("Name", exact=True)).to_have_value("flags")
    editor.get_by_label("Key 1", exact=True).fill("BETA")
    editor.get_by_label("Value 1", exact=True).fill("off")
    editor.get_by_role("button", name="Create ConfigMap").click()
    expect(card.locator(".cfg-badge-missing")).to_have_count(0)
    # The kubelet retries the start and finds it: the waiting pod reads the new version.
    expect(blocked).to_have_count(0, timeout=ROLLOUT)
    expect(consumer.locator(".cfg-tally")).to_have_text(
        "3 pods · 1 current · 2 stale", timeout=ROLLOUT
    )

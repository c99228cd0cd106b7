"""The rollout panel as a speaker uses it: a bad release stalls, old pods serve on, roll back."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Records, from the page's own copy of the cluster, the lowest availableReplicas of a Deployment
# and whether pods of two revisions ever ran at once (checked every animation frame).
WATCH = """
name => {
  const w = { minAvailable: Infinity, mixed: false, frames: 0 };
  window.__watch = w;
  const tick = () => {
    const s = window.__harbour.state;
    const d = s.kind('Deployment').get(name);
    if (d) w.minAvailable = Math.min(w.minAvailable, Number(d.status?.availableReplicas ?? 0));
    const hashes = new Set();
    for (const p of s.kind('Pod').values()) {
      if (p.metadata?.labels?.app !== name || p.metadata?.deletionTimestamp) continue;
      if (p.status?.phase === 'Running') hashes.add(p.metadata.labels['pod-template-hash']);
    }
    if (hashes.size > 1) w.mixed = true;
    w.frames += 1;
    requestAnimationFrame(tick);
  };
  tick();
}
"""


def shot(page, name: str) -> None:
    """A screenshot at projector size (1920 x 1080), then back to the test's own size."""
    SHOTS.mkdir(exist_ok=True)
    size = page.viewport_size
    if size and size["width"] > 900:
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / f"rollout-{name}.png"))
    if size:
        page.set_viewport_size(size)


@pytest.fixture
def page(new_page, live_stack):
    page = new_page(1440, 900)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(page.locator('button.target-pod[data-app="api"]')).to_have_count(3, timeout=20_000)
    page.locator("#speed").select_option("8")
    expect(page.locator("#kubectl")).to_contain_text("8")
    return page


def dock(page):
    return page.locator("#rollout-dock")


def open_panel(page, deployment: str):
    page.get_by_role("button", name=f"Open the rollout panel of {deployment}").click()
    expect(dock(page)).to_be_visible()
    expect(dock(page).locator(".ro-title")).to_have_text(f"Rollout · {deployment}")


def strategy_form(page):
    form = dock(page).locator(".ro-strategy")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    return form


def answered(page, text: str):
    """The kubectl strip shows the command and the server's answer to it."""
    strip = page.locator("#kubectl")
    expect(strip.locator(".kubectl-command")).to_contain_text(text)
    expect(strip).to_have_attribute("data-state", "ok")


def expect_complete(page, deployment: str, revision: int, replicas: int, timeout=60_000):
    card = page.locator(f'article.deploy[data-deployment="{deployment}"]')
    expect(card.locator(".rev")).to_have_text(f"revision {revision}", timeout=timeout)
    panel = dock(page)
    expect(panel.locator(".ro-phase")).to_have_attribute("data-phase", "Complete", timeout=timeout)
    expect(panel.locator(".ro-fleet")).to_have_count(1, timeout=timeout)
    expect(panel.locator(".ro-chip.ro-ready")).to_have_count(replicas, timeout=timeout)
    expect(panel.locator(".ro-c-available .ro-num")).to_have_text(str(replicas), timeout=timeout)


def test_a_bad_release_stalls_and_one_click_on_the_last_good_revision_rolls_back(page):
    open_panel(page, "api")
    # A short deadline first, so the stall is declared while the room watches.
    form = strategy_form(page)
    form.get_by_label("progressDeadlineSeconds").fill("30")
    form.get_by_role("button", name="Apply strategy").click()
    answered(page, """kubectl patch deployment api -p '{"spec":{"progressDeadlineSeconds":30}}'""")
    form.locator("summary").click()  # folded away again: the fleets are the show
    page.get_by_label("Show placement verdicts").uncheck()

    # Without a readiness probe a crashing release looks Ready for a moment: add one.
    card = page.locator('article.deploy[data-deployment="api"]')
    card.get_by_role("button", name=re.compile(r"^Readiness probe of api: off")).click()
    answered(page, "readinessProbe")
    probe_on = card.get_by_role("button", name=re.compile(r"^Readiness probe of api: on"))
    expect(probe_on).to_be_visible()
    expect_complete(page, "api", 2, 3)
    expect(dock(page).locator(".ro-rev-current")).to_contain_text("+ readiness probe")

    page.evaluate(WATCH, "api")
    card.get_by_label("Pick a release for api").select_option("ghcr.io/example/api:1.1-bad")
    expect(card.get_by_label("New image for api")).to_have_value("ghcr.io/example/api:1.1-bad")
    card.get_by_role("button", name="Roll out api").click()
    answered(page, "kubectl set image deployment/api api=ghcr.io/example/api:1.1-bad")

    panel = dock(page)
    expect(panel.locator(".ro-fleet-new")).to_contain_text("api:1.1-bad")
    # The new pods crash; the old ones keep serving.
    expect(panel.locator(".ro-fleet-new .ro-chip.ro-crash").first).to_be_visible(timeout=30_000)
    expect(panel.locator(".ro-fleet-old .ro-chip.ro-ready")).to_have_count(3)
    banner = panel.locator(".ro-banner")
    expect(banner).to_be_visible(timeout=60_000)
    expect(banner).to_contain_text("ProgressDeadlineExceeded")
    timed_out = re.compile(r'ReplicaSet "api-[a-z0-9]+" has timed out progressing')
    expect(banner).to_contain_text(timed_out)
    expect(banner).to_contain_text('error: deployment "api" exceeded its progress deadline')
    expect(panel.locator(".ro-phase")).to_have_attribute("data-phase", "Stalled")
    expect(panel.locator('.ro-cond[data-reason="ProgressDeadlineExceeded"]')).to_contain_text(
        "False"
    )
    expect(panel.locator(".ro-c-available .ro-num")).to_have_text("3")
    watch = page.evaluate("window.__watch")
    assert watch["frames"] > 10
    assert watch["minAvailable"] >= 3  # maxUnavailable 25% of 3 rounds down to 0: nobody may go
    shot(page, "stalled")

    # A chip is the pod: a click shows what kubectl describe says about it.
    chip = panel.locator(".ro-fleet-new .ro-chip").first
    pod = chip.get_attribute("data-pod")
    chip.click()
    inspector = page.locator("#pod-panel")
    expect(inspector).to_be_visible()
    expect(inspector).to_contain_text(pod)
    page.keyboard.press("Escape")
    expect(inspector).to_be_hidden()

    # The timeline shows the exact command before the click.
    previous = panel.get_by_role("button", name=re.compile(r"^Revision 2 of api\b"))
    previous.hover()
    expect(panel.locator(".ro-undo-hint")).to_contain_text(
        "kubectl rollout undo deployment/api --to-revision=2"
    )
    previous.click()
    answered(page, "kubectl rollout undo deployment/api --to-revision=2")
    expect_complete(page, "api", 4, 3)
    expect(banner).to_be_hidden()
    expect(panel.locator('.ro-cond[data-reason="NewReplicaSetAvailable"]')).to_be_visible()
    current = panel.locator(".ro-rev-current")
    expect(current).to_contain_text("api:1.0")
    expect(current).to_contain_text("was revision 2")
    shot(page, "rolled-back")


def test_pause_holds_a_template_change_until_resume(page):
    open_panel(page, "web")
    panel = dock(page)
    panel.get_by_role("button", name="Pause rollout of web").click()
    answered(page, "kubectl rollout pause deployment/web")
    expect(panel.locator(".ro-paused-note")).to_be_visible()
    expect(panel.locator(".ro-phase")).to_have_attribute("data-phase", "Paused")

    card = page.locator('article.deploy[data-deployment="web"]')
    card.get_by_label("New image for web").fill("nginx:1.28")
    card.get_by_role("button", name="Roll out web").click()
    answered(page, "kubectl set image deployment/web web=nginx:1.28")
    # Paused: the template changed, but no new ReplicaSet and no new revision (DEP-10).
    expect(card.locator(".deploy-image")).to_contain_text("nginx:1.28")
    expect(card.locator(".rev")).to_have_text("revision 1")
    expect(panel.locator(".ro-rev")).to_have_count(1)
    shot(page, "paused")

    panel.get_by_role("button", name="Resume rollout of web").click()
    answered(page, "kubectl rollout resume deployment/web")
    expect_complete(page, "web", 2, 6)

    panel.get_by_role("button", name=re.compile(r"^Restart every pod of web")).click()
    answered(page, "kubectl rollout restart deployment/web")
    expect_complete(page, "web", 3, 6)
    expect(panel.locator(".ro-rev-current")).to_contain_text("restarted")


def test_recreate_never_runs_old_and_new_together(page):
    open_panel(page, "web")
    form = strategy_form(page)
    form.get_by_text("Recreate", exact=True).click()
    expect(form.get_by_label("maxSurge")).to_be_disabled()
    form.get_by_role("button", name="Apply strategy").click()
    answered(page, '"strategy":{"type":"Recreate","rollingUpdate":null}')
    panel = dock(page)
    expect(panel.locator(".ro-c-surge")).to_contain_text("Recreate")

    page.evaluate(WATCH, "web")
    card = page.locator('article.deploy[data-deployment="web"]')
    card.get_by_label("New image for web").fill("nginx:1.28")
    card.get_by_role("button", name="Roll out web").click()
    answered(page, "kubectl set image deployment/web web=nginx:1.28")
    # Every old pod stops first; the new ReplicaSet waits for them (DEP-7).
    expect(panel.locator(".ro-phase")).to_have_attribute("data-phase", "WaitingForOldPods")
    expect(panel.locator(".ro-step")).to_contain_text("never runs old and new pods together")
    expect(panel.locator(".ro-fleet-old .ro-chip.ro-terminating").first).to_be_visible()
    shot(page, "recreate")
    expect_complete(page, "web", 2, 6)
    watch = page.evaluate("window.__watch")
    assert watch["frames"] > 10
    assert not watch["mixed"]


def test_the_panel_reads_on_a_phone(new_page, live_stack):
    page = new_page(390, 844)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(page.locator('button.target-pod[data-app="api"]')).to_have_count(3, timeout=20_000)
    open_panel(page, "api")
    panel = dock(page)
    for name in ("Pause rollout of api", "Close the rollout panel"):
        box = panel.get_by_role("button", name=name).bounding_box()
        assert box
        assert box["height"] >= 40
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The page header stays on top of a phone's screen: scroll the panel's top just under it.
    page.evaluate(
        "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY"
        " - document.querySelector('.site-header').offsetHeight - 8)",
        panel.element_handle(),
    )
    shot(page, "phone")
    panel.get_by_role("button", name="Close the rollout panel").click()
    expect(panel).to_be_hidden()


def test_the_panels_arithmetic_follows_dep3_and_names_template_changes(new_page, live_stack):
    """The panel's own fenceposts (used until the controller writes its step) and its diff words."""
    page = new_page()
    page.goto(f"{live_stack.url}/")
    fenceposts = page.evaluate(
        """async () => {
          const m = await import('/static/js/rolloutmath.js');
          const d = (replicas, maxSurge, maxUnavailable) => ({ spec: { replicas,
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } });
          const pick = (f) => [f.maxSurge, f.maxUnavailable, f.maxTotal, f.minAvailable];
          return [
            pick(m.fenceposts(d(10, '25%', '25%'))), pick(m.fenceposts(d(3, '25%', '25%'))),
            pick(m.fenceposts(d(1, '25%', '25%'))), pick(m.fenceposts(d(4, '25%', '25%'))),
            pick(m.fenceposts(d(5, '10%', '0%'))), pick(m.fenceposts(d(5, '1%', '1%'))),
            pick(m.fenceposts(d(3, 1, 7))),
            m.fenceposts({ spec: { replicas: 4, strategy: { type: 'Recreate' } } }).strategy,
          ];
        }"""
    )
    assert fenceposts == [
        [3, 2, 13, 8],  # DEP-3 examples: R=10 -> 3 and 2
        [1, 0, 4, 3],  # R=3 -> 1 and 0
        [1, 0, 2, 1],  # R=1 -> 1 and 0
        [1, 1, 5, 3],  # R=4 -> 1 and 1
        [1, 0, 6, 5],  # 10% of 5 rounds up for surge, 0% stays 0
        [1, 0, 6, 5],  # 1% of 5: surge ceil 1, unavailable floor 0 (not both 0)
        [1, 3, 4, 0],  # maxUnavailable is capped at R
        "Recreate",
    ]
    changes = page.evaluate(
        """async () => {
          const r = await import('/static/js/revisions.js');
          const rs = (image, probe, restarted) => ({ spec: { template: {
            metadata: { labels: { app: 'api' }, annotations: restarted
              ? { 'kubectl.kubernetes.io/restartedAt': restarted } : {} },
            spec: { containers: [{ name: 'api', image,
              ...(probe ? { readinessProbe: { httpGet: { port: 80 } } } : {}) }] } } } });
          return [
            r.templateChanges(undefined, rs('a/api:1.0')),
            r.templateChanges(rs('a/api:1.0'), rs('a/api:1.0', true)),
            r.templateChanges(rs('a/api:1.0', true), rs('a/api:1.1-bad', true)),
            r.templateChanges(rs('a/api:1.0'), rs('a/api:1.0', false, '2026-01-01T00:05:00Z')),
            r.undoCommand('api', 2),
          ];
        }"""
    )
    assert changes == [
        ["first revision"],
        ["+ readiness probe"],
        ["image api:1.0 → api:1.1-bad"],
        ["restarted"],
        "kubectl rollout undo deployment/api --to-revision=2",
    ]

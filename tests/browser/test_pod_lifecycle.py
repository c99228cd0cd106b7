"""Pods up close: the inspector shows a crash loop live; deletes keep their grace period."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cluster_sim.podutil import display_ready, display_status, restart_count

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
POD = r"[a-z0-9]+-[a-z0-9]{5}"


def pods(page, app: str, state: str):
    pattern = rf"^pod ({app}-{POD}), {state}, on ship-\d+"
    return page.get_by_role("button", name=re.compile(pattern))


@pytest.fixture
def page(new_page, live_stack):
    page = new_page(1440, 900)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(pods(page, "web", "Running")).to_have_count(6)
    return page


def inspect_a_running_pod(page, app: str = "web"):
    """Switch to Inspect mode and open the first Running pod of the app: (name, dialog)."""
    page.get_by_role("radio", name="Inspect").check(force=True)
    button = pods(page, app, "Running").first
    name = button.get_attribute("data-pod")
    button.click()
    dialog = page.get_by_role("dialog", name=f"Pod {name}")
    expect(dialog).to_be_visible()
    return name, dialog


def fact(dialog, section: str, term: str):
    """The <dd> after a <dt> in one section of the inspector."""
    return dialog.get_by_role("region", name=section, exact=True).locator(
        f'dt:text-is("{term}") + dd'
    )


def test_a_crash_loop_seen_up_close(page):
    name, dialog = inspect_a_running_pod(page)
    status = dialog.locator(".podi-status")
    expect(status).to_have_text("Running")
    expect(fact(dialog, "Container web", "Restart count")).to_have_text("0")
    expect(fact(dialog, "Container web", "Liveness")).to_have_count(0)
    expect(dialog).to_contain_text("none: ready as soon as it runs")
    for condition in ("PodScheduled", "Initialized", "ContainersReady", "Ready"):
        expect(dialog.locator(f'tr[data-type="{condition}"]')).to_have_attribute(
            "data-status", "True"
        )

    # The first exit is restarted at once (POD-7).
    dialog.get_by_role("button", name="Crash it").click()
    expect(page.locator("#kubectl")).to_contain_text(f"kubectl exec {name} -- kill 1")
    expect(fact(dialog, "Container web", "Restart count")).to_have_text("1")
    expect(fact(dialog, "Container web", "Last state")).to_have_text(
        "Terminated: Error, exit code 1"
    )
    expect(status).to_have_text("Running")

    # The second waits 10 s: CrashLoopBackOff with the kubelet's message and a live countdown.
    dialog.get_by_role("button", name="Crash it").click()
    expect(status).to_have_text("CrashLoopBackOff")
    expect(dialog.locator(".podi-countdown")).to_contain_text(re.compile(r"restarting in \d+ s"))
    expect(fact(dialog, "Container web", "State")).to_have_text("Waiting: CrashLoopBackOff")
    expect(fact(dialog, "Container web", "Message").first).to_contain_text(
        f"back-off 10s restarting failed container=web pod={name}_default("
    )
    events = dialog.get_by_role("region", name="Events", exact=True)
    expect(events.locator('tr[data-reason="BackOff"]')).to_contain_text(
        f"Back-off restarting failed container web in pod {name}_default("
    )
    expect(dialog.locator('tr[data-type="Ready"]')).to_have_attribute("data-status", "False")
    # The stage knows the countdown too, and the accessible layer says the restart count.
    retry_at = page.evaluate(f"window.__harbour.layout.podIndex.get({name!r}).retryAt")
    assert retry_at is not None
    expect(
        page.get_by_role(
            "button", name=re.compile(rf"^pod {name}, CrashLoopBackOff, on ship-\d+, restarts 1$")
        )
    ).to_have_count(1)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "pods-crashloop.png"))

    # When the back-off ends the kubelet starts it again: restartCount 2.
    expect(fact(dialog, "Container web", "Restart count")).to_have_text("2", timeout=30_000)
    expect(status).to_have_text("Running")
    expect(dialog.locator(".podi-countdown")).to_be_hidden()
    expect(pods(page, "web", "Running")).to_have_count(6)
    expect(
        page.get_by_role(
            "button", name=re.compile(rf"^pod {name}, Running, on ship-\d+, restarts 2$")
        )
    ).to_have_count(1)


def test_a_release_that_crashes_loops_with_growing_back_off(page):
    page.locator("#speed").select_option("4")
    page.get_by_label("New image for web").fill("ghcr.io/example/crashy:1")
    page.get_by_role("button", name="Roll out web").click()
    crashing = pods(page, "web", "CrashLoopBackOff")
    expect(crashing.first).to_be_visible(timeout=30_000)
    page.get_by_role("radio", name="Inspect").check(force=True)
    button = crashing.first
    name = button.get_attribute("data-pod")
    button.click()
    dialog = page.get_by_role("dialog", name=f"Pod {name}")
    expect(fact(dialog, "Container web", "Image")).to_have_text("ghcr.io/example/crashy:1")
    # Each exit waits twice as long as the one before: 10 s, 20 s, 40 s (POD-7).
    expect(fact(dialog, "Container web", "Message").first).to_contain_text(
        "back-off 40s restarting failed container=web", timeout=60_000
    )
    expect(dialog.locator(".podi-status")).to_have_text("CrashLoopBackOff")
    restarts = int(fact(dialog, "Container web", "Restart count").inner_text())
    assert restarts >= 3
    expect(dialog.locator(".podi-summary")).to_contain_text(str(restarts))
    expect(dialog.locator(".podi-countdown")).to_contain_text(re.compile(r"restarting in \d+ s"))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "pods-crashy-release.png"))


def test_a_pod_that_fails_its_readiness_probe_runs_but_is_not_ready(page):
    page.locator("#speed").select_option("4")
    page.get_by_role("button", name="Readiness probe of api: off, click to add it").click()
    expect(page.locator("#kubectl")).to_contain_text("readinessProbe")
    page.get_by_label("New image for api").fill("ghcr.io/example/api:1.1-notready")
    page.get_by_role("button", name="Roll out api").click()
    not_ready = page.locator("button.target-pod[data-app=api][data-state=NotReady]")
    expect(not_ready.first).to_be_attached(timeout=30_000)
    page.get_by_role("radio", name="Inspect").check(force=True)
    name = not_ready.first.get_attribute("data-pod")
    not_ready.first.click()
    dialog = page.get_by_role("dialog", name=f"Pod {name}")
    # kubectl says Running (STATUS) and 0/1 (READY); the inspector says why.
    expect(dialog.locator(".podi-status")).to_have_text("Running")
    expect(dialog.locator(".podi-summary")).to_contain_text("0/1")
    expect(dialog.locator(".podi-countdown")).to_contain_text("not Ready: ContainersNotReady")
    expect(fact(dialog, "Container api", "Readiness")).to_have_text(
        "http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"
    )
    events = dialog.get_by_role("region", name="Events", exact=True)
    expect(events.locator('tr[data-reason="Unhealthy"]').first).to_contain_text(
        "Readiness probe failed: HTTP probe failed with statuscode: 503", timeout=30_000
    )


def test_delete_keeps_the_grace_period_and_force_delete_does_not(page):
    page.locator("#speed").select_option("4")
    name, dialog = inspect_a_running_pod(page)
    expect(fact(dialog, "Pod", "Termination grace period")).to_have_text("30 s")

    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("#kubectl")).to_contain_text(f"kubectl delete pod {name}")
    expect(dialog.locator(".podi-status")).to_have_text("Terminating")
    expect(dialog.locator(".podi-countdown")).to_contain_text(
        re.compile(r"SIGKILL in \d+ s \(grace period 30 s\)")
    )
    expect(
        page.get_by_role("button", name=re.compile(rf"^pod {name}, Terminating, on ship-\d+$"))
    ).to_have_count(1)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "pods-terminating.png"))
    # After the grace period the kubelet kills it and the object goes.
    expect(dialog.locator(".podi-status")).to_have_text(re.compile("^Gone"), timeout=30_000)
    expect(page.locator(f'button[data-pod="{name}"]')).to_have_count(0)
    events = dialog.get_by_role("region", name="Events", exact=True)
    expect(events.locator('tr[data-reason="Killing"]')).to_contain_text("Stopping container web")
    dialog.get_by_role("button", name="Close pod inspector").click()
    expect(dialog).to_be_hidden()

    # Force: gone at once, with kubectl's warning.
    other, dialog = inspect_a_running_pod(page)
    dialog.get_by_role("button", name="Force delete").click()
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text(f"kubectl delete pod {other} --grace-period=0 --force")
    expect(strip).to_contain_text(f'pod "{other}" force deleted')
    expect(strip).to_contain_text("Immediate deletion does not wait for confirmation")
    expect(dialog.locator(".podi-status")).to_have_text(re.compile("^Gone"))
    expect(page.locator(f'button[data-pod="{other}"]')).to_have_count(0)
    dialog.get_by_role("button", name="Close pod inspector").click()

    # A shorter grace period of our own: kubectl delete --grace-period=5 (at 1x, to watch it).
    page.locator("#speed").select_option("1")
    third, dialog = inspect_a_running_pod(page)
    dialog.get_by_label("--grace-period").fill("5")
    expect(dialog).to_contain_text(f"kubectl delete pod {third} --grace-period=5")
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("#kubectl")).to_contain_text(f"kubectl delete pod {third} --grace-period=5")
    expect(dialog.locator(".podi-countdown")).to_contain_text("(grace period 5 s)")
    expect(dialog.locator(".podi-status")).to_have_text(re.compile("^Gone"), timeout=30_000)
    # The ReplicaSet replaced all three.
    expect(pods(page, "web", "Running")).to_have_count(6, timeout=30_000)


def test_the_keyboard_reaches_the_inspector(page):
    button = pods(page, "web", "Running").first
    name = button.get_attribute("data-pod")
    button.focus()
    page.keyboard.press("i")
    dialog = page.get_by_role("dialog", name=f"Pod {name}")
    expect(dialog).to_be_visible()
    expect(dialog).to_be_focused()
    expect(page.get_by_role("dialog", name=f"Pod {name}").locator(".podi-status")).to_have_text(
        "Running"
    )
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    # Still in Kill mode: the keyboard shortcut inspected, it did not kill.
    expect(page.locator(f'button[data-pod="{name}"]')).to_have_attribute("data-state", "Running")


def status_cases() -> list[dict]:
    """Pods in the shapes POD-5 distinguishes, for the parity check of the browser's port."""

    def pod(statuses, *, phase="Running", init=None, init_specs=0, deleting=False, **status):
        meta = {"name": "p", "uid": "u"}
        if deleting:
            meta["deletionTimestamp"] = "2026-01-01T00:01:00Z"
        spec = {"containers": [{"name": f"c{i}"} for i in range(max(1, len(statuses)))]}
        if init_specs:
            spec["initContainers"] = [{"name": f"i{i}"} for i in range(init_specs)]
        body = {"phase": phase, "containerStatuses": statuses, **status}
        if init is not None:
            body["initContainerStatuses"] = init
        return {"metadata": meta, "spec": spec, "status": body}

    running = {"name": "c0", "ready": True, "restartCount": 0, "state": {"running": {}}}
    crash = {
        "name": "c1",
        "ready": False,
        "restartCount": 4,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}},
    }
    ready = [{"type": "Ready", "status": "True"}]
    return [
        pod([running], conditions=ready),
        pod([running, crash]),
        pod([crash, running]),
        pod(
            [{"name": "c0", "state": {"waiting": {"reason": "ContainerCreating"}}}], phase="Pending"
        ),
        pod([{"name": "c0", "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]),
        pod([{"name": "c0", "state": {"terminated": {"exitCode": 2}}}], phase="Failed"),
        pod([{"name": "c0", "state": {"terminated": {"exitCode": 0, "signal": 9}}}]),
        pod(
            [
                {
                    "name": "c0",
                    "ready": True,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                },
                running,
            ],
            conditions=ready,
        ),
        pod([running], deleting=True),
        pod([running], deleting=True, reason="NodeLost"),
        pod([], phase="Failed", reason="Evicted"),
        pod([], phase="Failed", deleting=True),
        pod(
            [],
            phase="Pending",
            conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}],
        ),
        pod([], phase="Pending", init=[{"name": "i0", "state": {"running": {}}}], init_specs=2),
        pod(
            [],
            phase="Pending",
            init=[
                {"name": "i0", "state": {"terminated": {"exitCode": 0}}},
                {"name": "i1", "state": {"waiting": {"reason": "ErrImagePull"}}},
            ],
            init_specs=2,
        ),
        pod(
            [],
            phase="Pending",
            init=[{"name": "i0", "state": {"terminated": {"exitCode": 3}}}],
            init_specs=1,
        ),
        pod(
            [],
            phase="Pending",
            init=[{"name": "i0", "state": {"terminated": {"exitCode": 3, "signal": 15}}}],
            init_specs=1,
        ),
    ]


def test_the_browser_reads_pods_as_the_engine_does(new_page, live_stack):
    """POD-5: static/js/podstatus.js ports cluster_sim/podutil; both give the same columns."""
    cases = status_cases()
    page = new_page()
    page.goto(live_stack.url + "/")
    got = page.evaluate(
        """async (pods) => {
            const m = await import("/static/js/podstatus.js");
            return pods.map((p) => [m.displayStatus(p), m.displayReady(p), m.restartCount(p)]);
        }""",
        cases,
    )
    want = [[display_status(p), display_ready(p), restart_count(p)] for p in cases]
    assert got == want
    assert {row[0] for row in want} >= {
        "CrashLoopBackOff",
        "Terminating",
        "Init:0/2",
        "Init:ErrImagePull",
        "Evicted",
    }

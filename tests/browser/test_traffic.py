"""Services and autoscaling as a speaker shows them: expose, load, balancing, failures, an HPA."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The per-pod request counters of the web Service's card, as numbers (for wait_for_function).
COUNTS = (
    "[...document.querySelectorAll('article.svc[data-service=web] .ep-served')]"
    ".map(e => Number(e.textContent))"
)
UTILIZATION = (
    "parseInt(document.querySelector('article.deploy[data-deployment=web] .hpa-now').textContent)"
)


def pods_of(page, app: str, state: str = "Running"):
    pattern = rf"^pod ({app}-[a-z0-9]+-[a-z0-9]{{5}}), {state}, on ship-\d+$"
    return page.get_by_role("button", name=re.compile(pattern))


def open_playground(new_page, live_stack, width=1440, height=900):
    page = new_page(width, height)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(pods_of(page, "web")).to_have_count(6)
    page.locator("#speed").select_option("8")
    expect(page.locator("#kubectl")).to_contain_text("8")
    return page


def choose_mode(page, mode: str):
    """Pick the kube-proxy mode: "iptables" (random) or "ipvs" (round-robin)."""
    label = {"iptables": "iptables random", "ipvs": "ipvs round-robin"}[mode]
    page.locator("#traffic .proxy-mode").get_by_text(label, exact=True).click()
    expect(page.locator("#kubectl")).to_contain_text(f"--proxy-mode={mode}")
    expect(page.locator("#kubectl")).to_contain_text(f"kube-proxy mode set to {mode}")


def expose_web(page):
    """Expose web from the Services panel; return the Service's card."""
    existing = page.locator('article.svc[data-service="web"]')
    if existing.count():  # a demo that already has one: start from none
        existing.get_by_role("button", name="Delete service web").click()
        expect(existing).to_have_count(0)
    page.get_by_label("Deployment to expose").select_option("web")
    page.get_by_role("button", name="Expose").click()
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text("kubectl expose deployment web --port=80 --target-port=80")
    expect(strip).to_contain_text("service/web exposed")
    card = page.locator('article.svc[data-service="web"]')
    expect(card.locator(".ep-title")).to_contain_text("6 ready")
    return card


def set_load(page, card, rps: int):
    """Turn the load knob (the slider, as a hand would) to a position worth `rps` requests/s."""
    position = page.evaluate(f"Math.round(Math.sqrt({rps} / 1000) * 100)")
    card.get_by_label("Load on web, requests per second").fill(str(position))
    expect(card.locator(".knob-value")).to_have_text(str(rps))
    expect(page.locator("#kubectl")).to_contain_text(
        f"traffic to service/web set to {rps} requests/s"
    )


def served(card) -> list[int]:
    return card.locator(".ep-served").evaluate_all("els => els.map(e => Number(e.textContent))")


def test_round_robin_balances_and_scaling_to_zero_fails_requests(new_page, live_stack):
    page = open_playground(new_page, live_stack)
    card = expose_web(page)
    choose_mode(page, "ipvs")
    expect(page.locator("#traffic .proxy-hint")).to_contain_text("in turn")
    set_load(page, card, 40)

    # Every pod's counter rises, and in ipvs mode they stay level (round-robin).
    page.wait_for_function(
        f"() => {{ const n = {COUNTS}; return n.length === 6 && Math.min(...n) >= 60 }}",
        timeout=30_000,
    )
    first = served(card)
    page.wait_for_function(
        f"was => {{ const n = {COUNTS}; return n.length === 6 && n.every((v, i) => v > was[i]) }}",
        arg=first,
        timeout=20_000,
    )
    counts = served(card)
    assert max(counts) - min(counts) <= 1, counts
    expect(card.locator(".ep-spread")).to_contain_text("(even)")
    expect(card.locator(".s-sent")).to_have_text("40")
    expect(card.locator(".s-rate")).to_have_text("0%")
    # The overlay (lighthouse, requests) keeps drawing while traffic flows.
    frames = page.evaluate("__harbour.traffic.overlay.framesDrawn")
    page.wait_for_function("n => __harbour.traffic.overlay.framesDrawn > n + 10", arg=frames)
    card.locator(".endpoints").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "traffic-balancing.png"))

    # Scale web to nothing: no endpoint is left, every request is refused, the error rate goes red.
    replicas = page.get_by_label("Replicas of web")
    replicas.fill("0")
    replicas.press("Enter")
    expect(card.locator(".ep-title")).to_contain_text("Endpoints: none", timeout=30_000)
    expect(card).to_have_class(re.compile(r"\bhas-errors\b"), timeout=20_000)
    expect(card.locator(".s-failed")).to_have_text("40", timeout=20_000)
    expect(card.locator(".s-rate")).to_have_text("100%", timeout=30_000)
    expect(card.locator(".ep-spread")).to_contain_text("rejects every connection")
    colour = card.locator(".s-rate-box").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(164, 35, 43)", colour
    card.locator(".ep-title").scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # a few red dots in flight
    page.screenshot(path=str(SHOTS / "traffic-failing.png"))


def test_an_autoscaler_follows_the_load_up_and_holds_the_way_down(new_page, live_stack):
    page = open_playground(new_page, live_stack)
    card = expose_web(page)
    choose_mode(page, "ipvs")
    deployment = page.locator('article.deploy[data-deployment="web"]')
    page.get_by_label("Show placement verdicts").uncheck()  # this talk is about load, not placement

    # kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=10
    deployment.get_by_text("Autoscale (HPA)").click()
    deployment.get_by_label("Minimum replicas for web").fill("2")
    deployment.get_by_role("button", name="Create autoscaler for web").click()
    strip = page.locator("#kubectl")
    expect(strip).to_contain_text(
        "kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=10"
    )
    expect(strip).to_contain_text("horizontalpodautoscaler.autoscaling/web autoscaled")
    gauge = deployment.locator(".hpa")
    expect(gauge).to_be_visible()
    expect(gauge.locator(".hpa-target")).to_have_text("of 50% target")

    # Load: 150 req/s x 20m = 3 cores over 6 pods of 250m, far above target. Utilization rises...
    set_load(page, card, 150)
    page.wait_for_function(f"() => {UTILIZATION} > 100", timeout=60_000)
    expect(gauge).to_have_attribute("data-zone", "above")
    expect(gauge.locator(".hpa-formula code")).to_contain_text("ceil(")
    # ...and the replica count grows to the maximum, with the rescale event shown.
    expect(deployment.locator(".c-ready")).to_have_text("10/10", timeout=90_000)
    expect(gauge.locator(".hpa-last")).to_contain_text("New size: 10", timeout=30_000)
    # The gauge reads "6 → 10" until the next 15 s sync sees the new count.
    expect(gauge.locator(".hpa-rep")).to_have_text("10", timeout=40_000)
    gauge.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "traffic-hpa-up.png"))
    deployment.locator(".hpa").screenshot(path=str(SHOTS / "traffic-hpa-gauge.png"))

    # Knob down: utilization falls below target; the scale-down waits for the stabilization window.
    card.get_by_role("button", name="Set load on web to 0 requests per second").click()
    expect(strip).to_contain_text("traffic to service/web set to 0 requests/s")
    expect(gauge).to_have_attribute("data-zone", "below", timeout=60_000)
    expect(gauge.locator(".hpa-wait")).to_contain_text("stabilization window", timeout=60_000)
    expect(gauge.locator(".hpa-verdict")).to_contain_text(
        "highest recommendation of the last 5 minutes"
    )
    expect(deployment.locator(".c-ready")).to_have_text("10/10")
    gauge.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the last requests land
    page.screenshot(path=str(SHOTS / "traffic-hpa-held.png"))

    # Edit, then remove the autoscaler and the Service.
    gauge.get_by_label("Maximum replicas of the autoscaler for web").fill("12")
    gauge.get_by_role("button", name="Update the autoscaler of web").click()
    expect(strip).to_contain_text("""kubectl patch hpa web -p '{"spec":{"maxReplicas":12}}'""")
    expect(gauge.locator(".hpa-range")).to_have_text("min 2 · max 12")
    gauge.get_by_role("button", name="Delete the autoscaler of web").click()
    expect(strip).to_contain_text("kubectl delete hpa web")
    expect(gauge).to_be_hidden()
    card.get_by_role("button", name="Delete service web").click()
    expect(strip).to_contain_text("kubectl delete service web")
    expect(card).to_have_count(0)


def test_cpu_model_and_a_phone(new_page, live_stack):
    page = open_playground(new_page, live_stack, 390, 844)
    page.get_by_role("button", name="Controls & events").click()  # fold the panel away...
    page.get_by_role("button", name="Controls & events").click()  # ...and back
    card = expose_web(page)
    choose_mode(page, "ipvs")
    choose_mode(page, "iptables")
    expect(page.locator("#traffic .proxy-hint")).to_contain_text("at random")
    card.get_by_label("CPU millicores per request per second for web").fill("40")
    card.get_by_role("button", name="Set the CPU model behind web").click()
    expect(page.locator("#kubectl")).to_contain_text("playground.k8s/cpu-model=")
    expect(page.locator("#kubectl")).to_contain_text("deployment.apps/web annotated")
    set_load(page, card, 10)
    # PodMetrics come every 15 s: 5m + 40m x 10/6 req/s per pod, about 72m of 250m.
    page.wait_for_function(
        "() => [...document.querySelectorAll('article.svc[data-service=web] .ep-cpu')]"
        ".some(e => /(^|· )(6\\d|7\\d)m \\/ 250m$/.test(e.textContent))",
        timeout=60_000,
    )
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "traffic-phone.png"))
    page.locator("#stage").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "traffic-phone-stage.png"))

    # A NodePort Service opens a port on every ship.
    page.get_by_label("Deployment to expose").select_option("api")
    page.get_by_label("Service type").select_option("NodePort")
    page.get_by_role("button", name="Expose").click()
    expect(page.locator("#kubectl")).to_contain_text(
        "kubectl expose deployment api --port=80 --target-port=80 --type=NodePort"
    )
    api = page.locator('article.svc[data-service="api"]')
    expect(api.locator(".svc-type")).to_have_text("NodePort")
    expect(api.locator(".svc-addr")).to_contain_text(re.compile(r"every ship :3\d{4}"))

    # An autoscaler with spec.behavior: kubectl autoscale, then a patch.
    api_card = page.locator('article.deploy[data-deployment="api"]')
    api_card.get_by_text("Autoscale (HPA)").click()
    api_card.get_by_label("with spec.behavior", exact=False).check()
    api_card.get_by_role("button", name="Create autoscaler for api").click()
    expect(page.locator("#kubectl")).to_contain_text(
        """kubectl patch hpa api -p '{"spec":{"behavior":{}}}'"""
    )
    expect(api_card.locator(".hpa-facts")).to_contain_text("spec.behavior set", timeout=30_000)
    expect(api_card.locator(".hpa-formula code")).to_contain_text("ceil(3 \u00d7 ", timeout=30_000)
    api_card.get_by_text("Conditions (as kubectl describe hpa shows them)").click()
    expect(api_card.locator(".hpa-cond-list")).to_contain_text(
        "ScalingActive True ValidMetricFound"
    )
    api_card.locator(".hpa").screenshot(path=str(SHOTS / "traffic-phone-hpa.png"))

    # The CPU levels on the containers can be switched off.
    page.get_by_label("Show CPU use on containers (fill level = usage ÷ request)").uncheck()
    assert page.evaluate("__harbour.traffic.overlay.showCpu") is False

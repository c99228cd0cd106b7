"""The kubectl console and YAML in the browser, as a presenter would use them."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Picked screenshots are copied to docs/screenshots by hand.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx:1.27
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
"""

BAD = SHOP.replace("replicas: 2", "replicas: two")


def containers(page, app: str, state: str = "Running"):
    pattern = rf"^pod ({app}-[a-z0-9]+-[a-z0-9]{{5}}), {state}, on ship-\d+$"
    return page.get_by_role("button", name=re.compile(pattern))


@pytest.fixture
def page(new_page, live_stack):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = new_page(1440, 900)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(containers(page, "web")).to_have_count(6)
    page.locator("#speed").select_option("8")
    page.locator("#console > summary").click()
    expect(page.get_by_role("textbox", name="kubectl console command")).to_be_focused()
    return page


def run(page, command: str):
    prompt = page.get_by_role("textbox", name="kubectl console command")
    prompt.fill(command)
    prompt.press("Enter")


def output(page):
    return page.locator("#console .console-output")


def test_get_pods_prints_kubectl_table_and_scale_moves_containers(page):
    run(page, "kubectl get pods")
    block = output(page).locator("pre.console-out").last
    expect(block).to_contain_text("NAME")
    expect(block).to_contain_text("READY   STATUS    RESTARTS   AGE")
    expect(block).to_contain_text(re.compile(r"web-[a-z0-9]+-[a-z0-9]{5}\s+1/1\s+Running\s+0"))
    assert len(block.inner_text().splitlines()) == 10  # a header and nine pods
    run(page, "kubectl scale deployment web --replicas=8")
    expect(output(page)).to_contain_text("deployment.apps/web scaled")
    expect(containers(page, "web")).to_have_count(8, timeout=20_000)
    run(page, "kubectl get deploy -o wide")
    expect(output(page).locator("pre.console-out").last).to_contain_text("CONTAINERS   IMAGES")
    page.screenshot(path=str(SCREENSHOTS / "console-get-and-scale.png"))
    run(page, "kubectl get foo")
    expect(output(page).locator("pre.console-error").last).to_have_text(
        'error: the server doesn\'t have a resource type "foo"'
    )
    run(page, "kubectl frobnicate")
    expect(output(page).locator("pre.console-out").last).to_contain_text("kubectl rollout status")


def test_apply_pasted_yaml_creates_a_deployment_and_bad_yaml_is_explained(page):
    run(page, "kubectl apply -f -")
    paste = page.get_by_label(re.compile("Paste YAML for kubectl apply"))
    expect(paste).to_be_focused()
    paste.fill(BAD)
    page.locator("#console").get_by_role("button", name="Apply", exact=True).click()
    error = output(page).locator("pre.console-error").last
    expect(error).to_contain_text("document 1 (Deployment/shop)")
    expect(error).to_contain_text("spec.replicas")
    page.screenshot(path=str(SCREENSHOTS / "console-apply-error.png"))
    paste.fill("kind: Deployment\n  name: : x\n")
    page.locator("#console").get_by_role("button", name="Apply", exact=True).click()
    expect(output(page).locator("pre.console-error").last).to_contain_text(
        "error parsing STDIN: document 1"
    )
    paste.fill(SHOP)
    page.locator("#console").get_by_role("button", name="Apply", exact=True).click()
    expect(output(page)).to_contain_text("deployment.apps/shop created")
    expect(paste).to_be_hidden()
    expect(containers(page, "shop")).to_have_count(2, timeout=20_000)
    expect(page.locator("#deployments [data-deployment=shop]")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "console-apply.png"))


def test_history_and_tab_completion(page):
    run(page, "kubectl get deploy")
    run(page, "kubectl get nodes")
    expect(output(page)).to_contain_text("ship-1")
    prompt = page.get_by_role("textbox", name="kubectl console command")
    prompt.press("ArrowUp")
    expect(prompt).to_have_value("kubectl get nodes")
    prompt.press("ArrowUp")
    expect(prompt).to_have_value("kubectl get deploy")
    prompt.press("ArrowDown")
    expect(prompt).to_have_value("kubectl get nodes")
    prompt.fill("kubectl desc")
    prompt.press("Tab")
    expect(prompt).to_have_value("kubectl describe ")
    expect(containers(page, "api")).to_have_count(3)  # logs need a started container
    pods = page.evaluate("() => [...window.__harbour.state.kind('Pod').keys()]")
    name = sorted(n for n in pods if n.startswith("api-"))[0]
    prompt.fill(f"kubectl logs {name[:-3]}")
    prompt.press("Tab")
    expect(prompt).to_have_value(f"kubectl logs {name} ")
    prompt.press("Enter")
    expect(output(page)).to_contain_text("kube-probe")
    run(page, "kubectl describe deployment web")
    expect(output(page)).to_contain_text(
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge"
    )
    page.screenshot(path=str(SCREENSHOTS / "console-describe.png"))


def test_yaml_views_from_the_deployment_card_and_o_yaml(page):
    run(page, "kubectl get deployment web -o yaml")
    expect(output(page).locator("pre.console-out").last).to_contain_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:"
    )
    page.get_by_role("button", name="Show deployment web as YAML").click()
    dialog = page.get_by_role("dialog", name="kubectl get deployment web -o yaml")
    expect(dialog).to_contain_text("kind: Deployment")
    expect(dialog).to_contain_text("  replicas: 6")
    page.screenshot(path=str(SCREENSHOTS / "console-yaml-view.png"))
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def test_the_console_on_a_phone(new_page, live_stack):
    page = new_page(390, 844)
    page.goto(f"{live_stack.url}/playgrounds/{live_stack.new_playground(seed=21)}/")
    expect(containers(page, "web")).to_have_count(6)
    page.locator("#console > summary").click()
    run(page, "kubectl get deploy")
    expect(output(page).locator("pre.console-out").last).to_contain_text(
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE"
    )
    page.locator("#console").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "console-phone.png"))


def test_apply_dialog_ship_yaml_and_export(page, live_stack):
    page.get_by_role("button", name="Apply YAML…").click()
    dialog = page.get_by_role("dialog", name="Apply a manifest")
    box = dialog.get_by_label(re.compile("Paste one or more manifests"))
    expect(box).to_be_focused()
    # A dropped file lands in the box as a document.
    box.evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "cart.yaml", { type: "application/yaml" }));
            const drop = new DragEvent("drop", { dataTransfer: data, bubbles: true });
            el.closest("form").dispatchEvent(drop);
        }""",
        SHOP.replace("name: shop\n", "name: cart\n").replace("app: shop", "app: cart"),
    )
    expect(dialog.get_by_role("status")).to_have_text("1 file added: cart.yaml")
    expect(box).to_have_value(
        re.compile(r"^apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart")
    )
    dialog.get_by_role("button", name="Apply (kubectl apply -f -)").click()
    expect(dialog.get_by_role("status")).to_have_text("deployment.apps/cart created")
    page.screenshot(path=str(SCREENSHOTS / "console-apply-dialog.png"))
    dialog.get_by_role("button", name="Close").first.click()
    expect(containers(page, "cart")).to_have_count(2, timeout=20_000)

    page.get_by_role("button", name=re.compile(r"^ship ship-1\b")).first.click()
    page.screenshot(path=str(SCREENSHOTS / "console-ship-yaml-link.png"))
    page.get_by_role("button", name="Show node ship-1 as YAML").click()
    view = page.get_by_role("dialog", name="kubectl get node ship-1 -o yaml")
    expect(view).to_contain_text("kind: Node")
    expect(view).to_contain_text("name: ship-1")
    view.get_by_role("button", name="Close").click()

    href = page.get_by_role("link", name="Export YAML").get_attribute("href")
    exported = page.request.get(f"{live_stack.url}{href}")
    assert exported.ok
    assert "kind: Deployment\nmetadata:\n  labels:\n    app: cart\n  name: cart" in exported.text()

"""The "Use kubectl" section of the playground page: the one-line command and the
kubeconfig point at this playground's API (Chromium against the live stack)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_the_section_shows_a_command_and_a_kubeconfig_for_this_playground(
    live_stack, playground_id, new_page
):
    page = new_page(390, 844)  # a phone: the longest line must still be readable
    page.goto(f"{live_stack.url}/playgrounds/{playground_id}/")
    section = page.locator("#kubectl-access")
    section.locator("summary").click()
    server = f"{live_stack.url}/k8s/{playground_id}"
    line = section.locator("[data-kubectl-line]")
    page.wait_for_function(
        "s => document.querySelector('[data-kubectl-line]').textContent.includes(s)", arg=server
    )
    assert line.text_content() == f"kubectl --server {server} get pods"
    config = section.locator("[data-kubeconfig]")
    page.wait_for_function(
        "() => document.querySelector('[data-kubeconfig]').textContent.includes('current-context')"
    )
    assert f"server: {server}" in config.text_content()
    box = line.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390  # wrapped, not cut off
    link = section.locator("[data-kubeconfig-link]")
    assert link.get_attribute("href") == f"/k8s/{playground_id}/kubeconfig"

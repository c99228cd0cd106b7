// @ts-check
/**
 * "Use kubectl": fills the panel section with this playground's API server address, the
 * one-line `kubectl --server … get pods` and the kubeconfig file the server hands out
 * (/k8s/<id>/kubeconfig), each with a copy button.
 */

const section = /** @type {HTMLElement | null} */ (document.getElementById("kubectl-access"));
const root = /** @type {HTMLElement | null} */ (document.getElementById("playground"));

/** @param {string} text @param {HTMLButtonElement} button */
async function copy(text, button) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => { button.textContent = label; }, 1600);
}

async function fill() {
  if (!section || !root) return;
  const id = root.dataset.playgroundId ?? "";
  const server = `${location.origin}/k8s/${id}`;
  const oneLiner = `kubectl --server ${server} get pods`;
  const line = /** @type {HTMLElement} */ (section.querySelector("[data-kubectl-line]"));
  const file = /** @type {HTMLElement} */ (section.querySelector("[data-kubeconfig]"));
  const link = /** @type {HTMLAnchorElement} */ (section.querySelector("[data-kubeconfig-link]"));
  line.textContent = oneLiner;
  link.href = `/k8s/${id}/kubeconfig`;
  try {
    const response = await fetch(link.href);
    file.textContent = response.ok ? await response.text() : `(the kubeconfig could not be loaded: ${response.status})`;
  } catch {
    file.textContent = "(the kubeconfig could not be loaded)";
  }
  for (const button of section.querySelectorAll("button[data-copy]")) {
    const target = button.getAttribute("data-copy") === "line" ? line : file;
    button.addEventListener("click", () => copy(target.textContent ?? "", /** @type {HTMLButtonElement} */ (button)));
  }
}

fill();

// @ts-check
/**
 * YAML in the browser: apply a manifest (paste or drop one or more documents), view any object
 * as `kubectl get -o yaml` prints it, export the whole playground.
 *
 * Parsing and printing YAML happen on the server (PyYAML); this module moves text around.
 */

import { h, setText } from "./dom.js";

/** @typedef {{ ok: boolean, text: string }} Answer */

/**
 * A paste area for manifests that also takes dropped .yaml files.
 * @param {{ label: string, submitLabel: string, onApply: (yaml: string) => Promise<Answer>, onCancel?: () => void }} options
 */
export function applyBox({ label, submitLabel, onApply, onCancel }) {
  const id = `yaml-box-${Math.random().toString(36).slice(2, 8)}`;
  const textarea = h("textarea", {
    id, className: "yaml-text", rows: 10, spellcheck: "false", autocapitalize: "off", autocomplete: "off",
    placeholder: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n...",
  });
  const result = h("pre", { className: "yaml-result", role: "status", "aria-live": "polite" });
  const submit = h("button", { type: "submit", className: "btn btn-primary" }, submitLabel);
  const cancel = onCancel ? h("button", { type: "button", className: "btn", onclick: onCancel }, "Cancel") : null;
  const form = h("form", { className: "yaml-box" },
    h("label", { for: id, className: "yaml-label" }, label),
    textarea,
    h("div", { className: "row yaml-actions" }, submit, cancel),
    result,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!textarea.value.trim()) {
      showResult(false, "error: nothing to apply: paste one or more YAML documents first");
      return;
    }
    submit.disabled = true;
    try {
      await onApply(textarea.value);
    } finally {
      submit.disabled = false;
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    else if (event.key === "Escape" && onCancel) onCancel();
  });
  // Dropped files join as documents of one stream, in the order given.
  form.addEventListener("dragover", (event) => {
    event.preventDefault();
    form.classList.add("is-drop");
  });
  form.addEventListener("dragleave", () => form.classList.remove("is-drop"));
  form.addEventListener("drop", async (event) => {
    event.preventDefault();
    form.classList.remove("is-drop");
    const files = [...(event.dataTransfer?.files ?? [])];
    if (!files.length) return;
    const texts = await Promise.all(files.map((f) => f.text()));
    const joined = texts.map((t) => t.replace(/\s+$/, "")).join("\n---\n");
    textarea.value = textarea.value.trim() ? `${textarea.value.replace(/\s+$/, "")}\n---\n${joined}` : joined;
    showResult(true, `${files.length} file${files.length === 1 ? "" : "s"} added: ${files.map((f) => f.name).join(", ")}`);
  });

  /** @param {boolean} ok @param {string} text */
  function showResult(ok, text) {
    result.dataset.ok = String(ok);
    setText(result, text);
  }
  return {
    el: form,
    textarea,
    showResult,
    focus: () => textarea.focus(),
    reset: () => {
      textarea.value = "";
      setText(result, "");
    },
  };
}

export class YamlPanel {
  /**
   * @param {HTMLElement} host  where the dialogs live
   * @param {{ playgroundId: string, run: (args: { command: string, yaml?: string }) => Promise<Answer> }} deps
   */
  constructor(host, { playgroundId, run }) {
    this.playgroundId = playgroundId;
    this.run = run;
    this.viewTitle = h("h2", { id: "yaml-view-title", className: "yaml-dialog-title" });
    this.viewText = h("pre", { className: "yaml-view-text", tabindex: "0", "aria-label": "The object as YAML" });
    const copy = h("button", { type: "button", className: "btn btn-small" }, "Copy");
    copy.addEventListener("click", () => {
      void navigator.clipboard?.writeText(this.viewText.textContent ?? "");
      setText(copy, "Copied");
      setTimeout(() => setText(copy, "Copy"), 1500);
    });
    this.viewDialog = h("dialog", { className: "yaml-dialog", "aria-labelledby": "yaml-view-title" },
      h("div", { className: "yaml-dialog-head" }, this.viewTitle,
        h("div", { className: "row" }, copy,
          h("button", { type: "button", className: "btn btn-small", onclick: () => this.viewDialog.close() }, "Close"))),
      this.viewText,
    );

    this.box = applyBox({
      label: "Paste one or more manifests (YAML documents separated by ---), or drop .yaml files here",
      submitLabel: "Apply (kubectl apply -f -)",
      onApply: async (yaml) => {
        const answer = await this.run({ command: "kubectl apply -f -", yaml });
        this.box.showResult(answer.ok, answer.text);
        return answer;
      },
      onCancel: () => this.applyDialog.close(),
    });
    this.applyDialog = h("dialog", { className: "yaml-dialog", "aria-labelledby": "yaml-apply-title" },
      h("div", { className: "yaml-dialog-head" },
        h("h2", { id: "yaml-apply-title", className: "yaml-dialog-title" }, "Apply a manifest"),
        h("button", { type: "button", className: "btn btn-small", onclick: () => this.applyDialog.close() }, "Close")),
      this.box.el,
    );
    host.append(this.viewDialog, this.applyDialog);
  }

  openApply() {
    this.box.reset();
    this.applyDialog.showModal();
    this.box.focus();
  }

  /**
   * Show one object as YAML (GET /playgrounds/<id>/yaml/<kind>/<name>).
   * @param {string} kind  e.g. "deployments", "pod", "node"
   * @param {string} name
   */
  async view(kind, name) {
    setText(this.viewTitle, `kubectl get ${kind} ${name} -o yaml`);
    setText(this.viewText, "loading…");
    if (!this.viewDialog.open) this.viewDialog.showModal();
    const url = `/playgrounds/${encodeURIComponent(this.playgroundId)}/yaml/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
    try {
      const response = await fetch(url, { headers: { Accept: "application/yaml" } });
      setText(this.viewText, response.ok ? await response.text() : `Error from server (NotFound): ${kind} "${name}" not found`);
    } catch {
      setText(this.viewText, "error: could not reach the playground");
    }
    this.viewText.focus();
  }

  /** The URL of the whole playground as one manifest. */
  exportUrl() {
    return `/playgrounds/${encodeURIComponent(this.playgroundId)}/export.yaml`;
  }

  /**
   * Keep a small "YAML" button in panels other modules draw (they redraw freely; the button is
   * put back whenever it is missing).
   * @param {Element | null} container  watched for changes
   * @param {string} headSelector  where the button goes (each match gets one)
   * @param {(head: Element) => { kind: string, name: string } | null} target  what it shows
   */
  attachLinks(container, headSelector, target) {
    if (!container) return;
    const ensure = () => {
      for (const head of container.querySelectorAll(headSelector)) {
        const existing = head.querySelector(":scope > .yaml-link");
        if (existing) {
          // The panel may now show another object: the button's name follows it.
          const what = target(head);
          const name = what ? `Show ${what.kind} ${what.name} as YAML` : "Show as YAML";
          if (existing.getAttribute("aria-label") !== name) existing.setAttribute("aria-label", name);
          continue;
        }
        const button = h("button", { type: "button", className: "btn btn-small yaml-link" }, "YAML");
        button.addEventListener("click", (event) => {
          event.stopPropagation();
          const what = target(head);
          if (what) void this.view(what.kind, what.name);
        });
        const what = target(head);
        button.setAttribute("aria-label", what ? `Show ${what.kind} ${what.name} as YAML` : "Show as YAML");
        const closeButton = head.querySelector(":scope > button:last-child");
        if (closeButton && container.matches("[role=dialog]")) head.insertBefore(button, closeButton);
        else head.append(button);
      }
    };
    new MutationObserver(ensure).observe(container, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["hidden"],
    });
    ensure();
  }
}

// @ts-check
/** The kubectl strip (what each click means in kubectl, and the server's answer) and the red error toasts. */

import { h, setText } from "./dom.js";

/** @typedef {import("./actions.js").Outcome} Outcome */

const TOAST_MS = 7000;

export class Toasts {
  /**
   * @param {HTMLElement} strip  the kubectl strip
   * @param {HTMLElement} alerts  role="alert" container for errors
   */
  constructor(strip, alerts) {
    this.strip = strip;
    this.command = /** @type {HTMLElement} */ (strip.querySelector(".kubectl-command"));
    this.result = /** @type {HTMLElement} */ (strip.querySelector(".kubectl-result"));
    this.alerts = alerts;
    /** @type {string | undefined} the id the strip is showing */
    this.showing = undefined;
  }

  /** @param {Outcome} outcome */
  report(outcome) {
    if (outcome.kind === "sent") {
      this.showing = outcome.id;
      this.show("sent", outcome.command, "sending…");
      this.strip.classList.remove("flash");
      void this.strip.offsetWidth; // restart the highlight animation
      this.strip.classList.add("flash");
      return;
    }
    if (outcome.kind === "offline") {
      this.show("error", outcome.command, "not sent: not connected");
      this.error(outcome.message ?? "Not connected");
      return;
    }
    const mine = !outcome.id || outcome.id === this.showing;
    if (outcome.kind === "ack") {
      if (mine) this.show("ok", null, `✓ ${outcome.message || "done"}`);
      return;
    }
    if (mine) this.show("error", outcome.command || null, `✗ ${outcome.message || "error"}`);
    this.error(outcome.message || "Something went wrong", outcome.command);
  }

  /**
   * @param {string} state
   * @param {string | null} command  null keeps the command shown
   * @param {string} result
   */
  show(state, command, result) {
    this.strip.dataset.state = state;
    if (command !== null) {
      setText(this.command, command);
      this.command.title = command;
    }
    setText(this.result, result);
    this.result.title = result;
  }

  /**
   * A red toast that reads itself out and goes away after a while.
   * @param {string} message
   * @param {string} [command]
   */
  error(message, command) {
    const toast = h(
      "div",
      { className: "toast toast-error" },
      h("p", { className: "toast-message" }, h("strong", null, "Error: "), message),
      command ? h("p", { className: "toast-command" }, h("code", null, command)) : null,
      h("button", { type: "button", className: "toast-close", "aria-label": "Dismiss error", onclick: () => toast.remove() }, "×"),
    );
    this.alerts.append(toast);
    while (this.alerts.childElementCount > 3) this.alerts.firstElementChild?.remove();
    setTimeout(() => toast.remove(), TOAST_MS);
  }
}

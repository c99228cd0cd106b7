// @ts-check
/** Time controls and status: simulated clock, paused badge, pause/resume, step, speed, connection state. */

import { setText } from "./dom.js";
import { formatClock } from "./k8s.js";

/**
 * @typedef {import("./state.js").Settings} Settings
 * @typedef {import("./socket.js").LinkStatus} LinkStatus
 * @typedef {(control: "pause" | "resume" | "step" | "speed", args?: Record<string, any>) => void} Control
 */

const STATUS_TEXT = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", gone: "Not found" };

export class TimeBar {
  /**
   * @param {ParentNode} root
   * @param {Control} control
   */
  constructor(root, control) {
    this.clock = /** @type {HTMLElement} */ (root.querySelector("#clock"));
    this.badge = /** @type {HTMLElement} */ (root.querySelector("#paused-badge"));
    this.pause = /** @type {HTMLButtonElement} */ (root.querySelector("#pause"));
    this.step = /** @type {HTMLButtonElement} */ (root.querySelector("#step"));
    this.speed = /** @type {HTMLSelectElement} */ (root.querySelector("#speed"));
    this.status = /** @type {HTMLElement} */ (root.querySelector("#link-status"));
    this.paused = false;
    this.pause.addEventListener("click", () => control(this.paused ? "resume" : "pause"));
    this.step.addEventListener("click", () => control("step"));
    this.speed.addEventListener("change", () => control("speed", { speed: Number(this.speed.value) }));
  }

  /**
   * @param {number} time
   * @param {Settings} settings
   */
  update(time, settings) {
    setText(this.clock, formatClock(time));
    this.paused = Boolean(settings.paused);
    this.badge.hidden = !this.paused;
    setText(this.pause, this.paused ? "Resume" : "Pause");
    this.pause.setAttribute("aria-pressed", this.paused ? "true" : "false");
    document.body.classList.toggle("is-paused", this.paused);
    const speed = String(Number(settings.speed ?? 1));
    if (document.activeElement !== this.speed && this.speed.value !== speed) {
      if (![...this.speed.options].some((o) => o.value === speed)) this.speed.add(new Option(`${speed}×`, speed));
      this.speed.value = speed;
    }
  }

  /**
   * @param {LinkStatus} status
   * @param {number} [retryInMs]
   */
  showLink(status, retryInMs) {
    this.status.dataset.status = status;
    const retry = status !== "live" && retryInMs ? `, retrying in ${Math.max(1, Math.round(retryInMs / 1000))} s` : "";
    setText(this.status.querySelector(".link-text"), STATUS_TEXT[status]);
    this.status.title = `${STATUS_TEXT[status]}${retry}`;
    document.body.dataset.link = status;
  }
}

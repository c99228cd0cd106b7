// @ts-check
/** The rollout strategy form: RollingUpdate or Recreate, maxSurge, maxUnavailable, minReadySeconds, progressDeadlineSeconds. */

import { h, setText } from "./dom.js";
import { nameOf } from "./k8s.js";

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

/** "25%" stays a string, "2" becomes 2; anything else is a problem to show. @param {string} text */
export function parseIntOrPercent(text) {
  const value = text.trim();
  const pct = /^(\d{1,3})%$/.exec(value);
  if (pct) return Number(pct[1]) <= 100 ? { value } : { error: "a percentage is at most 100%" };
  if (/^\d{1,4}$/.test(value)) return { value: Number(value) };
  return { error: "a whole number or a percentage such as 25%" };
}

/** @param {string} text @param {string} field @param {number} min */
function parseSeconds(text, field, min) {
  const value = text.trim();
  if (!/^\d{1,6}$/.test(value) || Number(value) < min) return { error: `${field} must be a whole number of seconds, at least ${min}` };
  return { value: Number(value) };
}

export class StrategyForm {
  /** @param {Act} act */
  constructor(act) {
    this.act = act;
    this.deployment = "";
    /** @type {Record<string, any>} what the spec says now */
    this.shown = {};
    /** the deployment and spec the fields were last filled from */
    this.filled = "";
    const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {string} */ hint, /** @type {Record<string, any>} */ attrs) => {
      const input = h("input", { id, className: "ro-input", autocomplete: "off", spellcheck: "false", autocapitalize: "off", ...attrs });
      return { input, box: h("div", { className: "ro-field" }, h("label", { for: id }, label, " ", h("span", { className: "hint" }, hint)), input) };
    };
    this.rolling = h("input", { type: "radio", name: "ro-strategy", value: "RollingUpdate", id: "ro-strategy-rolling" });
    this.recreate = h("input", { type: "radio", name: "ro-strategy", value: "Recreate", id: "ro-strategy-recreate" });
    const surge = field("ro-max-surge", "maxSurge", "extra pods allowed", { type: "text", inputmode: "text", placeholder: "25%" });
    const unavail = field("ro-max-unavailable", "maxUnavailable", "pods that may be missing", { type: "text", inputmode: "text", placeholder: "25%" });
    const minReady = field("ro-min-ready", "minReadySeconds", "Ready this long to count", { type: "number", min: "0", inputmode: "numeric" });
    const deadline = field("ro-deadline", "progressDeadlineSeconds", "then: ProgressDeadlineExceeded", { type: "number", min: "1", inputmode: "numeric" });
    const history = field("ro-history", "revisionHistoryLimit", "old ReplicaSets kept for undo", { type: "number", min: "0", inputmode: "numeric" });
    this.surge = surge.input;
    this.unavail = unavail.input;
    this.minReady = minReady.input;
    this.deadline = deadline.input;
    this.history = history.input;
    this.error = h("p", { className: "form-error", role: "status" });
    for (const radio of [this.rolling, this.recreate]) radio.addEventListener("change", () => this.syncDisabled());
    this.form = h("form", { className: "ro-strategy-form", "aria-label": "Rollout strategy" },
      h("fieldset", { className: "ro-kind" },
        h("legend", null, "Strategy"),
        h("label", { className: "seg seg-inline" }, this.rolling, h("span", null, "RollingUpdate")),
        h("label", { className: "seg seg-inline" }, this.recreate, h("span", null, "Recreate")),
      ),
      h("div", { className: "ro-fields" }, surge.box, unavail.box, minReady.box, deadline.box, history.box),
      h("div", { className: "row ro-form-end" },
        h("button", { type: "submit", className: "btn btn-primary" }, "Apply strategy"),
      ),
      this.error,
      h("p", { className: "hint ro-form-hint" },
        "Recreate stops every old pod before any new one starts (a gap in service). RollingUpdate keeps at least desired − maxUnavailable pods available and at most desired + maxSurge pods in all. ",
        "Applying this changes no pod template, so nothing rolls out."),
    );
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.root = h("details", { className: "ro-strategy" }, h("summary", null, "Strategy and deadline"), this.form);
  }

  syncDisabled() {
    const recreate = this.recreate.checked;
    this.surge.disabled = recreate;
    this.unavail.disabled = recreate;
  }

  /** @param {KObject} d */
  update(d) {
    const name = nameOf(d);
    const spec = d.spec ?? {};
    const ru = spec.strategy?.rollingUpdate ?? {};
    const now = {
      strategy: String(spec.strategy?.type ?? "RollingUpdate"),
      maxSurge: ru.maxSurge ?? "", maxUnavailable: ru.maxUnavailable ?? "",
      minReadySeconds: spec.minReadySeconds ?? 0, progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
    };
    const other = name !== this.deployment;
    const signature = `${name}|${JSON.stringify(now)}`;
    const changed = signature !== this.filled;
    this.deployment = name;
    this.shown = now; // what the spec says now: a submit sends only what differs from it
    this.form.setAttribute("aria-label", `Rollout strategy of ${name}`);
    if (!changed || (!other && this.form.contains(document.activeElement))) return;
    this.filled = signature;
    this.rolling.checked = now.strategy !== "Recreate";
    this.recreate.checked = now.strategy === "Recreate";
    // Recreate has no rollingUpdate: offer the API defaults for a switch back.
    this.surge.value = String(now.maxSurge === "" ? "25%" : now.maxSurge);
    this.unavail.value = String(now.maxUnavailable === "" ? "25%" : now.maxUnavailable);
    this.minReady.value = String(now.minReadySeconds);
    this.deadline.value = String(now.progressDeadlineSeconds);
    this.history.value = String(now.revisionHistoryLimit);
    this.syncDisabled();
    setText(this.error, "");
  }

  /** Send only what differs from the spec, so the kubectl patch says exactly what changes. */
  submit() {
    const was = this.shown;
    /** @type {Record<string, any>} */
    const args = { deployment: this.deployment };
    const strategy = this.recreate.checked ? "Recreate" : "RollingUpdate";
    const problems = [];
    if (strategy !== was.strategy) args.strategy = strategy;
    if (strategy === "RollingUpdate") {
      for (const [key, input] of /** @type {[string, HTMLInputElement][]} */ ([["maxSurge", this.surge], ["maxUnavailable", this.unavail]])) {
        const parsed = parseIntOrPercent(input.value);
        if (parsed.error) problems.push(`${key}: ${parsed.error}`);
        else if (args.strategy || String(parsed.value) !== String(was[key])) args[key] = parsed.value;
      }
    }
    const minReady = parseSeconds(this.minReady.value, "minReadySeconds", 0);
    const deadline = parseSeconds(this.deadline.value, "progressDeadlineSeconds", 1);
    const history = /^\d{1,3}$/.test(this.history.value.trim())
      ? { value: Number(this.history.value.trim()) } : { error: "revisionHistoryLimit must be a whole number, 0 or more" };
    for (const [key, parsed] of /** @type {[string, any][]} */ ([["minReadySeconds", minReady], ["progressDeadlineSeconds", deadline], ["revisionHistoryLimit", history]])) {
      if (parsed.error) problems.push(parsed.error);
      else if (parsed.value !== Number(was[key])) args[key] = parsed.value;
    }
    if (!problems.length && Object.keys(args).length === 1) problems.push("Nothing changed.");
    setText(this.error, problems.join(" · "));
    if (problems.length) return;
    this.act("set_rollout", args);
  }
}

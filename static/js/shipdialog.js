// @ts-check
/** The ship panel: opens over the harbour when a ship is clicked: capacity, state, taints, labels, and what can be done to it. */

import { h, setText } from "./dom.js";
import { EFFECTS, keyProblem, parseLabels, valueProblem } from "./nodeforms.js";
import { formatCpu, formatMemory } from "./quantity.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./layout.js").ShipBox} ShipBox
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

/** Labels every node carries that people should not remove from here. */
const SYSTEM_LABEL = /^(kubernetes\.io\/|beta\.kubernetes\.io\/|node\.kubernetes\.io\/)/;

export class ShipDialog {
  /**
   * @param {HTMLElement} panel  the hidden role="dialog" element inside the stage
   * @param {{ remove: (name: string) => void, act: Act, onChange: (name: string | null) => void }} handlers
   */
  constructor(panel, handlers) {
    this.panel = panel;
    this.handlers = handlers;
    /** @type {string | null} */
    this.name = null;
    /** @type {HTMLElement | null} */
    this.returnTo = null;
    /** @type {ShipBox | null} */
    this.ship = null;
    const act = (/** @type {string} */ action, /** @type {Record<string, any>} */ args = {}) => {
      if (this.name) handlers.act(action, { name: this.name, ...args });
    };
    this.title = h("h2", { id: "ship-panel-title", className: "ship-panel-title" });
    this.status = h("p", { className: "ship-panel-status" });
    this.facts = h("dl", { className: "ship-panel-facts" });
    this.cargo = h("p", { className: "ship-panel-cargo" });
    this.cordonButton = h("button", { type: "button", className: "btn btn-small" }, "Cordon");
    this.cordonButton.addEventListener("click", () => act(this.ship?.cordoned ? "uncordon" : "cordon"));
    this.drainButton = h("button", { type: "button", className: "btn btn-small" }, "Drain");
    this.drainButton.addEventListener("click", () => act("drain"));
    this.sinkButton = h("button", { type: "button", className: "btn btn-small btn-danger" }, "Sink");
    this.sinkButton.addEventListener("click", () => act(this.sunk() ? "raise_node" : "sink_node"));
    this.removeButton = h("button", { type: "button", className: "btn btn-danger btn-small" }, "Remove ship");
    this.removeButton.addEventListener("click", () => {
      if (this.name) this.handlers.remove(this.name);
    });
    const close = h("button", { type: "button", className: "btn ship-panel-close", "aria-label": "Close ship details" }, "×");
    close.addEventListener("click", () => this.close());

    // Taints: the list, and a small form (key, value, effect).
    this.taintList = h("ul", { className: "tagchips", "aria-label": "Taints" });
    const tKey = h("input", { type: "text", className: "tagchip-input", "aria-label": "Taint key", placeholder: "key", autocomplete: "off", spellcheck: "false", autocapitalize: "off" });
    const tValue = h("input", { type: "text", className: "tagchip-input", "aria-label": "Taint value", placeholder: "value", autocomplete: "off", spellcheck: "false", autocapitalize: "off" });
    const tEffect = h("select", { className: "select tagchip-select", "aria-label": "Taint effect" }, ...EFFECTS.map((e) => new Option(e, e)));
    this.taintError = h("p", { className: "form-error", role: "status" });
    const taintForm = h("form", { className: "tagchip-form", "aria-label": "Add a taint" },
      tKey, h("span", { "aria-hidden": "true" }, "="), tValue, tEffect,
      h("button", { type: "submit", className: "btn btn-small" }, "Add taint"));
    taintForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const key = tKey.value.trim();
      const value = tValue.value.trim();
      const problem = keyProblem(key) || valueProblem(value);
      setText(this.taintError, problem ? `Taint: ${problem}` : "");
      if (problem) return;
      act("taint_node", value ? { key, value, effect: tEffect.value } : { key, effect: tEffect.value });
      tKey.value = "";
      tValue.value = "";
    });

    // Labels: the list, and "key=value".
    this.labelList = h("ul", { className: "tagchips", "aria-label": "Labels" });
    const lText = h("input", { type: "text", className: "tagchip-input tagchip-input-wide", "aria-label": "New label (key=value)", placeholder: "key=value", autocomplete: "off", spellcheck: "false", autocapitalize: "off" });
    this.labelError = h("p", { className: "form-error", role: "status" });
    const labelForm = h("form", { className: "tagchip-form", "aria-label": "Add a label" }, lText,
      h("button", { type: "submit", className: "btn btn-small" }, "Add label"));
    labelForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const { labels, error } = parseLabels(lText.value);
      const empty = !error && !Object.keys(labels).length;
      setText(this.labelError, error ? `Label: ${error}` : empty ? "Label: write key=value" : "");
      if (error || empty) return;
      act("label_node", { labels });
      lText.value = "";
    });

    panel.setAttribute("aria-labelledby", "ship-panel-title");
    panel.tabIndex = -1;
    panel.replaceChildren(
      h("div", { className: "ship-panel-head" }, this.title, close),
      this.status,
      this.facts,
      this.cargo,
      h("div", { className: "ship-panel-actions", role: "group", "aria-label": "Ship actions" },
        this.cordonButton, this.drainButton, this.sinkButton, this.removeButton),
      h("p", { className: "ship-panel-hint" },
        "Cordon: no new pods. Drain: cordon and evict (budgets respected). Sink: the machine stops answering. Remove: drain, then delete."),
      h("h3", { className: "ship-panel-sub" }, "Taints"),
      this.taintList, taintForm, this.taintError,
      h("h3", { className: "ship-panel-sub" }, "Labels"),
      this.labelList, labelForm, this.labelError,
    );
    this.act = act;
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
    /** @type {(name: string) => boolean} set by the page: this browser sank the ship and has not raised it */
    this.isSunk = () => false;
  }

  sunk() {
    const ship = this.ship;
    if (!ship) return false;
    return ship.sunk || this.isSunk(ship.name);
  }

  /**
   * @param {string} name
   * @param {Layout} layout
   * @param {HTMLElement} [from] focus returns here on close
   */
  open(name, layout, from) {
    this.name = name;
    this.returnTo = from ?? null;
    this.panel.hidden = false;
    this.update(layout);
    this.handlers.onChange(name);
    // Focus the panel, not its Remove button: a second Enter must not sink the ship.
    this.panel.focus();
  }

  close() {
    if (!this.name) return;
    this.name = null;
    this.ship = null;
    this.panel.hidden = true;
    this.handlers.onChange(null);
    this.returnTo?.focus();
  }

  /** @param {Layout} layout */
  update(layout) {
    if (!this.name) return;
    const ship = layout.shipIndex.get(this.name);
    this.ship = ship ?? null;
    if (!ship) {
      setText(this.status, "This ship has left the harbour.");
      for (const b of [this.removeButton, this.cordonButton, this.drainButton, this.sinkButton]) b.disabled = true;
      return;
    }
    for (const b of [this.cordonButton, this.drainButton, this.sinkButton]) b.disabled = false;
    setText(this.title, ship.name);
    const ready = ship.ready === "Ready"
      ? "Ready"
      : `NotReady (Ready=${ship.readyStatus}${ship.readyReason ? `: ${ship.readyReason}` : ""})`;
    const scheduling = ship.draining ? "draining (no new pods)" : ship.cordoned ? "cordoned (no new pods)" : "accepting pods";
    setText(this.status, `${ready} · ${scheduling}`);
    this.status.dataset.draining = String(ship.draining || ship.cordoned);
    this.status.dataset.ready = ship.ready;
    const pct = (/** @type {number} */ a, /** @type {number} */ b) => `${Math.round((100 * a) / Math.max(b, 1e-9))}%`;
    const rows = [
      ["CPU requested", `${formatCpu(ship.cpuUsed)} of ${formatCpu(ship.cpuAlloc)}`, ship.cpuUsed / Math.max(ship.cpuAlloc, 1e-9), pct(ship.cpuUsed, ship.cpuAlloc)],
      ["Memory requested", `${formatMemory(ship.memUsed)} of ${formatMemory(ship.memAlloc)}`, ship.memUsed / Math.max(ship.memAlloc, 1), pct(ship.memUsed, ship.memAlloc)],
      ["Pods", `${ship.podCount} of ${ship.podAlloc}`, ship.podCount / Math.max(ship.podAlloc, 1), pct(ship.podCount, ship.podAlloc)],
    ];
    const signature = rows.flat().join("|");
    if (this.facts.dataset.signature !== signature) {
      this.facts.dataset.signature = signature;
      this.facts.replaceChildren(...rows.map(([k, v, f, p]) => {
        const frac = Math.max(0, Math.min(1, Number(f)));
        const level = frac >= 0.9 ? "high" : frac >= 0.7 ? "mid" : "low";
        return h("div", { className: "fact" },
          h("dt", null, String(k)),
          h("dd", null, `${v} (${p})`),
          h("div", { className: `gauge gauge-${level}`, role: "img", "aria-label": `${k}: ${v}`, style: `--f:${frac.toFixed(3)}` }));
      }));
    }
    /** @type {Map<string, number>} */
    const apps = new Map();
    let terminating = 0;
    for (const pod of layout.pods) {
      if (pod.node !== ship.name) continue;
      apps.set(pod.app, (apps.get(pod.app) ?? 0) + 1);
      if (pod.state === "Terminating") terminating += 1;
    }
    const carrying = apps.size ? `Carrying ${[...apps].map(([a, n]) => `${n} × ${a}`).join(", ")}` : "Carrying nothing";
    setText(this.cargo, terminating ? `${carrying} (${terminating} Terminating)` : carrying);

    const sunk = this.sunk();
    setText(this.cordonButton, ship.cordoned ? "Uncordon" : "Cordon");
    this.cordonButton.setAttribute("aria-pressed", String(ship.cordoned));
    this.drainButton.disabled = ship.draining;
    setText(this.drainButton, ship.draining ? "Draining…" : "Drain");
    setText(this.sinkButton, sunk ? "Raise" : "Sink");
    this.sinkButton.className = sunk ? "btn btn-small btn-primary" : "btn btn-small btn-danger";
    this.removeButton.disabled = false;
    setText(this.removeButton, "Remove ship");

    this.fillChips(this.taintList, ship.taints.map((t) => ({ text: t, removable: true })), (text) => {
      const m = /^([^=:]+)(?:=[^:]*)?:(\w+)$/.exec(text);
      if (m) this.act("untaint_node", { key: m[1], effect: m[2] });
    }, "taint", "No taints");
    const labels = Object.entries(ship.labels).filter(([k]) => !SYSTEM_LABEL.test(k)).map(([k, v]) => ({ text: `${k}=${v}`, removable: true }));
    this.fillChips(this.labelList, labels, (text) => {
      this.act("label_node", { labels: { [text.split("=")[0]]: null } });
    }, "label", "No labels of your own (kubernetes.io/* not shown)");
    this.place(ship, layout);
  }

  /**
   * @param {HTMLElement} list
   * @param {{ text: string, removable: boolean }[]} items
   * @param {(text: string) => void} onRemove
   * @param {string} what
   * @param {string} none
   */
  fillChips(list, items, onRemove, what, none) {
    const signature = items.map((i) => `${i.text}${i.removable ? "" : "!"}`).join("\n");
    if (list.dataset.signature === signature && list.childElementCount) return;
    list.dataset.signature = signature;
    if (!items.length) {
      list.replaceChildren(h("li", { className: "tagchip tagchip-none" }, none));
      return;
    }
    list.replaceChildren(...items.map((item) => h("li", { className: "tagchip" },
      h("code", null, item.text),
      item.removable
        ? h("button", {
          type: "button", className: "tagchip-x", "aria-label": `Remove ${what} ${item.text}`,
          onclick: () => onRemove(item.text),
        }, "×")
        : null)));
  }

  /**
   * Sit beside the ship, inside the stage.
   * @param {ShipBox} ship
   * @param {Layout} layout
   */
  place(ship, layout) {
    const width = Math.min(400, layout.width - 16);
    this.panel.style.width = `${Math.round(width)}px`;
    this.panel.style.maxHeight = `${Math.round(layout.height - 16)}px`;
    const height = Math.min(this.panel.offsetHeight || 280, layout.height - 16);
    const box = ship.box;
    const fitsRight = box.x + box.w + 12 + width <= layout.width - 8;
    const fitsLeft = box.x - 12 - width >= 8;
    let left;
    let top;
    if (fitsRight || fitsLeft) {
      // beside the ship, level with it
      left = fitsRight ? box.x + box.w + 12 : box.x - 12 - width;
      top = box.y + box.h / 2 - height / 2;
    } else {
      const below = box.y + box.h + 10;
      const above = box.y - height - 10;
      if (below + height <= layout.height - 8 || above >= 8) {
        left = box.x + box.w / 2 - width / 2;
        top = below + height <= layout.height - 8 ? below : above;
      } else {
        // No room beside, above or below: hug the edge farther from the ship, so most of it stays in view.
        left = box.x + box.w / 2 > layout.width / 2 ? 8 : layout.width - width - 8;
        top = 8;
      }
    }
    left = Math.max(8, Math.min(layout.width - width - 8, left));
    top = Math.max(8, Math.min(layout.height - height - 8, top));
    this.panel.style.left = `${Math.round(left)}px`;
    this.panel.style.top = `${Math.round(top)}px`;
  }
}

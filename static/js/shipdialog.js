// @ts-check
/** The ship panel: opens over the harbour when a ship is clicked, shows its details, offers "Remove ship". */

import { h, setText } from "./dom.js";
import { formatCpu, formatMemory } from "./quantity.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./layout.js").ShipBox} ShipBox
 */

export class ShipDialog {
  /**
   * @param {HTMLElement} panel  the hidden role="dialog" element inside the stage
   * @param {{ remove: (name: string) => void, onChange: (name: string | null) => void }} handlers
   */
  constructor(panel, handlers) {
    this.panel = panel;
    this.handlers = handlers;
    /** @type {string | null} */
    this.name = null;
    /** @type {HTMLElement | null} */
    this.returnTo = null;
    this.title = h("h2", { id: "ship-panel-title", className: "ship-panel-title" });
    this.status = h("p", { className: "ship-panel-status" });
    this.facts = h("dl", { className: "ship-panel-facts" });
    this.cargo = h("p", { className: "ship-panel-cargo" });
    this.removeButton = h("button", { type: "button", className: "btn btn-danger" }, "Remove ship");
    this.removeButton.addEventListener("click", () => {
      if (this.name) this.handlers.remove(this.name);
    });
    const close = h("button", { type: "button", className: "btn ship-panel-close", "aria-label": "Close ship details" }, "×");
    close.addEventListener("click", () => this.close());
    panel.setAttribute("aria-labelledby", "ship-panel-title");
    panel.tabIndex = -1;
    panel.replaceChildren(
      h("div", { className: "ship-panel-head" }, this.title, close),
      this.status,
      this.facts,
      this.cargo,
      h("p", { className: "ship-panel-hint" }, "Removing drains the ship: its pods are evicted and rescheduled elsewhere."),
      this.removeButton,
    );
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
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
    this.panel.hidden = true;
    this.handlers.onChange(null);
    this.returnTo?.focus();
  }

  /** @param {Layout} layout */
  update(layout) {
    if (!this.name) return;
    const ship = layout.shipIndex.get(this.name);
    if (!ship) {
      setText(this.status, "This ship has left the harbour.");
      this.removeButton.disabled = true;
      return;
    }
    setText(this.title, ship.name);
    const status = [ship.ready, ship.draining ? "draining (no new pods)" : "accepting pods"].join(" · ");
    setText(this.status, status);
    this.status.dataset.draining = String(ship.draining);
    const rows = [
      ["CPU requested", `${formatCpu(ship.cpuUsed)} of ${formatCpu(ship.cpuAlloc)}`],
      ["Memory requested", `${formatMemory(ship.memUsed)} of ${formatMemory(ship.memAlloc)}`],
      ["Pods", String(ship.podCount)],
    ];
    const signature = rows.flat().join("|");
    if (this.facts.dataset.signature !== signature) {
      this.facts.dataset.signature = signature;
      this.facts.replaceChildren(...rows.map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, v))));
    }
    /** @type {Map<string, number>} */
    const apps = new Map();
    for (const pod of layout.pods) if (pod.node === ship.name) apps.set(pod.app, (apps.get(pod.app) ?? 0) + 1);
    setText(this.cargo, apps.size ? `Carrying ${[...apps].map(([a, n]) => `${n} × ${a}`).join(", ")}` : "Carrying nothing");
    this.removeButton.disabled = ship.draining;
    setText(this.removeButton, ship.draining ? "Leaving the harbour…" : "Remove ship");
    this.place(ship, layout);
  }

  /**
   * Sit beside the ship, inside the stage.
   * @param {ShipBox} ship
   * @param {Layout} layout
   */
  place(ship, layout) {
    const width = Math.min(380, layout.width - 16);
    this.panel.style.width = `${Math.round(width)}px`;
    const height = this.panel.offsetHeight || 280;
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
      left = box.x + box.w / 2 - width / 2;
      const below = box.y + box.h + 10;
      const above = box.y - height - 10;
      top = below + height <= layout.height - 8 ? below : above >= 8 ? above : Math.max(below, above);
    }
    left = Math.max(8, Math.min(layout.width - width - 8, left));
    top = Math.max(8, Math.min(layout.height - height - 8, top));
    this.panel.style.left = `${Math.round(left)}px`;
    this.panel.style.top = `${Math.round(top)}px`;
  }
}

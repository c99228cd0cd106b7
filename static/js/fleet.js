// @ts-check
/** The Ships section: add a ship by size, the list with remove buttons, and the scheduler strategy switch. */

import { h, setText } from "./dom.js";
import { parseLabels, parseTaints } from "./nodeforms.js";
import { formatCpu, formatMemory } from "./quantity.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

export class Fleet {
  /**
   * @param {HTMLElement} root  the section holding #add-ship, #ship-list and the strategy radios
   * @param {Act} act
   */
  constructor(root, act) {
    this.root = root;
    this.act = act;
    this.list = /** @type {HTMLElement} */ (root.querySelector("#ship-list"));
    /** @type {Map<string, HTMLElement>} */
    this.rows = new Map();
    const form = /** @type {HTMLFormElement} */ (root.querySelector("#add-ship"));
    const error = /** @type {HTMLElement} */ (form.querySelector(".form-error"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const size = /** @type {HTMLSelectElement} */ (form.querySelector("select")).value;
      const labelsText = /** @type {HTMLInputElement | null} */ (form.querySelector("#ship-labels"))?.value ?? "";
      const taintsText = /** @type {HTMLInputElement | null} */ (form.querySelector("#ship-taints"))?.value ?? "";
      const labels = parseLabels(labelsText);
      const taints = parseTaints(taintsText);
      const problem = labels.error ? `Labels: ${labels.error}` : taints.error ? `Taints: ${taints.error}` : "";
      setText(error, problem);
      if (problem) return;
      /** @type {Record<string, any>} */
      const args = { size };
      if (Object.keys(labels.labels).length) args.labels = labels.labels;
      if (taints.taints.length) args.taints = taints.taints;
      act("add_node", args);
    });
    this.strategies = /** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll("input[name=strategy]"));
    for (const radio of this.strategies) {
      radio.addEventListener("change", () => {
        if (radio.checked) act("set_strategy", { strategy: radio.value });
      });
    }
  }

  /** @param {string} strategy */
  showStrategy(strategy) {
    for (const radio of this.strategies) {
      const on = radio.value === strategy;
      if (radio.checked !== on) radio.checked = on;
    }
  }

  /** @param {Layout} layout */
  update(layout) {
    const seen = new Set();
    layout.ships.forEach((ship, index) => {
      seen.add(ship.name);
      let row = this.rows.get(ship.name);
      if (!row) {
        row = h(
          "li",
          { className: "ship-row", dataset: { node: ship.name } },
          h("span", { className: "ship-name" }, ship.name),
          h("span", { className: "ship-facts" }),
          h("button", {
            type: "button", className: "btn btn-danger btn-small", "aria-label": `Remove ship ${ship.name}`,
            onclick: () => this.act("remove_node", { name: ship.name }),
          }, "Remove"),
        );
        this.rows.set(ship.name, row);
      }
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] ?? null);
      const facts = `${formatCpu(ship.cpuAlloc)} CPU · ${formatMemory(ship.memAlloc)} · ${ship.podCount} pods${ship.status ? ` · ${ship.status}` : ""}`;
      setText(row.querySelector(".ship-facts"), facts);
      row.classList.toggle("is-draining", ship.draining);
      row.classList.toggle("is-cordoned", ship.cordoned);
      row.classList.toggle("is-down", ship.ready !== "Ready");
      const remove = /** @type {HTMLButtonElement} */ (row.querySelector("button"));
      remove.disabled = ship.draining;
      setText(remove, ship.draining ? "Leaving…" : "Remove");
    });
    for (const [name, row] of this.rows) {
      if (seen.has(name)) continue;
      row.remove();
      this.rows.delete(name);
    }
  }
}

// @ts-check
/** The accessible layer: a transparent button over every drawn ship and container, kept in step with the layout. */

import { formatCpu } from "./quantity.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./layout.js").PodBox} PodBox
 * @typedef {import("./layout.js").ShipBox} ShipBox
 */

/**
 * The words a screen reader says for a container.
 * @param {PodBox} pod
 * @param {boolean} [onShip] false when it waits on the quay (no ship, or its ship is gone)
 */
export function podLabel(pod, onShip = Boolean(pod.node)) {
  // Extras come after "pod NAME, STATE, on SHIP", which tests and people rely on.
  const extra = pod.restarts ? `, restarts ${pod.restarts}` : "";
  if (!onShip) return `pod ${pod.name}, ${pod.state}, on the quay: ${pod.reason}${extra}`;
  return `pod ${pod.name}, ${pod.state}, on ${pod.node}${extra}`;
}

/**
 * The words a screen reader says for a ship.
 * @param {ShipBox} ship
 */
export function shipLabel(ship) {
  const pods = ship.podCount === 1 ? "1 pod" : `${ship.podCount} pods`;
  let label = `ship ${ship.name}, ${ship.ready}, ${pods}, ${formatCpu(ship.cpuUsed)} of ${formatCpu(ship.cpuAlloc)} CPU requested`;
  if (ship.sunk && ship.ready === "Ready") label += ", no signal";
  if (ship.cordoned) label += ", cordoned";
  if (ship.draining) label += ", draining";
  for (const taint of ship.taints ?? []) label += `, tainted ${taint}`;
  return label;
}

export class TargetLayer {
  /**
   * @param {HTMLElement} root  positioned over the canvas, same size
   * @param {{
   *   onPod: (name: string, button: HTMLButtonElement) => void, onShip: (name: string, button: HTMLButtonElement) => void, onWater?: () => void,
   * }} handlers
   */
  constructor(root, handlers) {
    this.root = root;
    /** @type {Map<string, HTMLButtonElement>} */
    this.podButtons = new Map();
    /** @type {Map<string, HTMLButtonElement>} */
    this.shipButtons = new Map();
    /** @type {string[]} */
    this.order = [];
    root.addEventListener("click", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      const button = /** @type {HTMLButtonElement | null} */ (target.closest("button[data-pod], button[data-node]"));
      if (!button || !root.contains(button)) {
        handlers.onWater?.();
        return;
      }
      if (button.dataset.pod) handlers.onPod(button.dataset.pod, button);
      else if (button.dataset.node) handlers.onShip(button.dataset.node, button);
    });
  }

  /**
   * Bring the buttons in line with a layout: create, move, relabel, remove, reorder.
   * @param {Layout} layout
   */
  sync(layout) {
    const quay = layout.pods.filter((p) => !p.node || !layout.shipIndex.has(p.node));
    /** @type {HTMLButtonElement[]} */
    const wanted = [];
    for (const pod of quay) wanted.push(this.podButton(pod, false));
    /** @type {Map<string, PodBox[]>} */
    const cargo = new Map();
    for (const pod of layout.pods) {
      if (!pod.node || !layout.shipIndex.has(pod.node)) continue;
      const list = cargo.get(pod.node) ?? [];
      list.push(pod);
      cargo.set(pod.node, list);
    }
    for (const ship of layout.ships) {
      wanted.push(this.shipButton(ship));
      for (const pod of cargo.get(ship.name) ?? []) wanted.push(this.podButton(pod, true));
    }
    this.prune(this.podButtons, layout.podIndex);
    this.prune(this.shipButtons, layout.shipIndex);

    // Keep DOM order = reading order (quay, then each ship followed by its cargo); move only if it changed.
    const order = wanted.map((b) => b.id);
    if (order.length !== this.order.length || order.some((id, i) => id !== this.order[i])) {
      const active = document.activeElement;
      const fragment = document.createDocumentFragment();
      for (const button of wanted) fragment.appendChild(button);
      this.root.appendChild(fragment);
      if (active instanceof HTMLElement && this.root.contains(active) && document.activeElement !== active) active.focus();
      this.order = order;
    }
  }

  /**
   * @param {Map<string, HTMLButtonElement>} buttons
   * @param {Map<string, unknown>} keep
   */
  prune(buttons, keep) {
    for (const [name, button] of buttons) {
      if (keep.has(name)) continue;
      button.remove();
      buttons.delete(name);
    }
  }

  /**
   * @param {PodBox} pod
   * @param {boolean} onShip
   */
  podButton(pod, onShip) {
    let button = this.podButtons.get(pod.name);
    if (!button) {
      button = this.make(`pod-${pod.name}`, "target target-pod");
      button.dataset.pod = pod.name;
      this.podButtons.set(pod.name, button);
    }
    place(button, pod.rect);
    setAttr(button, "aria-label", podLabel(pod, onShip));
    setData(button, "state", pod.state);
    setData(button, "app", pod.app);
    setData(button, "node", undefined);
    setData(button, "on", onShip && pod.node ? pod.node : "quay");
    return button;
  }

  /** @param {ShipBox} ship */
  shipButton(ship) {
    let button = this.shipButtons.get(ship.name);
    if (!button) {
      button = this.make(`ship-${ship.name}`, "target target-ship");
      button.dataset.node = ship.name;
      button.setAttribute("aria-haspopup", "dialog");
      this.shipButtons.set(ship.name, button);
    }
    // The ship's button covers the hull and the name band; containers sit above it.
    place(button, { x: ship.box.x, y: ship.box.y, w: ship.box.w, h: ship.box.h });
    setAttr(button, "aria-label", shipLabel(ship));
    setData(button, "state", ship.ready);
    setData(button, "draining", ship.draining ? "true" : undefined);
    setData(button, "cordoned", ship.cordoned ? "true" : undefined);
    return button;
  }

  /**
   * @param {string} id
   * @param {string} className
   */
  make(id, className) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.id = `t-${id}`.replace(/[^A-Za-z0-9_.-]/g, "_");
    return button;
  }
}

/**
 * @param {HTMLElement} el
 * @param {{ x: number, y: number, w: number, h: number }} r
 */
function place(el, r) {
  const style = `left:${r.x.toFixed(1)}px;top:${r.y.toFixed(1)}px;width:${Math.max(1, r.w).toFixed(1)}px;height:${Math.max(1, r.h).toFixed(1)}px`;
  if (el.getAttribute("style") !== style) el.setAttribute("style", style);
}

/**
 * @param {HTMLElement} el
 * @param {string} name
 * @param {string} value
 */
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * @param {HTMLElement} el
 * @param {string} key
 * @param {string | undefined} value
 */
function setData(el, key, value) {
  if (value === undefined) {
    if (key in el.dataset) delete el.dataset[key];
  } else if (el.dataset[key] !== value) el.dataset[key] = value;
}

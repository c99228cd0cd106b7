// @ts-check
/** "Why this ship?": the scheduler's verdicts flashed on the ships, and the words used for them everywhere. */

import { h } from "./dom.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./k8s.js").KObject} KObject
 */

/** Score weights of the default profile (k8s-semantics 1.2); the totals are these weighted sums. */
export const WEIGHTS = /** @type {Record<string, number>} */ ({
  TaintToleration: 3, NodeAffinity: 2, PodTopologySpread: 2,
  NodeResourcesFit: 1, NodeResourcesBalancedAllocation: 1, ImageLocality: 1,
});

/** Short names for a small card. */
export const PLUGIN_SHORT = /** @type {Record<string, string>} */ ({
  TaintToleration: "Taints", NodeAffinity: "Affinity", PodTopologySpread: "Spread",
  NodeResourcesFit: "Resources fit", NodeResourcesBalancedAllocation: "Balance", ImageLocality: "Image here",
});

export const STRATEGY_WORDS = /** @type {Record<string, string>} */ ({
  LeastAllocated: "Spread (LeastAllocated)",
  MostAllocated: "Bin-pack (MostAllocated)",
  RequestedToCapacityRatio: "Shaped (RequestedToCapacityRatio)",
});

const SHOW_MS = 2600;
const QUEUE = 2;

/**
 * A filter failure, put shortly for a tag: "Insufficient cpu", "cordoned", "taint dedicated=gpu".
 * @param {string} reason
 */
export function shortReason(reason) {
  const r = String(reason ?? "").trim();
  if (/were unschedulable/.test(r)) return "cordoned";
  const taint = /untolerated taint\(s\)?\s*\{?([^}]*)\}?/.exec(r) ?? /had untolerated taint \{?([^}]*)\}?/.exec(r);
  if (taint) {
    const t = taint[1].replace(/^node\.kubernetes\.io\//, "").replace(/:\s*/, "=").replace(/\s+/g, "");
    return `taint ${t}`;
  }
  if (/didn't match Pod's node affinity\/selector/.test(r)) return "selector doesn't match";
  if (/Too many pods/.test(r)) return "too many pods";
  return r.replace(/^node\(s\)\s*/, "").replace(/\.$/, "");
}

/**
 * @param {KObject} verdict  one entry of decision.nodes
 */
export function verdictWords(verdict) {
  if (!verdict.feasible) return `✕ ${(verdict.reasons ?? []).map(shortReason).join(", ") || "filtered out"}`;
  return verdict.total !== undefined ? `score ${verdict.total}` : "fits";
}

/**
 * The weighted breakdown of one node's score, biggest first.
 * @param {KObject} verdict
 * @returns {{ plugin: string, raw: number, weight: number, points: number }[]}
 */
export function breakdown(verdict) {
  return Object.entries(verdict.scores ?? {})
    .map(([plugin, raw]) => {
      const weight = WEIGHTS[plugin] ?? 1;
      return { plugin, raw: Number(raw), weight, points: Number(raw) * weight };
    })
    .sort((a, b) => b.points - a.points || a.plugin.localeCompare(b.plugin));
}

export class VerdictFlash {
  /**
   * @param {HTMLElement} root  an aria-hidden layer over the stage
   */
  constructor(root) {
    this.root = root;
    /** @type {KObject[]} */
    this.queue = [];
    /** @type {KObject | null} */
    this.current = null;
    this.timer = 0;
    /** @type {Layout | null} */
    this.layout = null;
    this.enabled = true;
    /** @type {KObject | null} the decision on screen */
    this.shown = null;
  }

  /**
   * Decisions made in one step: the newest few wait their turn, older ones are dropped.
   * @param {KObject[]} decisions
   */
  push(decisions) {
    if (!this.enabled || !decisions.length) return;
    this.queue.push(...decisions.filter((d) => Array.isArray(d?.nodes) && d.nodes.length));
    if (this.queue.length > QUEUE) this.queue.splice(0, this.queue.length - QUEUE);
    if (!this.current) this.next();
  }

  next() {
    clearTimeout(this.timer);
    this.current = this.queue.shift() ?? null;
    this.render();
    if (this.current) this.timer = window.setTimeout(() => this.next(), SHOW_MS);
  }

  clear() {
    this.queue = [];
    this.next();
  }

  /** @param {Layout} layout */
  update(layout) {
    this.layout = layout;
    if (this.current) this.render();
  }

  render() {
    const d = this.current;
    const layout = this.layout;
    if (!d || !layout) {
      this.root.replaceChildren();
      delete this.root.dataset.pod;
      return;
    }
    this.root.dataset.pod = String(d.pod);
    this.root.dataset.winner = String(d.winner ?? "");
    /** @type {HTMLElement[]} */
    const parts = [];
    for (const v of d.nodes) {
      const ship = layout.shipIndex.get(String(v.node));
      if (!ship) continue;
      const win = d.winner === v.node;
      const kind = !v.feasible ? "out" : win ? "win" : "ok";
      const text = win ? `✓ ${v.total !== undefined ? v.total : "only fit"}` : verdictWords(v);
      const tag = h("div", { className: `verdict verdict-${kind}`, dataset: { node: String(v.node) } }, text);
      tag.style.left = `${Math.round(ship.deck.x + ship.deck.w / 2)}px`;
      tag.style.top = `${Math.round(ship.deck.y + ship.deck.h / 2)}px`;
      parts.push(tag);
      if (win) {
        const ring = h("div", { className: "verdict-ring" });
        Object.assign(ring.style, {
          left: `${Math.round(ship.box.x - 6)}px`, top: `${Math.round(ship.box.y - 6)}px`,
          width: `${Math.round(ship.box.w + 12)}px`, height: `${Math.round(ship.box.h + 12)}px`,
        });
        parts.unshift(ring);
      }
    }
    parts.push(this.card(d, layout));
    // A new layout while the same verdict shows moves the tags; it does not replay their entrance.
    this.root.classList.toggle("is-settled", this.shown === d);
    this.shown = d;
    this.root.replaceChildren(...parts);
  }

  /**
   * The small card: which pod, where it went and why (the winner's weighted breakdown).
   * @param {KObject} d
   * @param {Layout} layout
   */
  card(d, layout) {
    const winner = d.nodes.find((/** @type {KObject} */ v) => v.node === d.winner);
    const rows = winner ? breakdown(winner).filter((b) => b.points > 0 || b.weight > 1) : [];
    const card = h(
      "div",
      { className: `verdict-card${d.winner ? "" : " verdict-card-refused"}` },
      h("p", { className: "verdict-title" }, d.winner ? `${d.pod} → ${d.winner}` : `${d.pod}: no ship fits`),
      h("p", { className: "verdict-sub" },
        d.winner
          ? d.scored ? `${STRATEGY_WORDS[d.strategy] ?? d.strategy}${d.tiedWith?.length ? ` · tie with ${d.tiedWith.filter((n) => n !== d.winner).join(", ")}, picked at random` : ""}` : "the only ship that passed the filters"
          : "waits on the quay"),
      rows.length
        ? h("ul", { className: "verdict-rows" }, ...rows.map((b) =>
          h("li", null, h("span", null, PLUGIN_SHORT[b.plugin] ?? b.plugin), " ", h("b", null, b.weight === 1 ? String(b.raw) : `${b.raw}×${b.weight}`))),
          h("li", { className: "verdict-total" }, h("span", null, "total"), " ", h("b", null, String(winner?.total ?? ""))))
        : null,
    );
    // On the quay, right-aligned by the crane: the ships stay in view.
    card.style.top = `${Math.round(layout.quay.rect.y + 6)}px`;
    card.style.right = `${Math.round(layout.quay.crane.w + 24)}px`;
    return card;
  }
}

// @ts-check
/** The "Ask why" panel: for one pod, the scheduler's record: each ship's verdict and score, the winner, when. */

import { h, setText } from "./dom.js";
import { formatClock, podState, schedulerReason } from "./k8s.js";
import { breakdown, STRATEGY_WORDS } from "./verdicts.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 */

export class WhyDialog {
  /**
   * @param {HTMLElement} panel  hidden role="dialog" element
   * @param {ClusterState} state
   */
  constructor(panel, state) {
    this.panel = panel;
    this.state = state;
    /** @type {string | null} */
    this.pod = null;
    /** @type {HTMLElement | null} */
    this.returnTo = null;
    this.title = h("h2", { id: "why-title", className: "why-title" });
    this.body = h("div", { className: "why-body" });
    const close = h("button", { type: "button", className: "btn why-close", "aria-label": "Close explanation" }, "×");
    close.addEventListener("click", () => this.close());
    panel.setAttribute("aria-labelledby", "why-title");
    panel.tabIndex = -1;
    panel.replaceChildren(h("div", { className: "why-head" }, this.title, close), this.body);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
  }

  /**
   * @param {string} pod
   * @param {HTMLElement | null} [from]
   */
  open(pod, from) {
    this.pod = pod;
    this.returnTo = from ?? null;
    this.panel.hidden = false;
    this.signature = "";
    this.update();
    this.panel.focus();
  }

  close() {
    if (!this.pod) return;
    this.pod = null;
    this.panel.hidden = true;
    this.returnTo?.focus();
  }

  /** Refresh (a new decision for the pod, or the pod changed). */
  update() {
    if (!this.pod) return;
    const name = this.pod;
    const d = this.state.decisions.get(name);
    const pod = this.state.kind("Pod").get(name);
    const signature = `${d?.time ?? ""}|${d?.attempt ?? ""}|${pod ? podState(pod) : "gone"}|${pod?.spec?.nodeName ?? ""}`;
    if (signature === this.signature) return;
    this.signature = signature;
    setText(this.title, `Why ${name} is ${pod?.spec?.nodeName ? `on ${pod.spec.nodeName}` : pod ? "on the quay" : "gone"}`);
    this.panel.dataset.pod = name;
    /** @type {(HTMLElement | null)[]} */
    const parts = [];
    if (!d) {
      parts.push(h("p", { className: "why-none" },
        "No record kept for this pod. The scheduler keeps only its latest 100 decisions, and this page its latest 200; this pod's was dropped, or it was placed before you opened the page."));
      if (pod && !pod.spec?.nodeName) parts.push(h("p", null, `It waits on the quay: ${schedulerReason(pod)}.`));
      this.body.replaceChildren(...parts.filter(Boolean));
      return;
    }
    const strategy = STRATEGY_WORDS[d.strategy] ?? d.strategy;
    const verdict = d.winner
      ? d.scored
        ? `The scheduler placed it on ${d.winner}: the highest total score${d.tiedWith?.length ? ` (tied with ${d.tiedWith.filter((/** @type {string} */ n) => n !== d.winner).join(", ")}; the winner was picked at random)` : ""}.`
        : `The scheduler placed it on ${d.winner}: the only ship that passed the filters, so nothing was scored.`
      : `No ship passed the filters, so it waits on the quay: ${d.message}`;
    parts.push(h("p", { className: "why-verdict" }, verdict));
    parts.push(h("p", { className: "why-meta" },
      `Strategy ${strategy} · decided at ${formatClock(d.time)} sim time · attempt ${d.attempt ?? 1}`));
    const rows = [...d.nodes].sort((a, b) =>
      (b.node === d.winner ? 1 : 0) - (a.node === d.winner ? 1 : 0) ||
      (b.feasible ? 1 : 0) - (a.feasible ? 1 : 0) || (b.total ?? 0) - (a.total ?? 0));
    parts.push(h("table", { className: "why-table" },
      h("caption", { className: "visually-hidden" }, `Each ship's verdict for ${name}`),
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Ship"), h("th", { scope: "col" }, "Verdict"), h("th", { scope: "col" }, "Total"))),
      h("tbody", null, ...rows.map((v) => {
        const win = v.node === d.winner;
        const detail = v.feasible
          ? v.scores
            ? h("ul", { className: "why-scores" }, ...breakdown(v).map((b) =>
              h("li", null, `${b.plugin} ${b.raw}${b.weight !== 1 ? ` × ${b.weight} = ${b.points}` : ""}`)))
            : h("span", null, "passed the filters")
          : h("span", { className: "why-out" }, `filtered out${v.filter ? ` by ${v.filter}` : ""}: ${(v.reasons ?? []).join("; ") || "no reason given"}`);
        return h("tr", { className: win ? "why-win" : v.feasible ? "" : "why-filtered", dataset: { node: String(v.node) } },
          h("th", { scope: "row" }, win ? `✓ ${v.node}` : String(v.node)),
          h("td", null, win ? h("b", { className: "why-chosen" }, d.scored ? "chosen: highest total" : "chosen: the only ship that fits") : null, detail),
          h("td", { className: "why-total" }, v.total !== undefined ? String(v.total) : "–"));
      })),
    ));
    parts.push(h("p", { className: "why-note" },
      "Totals are weighted sums: TaintToleration ×3, NodeAffinity ×2, PodTopologySpread ×2, the others ×1. Each plugin scores 0–100."));
    this.body.replaceChildren(...parts.filter(Boolean));
  }
}

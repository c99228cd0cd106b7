// @ts-check
/** HorizontalPodAutoscaler: a gauge inside each Deployment card (current vs target, tolerance band, the formula with today's numbers, stabilization countdown, last rescale), and the create / edit / delete controls. */

import { h, setText } from "./dom.js";
import { formatClock, nameOf, simSeconds } from "./k8s.js";
import { HPA_CALC_ANNOTATION, hpaCurrent, hpaFor, hpaTarget, jsonAnnotation, secondsUntil } from "./trafficdata.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

const SVG = "http://www.w3.org/2000/svg";
const TOLERANCE = 0.1;
const MAX_REPLICAS = 50;

const LIMIT_TEXT = {
  ScaleUpLimit: "held back by the scale-up rate limit",
  ScaleDownLimit: "held back by the scale-down rate limit",
  TooManyReplicas: "capped at maxReplicas",
  TooFewReplicas: "raised to minReplicas",
};

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 */
function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Point on the gauge's half circle: f = 0 at the left end, 1 at the right end.
 * @param {number} f
 * @param {number} r
 */
function polar(f, r) {
  const a = Math.PI * (1 - f);
  return { x: 100 + r * Math.cos(a), y: 100 - r * Math.sin(a) };
}

/**
 * An arc of the half circle from f0 to f1 as a path.
 * @param {number} f0
 * @param {number} f1
 * @param {number} r
 */
function arc(f0, f1, r) {
  const a = polar(f0, r);
  const b = polar(f1, r);
  return `M ${a.x.toFixed(2)} ${a.y.toFixed(2)} A ${r} ${r} 0 0 1 ${b.x.toFixed(2)} ${b.y.toFixed(2)}`;
}

/**
 * Where a utilization sits on the dial: the target in the middle, twice the target at the right end.
 * @param {number} utilization percent
 * @param {number} target percent
 */
export function dialFraction(utilization, target) {
  if (!(target > 0)) return 0;
  return Math.max(0, Math.min(1, utilization / (2 * target)));
}

/** @param {number} s */
const span = (s) => (s >= 60 ? formatClock(s) : `${Math.max(0, Math.ceil(s))} s`);

export class HpaGauges {
  /**
   * @param {HTMLElement} cardsRoot  the Deployment cards (each article.deploy[data-deployment])
   * @param {Act} act
   */
  constructor(cardsRoot, act) {
    this.root = cardsRoot;
    this.act = act;
    /** @type {Map<string, KObject>} hpa name -> its latest SuccessfulRescale event (kept past the event log's limit) */
    this.lastRescale = new Map();
  }

  /** @param {ClusterState} state */
  update(state) {
    for (const e of state.events) {
      if (e?.reason !== "SuccessfulRescale" || e?.involvedObject?.kind !== "HorizontalPodAutoscaler") continue;
      const name = String(e.involvedObject.name ?? "");
      const prev = this.lastRescale.get(name);
      if (!prev || stampOf(e) >= stampOf(prev)) this.lastRescale.set(name, e);
    }
    for (const card of /** @type {NodeListOf<HTMLElement>} */ (this.root.querySelectorAll("article.deploy[data-deployment]"))) {
      const deployment = String(card.dataset.deployment);
      let box = /** @type {HTMLElement | null} */ (card.querySelector(":scope > .hpa"));
      let create = /** @type {HTMLElement | null} */ (card.querySelector(":scope > .hpa-new"));
      if (!box || !create) {
        box?.remove();
        create?.remove();
        ({ box, create } = this.build(deployment));
        // The gauge right under the counts; the form to create one folded at the end, by the placement controls.
        const counts = card.querySelector(":scope > .counts");
        card.insertBefore(box, counts ? counts.nextSibling : card.firstChild);
        card.append(create);
      }
      const hpa = hpaFor(state, deployment);
      const d = state.kind("Deployment").get(deployment);
      create.hidden = Boolean(hpa);
      this.fill(box, hpa, d, state);
    }
  }

  /** @param {string} deployment */
  build(deployment) {
    const id = `hpa-${deployment}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const num = (/** @type {string} */ cls, /** @type {string} */ label, /** @type {string} */ value, /** @type {number} */ lo, /** @type {number} */ hi) =>
      h("input", { type: "number", min: String(lo), max: String(hi), value, className: `tagchip-num ${cls}`, "aria-label": label });

    // Create (no HPA yet)
    const cCpu = num("c-cpu", `Target CPU percent for ${deployment}`, "50", 1, 1000);
    const cMin = num("c-min", `Minimum replicas for ${deployment}`, "1", 1, MAX_REPLICAS);
    const cMax = num("c-max", `Maximum replicas for ${deployment}`, "10", 1, MAX_REPLICAS);
    const withBehavior = h("input", { type: "checkbox", className: "c-behavior" });
    const form = h("form", { className: "hpa-create", "aria-label": `Autoscale ${deployment}` },
      h("label", null, h("span", null, "target"), cCpu, h("span", null, "%")),
      h("label", null, h("span", null, "min"), cMin),
      h("label", null, h("span", null, "max"), cMax),
      h("label", { className: "hpa-behavior" }, withBehavior,
        h("span", null, "with spec.behavior (the v2 defaults: scale up by max(4 pods, 100%) per 15 s; without it the legacy cap max(2×, 4) applies)")),
      h("button", { type: "submit", className: "btn btn-small btn-primary", "aria-label": `Create autoscaler for ${deployment}` }, "Autoscale"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      /** @type {Record<string, any>} */
      const args = {
        deployment,
        cpuPercent: Math.round(Number(cCpu.value || 50)),
        minReplicas: Math.round(Number(cMin.value || 1)),
        maxReplicas: Math.round(Number(cMax.value || 10)),
      };
      if (withBehavior.checked) args.behavior = {};
      this.act("create_hpa", args);
    });

    // The gauge
    const dial = svg("svg", { viewBox: "0 0 200 112", class: "hpa-dial", role: "img" });
    dial.append(
      svg("path", { d: arc(0, 1, 84), class: "dial-track" }),
      svg("path", { d: arc(0, 0.5 * (1 - TOLERANCE), 84), class: "dial-down" }),
      svg("path", { d: arc(0.5 * (1 + TOLERANCE), 1, 84), class: "dial-up" }),
      svg("path", { d: arc(0.5 * (1 - TOLERANCE), 0.5 * (1 + TOLERANCE), 84), class: "dial-band" }),
      svg("line", { x1: 100, y1: 4, x2: 100, y2: 30, class: "dial-target" }),
      svg("line", { x1: 100, y1: 100, x2: 100, y2: 24, class: "dial-needle" }),
      svg("circle", { cx: 100, cy: 100, r: 7, class: "dial-hub" }),
    );
    const gauge = h("div", { className: "hpa-gauge" },
      dial,
      h("p", { className: "hpa-reading" },
        h("span", { className: "hpa-now" }, "–"),
        " ",
        h("span", { className: "hpa-target" }),
      ),
    );

    // Edit (with an HPA)
    const eCpu = num("e-cpu", `Target CPU percent of the autoscaler for ${deployment}`, "50", 1, 1000);
    const eMin = num("e-min", `Minimum replicas of the autoscaler for ${deployment}`, "1", 1, MAX_REPLICAS);
    const eMax = num("e-max", `Maximum replicas of the autoscaler for ${deployment}`, "10", 1, MAX_REPLICAS);
    const edit = h("form", { className: "hpa-edit", "aria-label": `Edit the autoscaler of ${deployment}` },
      h("label", null, h("span", null, "target"), eCpu, h("span", null, "%")),
      h("label", null, h("span", null, "min"), eMin),
      h("label", null, h("span", null, "max"), eMax),
      h("button", { type: "submit", className: "btn btn-small", "aria-label": `Update the autoscaler of ${deployment}` }, "Update"),
      h("button", { type: "button", className: "btn btn-small btn-danger hpa-delete", "aria-label": `Delete the autoscaler of ${deployment}` }, "Delete HPA"));
    edit.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = edit.dataset.hpa;
      if (!name) return;
      /** @type {Record<string, number>} */
      const args = {};
      const was = JSON.parse(edit.dataset.was ?? "{}");
      const want = { cpuPercent: Number(eCpu.value), minReplicas: Number(eMin.value), maxReplicas: Number(eMax.value) };
      for (const [k, v] of Object.entries(want)) if (Number.isFinite(v) && v !== was[k]) args[k] = Math.round(v);
      if (!Object.keys(args).length) return;
      this.act("update_hpa", { name, ...args });
    });
    edit.querySelector(".hpa-delete")?.addEventListener("click", () => {
      if (edit.dataset.hpa) this.act("delete_hpa", { name: edit.dataset.hpa });
    });

    const create = h("details", { className: "placement hpa-new" },
      h("summary", null, "Autoscale (HPA)"),
      h("p", { className: "hint" }, "The HorizontalPodAutoscaler looks every 15 s: desired = ceil(replicas × current / target CPU), left alone within ±10% of the target."),
      form);
    const box = h("section", { className: "hpa", "aria-labelledby": `${id}-title`, hidden: true },
      h("p", { className: "hpa-title", id: `${id}-title` }, "Autoscaler"),
      h("div", { className: "hpa-live" },
        h("div", { className: "hpa-top" },
          gauge,
          h("div", { className: "hpa-replicas" },
            h("span", { className: "hpa-rep-label" }, "replicas"),
            h("span", { className: "hpa-rep" }),
            h("span", { className: "hpa-range" }),
          ),
        ),
        h("p", { className: "hpa-formula" }, h("code", null)),
        h("p", { className: "hpa-facts" }),
        h("p", { className: "hpa-verdict", role: "status" }),
        h("p", { className: "hpa-wait" }),
        h("p", { className: "hpa-last" }),
        h("details", { className: "hpa-conds" },
          h("summary", null, "Conditions (as kubectl describe hpa shows them)"),
          h("ul", { className: "hpa-cond-list" })),
        edit,
      ),
    );
    return { box, create };
  }

  /**
   * @param {HTMLElement} box
   * @param {KObject | undefined} hpa
   * @param {KObject | undefined} deployment
   * @param {ClusterState} state
   */
  fill(box, hpa, deployment, state) {
    box.hidden = !hpa;
    if (!hpa) return;
    const name = nameOf(hpa);
    const calc = jsonAnnotation(hpa, HPA_CALC_ANNOTATION);
    const target = Number(calc?.target ?? hpaTarget(hpa)) || 0;
    const statusUtil = hpaCurrent(hpa);
    const util = calc?.utilization ?? statusUtil;
    const min = Number(hpa.spec?.minReplicas ?? 1);
    const max = Number(hpa.spec?.maxReplicas ?? 1);
    const current = Number(hpa.status?.currentReplicas ?? calc?.currentReplicas ?? deployment?.spec?.replicas ?? 0);
    const desired = Number(hpa.status?.desiredReplicas ?? calc?.desired ?? current);
    setText(box.querySelector(".hpa-title"), `HorizontalPodAutoscaler ${name}`);

    // Dial
    const known = util !== undefined && util !== null && Number.isFinite(Number(util));
    const f = known ? dialFraction(Number(util), target) : 0.5;
    const tip = polar(f, 78);
    const needle = /** @type {SVGLineElement} */ (box.querySelector(".dial-needle"));
    needle.setAttribute("x2", tip.x.toFixed(2));
    needle.setAttribute("y2", tip.y.toFixed(2));
    const ratio = known && target ? Number(util) / target : 1;
    // The controller's own verdict on the tolerance wins (floating point at the band's edge).
    const inBand = typeof calc?.withinTolerance === "boolean" ? calc.withinTolerance : Math.abs(1 - ratio) <= TOLERANCE;
    const zone = !known ? "unknown" : inBand ? "in-band" : ratio > 1 ? "above" : "below";
    box.dataset.zone = zone;
    const nowText = known ? `${Math.round(Number(util))}%` : "–";
    setText(box.querySelector(".hpa-now"), nowText);
    setText(box.querySelector(".hpa-target"), `of ${target}% target`);
    box.querySelector(".hpa-dial")?.setAttribute("aria-label",
      known ? `CPU utilization ${nowText} against a target of ${target}%, tolerance ±10%` : `CPU utilization not known yet, target ${target}%`);

    // Replicas
    setText(box.querySelector(".hpa-rep"), desired !== current ? `${current} → ${desired}` : String(current));
    setText(box.querySelector(".hpa-range"), `min ${min} · max ${max}`);

    // The formula and its inputs
    const formula = calc?.formula ? String(calc.formula) : known ? `ceil(${current} × ${Math.round(Number(util))} / ${target}) = ${Math.ceil((current * Number(util)) / Math.max(1, target))}` : "waiting for the first metrics (every 15 s)";
    setText(box.querySelector(".hpa-formula code"), formula);
    const facts = [];
    if (calc) {
      facts.push(`ratio ${Number(calc.ratio ?? ratio).toFixed(2)}`);
      facts.push(`ready pods ${calc.readyPods ?? "?"}`);
      if (calc.usageMilli !== undefined && calc.requestMilli !== undefined) facts.push(`usage ${calc.usageMilli}m of ${calc.requestMilli}m requested`);
      for (const [k, label] of [["unreadyPods", "unready"], ["missingPods", "no metrics"], ["ignoredPods", "ignored"]]) {
        if (Number(calc[k] ?? 0) > 0) facts.push(`${label} ${calc[k]}`);
      }
    }
    facts.push(hpa.spec?.behavior ? "spec.behavior set" : "no spec.behavior (legacy limits)");
    setText(box.querySelector(".hpa-facts"), facts.join(" · "));

    const held = secondsUntil(calc?.stabilizedUntil, state.time);
    // What the controller makes of it
    const verdict = box.querySelector(".hpa-verdict");
    const active = (hpa.status?.conditions ?? []).find((/** @type {KObject} */ c) => c?.type === "ScalingActive");
    let text = "";
    let tone = "ok";
    if (active && active.status === "False") {
      text = `${active.reason}: ${active.message ?? ""}`;
      tone = "bad";
    } else if (zone === "in-band") {
      text = `Within tolerance (target ±${Math.round(Number(calc?.tolerance ?? TOLERANCE) * 100)}%): no change.`;
    } else if (held !== null && held > 0 && Number(calc?.proposed) < current) {
      // Scale-down waits: the highest recommendation of the window wins (then min/max apply).
      const recs = Array.isArray(calc?.recommendations) ? calc.recommendations.map((/** @type {any} */ r) => Number(r?.[1] ?? 0)) : [];
      const highest = Math.max(Number(calc?.proposed ?? 0), ...recs);
      const lim = /** @type {keyof typeof LIMIT_TEXT} */ (String(calc?.limitedBy ?? ""));
      text = `Below target: wants ${calc?.proposed}, but keeps ${desired}: the highest recommendation of the last 5 minutes is ${highest}${calc?.limitedBy ? `, ${LIMIT_TEXT[lim] ?? lim}` : ""}.`;
      tone = "down";
    } else if (calc?.limitedBy) {
      const lim = /** @type {keyof typeof LIMIT_TEXT} */ (String(calc.limitedBy));
      text = `Wants ${calc.proposed}, ${LIMIT_TEXT[lim] ?? lim}: ${calc.desired}.`;
      tone = "warn";
    } else if (known && desired > current) {
      text = `Above target: scaling up to ${desired}.`;
      tone = "up";
    } else if (known && desired < current) {
      text = `Below target: scaling down to ${desired}.`;
      tone = "down";
    } else if (known) {
      text = ratio > 1 ? "Above target." : "Below target.";
    }
    setText(verdict, text);
    if (verdict instanceof HTMLElement) verdict.dataset.tone = tone;

    // Stabilization window and next sync
    const wait = [];
    if (held !== null && held > 0) wait.push(`Scale-down stabilization window: ${span(held)} left.`);
    const next = secondsUntil(calc?.nextSync, state.time);
    if (next !== null && next >= 0) wait.push(`Next look in ${span(next)}.`);
    const waitEl = /** @type {HTMLElement} */ (box.querySelector(".hpa-wait"));
    setText(waitEl, wait.join(" "));
    waitEl.dataset.held = String(held !== null && held > 0);

    const last = this.lastRescale.get(name);
    const at = last ? simSeconds(stampOf(last)) : null;
    setText(box.querySelector(".hpa-last"), last ? `Last rescale${at !== null ? ` at ${formatClock(at)}` : ""}: ${last.message}` : "No rescale yet.");

    const conds = (hpa.status?.conditions ?? []).map((/** @type {KObject} */ c) => `${c.type} ${c.status} ${c.reason}: ${c.message ?? ""}`);
    const list = /** @type {HTMLElement} */ (box.querySelector(".hpa-cond-list"));
    const condSig = conds.join("|");
    if (list.dataset.signature !== condSig) {
      list.dataset.signature = condSig;
      list.replaceChildren(...(hpa.status?.conditions ?? []).map((/** @type {KObject} */ c) => h("li", { dataset: { good: String(c.type === "ScalingLimited" ? c.status !== "True" : c.status === "True") } },
        h("b", null, `${c.type} ${c.status}`), ` ${c.reason}: ${c.message ?? ""}`)));
    }

    // Edit fields follow the server unless someone is typing in them.
    const edit = /** @type {HTMLFormElement} */ (box.querySelector(".hpa-edit"));
    edit.dataset.hpa = name;
    const was = { cpuPercent: target, minReplicas: min, maxReplicas: max };
    const sig = JSON.stringify(was);
    if (edit.dataset.was !== sig && !edit.contains(document.activeElement)) {
      edit.dataset.was = sig;
      /** @type {HTMLInputElement} */ (edit.querySelector(".e-cpu")).value = String(target);
      /** @type {HTMLInputElement} */ (edit.querySelector(".e-min")).value = String(min);
      /** @type {HTMLInputElement} */ (edit.querySelector(".e-max")).value = String(max);
    }
  }
}

/** @param {KObject} e */
function stampOf(e) {
  return String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? "");
}

// @ts-check
/** Services panel: expose a Deployment, the kube-proxy mode, and per Service the load knob, error rate, endpoints with their request counters, and the CPU cost model. */

import { h, setText } from "./dom.js";
import { nameOf, naturalCompare } from "./k8s.js";
import {
  cpuModelOf, deploymentOfService, endpointsOf, milli, podCpuBounds, podUsage, proxyModeOf, trafficOf,
} from "./trafficdata.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

export const MAX_RPS = 1000;
/** The knob is quadratic: fine steps where demos live (0..100 req/s), still reaching 1000. */
const KNOB_STEPS = 100;
/**
 * Knob position to requests/s, rounded to numbers a speaker says out loud (1s, then 5s, 10s, 50s).
 * @param {number} pos
 */
export function knobToRps(pos) {
  const raw = (Math.max(0, Math.min(KNOB_STEPS, pos)) ** 2 * MAX_RPS) / KNOB_STEPS ** 2;
  const unit = raw < 20 ? 1 : raw < 100 ? 5 : raw < 300 ? 10 : 50;
  return Math.min(MAX_RPS, Math.round(raw / unit) * unit);
}
/** @param {number} rps */
export const rpsToKnob = (rps) => Math.round(Math.sqrt(Math.max(0, Math.min(MAX_RPS, rps)) / MAX_RPS) * KNOB_STEPS);
const PRESETS = [0, 10, 40, 150];

const MODE_TEXT = {
  iptables: "iptables: each new connection picks a ready endpoint at random (rule i matches with probability 1/(n−i)), so counts drift apart a little.",
  ipvs: "ipvs: the rr scheduler hands connections to the ready endpoints in turn, so every pod's count stays level.",
};

/** @param {number} n */
const fmt = (n) => (n >= 10000 ? `${Math.round(n / 1000)}k` : String(Math.round(n)));

/** A pod's name split before its random suffix, so the part that tells pods apart never gets cut off. @param {string} pod */
const cut = (pod) => Math.max(0, pod.lastIndexOf("-") + 1);
/** @param {string} pod */
const prefixOf = (pod) => pod.slice(0, cut(pod));
/** @param {string} pod */
const idOf5 = (pod) => pod.slice(cut(pod));

/** @param {string} name */
const idOf = (name) => `svc-${name}`.replace(/[^A-Za-z0-9_-]/g, "_");

export class TrafficPanel {
  /**
   * @param {HTMLElement} root
   * @param {Act} act
   * @param {{ onShowCpu?: (on: boolean) => void }} [hooks]
   */
  constructor(root, act, hooks = {}) {
    this.root = root;
    this.act = act;
    /** @type {Map<string, HTMLElement>} */
    this.cards = new Map();
    /** @type {Map<string, { rps: number, until: number }>} knob values sent and not yet confirmed */
    this.sentRps = new Map();
    /** @type {ClusterState | null} */
    this.state = null;
    /** @type {Map<string, { raw: string, time: number, served: Record<string, number>, rates: Map<string, number> }>} */
    this.samples = new Map();
    /** @type {"iptables" | "ipvs" | undefined} the mode last picked in this browser */
    this.chosenMode = undefined;

    const modeName = "proxy-mode";
    this.modeHint = h("p", { className: "hint proxy-hint" }, MODE_TEXT.iptables);
    this.modeRadios = /** @type {HTMLInputElement[]} */ ([]);
    const seg = (/** @type {"iptables" | "ipvs"} */ value, /** @type {string} */ big, /** @type {string} */ small) => {
      const input = h("input", { type: "radio", name: modeName, value });
      input.addEventListener("change", () => {
        if (!input.checked) return;
        this.chosenMode = value;
        this.act("set_proxy_mode", { mode: value });
      });
      this.modeRadios.push(input);
      return h("label", { className: "seg" }, input, h("span", null, h("b", null, big), ` ${small}`));
    };
    const modeBox = h("fieldset", { className: "strategy proxy-mode" },
      h("legend", null, "kube-proxy mode"),
      seg("iptables", "iptables", "random"),
      seg("ipvs", "ipvs", "round-robin"),
      this.modeHint,
    );

    this.exposeDeployment = h("select", { className: "select", id: "expose-deployment", "aria-label": "Deployment to expose" });
    this.exposeType = h("select", { className: "select", id: "expose-type", "aria-label": "Service type" },
      new Option("ClusterIP", "ClusterIP"), new Option("NodePort", "NodePort"));
    this.exposePort = h("input", { type: "number", min: "1", max: "65535", value: "80", className: "port-input", id: "expose-port", "aria-label": "Service port" });
    const exposeForm = h("form", { className: "expose-form", "aria-label": "Expose a Deployment as a Service" },
      h("label", { for: "expose-deployment" }, "Expose a Deployment"),
      h("div", { className: "row expose-row" },
        this.exposeDeployment, this.exposeType,
        h("label", { className: "port-label" }, h("span", { className: "hint" }, "port"), this.exposePort),
        h("button", { type: "submit", className: "btn btn-primary" }, "Expose"),
      ),
    );
    exposeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const deployment = this.exposeDeployment.value;
      if (!deployment) return;
      const port = Math.round(Number(this.exposePort.value || 80));
      /** @type {Record<string, any>} */
      const args = { name: deployment, deployment, port, targetPort: 80 };
      if (this.exposeType.value !== "ClusterIP") args.type = this.exposeType.value;
      else args.type = "ClusterIP";
      this.act("create_service", args);
    });

    const showCpu = h("input", { type: "checkbox", id: "show-cpu", checked: true });
    showCpu.addEventListener("change", () => hooks.onShowCpu?.(showCpu.checked));

    this.list = h("div", { className: "services", "aria-live": "off" });
    this.empty = h("p", { className: "empty-note" }, "No Services yet: expose a Deployment to send it traffic.");
    root.append(
      modeBox,
      exposeForm,
      this.list,
      h("label", { className: "verdict-toggle cpu-toggle" }, showCpu, " Show CPU use on containers (fill level = usage ÷ request)"),
    );
  }

  /** @param {ClusterState} state */
  update(state) {
    this.state = state;
    // The cluster's mode travels in the Services' traffic samples; before any, trust what was picked here.
    const mode = proxyModeOf(state, this.chosenMode);
    for (const r of this.modeRadios) if (document.activeElement !== r) r.checked = r.value === mode;
    setText(this.modeHint, MODE_TEXT[mode]);

    const deployments = [...state.kind("Deployment").values()].map(nameOf).sort(naturalCompare);
    const services = [...state.kind("Service").values()]
      .filter((s) => nameOf(s) !== "kubernetes")
      .sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
    const sig = deployments.join("|");
    if (this.exposeDeployment.dataset.signature !== sig) {
      const keep = this.exposeDeployment.value;
      this.exposeDeployment.dataset.signature = sig;
      this.exposeDeployment.replaceChildren(...deployments.map((d) => new Option(d, d)));
      if (deployments.includes(keep)) this.exposeDeployment.value = keep;
    }
    // Offer the first Deployment without a Service of its name.
    const taken = new Set(services.map(nameOf));
    if (document.activeElement !== this.exposeDeployment && taken.has(this.exposeDeployment.value)) {
      const free = deployments.find((d) => !taken.has(d));
      if (free) this.exposeDeployment.value = free;
    }

    const seen = new Set();
    services.forEach((svc, index) => {
      const name = nameOf(svc);
      seen.add(name);
      let card = this.cards.get(name);
      if (!card) {
        card = this.build(name);
        this.cards.set(name, card);
      }
      if (this.list.children[index] !== card) this.list.insertBefore(card, this.list.children[index] ?? null);
      this.fill(card, svc, state);
    });
    for (const [name, card] of this.cards) {
      if (seen.has(name)) continue;
      card.remove();
      this.cards.delete(name);
      this.samples.delete(name);
    }
    if (!services.length && !this.empty.isConnected) this.list.append(this.empty);
    if (services.length && this.empty.isConnected) this.empty.remove();
  }

  /** @param {string} name */
  build(name) {
    const id = idOf(name);
    const knob = h("input", {
      type: "range", min: "0", max: String(KNOB_STEPS), step: "1", value: "0", className: "knob", id: `${id}-knob`,
      "aria-label": `Load on ${name}, requests per second`,
    });
    const out = h("output", { className: "knob-value", for: `${id}-knob` }, "0");
    let timer = 0;
    const send = () => {
      clearTimeout(timer);
      const rps = knobToRps(Number(knob.value));
      this.sentRps.set(name, { rps, until: performance.now() + 4000 });
      this.act("set_traffic", { service: name, rps });
    };
    knob.addEventListener("input", () => {
      const rps = knobToRps(Number(knob.value));
      setText(out, String(rps));
      knob.setAttribute("aria-valuetext", `${rps} requests per second`);
      this.sentRps.set(name, { rps, until: performance.now() + 4000 });
      // While dragging, send at most every 400 ms; the release sends the final value.
      clearTimeout(timer);
      timer = window.setTimeout(send, 400);
    });
    knob.addEventListener("change", () => {
      // Held arrow keys fire a change per step: send once they rest.
      clearTimeout(timer);
      timer = window.setTimeout(send, 200);
    });
    const presets = h("div", { className: "knob-presets", role: "group", "aria-label": `Quick loads for ${name}` },
      ...PRESETS.map((rps) => h("button", {
        type: "button", className: "btn btn-small", "aria-label": `Set load on ${name} to ${rps} requests per second`,
        onclick: () => {
          knob.value = String(rpsToKnob(rps));
          setText(out, String(rps));
          this.sentRps.set(name, { rps, until: performance.now() + 4000 });
          this.act("set_traffic", { service: name, rps });
        },
      }, rps === 0 ? "Off" : String(rps))));

    const per = h("input", { type: "number", min: "0", max: "4000", className: "tagchip-num cpu-per", "aria-label": `CPU millicores per request per second for ${name}` });
    const base = h("input", { type: "number", min: "0", max: "4000", className: "tagchip-num cpu-base", "aria-label": `Idle CPU millicores per pod for ${name}` });
    const cpuForm = h("form", { className: "cpu-model", "aria-label": `CPU cost model behind ${name}` },
      h("span", { className: "cpu-model-title" }, "CPU model (PodMetrics = idle + cost × req/s)"),
      h("span", null, "cost"), per, h("span", null, "m per req/s · idle"), base, h("span", null, "m"),
      h("button", { type: "submit", className: "btn btn-small", "aria-label": `Set the CPU model behind ${name}` }, "Set"));
    cpuForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const deployment = cpuForm.dataset.deployment;
      if (!deployment) return;
      this.act("set_cpu_model", {
        deployment,
        perRequest: `${Math.max(0, Math.round(Number(per.value || 0)))}m`,
        base: `${Math.max(0, Math.round(Number(base.value || 0)))}m`,
      });
    });

    return h("article", { className: "svc", dataset: { service: name }, "aria-labelledby": `${id}-title` },
      h("header", { className: "svc-head" },
        h("span", { className: "svc-icon", "aria-hidden": "true" }),
        h("h3", { id: `${id}-title` }, name),
        h("span", { className: "svc-type" }),
        h("button", {
          type: "button", className: "btn btn-small btn-danger svc-delete", "aria-label": `Delete service ${name}`,
          onclick: () => this.act("delete_service", { name }),
        }, "Delete"),
      ),
      h("p", { className: "svc-addr" }),
      h("div", { className: "knob-box" },
        h("label", { for: `${id}-knob`, className: "knob-label" }, "Load"),
        h("div", { className: "knob-readout" }, out, h("span", { className: "knob-unit" }, "req/s")),
        knob,
        presets,
      ),
      h("dl", { className: "counts svc-stats" },
        h("div", null, h("dt", null, "Sent /s"), h("dd", { className: "s-sent" }, "0")),
        h("div", null, h("dt", null, "Failed /s"), h("dd", { className: "s-failed" }, "0")),
        h("div", { className: "s-rate-box" }, h("dt", null, "Errors 10 s"), h("dd", { className: "s-rate" }, "0%")),
      ),
      h("p", { className: "ep-title" }),
      h("ul", { className: "endpoints", "aria-label": `Endpoints of ${name}` }),
      h("p", { className: "ep-spread hint" }),
      cpuForm,
    );
  }

  /**
   * Requests per second each pod served between the last two traffic samples (simulated time).
   * @param {string} name
   * @param {KObject} svc
   * @param {Record<string, number>} served
   * @param {number} now
   * @returns {Map<string, number>}
   */
  ratesOf(name, svc, served, now) {
    const raw = String(svc.metadata?.annotations?.["playground.k8s/traffic"] ?? "");
    const prev = this.samples.get(name);
    if (prev && prev.raw === raw) return prev.rates;
    /** @type {Map<string, number>} */
    const rates = new Map();
    const dt = prev ? now - prev.time : 0;
    if (prev && dt > 0) {
      for (const [pod, count] of Object.entries(served)) {
        const before = prev.served[pod];
        if (before !== undefined) rates.set(pod, Math.max(0, (Number(count) - Number(before)) / dt));
      }
    }
    this.samples.set(name, { raw, time: now, served: { ...served }, rates });
    return rates;
  }

  /**
   * @param {HTMLElement} card
   * @param {KObject} svc
   * @param {ClusterState} state
   */
  fill(card, svc, state) {
    const name = nameOf(svc);
    const spec = svc.spec ?? {};
    const port = spec.ports?.[0] ?? {};
    const type = String(spec.type ?? "ClusterIP");
    setText(card.querySelector(".svc-type"), type);
    const addr = [`${spec.clusterIP ?? "…"}:${port.port ?? 80} → pods :${port.targetPort ?? port.port ?? 80}`];
    if (type === "NodePort" && port.nodePort) addr.push(`every ship :${port.nodePort}`);
    setText(card.querySelector(".svc-addr"), addr.join(" · "));

    const traffic = trafficOf(svc);
    const knob = /** @type {HTMLInputElement} */ (card.querySelector(".knob"));
    const out = /** @type {HTMLElement} */ (card.querySelector(".knob-value"));
    const sent = this.sentRps.get(name);
    const serverRps = traffic?.rps ?? 0;
    if (sent && (sent.rps === serverRps || performance.now() > sent.until)) this.sentRps.delete(name);
    const shown = this.sentRps.get(name)?.rps ?? serverRps;
    if (document.activeElement !== knob || !this.sentRps.has(name)) {
      if (!this.sentRps.has(name)) knob.value = String(rpsToKnob(shown));
      setText(out, String(shown));
      knob.setAttribute("aria-valuetext", `${shown} requests per second`);
    }
    card.classList.toggle("is-loaded", shown > 0);

    const failed = traffic?.failed ?? 0;
    const rate = traffic?.errorRate ?? 0;
    setText(card.querySelector(".s-sent"), fmt(traffic?.sent ?? 0));
    setText(card.querySelector(".s-failed"), fmt(failed));
    const pct = rate > 0 && rate < 0.01 ? "<1%" : `${Math.round(rate * 100)}%`;
    setText(card.querySelector(".s-rate"), pct);
    card.classList.toggle("has-errors", rate > 0 || failed > 0);

    // Endpoints: one row per pod, with the requests it has served (the proof of the balancing).
    const endpoints = endpointsOf(state, name);
    const served = traffic?.served ?? {};
    const ready = endpoints.filter((e) => e.ready).length;
    const terminating = endpoints.filter((e) => e.terminating).length;
    const notReady = endpoints.length - ready - terminating;
    setText(card.querySelector(".ep-title"),
      endpoints.length
        ? `Endpoints: ${ready} ready · ${notReady} not ready · ${terminating} terminating`
        : "Endpoints: none (no pod matches, or none has an IP yet)");
    const rates = this.ratesOf(name, svc, served, state.time);
    const max = Math.max(1, ...endpoints.map((e) => Number(served[e.pod] ?? 0)));
    const list = /** @type {HTMLElement} */ (card.querySelector(".endpoints"));
    const rows = endpoints.map((ep) => {
      const count = Number(served[ep.pod] ?? 0);
      const cond = ep.terminating ? "terminating" : ep.ready ? "ready" : "not-ready";
      const condText = ep.terminating ? (ep.serving ? "terminating (serving)" : "terminating") : ep.ready ? "ready" : "not ready";
      const pod = state.kind("Pod").get(ep.pod);
      const usage = podUsage(state, ep.pod);
      const { request } = podCpuBounds(pod);
      const perSecond = rates.get(ep.pod);
      const cpuText = usage === null ? "cpu –" : `${Math.round(usage * 1000)}m${request ? ` / ${Math.round(request * 1000)}m` : ""}`;
      const cpu = perSecond === undefined ? cpuText : `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s · ${cpuText}`;
      return { pod: ep.pod, cond, condText, count, frac: count / max, cpu, hot: request > 0 && usage !== null && usage >= request };
    });
    // Rebuild only when the set of endpoints changes; numbers update in place.
    const sig = rows.map((r) => `${r.pod}:${r.cond}`).join("|");
    if (list.dataset.signature !== sig) {
      list.dataset.signature = sig;
      list.replaceChildren(...rows.map((r) => h("li", { className: `ep ep-${r.cond}`, dataset: { pod: r.pod } },
        h("span", { className: "ep-dot", "aria-hidden": "true" }),
        h("span", { className: "ep-pod", title: r.pod }, h("span", { className: "ep-prefix" }, prefixOf(r.pod)), h("span", { className: "ep-id" }, idOf5(r.pod))),
        h("span", { className: "ep-cond" }, r.condText),
        h("span", { className: "ep-bar", "aria-hidden": "true" }, h("span", { className: "ep-fill" })),
        h("span", { className: "ep-served", title: "requests served since the traffic started" }),
        h("span", { className: "ep-cpu" }),
      )));
    }
    rows.forEach((r, i) => {
      const li = /** @type {HTMLElement} */ (list.children[i]);
      if (!li) return;
      setText(li.querySelector(".ep-served"), fmt(r.count));
      const fill = /** @type {HTMLElement} */ (li.querySelector(".ep-fill"));
      const w = `${(r.frac * 100).toFixed(1)}%`;
      if (fill.style.width !== w) fill.style.width = w;
      setText(li.querySelector(".ep-cpu"), r.cpu);
      li.classList.toggle("ep-hot", r.hot);
    });
    const counted = rows.filter((r) => r.count > 0).map((r) => r.count);
    let spread = "";
    if (counted.length > 1) {
      const lo = Math.min(...counted);
      const hi = Math.max(...counted);
      const total = counted.reduce((a, b) => a + b, 0);
      spread = `These pods served ${fmt(total)} requests so far: ${fmt(lo)} to ${fmt(hi)} each (${hi - lo <= 1 ? "even" : `spread ${Math.round(((hi - lo) / (total / counted.length)) * 100)}%`}).`;
      const now = [...rates.values()];
      if (now.length > 1) spread += ` Lately ${Math.min(...now).toFixed(1)} to ${Math.max(...now).toFixed(1)} req/s each.`;
    } else if (!ready && !terminating && (traffic?.sent ?? 0) > 0) {
      spread = "No ready endpoint: kube-proxy rejects every connection.";
    } else if (!ready && terminating) {
      spread = "No ready endpoint: kube-proxy falls back to serving terminating pods.";
    }
    setText(card.querySelector(".ep-spread"), spread);

    const deployment = deploymentOfService(state, svc);
    const cpuForm = /** @type {HTMLFormElement} */ (card.querySelector(".cpu-model"));
    cpuForm.hidden = !deployment;
    if (deployment) {
      cpuForm.dataset.deployment = nameOf(deployment);
      const model = cpuModelOf(deployment);
      const per = /** @type {HTMLInputElement} */ (cpuForm.querySelector(".cpu-per"));
      const base = /** @type {HTMLInputElement} */ (cpuForm.querySelector(".cpu-base"));
      const modelSig = `${model.perRequest}|${model.base}`;
      if (cpuForm.dataset.signature !== modelSig && !cpuForm.contains(document.activeElement)) {
        cpuForm.dataset.signature = modelSig;
        per.value = String(milli(model.perRequest));
        base.value = String(milli(model.base));
      }
    }
  }
}


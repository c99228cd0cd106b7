// @ts-check
/** The pod inspector: what `kubectl describe pod` says about one pod, live, with its countdowns and three buttons. */

import { h, setText } from "./dom.js";
import { formatClock, simSeconds } from "./k8s.js";
import { kubectlFor } from "./kubectl.js";
import {
  backoffUntil, displayReady, displayStatus, FORCE_WARNING, graceSeconds, killAt, podEvents, probeText, restartCount,
  shortDuration,
} from "./podstatus.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {{ el: HTMLElement, at: number, say: (left: number) => string }} Countdown
 */

const CONDITIONS = ["PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "DisruptionTarget"];
const PROBES = [["startupProbe", "Startup"], ["readinessProbe", "Readiness"], ["livenessProbe", "Liveness"]];
const TROUBLE = new Set(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "Error", "OOMKilled", "CreateContainerConfigError", "InvalidImageName"]);
/** Events kept per open pod (the page itself keeps only the cluster's latest 50). */
const EVENT_KEEP = 60;

/**
 * A simulated moment as the page's clock shows it, and how long ago.
 * @param {string | undefined} stamp
 * @param {number} now
 */
function when(stamp, now) {
  const at = simSeconds(stamp);
  if (at === null) return "–";
  return `${formatClock(at)} (${shortDuration(now - at)} ago)`;
}

/** @param {number} seconds */
function inWords(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export class PodInspector {
  /**
   * @param {HTMLElement} panel  hidden role="dialog" element
   * @param {ClusterState} state
   * @param {(action: string, args: Record<string, any>) => void} act
   */
  constructor(panel, state, act) {
    this.panel = panel;
    this.state = state;
    this.act = act;
    /** @type {string | null} */
    this.pod = null;
    /** @type {HTMLElement | null} */
    this.returnTo = null;
    /** @type {KObject | undefined} the object last drawn */
    this.drawn = undefined;
    this.drawnEvents = "";
    /** @type {Countdown[]} */
    this.countdowns = [];
    /** @type {Map<string, KObject>} the open pod's Events by uid, kept while the panel is open */
    this.events = new Map();
    /** the pod's uid while it existed (its Events name it) */
    this.uid = "";

    this.title = h("h2", { id: "podi-title", className: "podi-title" });
    const close = h("button", { type: "button", className: "btn podi-close", "aria-label": "Close pod inspector" }, "×");
    close.addEventListener("click", () => this.close());
    this.status = h("p", { className: "podi-status", role: "status" });
    this.countdown = h("p", { className: "podi-countdown", "aria-live": "off" });
    this.summary = h("dl", { className: "podi-summary" });

    this.buttons = {
      crash: this.button("Crash it", "podi-crash", () => this.send("crash_pod", {})),
      delete: this.button("Delete", "podi-delete", () => this.send("delete_pod", this.graceArgs())),
      force: this.button("Force delete", "podi-force btn-danger", () => this.send("delete_pod", { grace_period: 0, force: true })),
    };
    this.commands = {
      crash: h("code", { className: "podi-cmd" }),
      delete: h("code", { className: "podi-cmd" }),
      force: h("code", { className: "podi-cmd" }),
    };
    const row = (/** @type {"crash" | "delete" | "force"} */ key, /** @type {string} */ note) =>
      h("div", { className: `podi-action podi-action-${key}` }, this.buttons[key], h("div", { className: "podi-action-text" }, this.commands[key], h("span", { className: "podi-note" }, note)));
    this.graceNote = h("span", { className: "podi-note" });
    // kubectl delete --grace-period=N: empty means the pod's own terminationGracePeriodSeconds.
    this.graceInput = h("input", {
      type: "number", id: "podi-grace", className: "podi-grace", min: "1", max: "3600", step: "1", inputmode: "numeric",
      placeholder: "pod's own",
    });
    this.graceInput.addEventListener("input", () => this.showDeleteCommand());
    const graceField = h("label", { className: "podi-grace-field", for: "podi-grace" }, "--grace-period ", this.graceInput, " s");
    const actions = h("div", { className: "podi-actions", role: "group", "aria-label": "Pod actions" },
      row("crash", "Exit code 1. The first restart is at once; later ones back off 10 s, 20 s, 40 s … 300 s."),
      h("div", { className: "podi-action podi-action-delete" }, this.buttons.delete,
        h("div", { className: "podi-action-text" }, this.commands.delete, graceField, this.graceNote)),
      row("force", FORCE_WARNING),
    );
    this.body = h("div", { className: "podi-body" });
    this.containers = h("div", { className: "podi-containers" });
    panel.setAttribute("aria-labelledby", "podi-title");
    panel.tabIndex = -1;
    panel.replaceChildren(
      h("div", { className: "podi-head" }, this.title, close),
      this.status, this.countdown, this.summary, this.containers, actions, this.body,
    );
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
  }

  /**
   * @param {string} label
   * @param {string} className
   * @param {() => void} onClick
   */
  button(label, className, onClick) {
    const b = h("button", { type: "button", className: `btn ${className}` }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  /**
   * @param {string} action
   * @param {Record<string, any>} extra
   */
  send(action, extra) {
    if (!this.pod) return;
    this.act(action, { name: this.pod, ...extra });
  }

  /** The grace period typed for Delete, as delete_pod arguments ({} for the pod's own). */
  graceArgs() {
    const n = Number(this.graceInput.value);
    return this.graceInput.value.trim() && Number.isInteger(n) && n >= 1 ? { grace_period: n } : {};
  }

  showDeleteCommand() {
    if (this.pod) setText(this.commands.delete, kubectlFor("delete_pod", { name: this.pod, ...this.graceArgs() }));
  }

  /**
   * @param {string} pod
   * @param {HTMLElement | null} [from]
   */
  open(pod, from) {
    if (this.pod !== pod) {
      this.events = new Map();
      this.uid = "";
      this.graceInput.value = "";
    }
    this.pod = pod;
    this.returnTo = from ?? null;
    // Below the page header, over the side panel (fixed, so it stays put while the panel scrolls).
    const top = this.panel.parentElement?.getBoundingClientRect().top ?? 64;
    this.panel.style.setProperty("--podi-top", `${Math.max(0, Math.round(top))}px`);
    this.panel.hidden = false;
    this.panel.dataset.pod = pod;
    this.drawn = undefined;
    this.drawnEvents = "";
    this.update();
    this.panel.focus();
  }

  close() {
    if (!this.pod) return;
    this.pod = null;
    this.panel.hidden = true;
    const back = this.returnTo;
    this.returnTo = null;
    if (back?.isConnected) back.focus();
  }

  /** Refresh: the whole description when the pod or its Events changed, the countdowns always. */
  update() {
    if (!this.pod) return;
    const pod = this.state.kind("Pod").get(this.pod);
    if (pod?.metadata?.uid) this.uid = String(pod.metadata.uid);
    for (const e of podEvents(this.state.events, { metadata: { name: this.pod, uid: this.uid } })) {
      const key = String(e.metadata?.uid ?? e.metadata?.name);
      this.events.delete(key);
      this.events.set(key, e);
    }
    while (this.events.size > EVENT_KEEP) this.events.delete(this.events.keys().next().value ?? "");
    const eventsKey = [...this.events.values()].map((e) => `${e.metadata?.uid}:${e.count}`).join(",");
    if (pod !== this.drawn || eventsKey !== this.drawnEvents || !pod) {
      this.drawn = pod;
      this.drawnEvents = eventsKey;
      this.render(pod);
    }
    this.tick();
  }

  /** Move the countdowns to the page's simulated time. */
  tick() {
    const now = this.state.time;
    for (const c of this.countdowns) setText(c.el, c.say(c.at - now));
  }

  /** @param {KObject | undefined} pod */
  render(pod) {
    const name = /** @type {string} */ (this.pod);
    const now = this.state.time;
    this.countdowns = [];
    setText(this.commands.crash, kubectlFor("crash_pod", { name }).split(/\s+#/)[0]);
    this.showDeleteCommand();
    setText(this.commands.force, kubectlFor("delete_pod", { name, grace_period: 0, force: true }));
    for (const b of Object.values(this.buttons)) b.disabled = !pod;
    if (!pod) {
      setText(this.title, `Pod ${name}`);
      setText(this.status, "Gone: the pod object was removed from the API.");
      this.status.dataset.status = "Gone";
      setText(this.countdown, "");
      this.summary.replaceChildren();
      this.containers.replaceChildren();
      setText(this.graceNote, "");
      this.body.replaceChildren(this.eventsSection(now));
      return;
    }
    const status = displayStatus(pod);
    setText(this.title, `Pod ${name}`);
    setText(this.status, status);
    this.status.dataset.status = status;
    this.status.dataset.trouble = TROUBLE.has(status) ? "true" : "false";

    const grace = graceSeconds(pod);
    setText(this.graceNote, pod.metadata?.deletionTimestamp
      ? "Already terminating: a second delete changes nothing."
      : `SIGTERM now, SIGKILL after the grace period (${grace} s); the ReplicaSet replaces it at once.`);

    // The headline countdown: the SIGKILL deadline, or the next restart / image pull.
    this.countdown.replaceChildren();
    this.countdown.hidden = true;
    const kill = killAt(pod);
    if (kill !== null) {
      const el = h("span", { className: "podi-clock" });
      this.countdowns.push({ el, at: kill, say: (left) => (left > 0 ? `SIGKILL in ${inWords(left)}` : "grace period over: waiting for the kubelet to confirm") });
      this.countdown.append(el, ` (grace period ${graceSeconds(pod)} s)`);
      this.countdown.hidden = false;
    } else {
      const until = backoffUntil(pod);
      const first = [...until.entries()].sort((a, b) => a[1] - b[1])[0];
      if (first) {
        const [container, at] = first;
        const cs = (pod.status?.containerStatuses ?? []).find((/** @type {KObject} */ s) => s?.name === container);
        const pulling = cs?.state?.waiting?.reason === "ImagePullBackOff";
        const el = h("span", { className: "podi-clock" });
        this.countdowns.push({ el, at, say: (left) => (left > 0
          ? `${pulling ? "pulling the image again" : "restarting"} in ${inWords(left)}`
          : pulling ? "pulling the image again now" : "restarting now") });
        this.countdown.append(el, ` · container ${container}`);
        this.countdown.hidden = false;
      }
    }

    // Running but not Ready (STATUS says Running, READY says 0/1): say why, from the Ready condition.
    const readyCond = (pod.status?.conditions ?? []).find((/** @type {KObject} */ c) => c?.type === "Ready");
    const notReady = status === "Running" && readyCond?.status === "False";
    this.status.dataset.ready = notReady ? "false" : "true";
    if (this.countdown.hidden && notReady) {
      this.countdown.append(h("span", { className: "podi-notready" }, "not Ready"),
        `: ${readyCond.reason ?? ""}${readyCond.message ? ` (${readyCond.message})` : ""}`);
      this.countdown.hidden = false;
    }

    const created = simSeconds(pod.metadata?.creationTimestamp);
    const owner = (pod.metadata?.ownerReferences ?? [])[0];
    const pair = (/** @type {string} */ term, /** @type {string} */ value) => h("div", null, ...fact(term, value));
    this.summary.replaceChildren(
      pair("Ready", displayReady(pod)),
      pair("Restarts", String(restartCount(pod))),
      pair("Age", created === null ? "–" : shortDuration(now - created)),
      pair("Node", String(pod.spec?.nodeName ?? "<none> (on the quay)")),
    );

    /** @type {HTMLElement[]} */
    const parts = [];
    parts.push(h("section", { className: "podi-section", "aria-label": "Pod" }, h("dl", { className: "podi-facts" },
      ...fact("Phase", String(pod.status?.phase ?? "Pending")),
      ...fact("IP", String(pod.status?.podIP ?? "<none>")),
      ...fact("Controlled by", owner ? `${owner.kind}/${owner.name}` : "<none>"),
      ...fact("Start time", pod.status?.startTime ? when(pod.status.startTime, now) : "–"),
      ...fact("QoS class", String(pod.status?.qosClass ?? "–")),
      ...fact("Restart policy", String(pod.spec?.restartPolicy ?? "Always")),
      ...fact("Termination grace period", `${pod.spec?.terminationGracePeriodSeconds ?? 30} s`),
      ...(pod.metadata?.deletionTimestamp
        ? fact("Terminating", `since ${when(rewind(pod.metadata.deletionTimestamp, graceSeconds(pod)), now)}, SIGKILL at ${formatClock(kill)}`)
        : []),
    )));
    parts.push(this.conditionsSection(pod, now));
    parts.push(this.eventsSection(now));
    this.containers.replaceChildren(...(pod.spec?.containers ?? []).map((spec) => this.containerSection(pod, spec, now)));
    this.body.replaceChildren(...parts);
  }

  /**
   * @param {KObject} pod
   * @param {number} now
   */
  conditionsSection(pod, now) {
    const list = [...(pod.status?.conditions ?? [])].sort((a, b) => CONDITIONS.indexOf(a.type) - CONDITIONS.indexOf(b.type));
    return h("section", { className: "podi-section", "aria-label": "Conditions" },
      h("h3", null, "Conditions"),
      h("table", { className: "podi-table podi-conditions" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Since"))),
        h("tbody", null, ...list.map((c) => h("tr", { dataset: { type: String(c.type), status: String(c.status) } },
          h("th", { scope: "row" }, String(c.type)),
          h("td", { className: `podi-cond podi-cond-${c.status}` }, String(c.status), c.reason ? h("span", { className: "podi-sub" }, ` ${c.reason}`) : null),
          h("td", null, when(c.lastTransitionTime, now)))))));
  }

  /**
   * One container's state, last state, restarts, image and probes.
   * @param {KObject} pod
   * @param {KObject} spec
   * @param {number} now
   */
  containerSection(pod, spec, now) {
    const cs = (pod.status?.containerStatuses ?? []).find((/** @type {KObject} */ s) => s?.name === spec.name) ?? {};
    const until = backoffUntil(pod).get(String(spec.name));
    const rows = [
      ...fact("Image", String(spec.image ?? "")),
      ...stateFacts("State", cs.state, now),
      ...(cs.lastState && Object.keys(cs.lastState).length ? stateFacts("Last state", cs.lastState, now) : []),
      ...fact("Ready", cs.ready ? "True" : "False"),
      ...fact("Restart count", String(cs.restartCount ?? 0)),
    ];
    if (until !== undefined) {
      const el = h("span", { className: "podi-clock" });
      this.countdowns.push({ el, at: until, say: (left) => (left > 0 ? `in ${inWords(left)} (at ${formatClock(until)})` : "now") });
      rows.push(h("dt", null, "Next try"), h("dd", null, el));
    }
    for (const [field, label] of PROBES) {
      if (spec[field]) rows.push(...fact(label, probeText(spec[field])));
    }
    if (!PROBES.some(([field]) => spec[field])) rows.push(...fact("Probes", "none: ready as soon as it runs"));
    return h("section", { className: "podi-section podi-container", "aria-label": `Container ${spec.name}`, dataset: { container: String(spec.name) } },
      h("h3", null, `Container ${spec.name}`),
      h("dl", { className: "podi-facts" }, ...rows));
  }

  /** @param {number} now */
  eventsSection(now) {
    const list = [...this.events.values()];
    return h("section", { className: "podi-section", "aria-label": "Events" },
      h("h3", null, "Events"),
      list.length
        ? h("table", { className: "podi-table podi-events" },
          h("thead", null, h("tr", null, ...["Type", "Reason", "Age", "From", "Message"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", null, ...list.map((e) => {
            const last = simSeconds(e.lastTimestamp ?? e.metadata?.creationTimestamp) ?? now;
            const first = simSeconds(e.firstTimestamp) ?? last;
            const count = Number(e.count ?? 1);
            const age = count > 1 ? `${shortDuration(now - last)} (x${count} over ${shortDuration(now - first)})` : shortDuration(now - last);
            return h("tr", { className: e.type === "Warning" ? "podi-warning" : "", dataset: { reason: String(e.reason ?? "") } },
              h("td", null, String(e.type ?? "")),
              h("td", null, String(e.reason ?? "")),
              h("td", { className: "podi-age" }, age),
              h("td", null, String(e.source?.component ?? e.reportingComponent ?? "")),
              h("td", { className: "podi-msg" }, String(e.message ?? "")));
          })))
        : h("p", { className: "podi-sub" }, "No events seen by this page yet (it keeps the cluster's latest 50, and a pod's own while its inspector is open)."));
  }
}

/**
 * A term and its value for a <dl>.
 * @param {string} term
 * @param {string} value
 */
function fact(term, value) {
  return [h("dt", null, term), h("dd", null, value)];
}

/**
 * A container state as `kubectl describe` words it.
 * @param {string} term
 * @param {KObject | undefined} state
 * @param {number} now
 */
function stateFacts(term, state, now) {
  if (!state || !Object.keys(state).length) return fact(term, "–");
  if (state.running) return fact(term, `Running, started ${when(state.running.startedAt, now)}`);
  if (state.waiting) {
    const w = state.waiting;
    const out = fact(term, `Waiting: ${w.reason ?? ""}`);
    if (w.message) out.push(...fact("Message", String(w.message)));
    return out;
  }
  const t = state.terminated ?? {};
  const out = fact(term, `Terminated: ${t.reason ?? ""}, exit code ${t.exitCode}`);
  out.push(...fact("Started / finished", `${when(t.startedAt, now)} → ${when(t.finishedAt, now)}`));
  if (t.message) out.push(...fact("Message", String(t.message)));
  return out;
}

/**
 * The moment a grace period started, from the deadline the API wrote.
 * @param {string} stamp
 * @param {number} grace
 */
function rewind(stamp, grace) {
  const at = simSeconds(stamp);
  return at === null ? stamp : new Date(Date.UTC(2026, 0, 1) + (at - grace) * 1000).toISOString();
}

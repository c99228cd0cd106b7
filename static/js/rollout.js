// @ts-check
/**
 * The rollout panel under the harbour: old and new fleets side by side, the counters the controller
 * works with (DEP-3, DEP-4), its current step, the conditions (DEP-12), pause/resume/restart (DEP-10),
 * the revision timeline (DEP-8) and the strategy form. Opens by itself when a rollout starts.
 */

import { h, setText } from "./dom.js";
import { condition, nameOf, naturalCompare, revisionOf } from "./k8s.js";
import { RevisionTimeline, shortImage } from "./revisions.js";
import { chipLook, isNewSet, isRolling, limits, phaseOf, podsByOwner, rolloutKey, rolloutStep, setsOf } from "./rolloutmath.js";
import { StrategyForm } from "./strategyform.js";

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

/** The controller's phases in plain words. */
const PHASE_WORDS = {
  ScalingUp: "Scaling up",
  ScalingDown: "Scaling down",
  WaitingForAvailable: "Waiting for new pods",
  WaitingForOldPods: "Waiting for old pods to go",
  Complete: "Complete",
  Paused: "Paused",
  Stalled: "Stalled",
  Rolling: "Rolling out",
};

const GLYPH = { ready: "✓", notready: "", crash: "!", pull: "?", starting: "…", terminating: "" };

/** @param {KObject} obj */
const imageOf = (obj) => String(obj?.spec?.template?.spec?.containers?.[0]?.image ?? "");

/** @param {KObject | undefined} d */
const appOfDeployment = (d) => String(d?.spec?.template?.metadata?.labels?.app ?? d?.spec?.selector?.matchLabels?.app ?? nameOf(d ?? {}));

export class RolloutDock {
  /**
   * @param {HTMLElement} root  the (hidden) dock element
   * @param {Act} act
   * @param {{ inspect?: (pod: string) => void }} [hooks]  a click on a chip opens that pod's description
   */
  constructor(root, act, hooks = {}) {
    this.root = root;
    this.act = act;
    this.hooks = hooks;
    /** @type {string} the Deployment shown, "" when closed */
    this.name = "";
    /** @type {Map<string, string>} deployment -> the rollout (revision|paused) the person closed the panel on */
    this.dismissed = new Map();
    /** @type {Map<string, string>} deployment -> its rollout key when last seen */
    this.lastKey = new Map();
    /** @type {ClusterState | null} */
    this.state = null;
    /** @type {Map<string, string>} */
    this.colours = new Map();
    /** @type {(() => void) | null} */
    this.onToggle = null;

    this.timeline = new RevisionTimeline(act);
    this.strategy = new StrategyForm(act);
    this.title = h("h2", { className: "ro-title", id: "ro-title" }, "Rollout");
    this.tabs = h("div", { className: "ro-tabs", role: "group", "aria-label": "Show the rollout of" });
    this.pauseBtn = h("button", { type: "button", className: "btn btn-small ro-pause", onclick: () => this.togglePause() }, "Pause rollout");
    this.restartBtn = h("button", {
      type: "button", className: "btn btn-small ro-restart",
      onclick: () => this.name && this.act("restart_rollout", { deployment: this.name }),
    }, "Restart");
    this.closeBtn = h("button", { type: "button", className: "btn btn-small ro-close", "aria-label": "Close the rollout panel", onclick: () => this.close() }, "×");
    this.banner = h("div", { className: "ro-banner", role: "alert", hidden: true });
    this.pausedNote = h("p", { className: "ro-paused-note", hidden: true },
      h("b", null, "Paused. "), "Template changes are recorded but nothing rolls out, and no progress deadline runs, until you resume (one new revision then takes every change).");
    this.phase = h("span", { className: "ro-phase" });
    this.stepText = h("span", { className: "ro-step-text" });
    this.fleets = h("ul", { className: "ro-fleets", "aria-label": "ReplicaSets and their pods" });
    // Chips are pictures (each row says its counts aloud); a click on one inspects its pod,
    // which keyboard users reach through the same pod on the harbour (key I).
    this.fleets.addEventListener("click", (event) => {
      const chip = /** @type {HTMLElement} */ (event.target).closest?.("[data-pod]");
      const pod = chip instanceof HTMLElement ? chip.dataset.pod : "";
      if (pod && this.hooks.inspect) this.hooks.inspect(pod);
    });
    this.counters = h("dl", { className: "ro-counters" });
    this.conditions = h("ul", { className: "ro-conditions", "aria-label": "Deployment conditions" });
    root.classList.add("ro-dock");
    root.setAttribute("aria-labelledby", "ro-title");
    root.replaceChildren(
      h("header", { className: "ro-head" }, this.title, this.phase, this.tabs,
        h("div", { className: "ro-head-actions" }, this.pauseBtn, this.restartBtn, this.closeBtn)),
      this.banner,
      this.pausedNote,
      h("p", { className: "ro-step", "aria-live": "polite" }, h("span", { className: "visually-hidden" }, "Controller step: "), this.stepText),
      h("div", { className: "ro-body" },
        h("div", { className: "ro-left" }, this.fleets, this.conditions, this.timeline.root),
        h("div", { className: "ro-right" }, this.counters)),
      this.strategy.root,
    );
    root.hidden = true;
  }

  /** @param {string} name @param {{ focus?: boolean }} [opts] */
  open(name, opts = {}) {
    const changed = this.name !== name || this.root.hidden;
    this.name = name;
    this.root.hidden = false;
    this.render();
    if (opts.focus) {
      this.title.setAttribute("tabindex", "-1");
      this.title.focus();
    }
    if (changed) this.onToggle?.();
  }

  close() {
    if (!this.name) return;
    this.dismissed.set(this.name, this.lastKey.get(this.name) ?? "");
    this.name = "";
    this.root.hidden = true;
    this.onToggle?.();
  }

  togglePause() {
    const d = this.state?.kind("Deployment").get(this.name);
    if (!d) return;
    this.act(d.spec?.paused ? "resume_rollout" : "pause_rollout", { deployment: this.name });
  }

  /**
   * @param {ClusterState} state
   * @param {Map<string, string>} colours app -> colour
   */
  update(state, colours) {
    this.state = state;
    this.colours = colours;
    const deployments = [...state.kind("Deployment").values()].sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
    const rolling = [];
    /** @type {string[]} rollouts that just started, stalled or were paused or resumed */
    const news = [];
    for (const d of deployments) {
      const name = nameOf(d);
      const sets = setsOf(state.kind("ReplicaSet"), name);
      const key = rolloutKey(d);
      const before = this.lastKey.get(name);
      this.lastKey.set(name, key);
      if (!isRolling(d, sets)) continue;
      rolling.push(name);
      if (key !== before && this.dismissed.get(name) !== key) news.push(name);
    }
    if (this.name && !state.kind("Deployment").has(this.name)) this.close();
    // News opens the panel, unless it shows another rollout that is still going.
    if (news.length && !news.includes(this.name) && !(this.name && rolling.includes(this.name))) this.open(news[0]);
    this.fillTabs(deployments.map(nameOf), rolling);
    if (this.name) this.render();
  }

  /** @param {string[]} names @param {string[]} rolling */
  fillTabs(names, rolling) {
    const sig = `${names.join(",")}|${rolling.join(",")}|${this.name}`;
    if (this.tabs.dataset.signature === sig) return;
    this.tabs.dataset.signature = sig;
    this.tabs.hidden = names.length < 2;
    this.tabs.replaceChildren(...names.map((n) => h("button", {
      type: "button", className: `btn btn-small ro-tab${rolling.includes(n) ? " ro-tab-live" : ""}`,
      "aria-pressed": String(n === this.name), onclick: () => this.open(n),
    }, n)));
  }

  render() {
    const state = this.state;
    const d = state?.kind("Deployment").get(this.name);
    if (!state || !d) return;
    const name = this.name;
    const sets = setsOf(state.kind("ReplicaSet"), name);
    const colour = this.colours.get(appOfDeployment(d)) ?? "#E8ECF1";
    if (this.root.style.getPropertyValue("--c") !== colour) this.root.style.setProperty("--c", colour);
    this.root.dataset.deployment = name;
    setText(this.title, `Rollout · ${name}`);
    const phase = phaseOf(d, sets);
    // A new phase is news: back to the top of the panel, where the fleets and the banner are.
    if (this.root.dataset.phase !== phase) this.root.scrollTop = 0;
    this.root.dataset.phase = phase;
    const paused = Boolean(d.spec?.paused);
    setText(this.pauseBtn, paused ? "Resume rollout" : "Pause rollout");
    this.pauseBtn.setAttribute("aria-label", `${paused ? "Resume" : "Pause"} rollout of ${name}`);
    this.pauseBtn.classList.toggle("btn-primary", paused);
    this.restartBtn.setAttribute("aria-label", `Restart every pod of ${name} (kubectl rollout restart)`);
    this.pausedNote.hidden = !paused;
    setText(this.phase, PHASE_WORDS[/** @type {keyof typeof PHASE_WORDS} */ (phase)] ?? phase);
    this.phase.dataset.phase = phase;
    setText(this.stepText, stepSentence(d, sets, phase));
    this.fillBanner(d, sets);
    this.fillFleets(d, sets, state);
    this.fillCounters(d, sets);
    this.fillConditions(d);
    this.timeline.update(d, sets);
    this.strategy.update(d);
  }

  /** @param {KObject} d @param {KObject[]} sets */
  fillBanner(d, sets) {
    const progressing = condition(d, "Progressing");
    const stalled = progressing?.reason === "ProgressDeadlineExceeded";
    this.banner.hidden = !stalled;
    this.root.classList.toggle("ro-stalled", stalled);
    if (!stalled) {
      if (this.banner.childElementCount) this.banner.replaceChildren();
      return;
    }
    const name = nameOf(d);
    const current = revisionOf(d);
    const previous = sets.map(revisionOf).filter((r) => r > 0 && r < current).pop();
    const sig = `${progressing?.message}|${previous}|${name}`;
    if (this.banner.dataset.signature === sig) return;
    this.banner.dataset.signature = sig;
    this.banner.replaceChildren(
      h("div", { className: "ro-banner-text" },
        h("p", { className: "ro-banner-title" }, "ProgressDeadlineExceeded ", h("span", { className: "ro-banner-msg" }, String(progressing?.message ?? ""))),
        h("p", { className: "ro-banner-cli" }, h("code", null, `$ kubectl rollout status deployment/${name}`), " → ",
          h("code", null, `error: deployment "${name}" exceeded its progress deadline`)),
      ),
      previous
        ? h("button", {
          type: "button", className: "btn btn-hero ro-banner-undo",
          onclick: () => this.act("rollback", { deployment: name }),
        }, `Roll back to revision ${previous}`)
        : null,
    );
  }

  /**
   * One row of chips per ReplicaSet with pods or replicas, the newest at the bottom.
   * @param {KObject} d @param {KObject[]} sets @param {ClusterState} state
   */
  fillFleets(d, sets, state) {
    const owned = podsByOwner(state.kind("Pod"));
    const rows = sets.filter((rs) => {
      const pods = owned.get(nameOf(rs)) ?? [];
      return pods.length > 0 || Number(rs.spec?.replicas ?? 0) > 0 || isNewSet(d, rs);
    });
    /** @type {{ key: string, build: () => HTMLElement }[]} */
    const items = rows.map((rs) => {
      const rev = revisionOf(rs);
      const isNew = isNewSet(d, rs);
      const pods = owned.get(nameOf(rs)) ?? [];
      const looks = pods.map((p) => ({ name: nameOf(p), ...chipLook(p) }));
      const live = looks.filter((l) => l.look !== "terminating").length;
      const want = Number(rs.spec?.replicas ?? 0);
      const ready = Number(rs.status?.readyReplicas ?? 0);
      const available = Number(rs.status?.availableReplicas ?? 0);
      const empty = Math.max(0, want - live);
      const tally = summarise(looks.map((l) => l.look));
      const label = `${isNew ? "new" : "old"} ReplicaSet ${nameOf(rs)}, revision ${rev}, ${shortImage(imageOf(rs))}: ${want} wanted, ${ready} ready, ${available} available${tally ? `; pods ${tally}` : ""}`;
      const key = JSON.stringify([nameOf(rs), isNew, rev, want, ready, available, looks, empty]);
      return {
        key,
        build: () => h("li", { className: `ro-fleet ${isNew ? "ro-fleet-new" : "ro-fleet-old"}`, "aria-label": label, dataset: { rs: nameOf(rs), revision: String(rev) } },
          h("div", { className: "ro-fleet-label", "aria-hidden": "true" },
            h("span", { className: "ro-fleet-kind" }, isNew ? "new" : "old"),
            h("span", { className: "ro-fleet-rev" }, `rev ${rev}`),
            h("span", { className: "ro-fleet-image" }, shortImage(imageOf(rs))),
            h("span", { className: "ro-fleet-count" }, `${ready}/${want} ready`)),
          h("ul", { className: "ro-chips", "aria-hidden": "true" },
            ...looks.map((l) => h("li", { className: `ro-chip ro-${l.look}`, title: `${l.name}: ${l.label}`, dataset: { pod: l.name, look: l.look } }, GLYPH[l.look])),
            ...Array.from({ length: empty }, () => h("li", { className: "ro-chip ro-slot", title: "wanted, not created yet" }))),
        ),
      };
    });
    if (!rows.some((rs) => isNewSet(d, rs))) {
      // Paused, or Recreate waiting for the old pods: the new template has no ReplicaSet yet.
      const why = d.spec?.paused ? "paused: created on resume" : "created once the old pods are gone";
      items.push({
        key: `pending|${why}|${imageOf(d)}`,
        build: () => h("li", { className: "ro-fleet ro-fleet-new ro-fleet-pending", "aria-label": `new ReplicaSet for ${shortImage(imageOf(d))}: not created yet, ${why}` },
          h("div", { className: "ro-fleet-label", "aria-hidden": "true" },
            h("span", { className: "ro-fleet-kind" }, "new"),
            h("span", { className: "ro-fleet-image" }, shortImage(imageOf(d)))),
          h("p", { className: "ro-fleet-none" }, `No ReplicaSet yet (${why}).`)),
      });
    }
    const sig = items.map((i) => i.key).join("\n");
    if (this.fleets.dataset.signature === sig) return;
    this.fleets.dataset.signature = sig;
    this.fleets.replaceChildren(...items.map((i) => i.build()));
  }

  /** @param {KObject} d @param {KObject[]} sets */
  fillCounters(d, sets) {
    const desired = Number(d.spec?.replicas ?? 0);
    const s = d.status ?? {};
    const lim = limits(d);
    const available = Number(s.availableReplicas ?? 0);
    const total = sets.reduce((n, rs) => n + Number(rs.spec?.replicas ?? 0), 0);
    const surge = Math.max(0, total - desired); // below desired (Recreate, scaling down) uses no surge
    const unavailable = Math.max(0, desired - available);
    const recreate = lim.strategy === "Recreate";
    /** @type {[string, string, number, string, string][]} key, label, value, sub, tone */
    const rows = [
      ["desired", "Desired", desired, "spec.replicas", ""],
      ["updated", "Updated", Number(s.updatedReplicas ?? 0), "run the new template", ""],
      ["ready", "Ready", Number(s.readyReplicas ?? 0), "pass readiness", ""],
      ["available", "Available", available, recreate ? "Recreate: no minimum" : `minimum ${lim.minAvailable}`,
        !recreate && available < lim.minAvailable ? "bad" : available < desired ? "busy" : "ok"],
      ["surge", "Surge in use", surge, recreate ? "Recreate: no surge" : `of ${lim.maxSurge} allowed (maxSurge)`,
        surge > lim.maxSurge && !recreate ? "bad" : surge > 0 ? "busy" : ""],
      ["unavailable", "Unavailable", unavailable, recreate ? "Recreate: all may go" : `of ${lim.maxUnavailable} allowed (maxUnavailable)`,
        !recreate && unavailable > lim.maxUnavailable ? "bad" : unavailable > 0 ? "busy" : ""],
    ];
    const sig = JSON.stringify(rows);
    if (this.counters.dataset.signature === sig) return;
    this.counters.dataset.signature = sig;
    this.counters.replaceChildren(...rows.map(([key, label, value, sub, tone]) =>
      h("div", { className: `ro-counter ro-c-${key}`, dataset: { tone } },
        h("dt", null, label), h("dd", null, h("span", { className: "ro-num" }, String(value)), h("span", { className: "ro-csub" }, sub)))));
  }

  /** @param {KObject} d */
  fillConditions(d) {
    const items = ["Progressing", "Available", "ReplicaFailure"].map((type) => condition(d, type)).filter(Boolean);
    const sig = JSON.stringify(items.map((c) => [c?.type, c?.status, c?.reason, c?.message]));
    if (this.conditions.dataset.signature === sig) return;
    this.conditions.dataset.signature = sig;
    this.conditions.replaceChildren(...items.map((c) => h("li", {
      className: "ro-cond", dataset: { status: String(c?.status), reason: String(c?.reason ?? "") }, title: String(c?.message ?? ""),
    }, h("b", null, `${c?.type} `), h("span", { className: "ro-cond-status" }, String(c?.status)), " ",
    h("span", { className: "ro-cond-reason" }, String(c?.reason ?? "")),
    // A failing condition says why in the room, not only in a tooltip.
    c?.status === "False" && c?.message ? h("span", { className: "ro-cond-msg" }, String(c.message)) : null)));
  }
}

/**
 * The controller's own sentence, or one from the numbers while it writes none.
 * @param {KObject} d @param {KObject[]} sets @param {string} phase
 */
function stepSentence(d, sets, phase) {
  const step = rolloutStep(d);
  if (step?.text) return String(step.text);
  const desired = Number(d.spec?.replicas ?? 0);
  const updated = Number(d.status?.updatedReplicas ?? 0);
  const available = Number(d.status?.availableReplicas ?? 0);
  if (phase === "Complete") return `${updated} of ${desired} pods run revision ${revisionOf(d)}, all available.`;
  const old = sets.filter((rs) => !isNewSet(d, rs)).reduce((n, rs) => n + Number(rs.spec?.replicas ?? 0), 0);
  return `${updated} of ${desired} pods updated, ${available} available, ${old} old still wanted.`;
}

/** "2 ready, 1 crashing" @param {string[]} looks */
function summarise(looks) {
  const words = { ready: "ready", notready: "not ready", crash: "crashing", pull: "cannot pull image", starting: "starting", terminating: "terminating" };
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const l of looks) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${words[/** @type {keyof typeof words} */ (k)] ?? k}`).join(", ");
}

// @ts-check
/** Playground page entry: wires the websocket, the state, the stage, the accessible layer and the side panel. */

import { TargetLayer } from "./a11y.js";
import { Actions } from "./actions.js";
import { ConfigPanel } from "./configs.js";
import { Console, KubectlLink } from "./console.js";
import { DeploymentCards } from "./deployments.js";
import { EventLog } from "./eventlog.js";
import { Fleet } from "./fleet.js";
import { computeLayout, appColours } from "./layout.js";
import { isSunk } from "./k8s.js";
import { FONT } from "./paint.js";
import { PodInspector } from "./podpanel.js";
import { RolloutDock } from "./rollout.js";
import { ShipDialog } from "./shipdialog.js";
import { Link, websocketUrl } from "./socket.js";
import { Stage } from "./stage.js";
import { ClusterState } from "./state.js";
import { TimeBar } from "./timebar.js";
import { mountTraffic } from "./trafficui.js";
import { Toasts } from "./toasts.js";
import { VerdictFlash } from "./verdicts.js";
import { WhyDialog } from "./why.js";
import { YamlPanel } from "./yamlpanel.js";

/** @typedef {import("./layout.js").Layout} Layout */

const root = /** @type {HTMLElement} */ (document.getElementById("playground"));
const stageEl = /** @type {HTMLElement} */ (document.getElementById("stage"));
const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("harbour"));

const state = new ClusterState();
const stage = new Stage(canvas);
const toasts = new Toasts(
  /** @type {HTMLElement} */ (document.getElementById("kubectl")),
  /** @type {HTMLElement} */ (document.getElementById("alerts")),
);

const link = new Link(websocketUrl(root.dataset.wsPath ?? `/ws/playgrounds/${root.dataset.playgroundId}/`), {
  onMessage: receive,
  onStatus: (status, retry) => {
    timebar.showLink(status, retry);
    const gone = document.getElementById("gone");
    if (gone) gone.hidden = status !== "gone";
  },
});
const actions = new Actions((msg) => link.send(msg), (outcome) => toasts.report(outcome), {
  containerOf: (deployment) =>
    String(state.kind("Deployment").get(deployment)?.spec?.template?.spec?.containers?.[0]?.name ?? deployment),
  templateOf: (deployment) => state.kind("Deployment").get(deployment)?.spec?.template,
});
/** Ships this browser asked to drain or remove (shown draining while their pods leave). @type {Set<string>} */
const drainRequested = new Set();
/** @type {Map<string, () => void>} action id -> how to undo its local hint if the server refuses */
const undoOnError = new Map();
/** @param {string} action @param {Record<string, any>} args */
const act = (action, args) => {
  const id = actions.action(action, args);
  const name = String(args?.name ?? "");
  /** @type {(() => void) | null} */
  let undo = null;
  if (action === "drain" || action === "remove_node") {
    drainRequested.add(name);
    undo = () => drainRequested.delete(name);
  } else if (action === "uncordon") drainRequested.delete(name);
  else if (action === "sink_node") {
    // Heartbeats stop now; the Node object only says so after the 50 s grace period.
    stage.silent.set(name, state.time);
    undo = () => stage.silent.delete(name);
  } else if (action === "raise_node") stage.silent.delete(name);
  if (id && undo) undoOnError.set(id, undo);
  if (undoOnError.size > 50) undoOnError.delete(undoOnError.keys().next().value ?? "");
  dirtyKinds.add("Node");
  schedule();
  return id;
};

const timebar = new TimeBar(document, (control, args) => void actions.control(control, args));
const rollout = new RolloutDock(/** @type {HTMLElement} */ (document.getElementById("rollout-dock")), act, {
  inspect: (name) => inspector.open(name),
});
const deployments = new DeploymentCards(/** @type {HTMLElement} */ (document.getElementById("deployments")), act, {
  openRollout: (name) => rollout.open(name, { focus: true }),
});
const configs = new ConfigPanel(/** @type {HTMLDetailsElement} */ (document.getElementById("config-section")), act);
const fleet = new Fleet(/** @type {HTMLElement} */ (document.getElementById("ships-section")), act);
const traffic = mountTraffic({
  stageEl, stage, act,
  panelRoot: document.getElementById("traffic"),
  cardsRoot: /** @type {HTMLElement} */ (document.getElementById("deployments")),
});
const eventLog = new EventLog(/** @type {HTMLElement} */ (document.getElementById("events")));
const verdicts = new VerdictFlash(/** @type {HTMLElement} */ (document.getElementById("verdicts")));
const why = new WhyDialog(/** @type {HTMLElement} */ (document.getElementById("why-panel")), state);
const inspector = new PodInspector(/** @type {HTMLElement} */ (document.getElementById("pod-panel")), state, act);
const shipDialog = new ShipDialog(/** @type {HTMLElement} */ (document.getElementById("ship-panel")), {
  remove: (name) => act("remove_node", { name }),
  act,
  onChange: (name) => {
    stage.highlight = name;
    stage.request();
  },
});
const targets = new TargetLayer(/** @type {HTMLElement} */ (document.getElementById("targets")), {
  onPod: (name, button) => {
    if (clickMode === "why") {
      shipDialog.close();
      inspector.close();
      why.open(name, button);
      return;
    }
    if (clickMode === "inspect") {
      shipDialog.close();
      why.close();
      inspector.open(name, button);
      return;
    }
    stage.flash(name);
    act("delete_pod", { name });
  },
  onShip: (name, button) => {
    if (why.pod) why.close();
    if (inspector.pod) inspector.close();
    if (shipDialog.name === name) shipDialog.close();
    else if (layout) shipDialog.open(name, layout, button);
  },
  onWater: () => {
    shipDialog.close();
    why.close();
    inspector.close();
  },
});

shipDialog.isSunk = (name) => stage.silent.has(name);

// The kubectl console under the stage, and YAML (apply, view, export).
const kubectlLink = new KubectlLink((msg) => link.send(msg));
const yaml = new YamlPanel(document.body, {
  playgroundId: String(root.dataset.playgroundId),
  run: (args) => kubectlLink.run(args),
});
const consoleEl = /** @type {HTMLDetailsElement | null} */ (document.getElementById("console"));
const kubectlConsole = consoleEl ? new Console(consoleEl, { link: kubectlLink, state }) : null;
consoleEl?.querySelector("[data-yaml-apply]")?.addEventListener("click", () => yaml.openApply());
yaml.attachLinks(document.getElementById("ship-panel"), ".ship-panel-head", () =>
  shipDialog.name ? { kind: "node", name: shipDialog.name } : null);
yaml.attachLinks(document.getElementById("why-panel"), ".why-head", () => (why.pod ? { kind: "pod", name: why.pod } : null));
yaml.attachLinks(document.getElementById("deployments"), ".deploy-head", (head) => {
  const name = head.closest("[data-deployment]")?.getAttribute("data-deployment");
  return name ? { kind: "deployment", name } : null;
});

// "Click a container to: Kill | Ask why"
/** @type {"kill" | "why" | "inspect"} */
let clickMode = "kill";
const targetsEl = /** @type {HTMLElement} */ (document.getElementById("targets"));
for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[name=click-mode]"))) {
  radio.addEventListener("change", () => {
    if (!radio.checked) return;
    clickMode = radio.value === "why" || radio.value === "inspect" ? radio.value : "kill";
    root.dataset.mode = clickMode;
    targetsEl.setAttribute("aria-label", clickMode === "why"
      ? "Ships and containers. Activate a container to ask why the scheduler put it there; activate a ship for its details."
      : clickMode === "inspect"
        ? "Ships and containers. Activate a container to inspect its pod; activate a ship for its details."
        : "Ships and containers. Activate a container to kill its pod (press I to inspect it); activate a ship for its details.");
    const strip = document.querySelector("#kubectl .kubectl-result");
    if (strip && document.querySelector("#kubectl")?.getAttribute("data-state") === "idle") {
      strip.textContent = clickMode === "why" ? "Click a container to ask why it is where it is."
        : clickMode === "inspect" ? "Click a container to inspect its pod." : "Click a container to kill its pod.";
    }
  });
}
root.dataset.mode = clickMode;
// The keyboard path to the inspector, whatever the click mode: focus a container, press I.
targetsEl.addEventListener("keydown", (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest?.("button[data-pod]");
  if (!(button instanceof HTMLButtonElement) || event.key.toLowerCase() !== "i" || event.ctrlKey || event.metaKey || event.altKey) return;
  event.preventDefault();
  shipDialog.close();
  why.close();
  inspector.open(String(button.dataset.pod), button);
});
const showVerdicts = /** @type {HTMLInputElement | null} */ (document.getElementById("show-verdicts"));
showVerdicts?.addEventListener("change", () => {
  verdicts.enabled = showVerdicts.checked;
  if (!verdicts.enabled) verdicts.clear();
});

/** @type {Layout | null} */
let layout = null;
let dirtyKinds = new Set(["Node", "Pod", "ReplicaSet", "Deployment", "Settings"]);
let resetEvents = false;
/** @type {any[]} */
let newEvents = [];
let scheduled = 0;
let snapLayout = true;
let seenSnapshot = false;
const narrow = window.matchMedia("(max-width: 899px)");
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
narrow.addEventListener("change", () => {
  dirtyKinds.add("Size");
  schedule();
});

// Text measuring for the layout, cached (hull labels are measured on every layout).
const measureCtx = /** @type {CanvasRenderingContext2D} */ (document.createElement("canvas").getContext("2d"));
/** @type {Map<string, number>} */
const measured = new Map();
/** @type {import("./layout.js").Measure} */
const measure = (text, px, bold) => {
  const key = `${px}|${bold ? 1 : 0}|${text}`;
  let w = measured.get(key);
  if (w === undefined) {
    measureCtx.font = `${bold ? 700 : 500} ${px}px ${FONT}`;
    w = measureCtx.measureText(text).width;
    if (measured.size > 5000) measured.clear();
    measured.set(key, w);
  }
  return w;
};

/**
 * Handle one message from the server (also the debug hook's way in).
 * @param {any} msg
 */
function receive(msg) {
  if (!msg || typeof msg !== "object") return;
  switch (msg.type) {
    case "snapshot":
    case "delta": {
      const result = state.apply(msg);
      if (result.resync) requestResync();
      if (!result.applied) return;
      for (const kind of result.kinds) dirtyKinds.add(kind);
      if (msg.type === "snapshot") {
        if (!seenSnapshot) snapLayout = true; // the harbour appears at once on page load
        seenSnapshot = true;
        resetEvents = true;
        newEvents = [];
      } else {
        if (result.decisions.length) verdicts.push(result.decisions);
        newEvents.push(...result.events);
        if (newEvents.length > 100) newEvents.splice(0, newEvents.length - 100); // a hidden tab renders later
      }
      schedule();
      return;
    }
    case "ack":
    case "error":
      if (kubectlLink.answered(msg)) return;
      if (msg.id) actions.resolve(msg);
      if (msg.id) configs.answered(msg);
      else toasts.error(String(msg.message ?? "error"));
      if (msg.id) {
        const undo = undoOnError.get(msg.id);
        undoOnError.delete(msg.id);
        if (undo && msg.type === "error") {
          undo();
          dirtyKinds.add("Node");
        }
      }
      if (msg.type === "error") {
        // A refused change leaves the cluster as it was: put the controls back to match it.
        dirtyKinds.add("Deployment");
        schedule();
      }
      return;
    default:
  }
}

/** Ask for a fresh snapshot, and ask again every few seconds until one comes (the server may drop a resync). */
let resyncTimer = 0;
function requestResync() {
  link.send({ type: "resync" });
  clearInterval(resyncTimer);
  resyncTimer = window.setInterval(() => {
    if (!state.awaitingSnapshot) clearInterval(resyncTimer);
    else link.send({ type: "resync" });
  }, 3000);
}

function schedule() {
  if (scheduled) return;
  scheduled = requestAnimationFrame(render);
}

/** Apply everything that changed since the last frame: layout, stage, buttons, panel. */
function render() {
  scheduled = 0;
  if (!stage.width) return; // not laid out yet; the first resize schedules again
  const kinds = dirtyKinds;
  dirtyKinds = new Set();
  const shape = ["Node", "Pod", "ReplicaSet", "Deployment", "Size"].some((k) => kinds.has(k));
  if (shape || !layout) {
    // On a phone the harbour is laid out for a generous height, then the stage shrinks to fit it.
    const budget = narrow.matches ? Math.round(window.innerHeight * 0.72) : stage.height;
    // A drained ship that has left the harbour, or was uncordoned, is no longer draining.
    for (const name of drainRequested) {
      const node = state.kind("Node").get(name);
      if (!node || node.spec?.unschedulable !== true) drainRequested.delete(name);
    }
    for (const name of stage.silent.keys()) {
      // Once the server's copy says it sank, that is what counts (and a raise elsewhere clears it).
      const node = state.kind("Node").get(name);
      if (!node || isSunk(node)) stage.silent.delete(name);
    }
    const next = computeLayout(state, stage.width, budget, measure, { center: !narrow.matches, draining: drainRequested });
    if (fitStageToContent(next)) {
      for (const kind of kinds) dirtyKinds.add(kind); // the resize lays out again, with everything
      return;
    }
    next.height = stage.height;
    layout = next;
    stage.setLayout(layout, { snap: snapLayout || reducedMotion.matches });
    snapLayout = false;
    syncTargets(layout);
    fleet.update(layout);
    shipDialog.update(layout);
    verdicts.update(layout);
  }
  stage.simTime = state.time;
  if (kinds.has("Settings")) stage.request(); // countdowns move with the clock
  why.update();
  inspector.update();
  if (["Deployment", "ReplicaSet", "Pod", "PodDisruptionBudget", "PriorityClass"].some((k) => kinds.has(k))) {
    deployments.update(state, layout.colours ?? appColours(state));
    rollout.update(state, layout.colours ?? appColours(state));
    updateSuggestions();
  }
  if (["ConfigMap", "Secret", "Deployment", "ReplicaSet", "Pod"].some((k) => kinds.has(k)) || newEvents.length || resetEvents) {
    configs.update(state);
  }
  traffic.update(state, kinds, layout.colours ?? appColours(state));
  if (kinds.has("Settings")) {
    timebar.update(state.time, state.settings);
    fleet.showStrategy(String(state.settings.strategy ?? "LeastAllocated"));
  }
  if (resetEvents) eventLog.reset(state.events);
  else if (newEvents.length) eventLog.add(newEvents);
  resetEvents = false;
  newEvents = [];
  root.dataset.version = String(state.version ?? "");
  root.dataset.ready = state.version === null ? "false" : "true";
}

/** Small harbours update their buttons at once; big ones when the tweens have settled (DOM work is dear). */
const SYNC_AT_ONCE_BELOW = 600;
let syncPending = false;
/** @param {Layout} latest */
function syncTargets(latest) {
  if (latest.pods.length + latest.ships.length < SYNC_AT_ONCE_BELOW) {
    targets.sync(latest);
    return;
  }
  if (syncPending) return;
  syncPending = true;
  stage.whenSettled(() => {
    syncPending = false;
    if (layout) targets.sync(layout);
  });
}

/**
 * On a phone the stage is only as tall as the harbour needs (ships there are bound by the width).
 * @param {Layout} candidate
 * @returns {boolean} true when the stage height changed
 */
function fitStageToContent(candidate) {
  if (!narrow.matches) {
    if (stageEl.style.height) stageEl.style.height = "";
    return false;
  }
  const want = Math.round(Math.min(Math.max(candidate.bottom, 300), candidate.height));
  const have = parseFloat(stageEl.style.height) || stage.height;
  if (Math.abs(want - have) < 8) return false;
  stageEl.style.height = `${want}px`;
  dirtyKinds.add("Size");
  return true;
}

/** Current images join the suggestions, so rolling back by hand is one pick away. */
function updateSuggestions() {
  const list = document.getElementById("image-suggestions");
  if (!list) return;
  const have = new Set([...list.querySelectorAll("option")].map((o) => o.value));
  for (const rs of state.kind("ReplicaSet").values()) {
    const image = rs.spec?.template?.spec?.containers?.[0]?.image;
    if (image && !have.has(image)) {
      have.add(image);
      list.append(new Option(image, image));
    }
  }
}

// Keep the canvas the size of its box; a new size lays out again without tweening.
new ResizeObserver(() => {
  const rect = stageEl.getBoundingClientRect();
  if (stage.resize(Math.round(rect.width), Math.round(rect.height))) {
    dirtyKinds.add("Size");
    snapLayout = true;
    schedule();
  }
}).observe(stageEl);

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) stage.request();
});

// Phones: the panel folds away under the stage.
const toggle = document.getElementById("panel-toggle");
toggle?.addEventListener("click", () => {
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  document.getElementById("panel")?.classList.toggle("is-collapsed", !open);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && inspector.pod) inspector.close();
  else if (event.key === "Escape" && why.pod) why.close();
  else if (event.key === "Escape" && shipDialog.name) shipDialog.close();
});

/** Debugging and test hook: feed messages, read what the page holds and sent. */
Object.assign(window, {
  __harbour: {
    applyMessage: receive,
    state,
    stage,
    link,
    actions,
    verdicts,
    why,
    inspector,
    traffic,
    console: kubectlConsole,
    get mode() {
      return clickMode;
    },
    get layout() {
      return layout;
    },
    get sent() {
      return actions.log;
    },
  },
});

link.connect();

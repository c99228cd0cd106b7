// @ts-check
/** Where everything goes: ship and container rectangles computed deterministically from the state and the stage size. */

import { assignColours } from "./palette.js";
import {
  appOf, condition, evictionDue, isSunk, lastHeartbeat, nameOf, naturalCompare, nodeAllocatable, nodeReady, nodeTaints, ownerName,
  podRequests, podState, revisionOf, schedulerReason, taintText, UNSCHEDULABLE_KEY,
} from "./k8s.js";
import { killAt, nextRetry, restartCount } from "./podstatus.js";
import { formatCpu, formatMemory } from "./quantity.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {{ x: number, y: number, w: number, h: number }} Rect
 * @typedef {{ x: number, w: number, colour: string }} Segment
 * @typedef {{
 *   name: string, ready: string, draining: boolean, cordoned: boolean, box: Rect, deck: Rect, hull: Rect, band: Rect,
 *   cap: Rect, sternW: number, bowW: number, memStrip: Rect, memSegments: Segment[], label: string, status: string,
 *   cpuAlloc: number, cpuUsed: number, memAlloc: number, memUsed: number, podCount: number, podAlloc: number,
 *   taints: string[], labels: Record<string, string>, heartbeat: number | null, evictAt: number | null,
 *   terminating: number, readyStatus: string, readyReason: string, sunk: boolean,
 * }} ShipBox
 * @typedef {{
 *   name: string, state: string, app: string, colour: string, old: boolean, revision: number,
 *   node: string | null, reason: string, rect: Rect, cpu: number, memory: number, created: string,
 *   restarts: number, retryAt: number | null, killAt: number | null,
 * }} PodBox
 * @typedef {{ text: string, colours: string[], x: number, y: number }} QuayLine
 * @typedef {{
 *   width: number, height: number, fontPx: number, scale: number,
 *   quay: { rect: Rect, titleY: number, lines: QuayLine[], crane: Rect, empty: boolean },
 *   ships: ShipBox[], pods: PodBox[], shipIndex: Map<string, ShipBox>, podIndex: Map<string, PodBox>,
 *   colours: Map<string, string>, message: string, bottom: number,
 * }} Layout
 * @typedef {(text: string, fontPx: number, bold?: boolean) => number} Measure
 */

const GIB = 2 ** 30;
const PAD = 16;

/** @param {string} a @param {string} b */
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Rough width when no canvas is around to measure (tests, node). @type {Measure} */
export const roughMeasure = (text, fontPx, bold) => text.length * fontPx * (bold ? 0.6 : 0.55);

/**
 * The font size for the stage: ~18 px on a 1280-wide window, never under 16.
 * @param {number} width stage width in CSS px
 */
export function stageFontPx(width) {
  return Math.round(Math.min(26, Math.max(16, width * 0.0205)));
}

/**
 * Colours for every app, oldest Deployment first, then any other app label.
 * @param {ClusterState} state
 */
export function appColours(state) {
  const deployments = [...state.kind("Deployment").values()].sort(
    (a, b) =>
      cmp(String(a.metadata?.creationTimestamp ?? ""), String(b.metadata?.creationTimestamp ?? "")) ||
      naturalCompare(nameOf(a), nameOf(b)),
  );
  const apps = deployments.map(
    (d) => String(d.spec?.template?.metadata?.labels?.app ?? d.spec?.selector?.matchLabels?.app ?? nameOf(d)),
  );
  const others = new Set();
  for (const pod of state.kind("Pod").values()) others.add(appOf(pod));
  apps.push(...[...others].sort(naturalCompare));
  return assignColours(apps);
}

/**
 * The newest revision among each Deployment's ReplicaSets, keyed by pod-template-hash.
 * @param {ClusterState} state
 * @returns {{ hashRevision: Map<string, number>, newest: Map<string, number> }}
 */
export function revisions(state) {
  const hashRevision = new Map();
  /** @type {Map<string, number>} deployment -> newest revision */
  const newest = new Map();
  for (const rs of state.kind("ReplicaSet").values()) {
    const hash = rs.metadata?.labels?.["pod-template-hash"];
    const rev = revisionOf(rs);
    if (hash) hashRevision.set(String(hash), rev);
    const owner = ownerName(rs, "Deployment");
    if (owner) newest.set(owner, Math.max(newest.get(owner) ?? 0, rev));
  }
  return { hashRevision, newest };
}

/**
 * @param {ClusterState} state
 * @param {number} width
 * @param {number} height
 * @param {Measure} [measure]
 * @param {{ center?: boolean, draining?: Set<string> }} [options] center: put spare water above and below the ships;
 *   draining: ships someone asked to drain (shown draining while their pods leave)
 * @returns {Layout}
 */
export function computeLayout(state, width, height, measure = roughMeasure, options = {}) {
  const fontPx = stageFontPx(width);
  const colours = appColours(state);
  const { hashRevision, newest } = revisions(state);
  const rsOwner = new Map();
  for (const rs of state.kind("ReplicaSet").values()) rsOwner.set(nameOf(rs), ownerName(rs, "Deployment"));

  const nodes = [...state.kind("Node").values()].sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
  const nodeNames = new Set(nodes.map(nameOf));

  /** @type {PodBox[]} */
  const pending = [];
  /** @type {Map<string, PodBox[]>} */
  const onShip = new Map();
  for (const pod of state.kind("Pod").values()) {
    const box = podBox(pod, colours, hashRevision, newest, rsOwner);
    if (box.node && nodeNames.has(box.node)) {
      const list = onShip.get(box.node) ?? [];
      list.push(box);
      onShip.set(box.node, list);
    } else {
      if (box.node) box.reason = `its ship ${box.node} is gone`;
      pending.push(box);
    }
  }

  // The quay along the top, the water below it.
  // Narrow screens: the quay grows only when someone waits (the page scrolls anyway); wide: fixed, so nothing jumps.
  const quayLines = width < 640 ? (pending.length ? 3 : 0) : 2;
  const quayH = Math.round(fontPx * 0.6 + Math.max(30, fontPx * 1.9) + fontPx * 0.4 + fontPx * 1.25 * quayLines + 18);
  const quay = { x: 0, y: 0, w: width, h: Math.min(quayH, Math.max(90, height * 0.4)) };
  const water = { x: PAD, y: quay.h + PAD + 8, w: width - 2 * PAD, h: height - quay.h - 2 * PAD - 8 };

  const specs = nodes.map((node) => {
    const alloc = nodeAllocatable(node);
    return { node, cpu: Math.max(alloc.cpu, 0.1), memGiB: Math.max(alloc.memory / GIB, 0.25) };
  });
  const bandH = Math.round(fontPx * 1.55) + capHeight(fontPx);
  const scale = fitScale(specs, water, bandH, fontPx);
  const flowed = flow(specs.map((s) => shipSize(s.cpu, s.memGiB, scale, bandH)), water, fontPx);
  const placed = flowed.at;
  const spare = water.y + water.h - flowed.bottom;
  if (options.center !== false && spare > 0 && specs.length) {
    for (const at of placed) at.y += spare / 2;
    flowed.bottom += spare / 2;
  }

  /** @type {ShipBox[]} */
  const ships = [];
  /** @type {PodBox[]} */
  const pods = [];
  specs.forEach((spec, i) => {
    const size = shipSize(spec.cpu, spec.memGiB, scale, bandH);
    const at = placed[i];
    const ship = shipBox(spec.node, size, at.x, at.y, bandH, fontPx);
    const cargo = (onShip.get(ship.name) ?? []).sort(cargoOrder);
    stow(ship, cargo);
    if (ship.ready !== "Ready") {
      const podObjects = cargo.map((p) => state.kind("Pod").get(p.name)).filter(Boolean);
      ship.evictAt = evictionDue(spec.node, /** @type {KObject[]} */ (podObjects));
    }
    ship.heartbeat = lastHeartbeat(spec.node, state.kind("Lease").get(ship.name));
    ship.sunk = isSunk(spec.node);
    ship.terminating = cargo.filter((p) => p.state === "Terminating").length;
    ship.draining = ship.cordoned && (ship.terminating > 0 || Boolean(options.draining?.has(ship.name)));
    ship.status = shipStatus(ship);
    ship.label = hullLabel(ship, fontPx, measure);
    ships.push(ship);
    pods.push(...cargo);
  });

  const quayLayout = layoutQuay(pending, quay, scale, fontPx, measure, quayLines);
  pods.push(...pending);

  return {
    width, height, fontPx, scale,
    quay: quayLayout,
    ships, pods,
    shipIndex: new Map(ships.map((s) => [s.name, s])),
    podIndex: new Map(pods.map((p) => [p.name, p])),
    colours,
    bottom: Math.ceil((nodes.length ? flowed.bottom : water.y + fontPx * 4) + PAD),
    message: nodes.length ? "" : "No ships in the harbour: add one from the panel",
  };
}

/**
 * @param {KObject} pod
 * @param {Map<string, string>} colours
 * @param {Map<string, number>} hashRevision
 * @param {Map<string, number>} newest
 * @param {Map<string, string | undefined>} rsOwner
 * @returns {PodBox}
 */
function podBox(pod, colours, hashRevision, newest, rsOwner) {
  const app = appOf(pod);
  const hash = pod.metadata?.labels?.["pod-template-hash"];
  const revision = hash ? hashRevision.get(String(hash)) ?? 0 : 0;
  const deployment = rsOwner.get(ownerName(pod, "ReplicaSet") ?? "");
  const top = deployment ? newest.get(deployment) ?? 0 : 0;
  const state = podState(pod);
  const req = podRequests(pod);
  return {
    name: nameOf(pod),
    state,
    app,
    colour: colours.get(app) ?? "#E8ECF1",
    old: revision > 0 && top > revision,
    revision,
    node: pod.spec?.nodeName ? String(pod.spec.nodeName) : null,
    reason: state === "Pending" ? schedulerReason(pod) : "",
    rect: { x: 0, y: 0, w: 0, h: 0 },
    cpu: req.cpu,
    memory: req.memory,
    created: String(pod.metadata?.creationTimestamp ?? ""),
    // For the stage's badges and countdowns (simulated seconds).
    restarts: restartCount(pod),
    retryAt: nextRetry(pod),
    killAt: killAt(pod),
  };
}

/**
 * @param {PodBox} a
 * @param {PodBox} b
 */
function cargoOrder(a, b) {
  return (
    naturalCompare(a.app, b.app) ||
    a.revision - b.revision ||
    (a.created < b.created ? -1 : a.created > b.created ? 1 : 0) ||
    naturalCompare(a.name, b.name)
  );
}

/**
 * Ship proportions at a scale (px per CPU): deck length follows CPU, deck depth follows memory.
 * @param {number} cpu
 * @param {number} memGiB
 * @param {number} scale
 * @param {number} bandH
 */
function shipSize(cpu, memGiB, scale, bandH) {
  const deckW = cpu * scale;
  const deckH = Math.min(200, Math.max(30, scale * 0.3 * Math.sqrt(memGiB)));
  const sternW = Math.min(64, Math.max(20, deckH * 0.55));
  const bowW = Math.min(90, Math.max(22, deckH * 0.75));
  const rim = 5;
  return { deckW, deckH, sternW, bowW, rim, w: sternW + deckW + bowW + 2 * rim, h: deckH + 2 * rim + bandH };
}

/**
 * The largest scale at which every ship fits the water.
 * @param {{ cpu: number, memGiB: number }[]} specs
 * @param {Rect} water
 * @param {number} bandH
 * @param {number} fontPx
 */
function fitScale(specs, water, bandH, fontPx) {
  if (!specs.length) return 60;
  let lo = 4;
  let hi = Math.max(lo, Math.min(water.w * 0.16, 240));
  const fits = (/** @type {number} */ s) => {
    const sizes = specs.map((sp) => shipSize(sp.cpu, sp.memGiB, s, bandH));
    if (sizes.some((z) => z.w > water.w)) return false;
    return flow(sizes, water, fontPx).bottom <= water.y + water.h;
  };
  if (fits(hi)) return hi;
  for (let i = 0; i < 22; i += 1) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Ships in rows like words in a paragraph, each row centred; also where the last row ends.
 * @param {{ w: number, h: number }[]} sizes
 * @param {Rect} water
 * @param {number} fontPx
 * @returns {{ at: { x: number, y: number }[], bottom: number }}
 */
function flow(sizes, water, fontPx) {
  const gapX = Math.round(fontPx * 1.6);
  const gapY = Math.round(fontPx * 1.4);
  /** @type {{ x: number, y: number }[]} */
  const at = [];
  /** @type {number[]} */
  let row = [];
  let rowW = 0;
  let y = water.y;
  let bottom = water.y;
  const close = () => {
    const rowH = Math.max(...row.map((i) => sizes[i].h));
    let x = water.x + (water.w - rowW) / 2;
    for (const i of row) {
      at[i] = { x, y: y + (rowH - sizes[i].h) / 2 };
      x += sizes[i].w + gapX;
    }
    bottom = y + rowH;
    y += rowH + gapY;
    row = [];
    rowW = 0;
  };
  sizes.forEach((size, i) => {
    if (row.length && rowW + gapX + size.w > water.w) close();
    rowW += row.length ? gapX + size.w : size.w;
    row.push(i);
  });
  if (row.length) close();
  return { at, bottom };
}

/**
 * @param {KObject} node
 * @param {ReturnType<typeof shipSize>} size
 * @param {number} x
 * @param {number} y
 * @param {number} bandH
 * @returns {ShipBox}
 */
function shipBox(node, size, x, y, bandH, fontPx) {
  const alloc = nodeAllocatable(node);
  const capH = capHeight(fontPx);
  const taints = nodeTaints(node).filter((t) => t.key !== UNSCHEDULABLE_KEY).map(taintText);
  const hull = { x, y, w: size.w, h: size.deckH + 2 * size.rim };
  const deck = { x: x + size.rim + size.sternW, y: y + size.rim, w: size.deckW, h: size.deckH };
  const stripH = Math.round(Math.min(12, Math.max(5, size.deckH * 0.14)));
  const pad = Math.max(2, Math.round(size.deckH * 0.06));
  return {
    name: nameOf(node),
    ready: nodeReady(node),
    readyStatus: String(condition(node, "Ready")?.status ?? "True"),
    readyReason: String(condition(node, "Ready")?.reason ?? ""),
    draining: false,
    cordoned: node.spec?.unschedulable === true,
    box: { x, y, w: size.w, h: size.h },
    hull,
    deck,
    band: { x, y: hull.y + hull.h, w: size.w, h: bandH - capH },
    cap: { x: x + 6, y: hull.y + hull.h + bandH - capH + 2, w: size.w - 12, h: capH - 4 },
    sternW: size.sternW,
    bowW: size.bowW,
    memStrip: { x: deck.x + pad, y: deck.y + deck.h - pad - stripH, w: deck.w - 2 * pad, h: stripH },
    memSegments: [],
    label: "",
    status: "",
    cpuAlloc: alloc.cpu,
    cpuUsed: 0,
    memAlloc: alloc.memory,
    memUsed: 0,
    podCount: 0,
    podAlloc: Number(node.status?.allocatable?.pods ?? node.status?.capacity?.pods ?? 110) || 110,
    taints,
    labels: { ...(node.metadata?.labels ?? {}) },
    heartbeat: null,
    sunk: false,
    evictAt: null,
    terminating: 0,
  };
}

/** Height of the capacity gauges under the hull (CPU, memory, pods). @param {number} fontPx */
export function capHeight(fontPx) {
  return Math.round(Math.max(14, fontPx * 0.8)) + 6;
}

/** What the hull says after the name: NotReady, cordoned, draining. @param {ShipBox} ship */
function shipStatus(ship) {
  const status = [];
  if (ship.ready !== "Ready") status.push("NotReady");
  if (ship.draining) status.push("draining");
  else if (ship.cordoned) status.push("cordoned");
  return status.join(" · ");
}

/**
 * Put the cargo on deck: along the deck by CPU request, memory in the strip below.
 * @param {ShipBox} ship
 * @param {PodBox[]} cargo
 */
function stow(ship, cargo) {
  const deck = ship.deck;
  const pad = Math.max(2, Math.round(deck.h * 0.06));
  const innerW = deck.w - 2 * pad;
  const cpuAlloc = Math.max(ship.cpuAlloc, 1e-6);
  const perCpu = innerW / cpuAlloc;
  const minCpu = 6 / perCpu;
  const total = cargo.reduce((sum, p) => sum + Math.max(p.cpu, minCpu), 0);
  const squeeze = total > cpuAlloc ? cpuAlloc / total : 1;
  const top = deck.y + pad;
  const h = ship.memStrip.y - 2 - top;
  let at = deck.x + pad;
  let memAt = ship.memStrip.x;
  const memScale = ship.memStrip.w / Math.max(ship.memAlloc, 1);
  for (const pod of cargo) {
    const w = Math.max(pod.cpu, minCpu) * squeeze * perCpu;
    const gap = w > 10 ? 2 : w > 4 ? 1 : 0;
    pod.rect = { x: at, y: top, w: Math.max(1, w - gap), h };
    at += w;
    ship.cpuUsed += pod.cpu;
    ship.memUsed += pod.memory;
    const mw = Math.min(pod.memory * memScale, ship.memStrip.x + ship.memStrip.w - memAt);
    if (mw > 0) ship.memSegments.push({ x: memAt, w: mw, colour: pod.colour });
    memAt += Math.max(0, mw);
  }
  ship.podCount = cargo.length;
}

/**
 * The words painted on the hull, as many as fit: name, free CPU, free memory.
 * @param {ShipBox} ship
 * @param {number} fontPx
 * @param {Measure} measure
 */
function hullLabel(ship, fontPx, measure) {
  const cpuFree = formatCpu(ship.cpuAlloc - ship.cpuUsed);
  const memFree = formatMemory(ship.memAlloc - ship.memUsed);
  const room = ship.band.w - fontPx * 0.9 - (ship.status ? measure(` · ${ship.status}`, fontPx, true) : 0);
  const options = [
    `${ship.name} · ${cpuFree} CPU · ${memFree} free`,
    `${ship.name} · ${cpuFree} CPU free`,
    ship.name,
  ];
  return options.find((text) => measure(text, fontPx, true) <= room) ?? ship.name;
}

/**
 * Pending pods in a queue on the quay, grouped by the scheduler's reason, the reasons written below.
 * @param {PodBox[]} pending
 * @param {Rect} quay
 * @param {number} scale
 * @param {number} fontPx
 * @param {Measure} measure
 * @param {number} maxLines
 */
function layoutQuay(pending, quay, scale, fontPx, measure, maxLines) {
  const titleY = quay.y + fontPx * 0.6;
  const craneW = quay.w < 640 ? 0 : Math.round(Math.min(quay.w * 0.16, fontPx * 6));
  const crane = { x: quay.x + quay.w - craneW - PAD, y: quay.y, w: craneW, h: quay.h };
  const rowX = quay.x + PAD + Math.round(measure("QUAY", fontPx, true)) + fontPx;
  const rowY = titleY;
  const rowW = crane.x - rowX - PAD;
  const boxH = Math.max(30, Math.round(fontPx * 1.9));

  /** @type {Map<string, PodBox[]>} */
  const groups = new Map();
  for (const pod of [...pending].sort((a, b) => cargoOrder(a, b))) {
    const list = groups.get(pod.reason) ?? [];
    list.push(pod);
    groups.set(pod.reason, list);
  }
  const queue = [...groups.values()].flat();
  const gap = 4;
  const widths = queue.map((p) => Math.max(14, Math.min(p.cpu * scale, fontPx * 5)));
  const need = widths.reduce((a, b) => a + b + gap, 0);
  const squeeze = need > rowW ? rowW / need : 1;
  let x = rowX;
  queue.forEach((pod, i) => {
    const w = Math.max(1.5, widths[i] * squeeze);
    pod.rect = { x, y: rowY, w, h: boxH };
    x += w + (w > 6 ? gap * squeeze : 0.5);
  });

  /** @type {QuayLine[]} */
  const lines = [];
  const lineY = rowY + boxH + fontPx * 0.4;
  const lineH = fontPx * 1.25;
  const textW = (craneW ? crane.x : quay.x + quay.w - PAD) - rowX;
  const swatch = fontPx * 0.85;
  const groupList = [...groups.entries()].map(([reason, pods]) => {
    const apps = new Map();
    for (const p of pods) apps.set(p.app, (apps.get(p.app) ?? 0) + 1);
    const colours = [...apps.keys()].map((a) => pods.find((p) => p.app === a)?.colour ?? "#fff");
    const who = [...apps.entries()].map(([app, n]) => `${app} ×${n}`).join(", ");
    const room = textW - colours.length * swatch - fontPx * 0.3;
    const text = `${who}: ${reason}`;
    return { colours, text, room, need: wrap(text, room, fontPx, measure, 99, "").length };
  });
  // One line for each reason first, then spare lines to the reasons that need them, in order.
  const shown = groupList.slice(0, maxLines);
  const budget = shown.map(() => 1);
  let spare = maxLines - shown.length;
  shown.forEach((g, i) => {
    const extra = Math.min(spare, g.need - 1);
    budget[i] += extra;
    spare -= extra;
  });
  shown.forEach((g, i) => {
    const hidden = groupList.length - shown.length;
    const tail = i === shown.length - 1 && hidden > 0 ? ` (+${hidden} more)` : "";
    wrap(g.text, g.room, fontPx, measure, budget[i], tail).forEach((text, j) => {
      lines.push({
        text, colours: j === 0 ? g.colours : [],
        x: rowX + (j === 0 ? 0 : g.colours.length * swatch + fontPx * 0.25), y: lineY + lines.length * lineH,
      });
    });
  });
  if (!pending.length) {
    lines.push({ text: "Nothing waiting: every pod has a ship", colours: [], x: rowX, y: rowY + (boxH - fontPx) / 2 });
  }
  return { rect: quay, titleY, lines, crane, empty: pending.length === 0 };
}

/**
 * Break text into at most maxLines lines of a width; the last one ends with tail, or "…" if cut.
 * @param {string} text
 * @param {number} room
 * @param {number} fontPx
 * @param {Measure} measure
 * @param {number} maxLines
 * @param {string} tail
 */
function wrap(text, room, fontPx, measure, maxLines, tail) {
  const words = text.split(" ");
  /** @type {string[]} */
  const out = [];
  while (words.length && out.length < maxLines) {
    const last = out.length === maxLines - 1;
    let line = "";
    while (words.length) {
      const next = line ? `${line} ${words[0]}` : words[0];
      const suffix = last ? tail : "";
      if (measure(next + suffix, fontPx) > room && line) break;
      line = next;
      words.shift();
    }
    if (last && words.length) {
      line = `${line} ${words.join(" ")}`;
      words.length = 0;
      while (measure(`${line}…${tail}`, fontPx) > room && line.length > 4) line = line.slice(0, -1).trimEnd();
      line = `${line}…`;
    }
    out.push(last ? line + tail : line);
  }
  return out;
}

// @ts-check
/**
 * The traffic overlay: a transparent canvas over the stage that draws each Service as a lighthouse on the quay,
 * requests as dots travelling from it to the containers they went to (the traffic annotation's `recent`), failed
 * requests as red dots bouncing at the gate, each container's CPU use as a fill level, and each ship's CPU in use
 * as a line along its deck. It reads the stage's sprites and never draws on the stage's own canvas.
 */

import { bridgeOf, FONT, INK, roundRect } from "./paint.js";
import { nameOf, podState } from "./k8s.js";
import { appOfDeployment } from "./deployments.js";
import {
  deploymentOfService, HPA_CALC_ANNOTATION, hpaCurrent, hpaTarget, jsonAnnotation, podCpuBounds, podUsage, secondsUntil, trafficOf,
} from "./trafficdata.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./stage.js").Stage} Stage
 * @typedef {import("./layout.js").Rect} Rect
 * @typedef {{ service: string, pod: string, t0: number, dur: number, failed: boolean, colour: string }} Dot
 * @typedef {{ name: string, rps: number, sent: number, failed: number, errorRate: number, colour: string,
 *   sample: string, recent: string[], cursor: number, credit: number, lastFrame: number, flowing: boolean }} Gate
 * @typedef {{ x: number, y: number, door: { x: number, y: number }, lamp: { x: number, y: number },
 *   tag: Rect, towerH: number, towerW: number }} GateBox
 * @typedef {{ name: string, deployment: string, util: number | null, target: number, current: number,
 *   desired: number, zone: string, held: boolean, colour: string, tag?: Rect }} HpaTag
 */

const TRAVEL_MS = 850;
const BOUNCE_MS = 750;
const PULSE_MS = 260;
const MAX_DOTS = 400;
/** Dots a lighthouse sends per real second at most: enough to see the pattern, few enough to follow. */
const DOTS_PER_SECOND = 20;
const STILL = window.matchMedia("(prefers-reduced-motion: reduce)");

export class TrafficOverlay {
  /**
   * @param {HTMLElement} stageEl
   * @param {Stage} stage
   */
  constructor(stageEl, stage) {
    this.stage = stage;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "traffic-overlay";
    this.canvas.setAttribute("aria-hidden", "true");
    const base = stageEl.querySelector("canvas");
    stageEl.insertBefore(this.canvas, base ? base.nextSibling : stageEl.firstChild);
    this.ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
    this.w = 0;
    this.h = 0;
    this.dpr = 1;
    /** @type {Map<string, Gate>} */
    this.gates = new Map();
    /** @type {Dot[]} */
    this.dots = [];
    /** @type {Map<string, number>} pod -> when its arrival pulse ends */
    this.pulses = new Map();
    /** @type {Map<string, { f: number, hot: boolean, capped: boolean }>} pod -> CPU use against request */
    this.levels = new Map();
    /** @type {Map<string, number>} ship -> cores in use */
    this.shipUse = new Map();
    this.showCpu = true;
    this.levelsActive = false;
    this.frame = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.idleTimer = undefined;
    /** @type {HpaTag[]} one per autoscaler, drawn after the lighthouses' tags */
    this.hpas = [];
    /** frames drawn (tests read it) */
    this.framesDrawn = 0;
    /** on a narrow stage the tags are the gates (no tower) */
    this.compact = false;
    // A new stage size redraws at once, even while the simulation is paused and no delta comes.
    new ResizeObserver(() => requestAnimationFrame(() => this.request())).observe(stageEl);
  }

  /**
   * Take the latest state: Services' traffic samples (new requests to animate) and PodMetrics.
   * @param {ClusterState} state
   * @param {Map<string, string>} colours app -> colour
   */
  update(state, colours) {
    const seen = new Set();
    const paused = Boolean(state.settings?.paused);
    let anyLoad = false;
    for (const svc of state.kind("Service").values()) {
      const name = nameOf(svc);
      if (name === "kubernetes") continue;
      seen.add(name);
      const traffic = trafficOf(svc);
      const deployment = deploymentOfService(state, svc);
      const colour = deployment ? colours.get(appOfDeployment(deployment)) ?? "#ffffff" : "#ffffff";
      const sample = String(svc.metadata?.annotations?.["playground.k8s/traffic"] ?? "");
      let gate = this.gates.get(name);
      if (!gate) {
        gate = { name, rps: 0, sent: 0, failed: 0, errorRate: 0, colour, sample: "", recent: [], cursor: 0, credit: 0, lastFrame: 0, flowing: false };
        this.gates.set(name, gate);
      }
      gate.colour = colour;
      gate.rps = traffic?.rps ?? 0;
      // While the simulation is paused no request is processed: no dots, no turning beam.
      gate.flowing = !paused && gate.rps > 0;
      gate.sent = traffic?.sent ?? 0;
      gate.failed = traffic?.failed ?? 0;
      gate.errorRate = traffic?.errorRate ?? 0;
      if (gate.rps > 0) anyLoad = true;
      if (sample !== gate.sample) {
        // The newest requests, in the order they went, become the pattern the dots follow.
        gate.sample = sample;
        const recent = traffic?.recent ?? [];
        gate.recent = recent.slice(-Math.min(recent.length, Math.max(1, gate.sent)));
        gate.cursor = 0;
      }
    }
    for (const name of [...this.gates.keys()]) if (!seen.has(name)) this.gates.delete(name);

    // Autoscalers: a small gauge on the water by the lighthouses, for the people at the back.
    this.hpas = [...state.kind("HorizontalPodAutoscaler").values()]
      .sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))
      .map((hpa) => {
        const calc = jsonAnnotation(hpa, HPA_CALC_ANNOTATION);
        const target = Number(calc?.target ?? hpaTarget(hpa)) || 0;
        const raw = calc?.utilization ?? hpaCurrent(hpa);
        const util = raw === undefined || raw === null || !Number.isFinite(Number(raw)) ? null : Number(raw);
        const current = Number(hpa.status?.currentReplicas ?? calc?.currentReplicas ?? 0);
        const desired = Number(hpa.status?.desiredReplicas ?? calc?.desired ?? current);
        const ratio = util !== null && target ? util / target : 1;
        const inBand = typeof calc?.withinTolerance === "boolean" ? calc.withinTolerance : Math.abs(1 - ratio) <= 0.1;
        const held = (secondsUntil(calc?.stabilizedUntil, state.time) ?? 0) > 0;
        const deployment = String(hpa.spec?.scaleTargetRef?.name ?? "");
        const d = state.kind("Deployment").get(deployment);
        return {
          name: nameOf(hpa), deployment, util, target, current, desired, held,
          zone: util === null ? "unknown" : inBand ? "in-band" : ratio > 1 ? "above" : "below",
          colour: d ? colours.get(appOfDeployment(d)) ?? "#ffffff" : "#ffffff",
        };
      });

    // CPU: a level per container, a total per ship, shown while traffic flows or an autoscaler watches.
    this.levelsActive = anyLoad || state.kind("HorizontalPodAutoscaler").size > 0;
    this.levels.clear();
    this.shipUse.clear();
    for (const pod of state.kind("Pod").values()) {
      const name = nameOf(pod);
      const usage = podUsage(state, name);
      if (usage === null) continue;
      const { request, limit } = podCpuBounds(pod);
      const node = pod.spec?.nodeName;
      if (node) this.shipUse.set(String(node), (this.shipUse.get(String(node)) ?? 0) + usage);
      if (request > 0) {
        const st = podState(pod);
        if (st === "Running" || st === "NotReady") {
          this.levels.set(name, { f: usage / request, hot: usage >= request, capped: limit > 0 && usage >= limit * 0.999 });
        }
      }
    }
    this.request();
  }

  /**
   * Send out the dots due since the last frame: a few per second (at most DOTS_PER_SECOND), cycling through the
   * latest sample's requests in their order, so ipvs visibly goes round and iptables jumps about.
   * @param {number} now
   */
  emit(now) {
    for (const gate of this.gates.values()) {
      const dt = gate.lastFrame ? Math.min(250, now - gate.lastFrame) : 0;
      gate.lastFrame = now;
      if (!gate.flowing || !gate.recent.length) {
        gate.credit = 0;
        continue;
      }
      gate.credit += (dt / 1000) * Math.min(gate.rps, DOTS_PER_SECOND);
      while (gate.credit >= 1) {
        gate.credit -= 1;
        const pod = gate.recent[gate.cursor % gate.recent.length];
        gate.cursor += 1;
        const failed = pod === "";
        this.dots.push({ service: gate.name, pod, t0: now, dur: failed ? BOUNCE_MS : TRAVEL_MS, failed, colour: gate.colour });
      }
    }
    if (this.dots.length > MAX_DOTS) this.dots.splice(0, this.dots.length - MAX_DOTS);
  }

  /** @param {boolean} on */
  setShowCpu(on) {
    this.showCpu = on;
    this.request();
  }

  request() {
    if (this.frame) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.frame = requestAnimationFrame((t) => {
      this.frame = 0;
      this.draw(t);
    });
  }

  /** Match the canvas to the stage's size and pixel ratio. */
  fit() {
    const { width, height, dpr } = this.stage;
    if (width === this.w && height === this.h && dpr === this.dpr) return;
    this.w = width;
    this.h = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
  }

  /**
   * Where each Service's lighthouse stands: on the quay's edge, from the left, each with its name tag below.
   * @returns {Map<string, GateBox>}
   */
  gateBoxes() {
    /** @type {Map<string, GateBox>} */
    const out = new Map();
    const layout = this.stage.layout;
    if (!layout) return out;
    const px = layout.fontPx;
    const q = layout.quay.rect;
    const baseY = q.y + q.h - 13;
    const towerW = Math.max(16, px * 1.15);
    // Below the QUAY title: tower, lamp room and roof fit between it and the quay's edge.
    const room = baseY - (layout.quay.titleY + px * 1.5) - towerW * 1.3;
    const towerH = Math.max(22, Math.min(room, px * 4));
    // A phone's quay has no room for a tower under its title: the name tag is the gate, with its lamp.
    this.compact = layout.width < 640 || room < 22;
    const ctx = this.ctx;
    ctx.font = `700 ${Math.max(13, Math.round(px * 0.8))}px ${FONT}`;
    let x = this.compact ? 8 : 16;
    for (const gate of [...this.gates.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const text = tagText(gate, this.compact);
      const tw = ctx.measureText(text).width + towerW + px * 1.2;
      const gx = x + towerW * 0.5 + 4;
      const tag = { x, y: q.y + q.h + 3, w: tw, h: Math.round(px * 1.3) };
      const door = this.compact ? { x: x + px * 0.9, y: tag.y + tag.h / 2 } : { x: gx, y: baseY - 3 };
      out.set(gate.name, {
        x: gx, y: baseY, towerH, towerW, tag, door,
        lamp: this.compact ? door : { x: gx, y: baseY - towerH - towerW * 0.45 },
      });
      x += (this.compact ? tw : Math.max(tw, towerW * 3)) + px * (this.compact ? 0.4 : 1);
    }
    // The autoscalers' tags follow on the same line, or start a second one when it is full.
    let y = q.y + q.h + 3;
    const tagH = Math.round(px * 1.3);
    for (const hpa of this.hpas) {
      const w = ctx.measureText(hpaText(hpa, this.compact)).width + tagH * 1.6 + 16;
      if (x + w > this.w - 8 && x > 16) {
        x = 16;
        y += tagH + 6;
      }
      hpa.tag = { x, y, w, h: tagH };
      x += w + px * 0.6;
    }
    return out;
  }

  /** @param {number} now */
  draw(now) {
    this.fit();
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.h);
    const layout = this.stage.layout;
    if (!layout) return;
    this.framesDrawn += 1;
    const px = layout.fontPx;
    const still = STILL.matches;

    const cpu = this.showCpu && this.levelsActive;
    if (cpu) this.drawLevels();
    if (cpu) this.drawShipUse(px);

    const boxes = this.gateBoxes();
    this.emit(now);
    const busy = this.drawDots(boxes, now, px, still);
    this.drawPulses(now);
    // Lighthouses and their name tags above the dots, so the numbers stay readable.
    for (const gate of this.gates.values()) {
      const box = boxes.get(gate.name);
      if (box) this.drawGate(gate, box, px, now, still);
    }
    for (const hpa of this.hpas) if (hpa.tag) this.drawHpa(hpa, hpa.tag, px);

    const moving = busy || this.pulses.size > 0 || [...this.gates.values()].some((g) => g.flowing) || this.stage.animating;
    if (moving && !document.hidden) this.request();
    else if (cpu && !document.hidden) this.idleTimer = setTimeout(() => this.request(), 200); // follow the stage's tweens
  }

  /** Each container's CPU use as a fill level: the unused part above the level is dimmed (batched: one path per look). */
  drawLevels() {
    const ctx = this.ctx;
    const dim = new Path2D();
    const line = new Path2D();
    /** @type {{ r: Rect, capped: boolean }[]} */
    const hot = [];
    for (const [name, sprite] of this.stage.pods) {
      const level = this.levels.get(name);
      if (!level || sprite.dying || sprite.alpha < 0.5) continue;
      const r = sprite.cur;
      if (r.w < 1 || r.h < 4) continue;
      const f = Math.max(0, Math.min(1, level.f));
      const top = r.h * (1 - f);
      if (top > 0.5) dim.rect(r.x, r.y, r.w, top);
      line.rect(r.x, r.y + Math.min(r.h - 2, top) - 1, r.w, 2);
      if (level.hot) hot.push({ r, capped: level.capped });
    }
    // Light enough that the app's colour still reads on a projector.
    ctx.fillStyle = "rgba(3, 12, 24, 0.45)";
    ctx.fill(dim);
    ctx.fillStyle = "#ffffff";
    ctx.fill(line);
    ctx.lineWidth = 2.5;
    for (const { r, capped } of hot) {
      ctx.strokeStyle = capped ? INK.danger : INK.warn;
      ctx.strokeRect(r.x + 1.25, r.y + 1.25, Math.max(0, r.w - 2.5), Math.max(0, r.h - 2.5));
    }
  }

  /**
   * Each ship's CPU in use: a cyan line along the deck's upper edge, on the same scale as the deck (one core per tick).
   * @param {number} px
   */
  drawShipUse(px) {
    const ctx = this.ctx;
    const font = Math.max(12, Math.round(px * 0.66));
    for (const [name, sprite] of this.stage.ships) {
      if (sprite.dying) continue;
      const used = this.shipUse.get(name) ?? 0;
      const s = sprite.cur;
      const dx = sprite.dx;
      const alloc = Math.max(1e-6, s.cpuAlloc);
      const frac = Math.max(0, Math.min(1, used / alloc));
      const y = s.hull.y + 0.5;
      const x = s.deck.x + dx;
      ctx.globalAlpha = sprite.alpha;
      ctx.fillStyle = "rgba(0,0,0,0.55)";
      ctx.fillRect(x, y, s.deck.w, 5);
      ctx.fillStyle = "#5fd7ff";
      ctx.fillRect(x, y, Math.max(2, s.deck.w * frac), 5);
      // The number, above the hull next to the mast.
      const { mastX } = bridgeOf(s, px);
      const text = `CPU in use ${fmtCores(used)} of ${fmtCores(s.cpuAlloc)} cores`;
      ctx.font = `700 ${font}px ${FONT}`;
      const tw = ctx.measureText(text).width + 10;
      const tx = mastX + dx + px * 0.7;
      if (!this.compact && tx + tw < s.hull.x + dx + s.hull.w - 8) {
        const ty = s.hull.y - font - 9;
        ctx.fillStyle = "rgba(4, 26, 40, 0.9)";
        roundRect(ctx, tx, ty, tw, font + 6, 4);
        ctx.fill();
        ctx.strokeStyle = "#5fd7ff";
        ctx.lineWidth = 1.5;
        ctx.stroke();
        ctx.fillStyle = "#dff6ff";
        ctx.textBaseline = "middle";
        ctx.fillText(text, tx + 5, ty + (font + 6) / 2 + 1);
      }
      ctx.globalAlpha = 1;
    }
  }

  /**
   * A lighthouse on the quay's edge: tower, lamp (a turning beam while traffic flows; red while requests fail), name tag.
   * @param {Gate} gate
   * @param {GateBox} box
   * @param {number} px
   * @param {number} now
   * @param {boolean} still
   */
  drawGate(gate, box, px, now, still) {
    const ctx = this.ctx;
    const failing = gate.errorRate > 0 || gate.failed > 0;
    const { x, y, towerH, towerW } = box;
    const lampColour = failing ? INK.danger : "#ffe66d";
    if (this.compact) {
      this.drawTag(gate, box, px, failing, gate.rps > 0 ? lampColour : "#7d8a99");
      return;
    }
    // Beam
    if (gate.flowing) {
      const angle = still ? -Math.PI / 2 : (now / 900) % (Math.PI * 2);
      const len = px * 6;
      ctx.save();
      ctx.translate(box.lamp.x, box.lamp.y);
      const g = ctx.createRadialGradient(0, 0, 2, 0, 0, len);
      g.addColorStop(0, failing ? "rgba(255,107,107,0.55)" : "rgba(255,230,109,0.55)");
      g.addColorStop(1, "rgba(255,230,109,0)");
      ctx.fillStyle = g;
      for (const a of [angle, angle + Math.PI]) {
        ctx.beginPath();
        ctx.moveTo(0, 0);
        ctx.arc(0, 0, len, a - 0.16, a + 0.16);
        ctx.closePath();
        ctx.fill();
      }
      ctx.restore();
    }
    // Tower: tapered, red and white bands
    const topW = towerW * 0.62;
    const bands = 4;
    for (let i = 0; i < bands; i += 1) {
      const y0 = y - (towerH * i) / bands;
      const y1 = y - (towerH * (i + 1)) / bands;
      const w0 = towerW - ((towerW - topW) * i) / bands;
      const w1 = towerW - ((towerW - topW) * (i + 1)) / bands;
      ctx.fillStyle = i % 2 ? "#f4f7fb" : "#d64550";
      ctx.beginPath();
      ctx.moveTo(x - w0 / 2, y0);
      ctx.lineTo(x + w0 / 2, y0);
      ctx.lineTo(x + w1 / 2, y1);
      ctx.lineTo(x - w1 / 2, y1);
      ctx.closePath();
      ctx.fill();
    }
    ctx.strokeStyle = "#0b1724";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x - towerW / 2, y);
    ctx.lineTo(x - topW / 2, y - towerH);
    ctx.lineTo(x + topW / 2, y - towerH);
    ctx.lineTo(x + towerW / 2, y);
    ctx.stroke();
    // Lamp room and roof
    const lampW = topW + 4;
    const lampH = towerW * 0.7;
    ctx.fillStyle = "#0b1724";
    ctx.fillRect(x - lampW / 2 - 1, y - towerH - lampH - 1, lampW + 2, lampH + 2);
    ctx.fillStyle = gate.rps > 0 ? lampColour : "#7d8a99";
    ctx.fillRect(x - lampW / 2, y - towerH - lampH, lampW, lampH);
    ctx.fillStyle = "#0b1724";
    ctx.beginPath();
    ctx.moveTo(x - lampW / 2 - 3, y - towerH - lampH);
    ctx.lineTo(x, y - towerH - lampH - towerW * 0.55);
    ctx.lineTo(x + lampW / 2 + 3, y - towerH - lampH);
    ctx.closePath();
    ctx.fill();
    // Door
    ctx.fillStyle = "#0b1724";
    ctx.fillRect(x - towerW * 0.18, y - towerW * 0.6, towerW * 0.36, towerW * 0.6);

    this.drawTag(gate, box, px, failing, gate.colour);
  }

  /**
   * A Service's name tag below the quay's edge (on a phone it is the gate itself, its square the lamp).
   * @param {Gate} gate
   * @param {GateBox} box
   * @param {number} px
   * @param {boolean} failing
   * @param {string} square
   */
  drawTag(gate, box, px, failing, square) {
    const ctx = this.ctx;
    const t = box.tag;
    const font = Math.max(13, Math.round(px * 0.8));
    ctx.font = `700 ${font}px ${FONT}`;
    ctx.fillStyle = failing ? "rgba(60, 8, 14, 0.92)" : "rgba(4, 17, 31, 0.9)";
    roundRect(ctx, t.x, t.y, t.w, t.h, 6);
    ctx.fill();
    ctx.strokeStyle = failing ? INK.danger : gate.colour;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.fillStyle = square;
    roundRect(ctx, t.x + 6, t.y + t.h / 2 - font * 0.35, font * 0.7, font * 0.7, 2);
    ctx.fill();
    ctx.fillStyle = failing ? "#ffd0d0" : INK.text;
    ctx.textBaseline = "middle";
    ctx.fillText(tagText(gate, this.compact), t.x + 6 + font * 0.7 + 6, t.y + t.h / 2 + 1);
  }

  /**
   * An autoscaler's tag: a small dial (target at the top, twice the target at the right end), utilization, replicas.
   * @param {HpaTag} hpa
   * @param {Rect} t
   * @param {number} px
   */
  drawHpa(hpa, t, px) {
    const ctx = this.ctx;
    const font = Math.max(13, Math.round(px * 0.8));
    const tone = ZONE_INK[/** @type {keyof typeof ZONE_INK} */ (hpa.zone)] ?? INK.text;
    ctx.fillStyle = "rgba(4, 17, 31, 0.92)";
    roundRect(ctx, t.x, t.y, t.w, t.h, 6);
    ctx.fill();
    ctx.strokeStyle = "#5fd7ff";
    ctx.lineWidth = 2;
    ctx.stroke();
    // Dial
    const r = t.h * 0.62;
    const cx = t.x + 8 + r;
    const cy = t.y + t.h - 4;
    ctx.lineWidth = Math.max(3, r * 0.32);
    const band = [[0, 0.45, "#2d6da3"], [0.45, 0.55, "#5ee3a1"], [0.55, 1, "#b4492f"]];
    for (const [a, b, c] of band) {
      ctx.strokeStyle = String(c);
      ctx.beginPath();
      ctx.arc(cx, cy, r, Math.PI * (1 + Number(a)), Math.PI * (1 + Number(b)));
      ctx.stroke();
    }
    if (hpa.util !== null && hpa.target > 0) {
      const f = Math.max(0, Math.min(1, hpa.util / (2 * hpa.target)));
      const a = Math.PI * (1 + f);
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.moveTo(cx, cy);
      ctx.lineTo(cx + Math.cos(a) * r, cy + Math.sin(a) * r);
      ctx.stroke();
    }
    ctx.font = `700 ${font}px ${FONT}`;
    ctx.textBaseline = "middle";
    let x = cx + r + 8;
    const parts = hpaParts(hpa, this.compact);
    for (const [text, ink] of parts) {
      ctx.fillStyle = ink === "tone" ? tone : ink;
      ctx.fillText(text, x, t.y + t.h / 2 + 1);
      x += ctx.measureText(text).width;
    }
  }

  /**
   * Requests in flight. Returns whether any dot is still to come or moving.
   * @param {Map<string, GateBox>} boxes
   * @param {number} now
   * @param {number} px
   * @param {boolean} still
   */
  drawDots(boxes, now, px, still) {
    const ctx = this.ctx;
    const r = Math.max(4, px * 0.3);
    let busy = false;
    const keep = [];
    for (const dot of this.dots) {
      const box = boxes.get(dot.service);
      if (!box) continue;
      const t = (now - dot.t0) / dot.dur;
      if (t < 0) {
        busy = true;
        keep.push(dot);
        continue;
      }
      if (t >= 1) {
        if (!dot.failed) this.pulses.set(dot.pod, now + PULSE_MS);
        continue;
      }
      busy = true;
      keep.push(dot);
      if (dot.failed) {
        // In along the quay towards the lighthouse's door, refused there, bouncing back: red and fading.
        const k = t < 0.5 ? 1 - t * 2 : t * 2 - 1;
        const x = box.door.x + box.towerW * 0.8 + px * 3.2 * k;
        const y = box.door.y - px * 0.7 - Math.sin(Math.PI * k) * px * 0.6;
        ctx.globalAlpha = Math.max(0, 1 - t * 0.8);
        ctx.fillStyle = INK.danger;
        ctx.strokeStyle = "#2a0508";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
        if (t > 0.4 && t < 0.6) {
          ctx.strokeStyle = INK.danger;
          ctx.lineWidth = 3;
          ctx.beginPath();
          ctx.moveTo(x - r * 1.8, y - r * 1.8);
          ctx.lineTo(x + r * 1.8, y + r * 1.8);
          ctx.moveTo(x + r * 1.8, y - r * 1.8);
          ctx.lineTo(x - r * 1.8, y + r * 1.8);
          ctx.stroke();
        }
        ctx.globalAlpha = 1;
        continue;
      }
      const sprite = this.stage.pods.get(dot.pod);
      if (!sprite || sprite.dying) continue;
      if (still) {
        this.pulses.set(dot.pod, now + PULSE_MS * 2);
        keep.pop();
        continue;
      }
      const to = { x: sprite.cur.x + sprite.cur.w / 2, y: sprite.cur.y + Math.min(sprite.cur.h * 0.3, px) };
      const from = box.door;
      const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
      // A gentle arc: out over the water first, then down onto the container.
      const cx = (from.x + to.x) / 2;
      const cy = Math.min(from.y, to.y) - px * 1.5;
      const x = (1 - e) ** 2 * from.x + 2 * (1 - e) * e * cx + e * e * to.x;
      const y = (1 - e) ** 2 * from.y + 2 * (1 - e) * e * cy + e * e * to.y;
      ctx.fillStyle = "#ffe66d";
      ctx.strokeStyle = "#1a1400";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
    this.dots = keep;
    return busy;
  }

  /** A short glow on a container as a request lands. @param {number} now */
  drawPulses(now) {
    const ctx = this.ctx;
    for (const [pod, until] of this.pulses) {
      const left = (until - now) / PULSE_MS;
      const sprite = this.stage.pods.get(pod);
      if (left <= 0 || !sprite) {
        this.pulses.delete(pod);
        continue;
      }
      const r = sprite.cur;
      ctx.strokeStyle = `rgba(255,230,109,${Math.min(1, left).toFixed(3)})`;
      ctx.lineWidth = 3;
      ctx.strokeRect(r.x - 1.5, r.y - 1.5, r.w + 3, r.h + 3);
    }
  }
}

const ZONE_INK = { above: "#ff9d7a", below: "#8cc8ff", "in-band": "#5ee3a1", unknown: "#c3d0de" };

/**
 * The words on an autoscaler's tag, each with its ink ("tone" = the utilization's zone colour).
 * @param {HpaTag} hpa
 * @param {boolean} [compact]  a phone: fewer words
 * @returns {[string, string][]}
 */
function hpaParts(hpa, compact = false) {
  const util = hpa.util === null ? "–" : `${Math.round(hpa.util)}%`;
  const replicas = hpa.desired !== hpa.current ? `${hpa.current} → ${hpa.desired}` : String(hpa.current);
  if (compact) return [["HPA ", INK.text], [util, "tone"], [`/${hpa.target}% ×${replicas}`, INK.text], [hpa.held ? " held" : "", "#9fe6ff"]];
  return [
    [`HPA ${hpa.name} `, INK.text],
    [util, "tone"],
    [` / ${hpa.target}% · replicas ${replicas}`, INK.text],
    [hpa.held ? " · scale-down held" : "", "#9fe6ff"],
  ];
}

/** @param {HpaTag} hpa @param {boolean} [compact] */
function hpaText(hpa, compact = false) {
  return hpaParts(hpa, compact).map(([t]) => t).join("");
}

/** @param {Gate} gate @param {boolean} [compact] */
function tagText(gate, compact = false) {
  const failing = gate.errorRate > 0 || gate.failed > 0;
  const pct = Math.max(1, Math.round(gate.errorRate * 100));
  if (compact) return `${gate.name} ${gate.rps}/s${failing ? ` ${pct}% fail` : ""}`;
  return [`${gate.name} · ${gate.rps} req/s`, ...(failing ? [`${pct}% failing`] : [])].join(" · ");
}

/** @param {number} cores */
function fmtCores(cores) {
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return String(Math.round(cores * 100) / 100);
}

// @ts-check
/** The canvas stage: keeps a sprite per ship and container, tweens them to the layout, draws only while something moves. */

import {
  badgeRect, countdownRect, Fills, INK, paintBackground, paintCountdown, paintRestartBadge, paintShip, paintShipLife, roundRect, setFont,
  shipMargins, warningTag,
} from "./paint.js";

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./layout.js").Rect} Rect
 * @typedef {import("./layout.js").ShipBox} ShipBox
 * @typedef {import("./layout.js").PodBox} PodBox
 * @typedef {{
 *   box: PodBox, cur: Rect, from: Rect, to: Rect, t0: number, dur: number, arc: number,
 *   alpha: number, alphaFrom: number, alphaTo: number, dying: boolean,
 * }} PodSprite
 * @typedef {{
 *   box: ShipBox, from: ShipBox, cur: ShipBox, t0: number, dur: number,
 *   alpha: number, alphaFrom: number, alphaTo: number, dying: boolean, dx: number, dxFrom: number, dxTo: number,
 *   imageKey: string,
 * }} ShipSprite
 * @typedef {{ key: string, canvas: HTMLCanvasElement, left: number, top: number, w: number, h: number }} ShipImage
 */

const MOVE_MS = 650;
const FLY_MS = 1000;
const FADE_MS = 550;
const SINK_MS = 800;
const AMBIENT_MS = 66;
const FLASH_MS = 450;
/** Countdown pills and restart badges drawn per frame at most (each is checked against those drawn). */
const MAX_POD_LABELS = 300;
const STILL = window.matchMedia("(prefers-reduced-motion: reduce)");

/** @param {number} t */
const ease = (t) => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);

/**
 * @param {Rect} a
 * @param {Rect} b
 * @param {number} t
 * @returns {Rect}
 */
const lerpRect = (a, b, t) => ({
  x: a.x + (b.x - a.x) * t,
  y: a.y + (b.y - a.y) * t,
  w: a.w + (b.w - a.w) * t,
  h: a.h + (b.h - a.h) * t,
});

/** @param {Rect} a @param {Rect} b */
const sameRect = (a, b) =>
  Math.abs(a.x - b.x) < 0.25 && Math.abs(a.y - b.y) < 0.25 && Math.abs(a.w - b.w) < 0.25 && Math.abs(a.h - b.h) < 0.25;

/**
 * A ship's geometry part way between two layouts.
 * @param {ShipBox} a
 * @param {ShipBox} b
 * @param {number} t
 * @returns {ShipBox}
 */
function lerpShip(a, b, t) {
  if (t >= 1) return b;
  const memStrip = lerpRect(a.memStrip, b.memStrip, t);
  const k = memStrip.w / Math.max(1e-6, b.memStrip.w);
  return {
    ...b,
    box: lerpRect(a.box, b.box, t),
    hull: lerpRect(a.hull, b.hull, t),
    deck: lerpRect(a.deck, b.deck, t),
    band: lerpRect(a.band, b.band, t),
    cap: lerpRect(a.cap, b.cap, t),
    memStrip,
    memSegments: b.memSegments.map((s) => ({ ...s, x: memStrip.x + (s.x - b.memStrip.x) * k, w: s.w * k })),
    sternW: a.sternW + (b.sternW - a.sternW) * t,
    bowW: a.bowW + (b.bowW - a.bowW) * t,
  };
}

/**
 * What a ship's picture depends on, besides where it is.
 * @param {ShipBox} s
 */
function imageKeyOf(s) {
  const segments = s.memSegments.map((m) => `${(m.x - s.memStrip.x).toFixed(1)},${m.w.toFixed(1)},${m.colour}`).join(";");
  return [
    s.box.w.toFixed(1), s.box.h.toFixed(1), s.deck.w.toFixed(1), s.deck.h.toFixed(1), s.label, s.status, s.ready,
    s.draining, s.cordoned, s.cpuAlloc, s.cpuUsed.toFixed(3), s.podCount, (s.taints ?? []).join(","), segments,
  ].join("|");
}

/**
 * @param {ShipBox} s
 * @param {number} dx
 * @returns {ShipBox}
 */
function shiftShip(s, dx) {
  if (!dx) return s;
  const move = (/** @type {Rect} */ r) => ({ ...r, x: r.x + dx });
  return {
    ...s,
    box: move(s.box), hull: move(s.hull), deck: move(s.deck), band: move(s.band), memStrip: move(s.memStrip), cap: move(s.cap),
    memSegments: s.memSegments.map((m) => ({ ...m, x: m.x + dx })),
  };
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {string | CanvasPattern} fill
 * @param {Rect[]} rects
 */
function fillRects(ctx, fill, rects) {
  ctx.fillStyle = fill;
  ctx.beginPath();
  for (const r of rects) ctx.rect(r.x, r.y, r.w, r.h);
  ctx.fill();
}

export class Stage {
  /**
   * @param {HTMLCanvasElement} canvas
   */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { alpha: false }));
    this.fills = new Fills(this.ctx);
    this.dpr = 1;
    this.width = 0;
    this.height = 0;
    /** @type {Layout | null} */
    this.layout = null;
    /** @type {Map<string, PodSprite>} */
    this.pods = new Map();
    /** @type {Map<string, ShipSprite>} */
    this.ships = new Map();
    /** @type {Map<string, ShipImage>} each ship painted once, then copied every frame */
    this.shipImages = new Map();
    /** @type {HTMLCanvasElement} */
    this.background = document.createElement("canvas");
    this.backgroundKey = "";
    this.frame = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.ambientTimer = undefined;
    /** @type {string | null} ship drawn highlighted (its panel is open) */
    this.highlight = null;
    /** frames drawn, for tests and the curious */
    this.framesDrawn = 0;
    this.animating = false;
    /** @type {(() => void)[]} run once when nothing moves any more */
    this.onSettle = [];
    /** @type {Map<string, number>} pod -> when its click flash ends */
    this.flashes = new Map();
    /** simulated seconds, as of the latest message (for countdowns) */
    this.simTime = 0;
    /** @type {Map<string, number>} ship -> simulated time its heartbeats were seen to stop */
    this.silent = new Map();
  }

  /**
   * Match the canvas to its CSS size and the device pixel ratio.
   * @param {number} width
   * @param {number} height
   */
  resize(width, height) {
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    if (width === this.width && height === this.height && dpr === this.dpr) return false;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.fills.setScale(dpr);
    this.backgroundKey = "";
    this.shipImages.clear();
    return true;
  }

  /**
   * Take a new layout: sprites tween from where they are to where the layout puts them.
   * @param {Layout} layout
   * @param {{ snap?: boolean }} [opts]
   */
  setLayout(layout, opts = {}) {
    const now = performance.now();
    const first = this.layout === null;
    const snap = Boolean(opts.snap) || first;
    this.layout = layout;

    for (const ship of layout.ships) {
      const sprite = this.ships.get(ship.name);
      if (!sprite) {
        const dx = snap ? 0 : -Math.min(260, ship.box.w * 0.6);
        this.ships.set(ship.name, {
          box: ship, from: ship, cur: ship, t0: now, dur: snap ? 0 : MOVE_MS * 1.3,
          alpha: snap ? 1 : 0, alphaFrom: snap ? 1 : 0, alphaTo: 1, dying: false, dx, dxFrom: dx, dxTo: 0,
          imageKey: imageKeyOf(ship),
        });
      } else {
        sprite.from = sprite.cur;
        sprite.box = ship;
        sprite.imageKey = imageKeyOf(ship);
        sprite.t0 = now;
        sprite.dur = snap ? 0 : MOVE_MS;
        sprite.alphaFrom = sprite.alpha;
        sprite.alphaTo = 1;
        sprite.dxFrom = sprite.dx;
        sprite.dxTo = 0;
        sprite.dying = false;
      }
    }
    for (const [name, sprite] of this.ships) {
      if (layout.shipIndex.has(name)) continue;
      if (snap) {
        this.ships.delete(name);
        continue;
      }
      if (!sprite.dying) {
        // sails off to the right as it fades
        sprite.dying = true;
        sprite.from = sprite.cur;
        sprite.t0 = now;
        sprite.dur = SINK_MS * 1.5;
        sprite.alphaFrom = sprite.alpha;
        sprite.alphaTo = 0;
        sprite.dxFrom = sprite.dx;
        sprite.dxTo = 240;
      }
    }

    for (const pod of layout.pods) {
      const sprite = this.pods.get(pod.name);
      if (!sprite) {
        const start = snap ? pod.rect : { ...pod.rect, y: pod.rect.y - 14 };
        this.pods.set(pod.name, {
          box: pod, cur: start, from: start, to: pod.rect, t0: now, dur: snap ? 0 : FADE_MS, arc: 0,
          alpha: snap ? 1 : 0, alphaFrom: snap ? 1 : 0, alphaTo: 1, dying: false,
        });
        continue;
      }
      const wasQueued = !sprite.box.node && !sprite.dying;
      const moved = !sameRect(sprite.to, pod.rect);
      sprite.box = pod;
      if (sprite.dying) {
        // came back (a resync): fade in where it belongs
        sprite.dying = false;
        sprite.alphaFrom = sprite.alpha;
      }
      if (moved || sprite.alpha < 1) {
        const flies = wasQueued && Boolean(pod.node) && !snap;
        sprite.from = sprite.cur;
        sprite.to = pod.rect;
        sprite.t0 = now;
        sprite.dur = snap ? 0 : flies ? FLY_MS : MOVE_MS;
        sprite.arc = flies ? Math.min(140, 40 + Math.abs(pod.rect.y - sprite.cur.y) * 0.25) : 0;
        sprite.alphaFrom = sprite.alpha;
        sprite.alphaTo = 1;
      }
    }
    for (const [name, sprite] of this.pods) {
      if (layout.podIndex.has(name)) continue;
      if (snap) {
        this.pods.delete(name);
        continue;
      }
      if (!sprite.dying) {
        sprite.dying = true;
        sprite.from = sprite.cur;
        sprite.to = { x: sprite.cur.x + sprite.cur.w * 0.15, y: sprite.cur.y + sprite.cur.h * 0.5, w: sprite.cur.w * 0.7, h: sprite.cur.h * 0.5 };
        sprite.t0 = now;
        sprite.dur = SINK_MS;
        sprite.arc = 0;
        sprite.alphaFrom = sprite.alpha;
        sprite.alphaTo = 0;
      }
    }
    this.request();
  }

  /**
   * Call back once the tweens have finished (at once if nothing moves).
   * @param {() => void} callback
   */
  whenSettled(callback) {
    if (!this.animating && !this.frame) callback();
    else this.onSettle.push(callback);
  }

  /**
   * A short white flash on a container, the moment it is clicked (before the server answers).
   * @param {string} podName
   */
  flash(podName) {
    this.flashes.set(podName, performance.now() + FLASH_MS);
    this.request();
  }

  /** Ask for a frame (once). */
  request() {
    if (this.frame) return;
    clearTimeout(this.ambientTimer);
    this.ambientTimer = undefined;
    this.frame = requestAnimationFrame((t) => {
      this.frame = 0;
      this.draw(t);
    });
  }

  /**
   * Advance the tweens to `now`; true while any is running.
   * @param {number} now
   */
  advance(now) {
    let moving = false;
    for (const [name, s] of this.ships) {
      const t = s.dur > 0 ? Math.min(1, (now - s.t0) / s.dur) : 1;
      const e = ease(t);
      s.cur = lerpShip(s.from, s.box, e);
      s.alpha = s.alphaFrom + (s.alphaTo - s.alphaFrom) * e;
      s.dx = s.dxFrom + (s.dxTo - s.dxFrom) * e;
      if (t < 1) moving = true;
      else if (s.dying) {
        this.ships.delete(name);
        this.shipImages.delete(name);
      }
    }
    for (const [name, s] of this.pods) {
      const t = s.dur > 0 ? Math.min(1, (now - s.t0) / s.dur) : 1;
      const e = ease(t);
      s.cur = lerpRect(s.from, s.to, e);
      if (s.arc) s.cur.y -= Math.sin(Math.PI * t) * s.arc;
      s.alpha = s.alphaFrom + (s.alphaTo - s.alphaFrom) * Math.min(1, t * 1.6);
      if (t < 1) moving = true;
      else if (s.dying) this.pods.delete(name);
    }
    return moving;
  }

  /** @param {number} now */
  draw(now) {
    const layout = this.layout;
    if (!layout || !this.width) return;
    const moving = this.advance(now);
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    this.drawBackground(layout);
    ctx.drawImage(this.background, 0, 0, this.width, this.height);

    let ambient = false;
    /** @type {ShipBox[]} */
    const signals = [];
    for (const s of this.ships.values()) {
      const image = this.shipImage(s, layout.fontPx);
      const cur = s.cur;
      const kx = cur.box.w / Math.max(1, s.box.box.w);
      const ky = cur.box.h / Math.max(1, s.box.box.h);
      const x = cur.box.x + s.dx - image.left * kx;
      const y = cur.box.y - image.top * ky;
      ctx.globalAlpha = s.alpha;
      const listing = s.box.ready !== "Ready" && !s.dying;
      if (listing) {
        // a lost ship lists: tilted a few degrees about its middle, rocking a little
        const cx = cur.box.x + s.dx + cur.box.w / 2;
        const cy = cur.box.y + cur.box.h / 2;
        ctx.save();
        ctx.translate(cx, cy);
        ctx.rotate((-4 + (STILL.matches ? 0 : Math.sin(now / 900) * 0.8)) * (Math.PI / 180));
        ctx.translate(-cx, -cy);
        ctx.drawImage(image.canvas, x, y, image.w * kx, image.h * ky);
        ctx.restore();
      } else if (kx === 1 && ky === 1) {
        // settled: copy pixel-aligned so it stays sharp
        const px = Math.round(x * this.dpr) / this.dpr;
        const py = Math.round(y * this.dpr) / this.dpr;
        ctx.drawImage(image.canvas, px, py, image.w, image.h);
      } else ctx.drawImage(image.canvas, x, y, image.w * kx, image.h * ky);
      if (s.box.draining || s.box.cordoned || s.box.ready !== "Ready") {
        ambient = true;
        paintShipLife(ctx, shiftShip(cur, s.dx), layout.fontPx, now);
      }
      if (!s.dying) signals.push(shiftShip(cur, s.dx));
      ctx.globalAlpha = 1;
    }
    ambient = this.drawPods(now) || ambient;
    // Above the cargo: a lost ship's "no signal" and eviction countdown.
    for (const ship of signals) ambient = this.drawSignal(ship, layout.fontPx) || ambient;
    this.drawQuayText(layout);
    if (layout.message) {
      setFont(ctx, Math.round(layout.fontPx * 1.2), true);
      ctx.fillStyle = INK.muted;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(layout.message, layout.width / 2, (layout.quay.rect.h + layout.height) / 2);
      ctx.textAlign = "start";
    }
    this.framesDrawn += 1;
    this.animating = moving;
    if (!moving && this.onSettle.length) {
      const callbacks = this.onSettle.splice(0);
      setTimeout(() => callbacks.forEach((f) => f()), 0);
    }
    if (moving) this.request();
    else if (ambient && !document.hidden) {
      this.ambientTimer = setTimeout(() => this.request(), AMBIENT_MS);
    }
  }

  /**
   * A ship painted once into its own canvas, repainted only when what it shows changes.
   * @param {ShipSprite} s
   * @param {number} fontPx
   * @returns {ShipImage}
   */
  shipImage(s, fontPx) {
    const highlight = this.highlight === s.box.name;
    const key = `${s.imageKey}|${highlight}|${fontPx}`;
    const cached = this.shipImages.get(s.box.name);
    if (cached && cached.key === key) return cached;
    const ship = s.box;
    const m = shipMargins(fontPx);
    const w = ship.box.w + 2 * m.side;
    const h = ship.box.h + m.top + m.bottom;
    const canvas = cached?.canvas ?? document.createElement("canvas");
    canvas.width = Math.ceil(w * this.dpr);
    canvas.height = Math.ceil(h * this.dpr);
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    const ox = ship.box.x - m.side;
    const oy = ship.box.y - m.top;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, -ox * this.dpr, -oy * this.dpr);
    paintShip(ctx, ship, fontPx, { highlight });
    const image = { key, canvas, left: m.side, top: m.top, w: canvas.width / this.dpr, h: canvas.height / this.dpr };
    this.shipImages.set(ship.name, image);
    return image;
  }

  /** @param {Layout} layout */
  drawBackground(layout) {
    const key = `${this.width}x${this.height}@${this.dpr}:${layout.quay.rect.h}:${layout.quay.empty}:${layout.fontPx}`;
    if (key === this.backgroundKey) return;
    this.backgroundKey = key;
    this.background.width = this.canvas.width;
    this.background.height = this.canvas.height;
    const b = /** @type {CanvasRenderingContext2D} */ (this.background.getContext("2d"));
    b.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    paintBackground(b, layout);
  }

  /**
   * Containers: settled ones batched by fill, moving and special ones one by one.
   * @param {number} now
   * @returns {boolean} whether something wants ambient animation
   */
  drawPods(now) {
    const ctx = this.ctx;
    /** @type {Map<string | CanvasPattern, Rect[]>} */
    const batches = new Map();
    /** @type {PodSprite[]} */
    const special = [];
    /** @type {Rect[]} */
    const hatched = [];
    for (const s of this.pods.values()) {
      const st = s.box.state;
      if (s.alpha < 0.999 || s.dying || (st !== "Running" && st !== "NotReady" && st !== "Pending")) {
        special.push(s);
        continue;
      }
      const fill = this.fills.get(s.box.colour, s.box.old ? "old" : "new");
      let list = batches.get(fill);
      if (!list) batches.set(fill, (list = []));
      list.push(s.cur);
      if (st === "NotReady") hatched.push(s.cur);
    }
    // One path per fill: far cheaper than a fillRect per container.
    for (const [fill, rects] of batches) fillRects(ctx, fill, rects);
    if (hatched.length) {
      fillRects(ctx, "rgba(6,20,36,0.35)", hatched);
      fillRects(ctx, this.fills.get("#000000", "hatch"), hatched);
    }
    let ambient = false;
    for (const s of special) ambient = this.drawSpecial(s, now) || ambient;
    // Over every container: its restart count, and the seconds left of a back-off or a grace period.
    // Where containers crowd, a label that would cover one already drawn is left out (the aria labels
    // and the inspector still say it).
    const fontPx = this.layout?.fontPx ?? 16;
    /** @type {Rect[]} */
    const labels = [];
    const free = (/** @type {Rect} */ r) => !labels.some((o) => r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h);
    for (const s of this.pods.values()) {
      if (s.dying) continue;
      if (labels.length >= MAX_POD_LABELS) break; // a huge crash-looping fleet: the flashing says enough
      const candidate = this.countdownFor(s, fontPx);
      const pill = candidate && free(candidate.rect) ? candidate : null;
      if (s.box.restarts > 0) {
        const text = s.box.restarts > 99 ? "99+" : String(s.box.restarts);
        const badge = badgeRect(ctx, pill ? pill.rect : s.cur, text, fontPx);
        if (free(badge)) {
          if (pill) paintCountdown(ctx, pill.rect, pill.text, pill.kind);
          paintRestartBadge(ctx, badge, text, s.alpha);
          labels.push(badge);
          if (pill) labels.push(pill.rect);
          continue;
        }
      }
      if (pill) {
        paintCountdown(ctx, pill.rect, pill.text, pill.kind);
        labels.push(pill.rect);
      }
    }
    for (const [name, until] of this.flashes) {
      const sprite = this.pods.get(name);
      const left = (until - now) / FLASH_MS;
      if (!sprite || left <= 0) {
        this.flashes.delete(name);
        continue;
      }
      const r = sprite.cur;
      ctx.fillStyle = `rgba(255,255,255,${(0.85 * left).toFixed(3)})`;
      ctx.fillRect(r.x - 2, r.y - 2, r.w + 4, r.h + 4);
      ambient = true;
    }
    if (this.flashes.size) this.request();
    return ambient;
  }

  /**
   * @param {PodSprite} s
   * @param {number} now
   */
  drawSpecial(s, now) {
    const ctx = this.ctx;
    const r = s.cur;
    const st = s.box.state;
    const fill = this.fills.get(s.box.colour, s.box.old ? "old" : "new");
    ctx.save();
    let ambient = false;
    if (st === "Terminating" && !s.dying) {
      // sinking: translucent, drifting down a little, breathing
      const wave = 0.5 + 0.5 * Math.sin(now / 260);
      ctx.globalAlpha = s.alpha * (0.22 + 0.16 * wave);
      ctx.fillStyle = fill;
      ctx.fillRect(r.x, r.y + 3 + wave * 2, r.w, r.h - 3);
      ambient = true;
    } else if (st === "ContainerCreating" || st === "PodInitializing") {
      // being lowered by the crane: outlined, swaying a little on its cable
      const bob = STILL.matches ? 0 : Math.sin(now / 260) * 2.5;
      ctx.globalAlpha = s.alpha * 0.45;
      ctx.fillStyle = fill;
      ctx.fillRect(r.x, r.y + bob, r.w, r.h);
      ctx.globalAlpha = s.alpha;
      ctx.strokeStyle = s.box.colour;
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 4]);
      ctx.lineDashOffset = -now / 40;
      ctx.strokeRect(r.x + 1, r.y + 1 + bob, Math.max(0, r.w - 2), Math.max(0, r.h - 2));
      ctx.setLineDash([]);
      // hanging from the crane: a yellow spreader on top, two slings to the hook, the cable up to a trolley
      const cx = r.x + r.w / 2;
      const top = r.y + bob;
      const hookY = top - Math.max(8, Math.min(14, r.w * 0.5));
      ctx.fillStyle = INK.safety;
      ctx.fillRect(r.x - 1, top - 3, r.w + 2, 3);
      ctx.strokeStyle = "#e8edf3";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(r.x + 1, top - 3);
      ctx.lineTo(cx, hookY);
      ctx.lineTo(r.x + r.w - 1, top - 3);
      ctx.moveTo(cx, hookY);
      ctx.lineTo(cx, r.y - 30);
      ctx.stroke();
      ctx.fillRect(cx - 5, r.y - 34, 10, 5);
      ambient = true;
    } else if (st === "Running" || st === "NotReady" || st === "Pending") {
      ctx.globalAlpha = s.alpha;
      ctx.fillStyle = fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
      if (st === "NotReady") {
        ctx.fillStyle = this.fills.get("#000000", "hatch");
        ctx.fillRect(r.x, r.y, r.w, r.h);
      }
    } else {
      // waiting with trouble (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, ...): flashes red
      const on = Math.floor(now / 500) % 2 === 0;
      ctx.globalAlpha = s.alpha * 0.6;
      ctx.fillStyle = fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.globalAlpha = s.alpha;
      ctx.fillStyle = this.fills.get("#000000", "hatch");
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.strokeStyle = on ? INK.danger : "#ffffff";
      ctx.lineWidth = 2.5;
      ctx.strokeRect(r.x + 1.25, r.y + 1.25, Math.max(0, r.w - 2.5), Math.max(0, r.h - 2.5));
      ambient = !s.dying;
    }
    ctx.restore();
    return ambient && !s.dying;
  }

  /**
   * The pill for a container that waits for something timed: its next restart or image pull
   * (CrashLoopBackOff, ImagePullBackOff), or SIGKILL at the end of its grace period (Terminating).
   * @param {PodSprite} s
   * @param {number} fontPx
   * @returns {{ rect: Rect & { px: number }, text: string, kind: "backoff" | "grace" } | null}
   */
  countdownFor(s, fontPx) {
    const box = s.box;
    const terminating = box.state === "Terminating";
    const at = terminating ? box.killAt : box.retryAt;
    if (at === null || at === undefined) return null;
    const left = Math.ceil(at - this.simTime);
    if (left <= 0) return null;
    const text = `${left}s`;
    return { rect: countdownRect(this.ctx, s.cur, text, fontPx), text, kind: terminating ? "grace" : "backoff" };
  }

  /**
   * Above a lost ship: "no signal for 23 s" while the controller still waits, then the eviction countdown.
   * @param {ShipBox} ship
   * @param {number} fontPx
   * @returns {boolean} whether it shows something that changes with time
   */
  drawSignal(ship, fontPx) {
    const text = signalText(ship, this.simTime, this.silent.get(ship.name));
    if (!text) return false;
    const ctx = this.ctx;
    const px = Math.max(13, Math.round(fontPx * 0.8));
    setFont(ctx, px, true);
    const w = ctx.measureText(text).width + 14;
    const h = px + 10;
    const x = Math.max(4, Math.min(this.width - w - 4, ship.hull.x + ship.hull.w / 2 - w / 2));
    const y = Math.max(4, ship.hull.y + ship.hull.h / 2 - h / 2);
    ctx.textBaseline = "middle";
    warningTag(ctx, text, x, y, w, h, { fill: "rgba(40,6,10,0.88)", ink: "#ffe1e1", radius: 6, line: 2, pad: 7 });
    return true;
  }

  /** @param {Layout} layout */
  drawQuayText(layout) {
    const ctx = this.ctx;
    const px = layout.fontPx;
    setFont(ctx, px);
    ctx.textBaseline = "top";
    for (const line of layout.quay.lines) {
      let x = line.x;
      for (const colour of line.colours.slice(0, 4)) {
        ctx.fillStyle = colour;
        roundRect(ctx, x, line.y + px * 0.2, px * 0.7, px * 0.7, 2);
        ctx.fill();
        x += px * 0.85;
      }
      ctx.fillStyle = layout.quay.empty ? INK.muted : INK.text;
      ctx.fillText(line.text, x + (line.colours.length ? px * 0.25 : 0), line.y);
    }
  }
}

/**
 * What a lost ship says above its deck, or "" when it is fine.
 * @param {ShipBox} ship
 * @param {number} now  simulated seconds
 * @param {number | undefined} silentSince  when its heartbeats were seen to stop (this browser sank it)
 */
export function signalText(ship, now, silentSince) {
  if (ship.ready !== "Ready") {
    if (ship.evictAt !== null && ship.evictAt !== undefined) {
      const left = Math.ceil(ship.evictAt - now);
      return left > 0 ? `no signal · evicting pods in ${clock(left)}` : "no signal · pods evicted";
    }
    return ship.readyStatus === "Unknown" ? "no signal · NotReady" : "NotReady";
  }
  const beat = ship.heartbeat;
  // Only a ship marked sunk (or sunk from this browser) has lost its signal: the layout is not
  // redone on every Lease renewal, so a stale renewTime alone would cry wolf.
  const since = ship.sunk && beat !== null ? beat : silentSince ?? null;
  if (since === null) return "";
  return `no signal for ${Math.max(0, Math.round(now - since))} s`;
}

/** @param {number} seconds */
function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : `${s} s`;
}

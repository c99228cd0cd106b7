// @ts-check
/** Painting primitives for the harbour: water, quay, crane, ships and container fills. */

import { mix } from "./palette.js";

/**
 * @typedef {import("./layout.js").Rect} Rect
 * @typedef {import("./layout.js").ShipBox} ShipBox
 * @typedef {import("./layout.js").Layout} Layout
 */

export const INK = {
  seaTop: "#0a2540",
  seaBottom: "#06182c",
  wave: "rgba(150, 200, 255, 0.06)",
  quay: "#3a4656",
  quayEdge: "#27313e",
  safety: "#f2c230",
  text: "#f4f7fb",
  muted: "#c3d0de",
  hullTop: "#1c2b3e",
  hullRim: "#5b708a",
  deck: "#2f4157",
  deckLine: "rgba(255,255,255,0.06)",
  side: "#0c1522",
  boot: "#b8323f",
  bridge: "#e4ebf2",
  window: "#20344c",
  flag: "#ffb000",
  danger: "#ff6b6b",
  warn: "#ffb000",
  memBack: "rgba(0,0,0,0.35)",
};

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, sans-serif";

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} px
 * @param {boolean} [bold]
 */
export function setFont(ctx, px, bold = false) {
  ctx.font = `${bold ? 700 : 500} ${px}px ${FONT}`;
}

/**
 * Water and quay, drawn once per size into a cached canvas.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Layout} layout
 */
export function paintBackground(ctx, layout) {
  const { width, height, quay, fontPx } = layout;
  const sea = ctx.createLinearGradient(0, 0, 0, height);
  sea.addColorStop(0, INK.seaTop);
  sea.addColorStop(1, INK.seaBottom);
  ctx.fillStyle = sea;
  ctx.fillRect(0, 0, width, height);

  // Gentle wave marks, deterministic so a redraw does not shimmer.
  ctx.strokeStyle = INK.wave;
  ctx.lineWidth = 2;
  ctx.beginPath();
  const step = 46;
  for (let y = quay.rect.h + 30, row = 0; y < height; y += step * 0.62, row += 1) {
    for (let x = (row % 2) * step * 0.5 - 10; x < width; x += step) {
      ctx.moveTo(x, y);
      ctx.quadraticCurveTo(x + 7, y - 5, x + 14, y);
      ctx.quadraticCurveTo(x + 21, y + 5, x + 28, y);
    }
  }
  ctx.stroke();

  // The quay: a stone pier with a safety line at the water's edge and bollards.
  const q = quay.rect;
  ctx.fillStyle = INK.quay;
  ctx.fillRect(q.x, q.y, q.w, q.h);
  ctx.fillStyle = "rgba(255,255,255,0.035)";
  for (let x = 0; x < q.w; x += 64) ctx.fillRect(x, q.y, 1, q.h - 10);
  ctx.fillStyle = INK.quayEdge;
  ctx.fillRect(q.x, q.y + q.h - 10, q.w, 10);
  ctx.fillStyle = INK.safety;
  ctx.fillRect(q.x, q.y + q.h - 13, q.w, 3);
  ctx.fillStyle = "#1a222c";
  for (let x = 40; x < q.w - quay.crane.w - 20; x += 180) {
    ctx.beginPath();
    ctx.arc(x, q.y + q.h - 4, 5, 0, Math.PI * 2);
    ctx.fill();
  }
  if (quay.crane.w > 0) paintCrane(ctx, quay.crane, fontPx);

  // Title
  setFont(ctx, fontPx, true);
  ctx.fillStyle = INK.muted;
  ctx.textBaseline = "top";
  ctx.fillText("QUAY", q.x + 16, quay.titleY + 2);
}

/**
 * A dockside crane in silhouette.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect} r
 * @param {number} fontPx
 */
function paintCrane(ctx, r, fontPx) {
  const baseY = r.y + r.h - 12;
  const legX = r.x + r.w * 0.55;
  const topY = r.y + 8;
  ctx.save();
  ctx.strokeStyle = INK.safety;
  ctx.lineWidth = Math.max(3, fontPx * 0.2);
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(legX - r.w * 0.18, baseY);
  ctx.lineTo(legX, topY + 10);
  ctx.lineTo(legX + r.w * 0.18, baseY);
  ctx.moveTo(legX - r.w * 0.1, (baseY + topY) / 2);
  ctx.lineTo(legX + r.w * 0.1, (baseY + topY) / 2);
  // the boom reaches out over the water-side queue
  ctx.moveTo(r.x + 4, topY + 10);
  ctx.lineTo(r.x + r.w - 2, topY + 10);
  ctx.stroke();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "rgba(242,194,48,0.8)";
  ctx.beginPath();
  ctx.moveTo(legX, topY);
  ctx.lineTo(r.x + 6, topY + 10);
  ctx.moveTo(legX, topY);
  ctx.lineTo(r.x + r.w - 4, topY + 10);
  ctx.moveTo(r.x + r.w * 0.18, topY + 10);
  ctx.lineTo(r.x + r.w * 0.18, topY + r.h * 0.45);
  ctx.stroke();
  ctx.fillStyle = INK.safety;
  ctx.fillRect(r.x + r.w * 0.18 - 5, topY + r.h * 0.45, 10, 5);
  ctx.restore();
}

/**
 * Where the bridge and mast stand on a ship.
 * @param {ShipBox} s
 * @param {number} fontPx
 */
export function bridgeOf(s, fontPx) {
  const { hull } = s;
  const bw = Math.max(10, s.sternW - 8);
  const bx = hull.x + 5;
  const by = hull.y + hull.h * 0.18;
  const bh = hull.h * 0.64;
  return { bx, by, bw, bh, mastX: bx + bw / 2, mastTop: hull.y - fontPx * 1.1 };
}

/**
 * How far a ship's drawing reaches outside its box (mast above, shadow below).
 * @param {number} fontPx
 */
export function shipMargins(fontPx) {
  return { top: Math.ceil(fontPx * 1.3) + 4, side: 8, bottom: 12 };
}

/**
 * The still parts of a ship: hull, deck, bridge, mast, memory strip and the painted name.
 * @param {CanvasRenderingContext2D} ctx
 * @param {ShipBox} s
 * @param {number} fontPx
 * @param {{ highlight?: boolean }} [opts]
 */
export function paintShip(ctx, s, fontPx, opts = {}) {
  const { hull, deck, band } = s;
  ctx.save();

  // Shadow on the water
  ctx.fillStyle = "rgba(0,0,0,0.28)";
  ctx.beginPath();
  ctx.ellipse(hull.x + hull.w / 2 + 6, band.y + band.h + 2, hull.w * 0.5, 7, 0, 0, Math.PI * 2);
  ctx.fill();

  // Side of the hull (seen at a slant), where the name is painted
  const bowRake = Math.min(s.bowW * 0.7, band.h * 1.4);
  ctx.fillStyle = INK.side;
  ctx.beginPath();
  ctx.moveTo(band.x, band.y - 2);
  ctx.lineTo(band.x + band.w, band.y - 2);
  ctx.lineTo(band.x + band.w - bowRake, band.y + band.h);
  ctx.lineTo(band.x + 6, band.y + band.h);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = INK.boot;
  ctx.fillRect(band.x + 6, band.y + band.h - 4, band.w - bowRake - 6 - 4 * (bowRake / band.h), 4);

  // Hull seen from above: square stern, pointed bow
  const bowX = hull.x + hull.w - s.bowW;
  ctx.beginPath();
  ctx.moveTo(hull.x + 6, hull.y);
  ctx.lineTo(bowX, hull.y);
  ctx.quadraticCurveTo(hull.x + hull.w - s.bowW * 0.25, hull.y + hull.h * 0.08, hull.x + hull.w, hull.y + hull.h / 2);
  ctx.quadraticCurveTo(hull.x + hull.w - s.bowW * 0.25, hull.y + hull.h * 0.92, bowX, hull.y + hull.h);
  ctx.lineTo(hull.x + 6, hull.y + hull.h);
  ctx.quadraticCurveTo(hull.x, hull.y + hull.h, hull.x, hull.y + hull.h - 6);
  ctx.lineTo(hull.x, hull.y + 6);
  ctx.quadraticCurveTo(hull.x, hull.y, hull.x + 6, hull.y);
  ctx.closePath();
  ctx.fillStyle = s.ready === "Ready" ? INK.hullTop : "#3a2a2e";
  ctx.fill();
  ctx.lineWidth = opts.highlight ? 4 : 2;
  ctx.strokeStyle = opts.highlight ? INK.safety : s.ready !== "Ready" ? INK.danger : s.cordoned ? INK.warn : INK.hullRim;
  ctx.stroke();

  // Deck
  ctx.fillStyle = INK.deck;
  ctx.fillRect(deck.x, deck.y, deck.w, deck.h);
  // CPU ruler: one tick per core along the deck edge
  if (s.cpuAlloc > 0 && s.cpuAlloc <= 64) {
    ctx.fillStyle = INK.deckLine;
    const per = deck.w / s.cpuAlloc;
    for (let i = 1; i < s.cpuAlloc; i += 1) ctx.fillRect(deck.x + i * per - 0.5, deck.y, 1, deck.h);
  }

  // Bridge at the stern
  const { bx, by, bw, bh, mastX, mastTop } = bridgeOf(s, fontPx);
  ctx.fillStyle = INK.bridge;
  roundRect(ctx, bx, by, bw, bh, 3);
  ctx.fill();
  ctx.fillStyle = INK.window;
  const wins = Math.max(2, Math.floor(bh / 9));
  for (let i = 0; i < wins; i += 1) ctx.fillRect(bx + bw - 6, by + 4 + i * ((bh - 8) / wins), 3, (bh - 8) / wins - 3);

  // Memory strip: what is requested of the ship's memory
  const m = s.memStrip;
  ctx.fillStyle = INK.memBack;
  ctx.fillRect(m.x, m.y, m.w, m.h);
  for (const seg of s.memSegments) {
    ctx.fillStyle = seg.colour;
    ctx.fillRect(seg.x, m.y + 1, Math.max(0.5, seg.w - (seg.w > 4 ? 1 : 0)), m.h - 2);
  }

  // Mast
  ctx.strokeStyle = "#cfd8e3";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(mastX, by + bh / 2);
  ctx.lineTo(mastX, mastTop);
  ctx.stroke();

  // Name and free capacity painted on the hull
  setFont(ctx, fontPx, true);
  ctx.textBaseline = "middle";
  ctx.fillStyle = INK.text;
  const ty = band.y + (band.h - 4) / 2 + 1;
  const tx = band.x + fontPx * 0.6;
  ctx.fillText(s.label, tx, ty);
  if (s.status) {
    const w = ctx.measureText(s.label).width;
    ctx.fillStyle = s.ready !== "Ready" ? INK.danger : INK.warn;
    ctx.fillText(` · ${s.status}`, tx + w, ty);
  }
  if (s.cap) paintCapacity(ctx, s, fontPx);
  if (s.taints?.length) paintTaints(ctx, s, fontPx);
  ctx.restore();
}

/**
 * Three gauges under the hull: CPU, memory and pods requested against allocatable.
 * @param {CanvasRenderingContext2D} ctx
 * @param {ShipBox} s
 * @param {number} fontPx
 */
function paintCapacity(ctx, s, fontPx) {
  const r = s.cap;
  const px = Math.max(12, Math.round(fontPx * 0.7));
  const gauges = [
    ["CPU", s.cpuUsed / Math.max(1e-9, s.cpuAlloc)],
    ["MEM", s.memUsed / Math.max(1, s.memAlloc)],
    ["PODS", s.podCount / Math.max(1, s.podAlloc)],
  ];
  const gap = 8;
  const each = (r.w - gap * 2) / 3;
  setFont(ctx, px, true);
  ctx.textBaseline = "middle";
  gauges.forEach(([name, frac], i) => {
    const x = r.x + i * (each + gap);
    const labelW = ctx.measureText(String(name)).width + 4;
    const showLabel = each - labelW > 18;
    const barX = showLabel ? x + labelW : x;
    const barW = Math.max(4, each - (barX - x));
    if (showLabel) {
      ctx.fillStyle = INK.muted;
      ctx.fillText(String(name), x, r.y + r.h / 2 + 1);
    }
    const f = Math.max(0, Math.min(1, Number(frac)));
    ctx.fillStyle = "rgba(0,0,0,0.45)";
    roundRect(ctx, barX, r.y + 2, barW, r.h - 4, 3);
    ctx.fill();
    ctx.fillStyle = f >= 0.9 ? INK.danger : f >= 0.7 ? INK.warn : "#5ee3a1";
    if (f > 0) {
      roundRect(ctx, barX, r.y + 2, Math.max(3, barW * f), r.h - 4, 3);
      ctx.fill();
    }
    ctx.strokeStyle = "rgba(255,255,255,0.35)";
    ctx.lineWidth = 1;
    roundRect(ctx, barX + 0.5, r.y + 2.5, barW - 1, r.h - 5, 3);
    ctx.stroke();
  });
}

/**
 * The ship's taints as small tags above the hull, right-aligned (the mast is at the stern, left).
 * @param {CanvasRenderingContext2D} ctx
 * @param {ShipBox} s
 * @param {number} fontPx
 */
function paintTaints(ctx, s, fontPx) {
  const px = Math.max(12, Math.round(fontPx * 0.68));
  const h = px + 6;
  const y = s.hull.y - h - 3;
  const { mastX } = bridgeOf(s, fontPx);
  const left = mastX + fontPx * 1.8;
  setFont(ctx, px, true);
  ctx.textBaseline = "middle";
  let x = s.hull.x + s.hull.w - 4;
  const list = s.taints.map((t) => t.replace(/^node\.kubernetes\.io\//, ""));
  for (let i = 0; i < list.length; i += 1) {
    let text = list[i];
    const rest = list.length - i;
    let w = ctx.measureText(text).width + 10;
    if (x - w < left) {
      text = rest === list.length ? `${rest} taints` : `+${rest}`;
      w = ctx.measureText(text).width + 10;
      if (x - w < left) break;
      i = list.length;
    }
    x -= w;
    warningTag(ctx, text, x, y, w, h, { fill: "#4a1d24", ink: "#ffd9d9", radius: 4, line: 1.5, pad: 5 });
    x -= 5;
  }
}

/**
 * The moving parts of a ship: a flag waving on the mast while it drains, smoke while it is not Ready.
 * @param {CanvasRenderingContext2D} ctx
 * @param {ShipBox} s
 * @param {number} fontPx
 * @param {number} time
 */
export function paintShipLife(ctx, s, fontPx, time) {
  const { mastX, mastTop } = bridgeOf(s, fontPx);
  if (s.cordoned || s.draining) {
    // Cordoned: a still amber flag. Draining: the flag beats fast and turns red and amber.
    const fw = fontPx * 1.5;
    const fh = fontPx * 0.9;
    const wave = s.draining ? Math.sin(time / 120) * 4 : Math.sin(time / 600) * 1.5;
    ctx.fillStyle = s.draining && Math.floor(time / 500) % 2 ? INK.danger : INK.flag;
    ctx.beginPath();
    ctx.moveTo(mastX, mastTop);
    ctx.quadraticCurveTo(mastX + fw / 2, mastTop - wave, mastX + fw, mastTop + 2);
    ctx.lineTo(mastX + fw, mastTop + fh);
    ctx.quadraticCurveTo(mastX + fw / 2, mastTop + fh - wave, mastX, mastTop + fh);
    ctx.closePath();
    ctx.fill();
  }
  if (s.ready !== "Ready") paintSmoke(ctx, mastX, s.hull.y, fontPx, time);
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} x
 * @param {number} y
 * @param {number} fontPx
 * @param {number} time
 */
function paintSmoke(ctx, x, y, fontPx, time) {
  for (let i = 0; i < 4; i += 1) {
    const t = ((time / 1400 + i / 4) % 1);
    ctx.fillStyle = `rgba(190,190,190,${0.45 * (1 - t)})`;
    ctx.beginPath();
    ctx.arc(x + t * fontPx * 2, y - t * fontPx * 2.2, fontPx * (0.25 + t * 0.5), 0, Math.PI * 2);
    ctx.fill();
  }
}

/**
 * Where the pill with the seconds left goes: centred on its container (it may overhang a small one).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect} r  the container
 * @param {string} text
 * @param {number} fontPx
 * @returns {Rect & { px: number }}
 */
export function countdownRect(ctx, r, text, fontPx) {
  const px = Math.round(Math.max(12, Math.min(fontPx * 0.9, r.h * 0.75 + 4)));
  setFont(ctx, px, true);
  const w = ctx.measureText(text).width + 10;
  const h = px + 6;
  return { x: r.x + r.w / 2 - w / 2, y: r.y + r.h / 2 - h / 2, w, h, px };
}

/**
 * The seconds left as a pill: red for a back-off (next restart or image pull), dark for a grace
 * period running out (SIGKILL).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect & { px: number }} pill  from countdownRect
 * @param {string} text
 * @param {"backoff" | "grace"} kind
 */
export function paintCountdown(ctx, pill, text, kind) {
  const backoff = kind === "backoff";
  paintPill(ctx, pill, text, 1, backoff ? "#8c0f1b" : "rgba(4,17,31,0.9)", backoff ? "#ffffff" : "#c3d0de");
}

/**
 * White bold text on a rounded pill (countdowns and badges share the shape).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect & { px: number }} pill
 * @param {string} text
 * @param {number} alpha
 * @param {string} fill
 * @param {string} stroke
 */
function paintPill(ctx, pill, text, alpha, fill, stroke) {
  const { x, y, w, h } = pill;
  ctx.save();
  ctx.globalAlpha = alpha;
  setFont(ctx, pill.px, true);
  ctx.fillStyle = fill;
  roundRect(ctx, x, y, w, h, h / 2);
  ctx.fill();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.fillStyle = "#ffffff";
  ctx.textBaseline = "middle";
  ctx.textAlign = "center";
  ctx.fillText(text, x + w / 2, y + h / 2 + 1);
  ctx.restore();
}

/**
 * Where a restart badge goes: on the top right corner of its container (or of the container's countdown pill).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect} r
 * @param {string} text
 * @param {number} fontPx
 * @returns {Rect & { px: number }}
 */
export function badgeRect(ctx, r, text, fontPx) {
  const px = Math.round(Math.max(11, fontPx * 0.62));
  setFont(ctx, px, true);
  const h = px + 5;
  const w = Math.max(h, ctx.measureText(text).width + 8);
  return { x: r.x + r.w - w * 0.4, y: r.y - h * 0.6, w, h, px };
}

/**
 * The restart count as a red badge.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Rect & { px: number }} badge  from badgeRect
 * @param {string} text
 * @param {number} alpha
 */
export function paintRestartBadge(ctx, badge, text, alpha) {
  paintPill(ctx, badge, text, Math.max(0.35, alpha), "#d32f2f", "#06182c");
}

/**
 * A red-edged label box with its text, for warnings painted on the harbour.
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} text
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 * @param {{ fill: string, ink: string, radius: number, line: number, pad: number }} look
 */
export function warningTag(ctx, text, x, y, w, h, look) {
  ctx.fillStyle = look.fill;
  roundRect(ctx, x, y, w, h, look.radius);
  ctx.fill();
  ctx.strokeStyle = INK.danger;
  ctx.lineWidth = look.line;
  ctx.stroke();
  ctx.fillStyle = look.ink;
  ctx.fillText(text, x + look.pad, y + h / 2 + 1);
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 * @param {number} r
 */
export function roundRect(ctx, x, y, w, h, r) {
  const rr = Math.min(r, w / 2, h / 2);
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

/**
 * Fills for containers, one pattern per colour and kind, built once.
 */
export class Fills {
  /** @param {CanvasRenderingContext2D} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.dpr = 1;
    /** @type {Map<string, CanvasPattern | string>} */
    this.cache = new Map();
  }

  /** @param {number} dpr */
  setScale(dpr) {
    if (dpr !== this.dpr) this.cache.clear();
    this.dpr = dpr;
  }

  /**
   * The fill for a colour: "new" (ribbed steel), "old" (darker with bands: the old revision), "hatch" (not Ready overlay).
   * @param {string} colour
   * @param {"new" | "old" | "hatch"} kind
   */
  get(colour, kind) {
    const key = `${colour}|${kind}`;
    let fill = this.cache.get(key);
    if (!fill) {
      fill = this.build(colour, kind);
      this.cache.set(key, fill);
    }
    return fill;
  }

  /**
   * @param {string} colour
   * @param {"new" | "old" | "hatch"} kind
   */
  build(colour, kind) {
    const d = this.dpr;
    const size = kind === "new" ? 6 : kind === "old" ? 10 : 10;
    const tile = document.createElement("canvas");
    tile.width = Math.round(size * d);
    tile.height = Math.round(size * d);
    const t = /** @type {CanvasRenderingContext2D} */ (tile.getContext("2d"));
    t.scale(d, d);
    if (kind === "new") {
      t.fillStyle = colour;
      t.fillRect(0, 0, size, size);
      t.fillStyle = mix(colour, "#000000", 0.16);
      t.fillRect(size - 1, 0, 1, size);
    } else if (kind === "old") {
      t.fillStyle = mix(colour, "#0a1a2e", 0.5);
      t.fillRect(0, 0, size, size);
      t.fillStyle = colour;
      t.fillRect(0, 0, size, size / 2);
    } else {
      t.strokeStyle = "rgba(10,20,35,0.85)";
      t.lineWidth = 2.2;
      t.beginPath();
      t.moveTo(-2, size + 2);
      t.lineTo(size + 2, -2);
      t.moveTo(-2, 2);
      t.lineTo(2, -2);
      t.moveTo(size - 2, size + 2);
      t.lineTo(size + 2, size - 2);
      t.stroke();
    }
    const pattern = this.ctx.createPattern(tile, "repeat");
    if (!pattern) return colour;
    pattern.setTransform(new DOMMatrix().scale(1 / d));
    return pattern;
  }
}

// @ts-check
/** Colours: a colour-blind-safe palette (Okabe–Ito, lifted for a dark sea), one per app, stable by name. */

/** Okabe–Ito hues (no black, no white), lightened where the original is too dark on navy. */
export const PALETTE = [
  "#2DC49A", // bluish green
  "#E8602C", // vermillion
  "#E69F00", // orange
  "#E08CC0", // reddish purple
  "#8FA8FF", // blue, lifted
  "#56B4E9", // sky blue
  "#F0E442", // yellow
];

/** @param {string} text */
export function hashName(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Give each app a colour: its hash slot, or the next free one, so the first
 * apps never share a colour. Pass the apps in a stable order (oldest first).
 * @param {string[]} apps
 * @returns {Map<string, string>}
 */
export function assignColours(apps) {
  /** @type {Map<string, string>} */
  const colours = new Map();
  const taken = new Set();
  for (const app of apps) {
    if (colours.has(app)) continue;
    let slot = hashName(app) % PALETTE.length;
    if (taken.size < PALETTE.length) {
      while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    }
    taken.add(slot);
    colours.set(app, PALETTE[slot]);
  }
  return colours;
}

/**
 * Mix a #rrggbb colour towards another.
 * @param {string} a
 * @param {string} b
 * @param {number} t 0 gives a, 1 gives b
 */
export function mix(a, b, t) {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  const ch = (/** @type {number} */ shift) =>
    Math.round(((pa >> shift) & 255) * (1 - t) + ((pb >> shift) & 255) * t);
  return `#${((1 << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).slice(1)}`;
}

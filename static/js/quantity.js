// @ts-check
/** Kubernetes resource quantities: parse "250m", "0.5", "128Mi", "1Gi", "1e3" into numbers. */

/** @type {Record<string, number>} */
const SUFFIXES = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * Parse a quantity into its base unit (cores for CPU, bytes for memory).
 * Numbers pass through; anything unparseable gives 0.
 * @param {string | number | null | undefined} value
 * @returns {number}
 */
export function parseQuantity(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : 0;
  if (typeof value !== "string") return 0;
  const match = QUANTITY.exec(value.trim());
  if (!match) return 0;
  const number = Number(match[1]);
  if (match[2]) return number * 10 ** Number(match[2].slice(1));
  return number * SUFFIXES[match[3] ?? ""];
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/**
 * Format cores for people: 2.5, 0.25, 4 (no trailing zeros).
 * @param {number} cores
 */
export function formatCpu(cores) {
  const rounded = Math.round(cores * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/**
 * Format bytes for people: "6.9 GiB" above 1 GiB, "512 MiB" below.
 * @param {number} bytes
 */
export function formatMemory(bytes) {
  if (Math.abs(bytes) >= GIB) return `${(Math.round((bytes / GIB) * 10) / 10).toString()} GiB`;
  return `${Math.round(bytes / MIB)} MiB`;
}

// @ts-check
/** Parsing what people type for labels, taints and tolerations, with messages that say what is wrong. */

export const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
// A label key: optional DNS prefix and "/", then a name of up to 63 characters; values up to 63.
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/**
 * @param {string} key
 * @returns {string} "" when fine, else what is wrong
 */
export function keyProblem(key) {
  if (!key) return "a key is needed";
  const parts = key.split("/");
  if (parts.length > 2) return `"${key}": at most one "/" in a key`;
  const name = parts.at(-1) ?? "";
  if (parts.length === 2 && !PREFIX.test(parts[0])) return `"${parts[0]}" is not a valid key prefix (a DNS name)`;
  if (!NAME.test(name)) return `"${name}" is not a valid key: letters, digits, "-", "_", "." (at most 63), starting and ending alphanumeric`;
  return "";
}

/** @param {string} value */
export function valueProblem(value) {
  return VALUE.test(value) ? "" : `"${value}" is not a valid value: letters, digits, "-", "_", "." (at most 63)`;
}

/**
 * "a=b, c=d" -> {a: "b", c: "d"}.
 * @param {string} text
 * @returns {{ labels: Record<string, string>, error: string }}
 */
export function parseLabels(text) {
  /** @type {Record<string, string>} */
  const labels = {};
  for (const part of text.split(/[,\s]+/).map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at < 0) return { labels, error: `"${part}": write labels as key=value` };
    const key = part.slice(0, at);
    const value = part.slice(at + 1);
    const problem = keyProblem(key) || valueProblem(value);
    if (problem) return { labels, error: problem };
    labels[key] = value;
  }
  return { labels, error: "" };
}

/**
 * "key=value:Effect" or "key:Effect" -> a taint.
 * @param {string} text
 * @returns {{ taint: { key: string, value?: string, effect: string } | null, error: string }}
 */
export function parseTaint(text) {
  const t = text.trim();
  const m = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/.exec(t);
  if (!m) return { taint: null, error: `"${t}": write a taint as key=value:Effect (Effect: ${EFFECTS.join(", ")})` };
  const [, key, value, effect] = m;
  if (!EFFECTS.includes(effect)) return { taint: null, error: `"${effect}" is not an effect: use ${EFFECTS.join(", ")}` };
  const problem = keyProblem(key) || valueProblem(value ?? "");
  if (problem) return { taint: null, error: problem };
  return { taint: value ? { key, value, effect } : { key, effect }, error: "" };
}

/**
 * Several taints separated by commas.
 * @param {string} text
 */
export function parseTaints(text) {
  const taints = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const { taint, error } = parseTaint(part);
    if (!taint) return { taints, error };
    taints.push(taint);
  }
  return { taints, error: "" };
}

/**
 * A toleration as kubectl would print it.
 * @param {{ key?: string, operator?: string, value?: string, effect?: string, tolerationSeconds?: number }} t
 */
export function tolerationText(t) {
  const key = t.key ?? "(any key)";
  const op = t.operator === "Exists" ? " exists" : `=${t.value ?? ""}`;
  const effect = t.effect ? `:${t.effect}` : " (any effect)";
  const secs = t.tolerationSeconds !== undefined && t.tolerationSeconds !== null ? ` for ${t.tolerationSeconds} s` : "";
  return `${key}${op}${effect}${secs}`;
}

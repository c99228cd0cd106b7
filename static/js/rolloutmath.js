// @ts-check
/** Pure readings of a Deployment's rollout: fenceposts (DEP-3), the controller's step, pod chip states, ReplicaSets. */

import { condition, nameOf, ownerName, podState, revisionOf } from "./k8s.js";

/** @typedef {import("./k8s.js").KObject} KObject */

export const STEP_ANNOTATION = "playground.k8s/rollout-step";
export const HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
export const CAUSE_ANNOTATION = "kubernetes.io/change-cause";

/**
 * An int-or-percent field resolved against R: percentages round up for maxSurge, down for maxUnavailable.
 * @param {any} value
 * @param {number} replicas
 * @param {boolean} roundUp
 * @param {number} fallback
 */
export function resolveIntOrPercent(value, replicas, roundUp, fallback) {
  if (value === undefined || value === null || value === "") return fallback;
  const text = String(value).trim();
  const pct = /^(\d+)%$/.exec(text);
  if (pct) {
    const raw = (replicas * Number(pct[1])) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  const n = Number(text);
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : fallback;
}

/**
 * DEP-3: surge and unavailable as the controller resolves them (both 0 gives unavailable 1; capped at R).
 * @param {KObject} d
 * @returns {{ strategy: string, maxSurge: number, maxUnavailable: number, maxTotal: number, minAvailable: number }}
 */
export function fenceposts(d) {
  const replicas = Number(d.spec?.replicas ?? 0);
  const strategy = String(d.spec?.strategy?.type ?? "RollingUpdate");
  if (strategy === "Recreate") {
    return { strategy, maxSurge: 0, maxUnavailable: replicas, maxTotal: replicas, minAvailable: 0 };
  }
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = resolveIntOrPercent(ru.maxSurge, replicas, true, Math.ceil(replicas / 4));
  let unavail = resolveIntOrPercent(ru.maxUnavailable, replicas, false, Math.floor(replicas / 4));
  if (surge === 0 && unavail === 0) unavail = 1;
  unavail = Math.min(unavail, replicas);
  return { strategy, maxSurge: surge, maxUnavailable: unavail, maxTotal: replicas + surge, minAvailable: replicas - unavail };
}

/**
 * The controller's step (contract: playground.k8s/rollout-step), or null when not written (yet).
 * @param {KObject} d
 * @returns {{ phase: string, text: string, strategy?: string, maxSurge?: number, maxUnavailable?: number, maxTotal?: number, minAvailable?: number } | null}
 */
export function rolloutStep(d) {
  const raw = d.metadata?.annotations?.[STEP_ANNOTATION];
  if (!raw) return null;
  try {
    const step = JSON.parse(String(raw));
    return step && typeof step === "object" ? step : null;
  } catch {
    return null;
  }
}

/**
 * Fenceposts from the controller's own step when it wrote them, else worked out here.
 * @param {KObject} d
 */
export function limits(d) {
  const mine = fenceposts(d);
  const step = rolloutStep(d);
  if (!step) return mine;
  const num = (/** @type {any} */ v, /** @type {number} */ f) => (Number.isFinite(Number(v)) && v !== null && v !== undefined ? Number(v) : f);
  return {
    strategy: String(step.strategy ?? mine.strategy),
    maxSurge: num(step.maxSurge, mine.maxSurge),
    maxUnavailable: num(step.maxUnavailable, mine.maxUnavailable),
    maxTotal: num(step.maxTotal, mine.maxTotal),
    minAvailable: num(step.minAvailable, mine.minAvailable),
  };
}

/**
 * The phase a person reads: the controller's, or one worked out from conditions while it writes none.
 * @param {KObject} d
 * @param {KObject[]} sets the Deployment's ReplicaSets
 */
export function phaseOf(d, sets) {
  const step = rolloutStep(d);
  if (step?.phase) return String(step.phase);
  if (d.spec?.paused) return "Paused";
  if (condition(d, "Progressing")?.reason === "ProgressDeadlineExceeded") return "Stalled";
  return isRolling(d, sets) ? "Rolling" : "Complete";
}

/**
 * Is a rollout under way (or stuck, or paused)? Scaling a finished rollout is not one.
 * @param {KObject} d
 * @param {KObject[]} sets
 */
export function isRolling(d, sets) {
  if (d.spec?.paused) return true;
  if (condition(d, "Progressing")?.reason === "ProgressDeadlineExceeded") return true;
  const live = sets.filter((rs) => Number(rs.spec?.replicas ?? 0) > 0 || Number(rs.status?.replicas ?? 0) > 0);
  const fresh = sets.filter((rs) => isNewSet(d, rs));
  if (!fresh.length) return Number(d.spec?.replicas ?? 0) > 0; // the new template has no ReplicaSet yet
  return live.some((rs) => !isNewSet(d, rs));
}

/**
 * What makes a rollout news: the pod template, paused, stalled (scaling changes none of them).
 * @param {KObject} d
 */
export function rolloutKey(d) {
  const stalled = condition(d, "Progressing")?.reason === "ProgressDeadlineExceeded";
  return `${canonical(withoutHash(d.spec?.template))}|${d.spec?.paused ? 1 : 0}|${stalled ? 1 : 0}`;
}

/**
 * The Deployment's ReplicaSets, oldest revision first.
 * @param {Map<string, KObject>} replicaSets
 * @param {string} deployment
 */
export function setsOf(replicaSets, deployment) {
  return [...replicaSets.values()]
    .filter((rs) => ownerName(rs, "Deployment") === deployment)
    .sort((a, b) => revisionOf(a) - revisionOf(b) || nameOf(a).localeCompare(nameOf(b)));
}

/** JSON with sorted keys, so equal objects compare equal. @param {any} value */
const canonical = (value) => JSON.stringify(value ?? null, (_k, v) =>
  v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);

/** @param {KObject} template */
function withoutHash(template) {
  const copy = JSON.parse(JSON.stringify(template ?? {}));
  if (copy.metadata?.labels) delete copy.metadata.labels["pod-template-hash"];
  return copy;
}

/**
 * DEP-1: the new ReplicaSet is the one whose template equals the Deployment's (ignoring pod-template-hash).
 * @param {KObject} d
 * @param {KObject} rs
 */
export function isNewSet(d, rs) {
  return canonical(withoutHash(rs.spec?.template)) === canonical(withoutHash(d.spec?.template));
}

/**
 * Pods grouped by the ReplicaSet that owns them.
 * @param {Map<string, KObject>} pods
 * @returns {Map<string, KObject[]>}
 */
export function podsByOwner(pods) {
  /** @type {Map<string, KObject[]>} */
  const out = new Map();
  for (const pod of pods.values()) {
    const owner = ownerName(pod, "ReplicaSet");
    if (!owner) continue;
    const list = out.get(owner) ?? [];
    list.push(pod);
    out.set(owner, list);
  }
  for (const list of out.values()) list.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  return out;
}

const PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
const CRASH_REASONS = new Set(["CrashLoopBackOff", "Error", "OOMKilled", "RunContainerError", "CreateContainerError"]);

/**
 * What a chip shows: ready, notready (hatched), crash (flashing), pull (the image never came),
 * starting (outlined), terminating (faded).
 * @param {KObject} pod
 * @returns {{ look: "ready" | "notready" | "crash" | "pull" | "starting" | "terminating", label: string }}
 */
export function chipLook(pod) {
  const state = podState(pod);
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n, /** @type {KObject} */ c) => n + Number(c?.restartCount ?? 0), 0);
  if (state === "Terminating") return { look: "terminating", label: "Terminating" };
  if (PULL_REASONS.has(state)) return { look: "pull", label: state };
  if (CRASH_REASONS.has(state)) return { look: "crash", label: `${state}${restarts ? `, ${restarts} restarts` : ""}` };
  if (state === "Running") return { look: "ready", label: "Running, Ready" };
  if (state === "NotReady") {
    // A container that keeps dying is between crashes, not merely warming up.
    if (restarts > 0) return { look: "crash", label: `Running, not Ready, ${restarts} restarts` };
    return { look: "notready", label: "Running, not Ready" };
  }
  if (state === "Succeeded" || state === "Failed") return { look: "terminating", label: state };
  return { look: "starting", label: state };
}

// @ts-check
/** What `kubectl get pod` and `kubectl describe pod` say about a pod, read from its JSON (POD-4, POD-5, POD-7, POD-11). */

import { simSeconds } from "./k8s.js";

/** @typedef {import("./k8s.js").KObject} KObject */

/** The kubelet's annotation: container name -> RFC 3339 time of its next restart or image pull. */
export const BACKOFF_ANNOTATION = "playground.k8s/backoff-until";
export const DEFAULT_GRACE_SECONDS = 30;
/** kubectl's words when --grace-period=0 --force is used. */
export const FORCE_WARNING =
  "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. " +
  "The resource may continue to run on the cluster indefinitely.";
/** core/v1 probe defaults (written out, as `kubectl describe` does). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

/**
 * POD-5: the STATUS column of `kubectl get pod` (printers.go printPod), not the phase.
 * A port of cluster_sim/podutil.display_status.
 * @param {KObject} pod
 * @returns {string}
 */
export function displayStatus(pod) {
  const status = pod?.status ?? {};
  let reason = String(status.reason || status.phase || "Pending");
  for (const cond of status.conditions ?? []) {
    if (cond?.type === "PodScheduled" && cond.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  let initializing = false;
  const initSpecs = pod?.spec?.initContainers ?? [];
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i += 1) {
    const state = inits[i]?.state ?? {};
    const { terminated, waiting } = state;
    if (terminated && terminated.exitCode === 0) continue;
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const list = status.containerStatuses ?? [];
    for (let i = list.length - 1; i >= 0; i -= 1) {
      const c = list[i] ?? {};
      const { terminated, waiting, running } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) reason = isReady(pod) ? "Running" : "NotReady";
  }
  if (pod?.metadata?.deletionTimestamp) {
    if (status.reason === "NodeLost") return "Unknown";
    if (status.phase !== "Succeeded" && status.phase !== "Failed") return "Terminating";
  }
  return reason;
}

/** @param {KObject} pod */
function isReady(pod) {
  return (pod?.status?.conditions ?? []).some((/** @type {KObject} */ c) => c?.type === "Ready" && c.status === "True");
}

/**
 * POD-5: the READY column, ready containers / containers.
 * @param {KObject} pod
 */
export function displayReady(pod) {
  const ready = (pod?.status?.containerStatuses ?? []).filter((/** @type {KObject} */ s) => s?.ready).length;
  return `${ready}/${(pod?.spec?.containers ?? []).length}`;
}

/**
 * POD-5: the RESTARTS column (init and app containers).
 * @param {KObject} pod
 */
export function restartCount(pod) {
  const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
  return all.reduce((sum, s) => sum + (Number(s?.restartCount) || 0), 0);
}

/**
 * When each backing-off container tries again (simulated seconds), from the kubelet's annotation.
 * @param {KObject} pod
 * @returns {Map<string, number>}
 */
export function backoffUntil(pod) {
  /** @type {Map<string, number>} */
  const out = new Map();
  const raw = pod?.metadata?.annotations?.[BACKOFF_ANNOTATION];
  if (typeof raw !== "string") return out;
  try {
    const parsed = JSON.parse(raw);
    for (const [name, stamp] of Object.entries(parsed ?? {})) {
      const at = simSeconds(String(stamp));
      if (at !== null) out.set(name, at);
    }
  } catch {
    // a malformed annotation shows no countdown
  }
  return out;
}

/**
 * The earliest next try of any backing-off container, or null.
 * @param {KObject} pod
 */
export function nextRetry(pod) {
  let first = null;
  for (const at of backoffUntil(pod).values()) if (first === null || at < first) first = at;
  return first;
}

/**
 * When a terminating pod's grace period runs out and the kubelet SIGKILLs what still runs (POD-11).
 * The API server sets deletionTimestamp to that moment.
 * @param {KObject} pod
 * @returns {number | null}
 */
export function killAt(pod) {
  return simSeconds(pod?.metadata?.deletionTimestamp);
}

/**
 * The grace period the pod gets (or got, once deleted).
 * @param {KObject} pod
 */
export function graceSeconds(pod) {
  const given = pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds;
  return Number.isFinite(Number(given)) && given !== null ? Number(given) : DEFAULT_GRACE_SECONDS;
}

/**
 * Seconds as kubectl writes a short duration: 45s, 3m12s, 2h5m.
 * @param {number} seconds
 */
export function shortDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}`;
  const h = Math.floor(s / 3600);
  return `${h}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ""}`;
}

/**
 * A probe as `kubectl describe` prints it, defaults written out:
 * "http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3".
 * @param {KObject} probe
 */
export function probeText(probe) {
  const p = { ...PROBE_DEFAULTS, ...probe };
  let how = "unknown";
  if (p.httpGet) {
    const g = p.httpGet;
    how = `http-get ${String(g.scheme ?? "HTTP").toLowerCase()}://${g.host ?? ""}:${g.port}${g.path ?? "/"}`;
  } else if (p.tcpSocket) how = `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port}`;
  else if (p.exec) how = `exec [${(p.exec.command ?? []).join(" ")}]`;
  else if (p.grpc) how = `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""}`.trim();
  return `${how} delay=${p.initialDelaySeconds}s timeout=${p.timeoutSeconds}s period=${p.periodSeconds}s #success=${p.successThreshold} #failure=${p.failureThreshold}`;
}

/**
 * The Events about one pod, oldest first (as `kubectl describe pod` lists them).
 * @param {KObject[]} events
 * @param {KObject} pod
 */
export function podEvents(events, pod) {
  const name = pod?.metadata?.name;
  const uid = pod?.metadata?.uid;
  return events.filter((e) => {
    const ref = e?.involvedObject;
    if (!ref || ref.kind !== "Pod" || ref.name !== name) return false;
    return !uid || !ref.uid || ref.uid === uid;
  });
}

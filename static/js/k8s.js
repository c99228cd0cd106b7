// @ts-check
/** Pure readings of Kubernetes-shaped objects: pod state, requests, scheduler reasons, revisions. */

import { parseQuantity } from "./quantity.js";

/**
 * @typedef {{ [key: string]: any }} KObject  A Kubernetes object as JSON.
 * @typedef {"Pending" | "ContainerCreating" | "Running" | "NotReady" | "Terminating" | string} PodState
 */

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
const EPOCH_MS = Date.UTC(2026, 0, 1);

/** @param {KObject} obj */
export const nameOf = (obj) => String(obj?.metadata?.name ?? "");

/**
 * The state a person sees for a pod, in the order kubectl decides it.
 * @param {KObject} pod
 * @returns {PodState}
 */
export function podState(pod) {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  if (!pod.spec?.nodeName) return "Pending";
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i -= 1) {
    const reason = statuses[i]?.state?.waiting?.reason;
    if (reason) return reason;
  }
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return phase;
  if (phase !== "Running") return "ContainerCreating";
  return conditionStatus(pod, "Ready") === "True" ? "Running" : "NotReady";
}

/**
 * @param {KObject} obj
 * @param {string} type
 * @returns {string | undefined}
 */
export function conditionStatus(obj, type) {
  return condition(obj, type)?.status;
}

/**
 * @param {KObject} obj
 * @param {string} type
 * @returns {KObject | undefined}
 */
export function condition(obj, type) {
  const list = obj?.status?.conditions;
  return Array.isArray(list) ? list.find((c) => c?.type === type) : undefined;
}

/**
 * A pod's effective requests: the sum over its containers, or the largest init container.
 * @param {KObject} pod
 * @returns {{ cpu: number, memory: number }}
 */
export function podRequests(pod) {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    sum.cpu += parseQuantity(c?.resources?.requests?.cpu);
    sum.memory += parseQuantity(c?.resources?.requests?.memory);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c?.resources?.requests?.cpu));
    sum.memory = Math.max(sum.memory, parseQuantity(c?.resources?.requests?.memory));
  }
  return sum;
}

/**
 * @param {KObject} node
 * @returns {{ cpu: number, memory: number }}
 */
export function nodeAllocatable(node) {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return { cpu: parseQuantity(a.cpu), memory: parseQuantity(a.memory) };
}

/** @param {KObject} node */
export function nodeReady(node) {
  const status = conditionStatus(node, "Ready");
  // kubectl get nodes shows NotReady for Ready=False and Ready=Unknown alike.
  return status === "True" || status === undefined ? "Ready" : "NotReady";
}

/** @param {KObject} pod */
export const appOf = (pod) =>
  String(pod.metadata?.labels?.app ?? pod.metadata?.labels?.["app.kubernetes.io/name"] ?? ownerName(pod) ?? nameOf(pod));

/**
 * @param {KObject} obj
 * @param {string} [kind]
 */
export function ownerName(obj, kind) {
  const refs = obj?.metadata?.ownerReferences ?? [];
  const ref = refs.find((/** @type {KObject} */ r) => !kind || r?.kind === kind);
  return ref ? String(ref.name) : undefined;
}

/** @param {KObject} obj */
export function revisionOf(obj) {
  const value = Number(obj?.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isFinite(value) ? value : 0;
}

/**
 * The scheduler's verdict for a pending pod, put shortly:
 * "0/3 nodes are available: 3 Insufficient cpu. preemption: ..." -> "Insufficient cpu on 3 ships".
 * @param {KObject} pod
 */
export function schedulerReason(pod) {
  const scheduled = condition(pod, "PodScheduled");
  if (!scheduled || scheduled.status !== "False") return "waiting for the scheduler";
  return shortenFitError(String(scheduled.message ?? scheduled.reason ?? "unschedulable"));
}

/**
 * @param {string} message
 */
export function shortenFitError(message) {
  const main = message.split(/\.?\s*preemption:/)[0].trim();
  const match = /^(\d+)\/(\d+) nodes are available(?::\s*(.*?))?\.?$/s.exec(main);
  if (/no nodes available/i.test(main)) return "no ships in the harbour";
  if (!match) return message.replace(/\bnode\(s\)/g, "ship(s)").replace(/\.$/, "");
  if (match[2] === "0") return "no ships in the harbour";
  const items = (match[3] ?? "").split(/,\s*(?=\d)/).map((s) => s.trim()).filter(Boolean);
  if (!items.length) return `no ship fits (0 of ${match[2]})`;
  return items.map(describeItem).join("; ");
}

/** @param {string} item "3 Insufficient cpu", "1 node(s) were unschedulable", "2 Too many pods" */
function describeItem(item) {
  const m = /^(\d+)\s+(.*)$/.exec(item);
  if (!m) return item;
  const n = Number(m[1]);
  const ships = n === 1 ? "1 ship" : `${n} ships`;
  const what = m[2];
  if (/were unschedulable/.test(what)) return `${ships} draining`;
  if (/^node\(s\) /.test(what)) return `${ships}: ${what.replace(/^node\(s\)\s*/, "")}`;
  return `${what} on ${ships}`;
}

/**
 * Seconds since the simulation epoch (2026-01-01T00:00:00Z) for an RFC 3339 timestamp.
 * @param {string | null | undefined} stamp
 * @returns {number | null}
 */
export function simSeconds(stamp) {
  if (!stamp) return null;
  const ms = Date.parse(stamp);
  return Number.isFinite(ms) ? (ms - EPOCH_MS) / 1000 : null;
}

/**
 * Simulated time as m:ss (or h:mm:ss).
 * @param {number | null | undefined} seconds
 */
export function formatClock(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–:––";
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Natural order for names like ship-2 < ship-10.
 * @param {string} a
 * @param {string} b
 */
export const naturalCompare = (a, b) => (a === b ? 0 : COLLATOR.compare(a, b));
const COLLATOR = new Intl.Collator("en", { numeric: true });

/** The taint the node controller adds for a cordon; shown as the flag, not as a tag. */
export const UNSCHEDULABLE_KEY = "node.kubernetes.io/unschedulable";
const LOST_KEYS = new Set(["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"]);
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * @param {KObject} node
 * @returns {{ key: string, value?: string, effect: string, timeAdded?: string }[]}
 */
export function nodeTaints(node) {
  const list = node?.spec?.taints;
  return Array.isArray(list) ? list.filter((t) => t && typeof t.key === "string") : [];
}

/** "key=value:Effect" (or "key:Effect") as kubectl writes a taint. @param {{ key: string, value?: string, effect: string }} t */
export function taintText(t) {
  return `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
}

/**
 * Does a pod tolerate a taint? Returns the toleration that matches, or null.
 * @param {KObject} pod
 * @param {{ key: string, value?: string, effect: string }} taint
 * @returns {KObject | null}
 */
export function tolerationFor(pod, taint) {
  for (const t of pod?.spec?.tolerations ?? []) {
    if (!t) continue;
    if (t.effect && t.effect !== taint.effect) continue;
    if (t.key && t.key !== taint.key) continue;
    if (!t.key && t.operator !== "Exists") continue;
    if (t.operator !== "Exists" && String(t.value ?? "") !== String(taint.value ?? "")) continue;
    return t;
  }
  return null;
}

/**
 * When (simulated seconds) the taint manager evicts the pods of a lost node, or null when nothing is due.
 * The NoExecute unreachable / not-ready taint's timeAdded plus each pod's tolerationSeconds
 * (300 s by default, added by the DefaultTolerationSeconds admission plugin).
 * @param {KObject} node
 * @param {KObject[]} pods  the pods bound to the node
 * @returns {number | null}
 */
export function evictionDue(node, pods) {
  const taint = nodeTaints(node).find((t) => LOST_KEYS.has(t.key) && t.effect === "NoExecute");
  if (!taint) return null;
  const added = simSeconds(taint.timeAdded);
  if (added === null) return null;
  let due = null;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const tol = tolerationFor(pod, taint);
    let seconds;
    if (!tol) seconds = DEFAULT_TOLERATION_SECONDS; // the admission plugin's default toleration
    else if (tol.tolerationSeconds === undefined || tol.tolerationSeconds === null) continue; // tolerates forever
    else seconds = Math.max(0, Number(tol.tolerationSeconds));
    const at = added + seconds;
    if (due === null || at < due) due = at;
  }
  return due;
}

/**
 * The node's last heartbeat in simulated seconds: its Lease's renewTime (kube-node-lease), or null.
 * @param {KObject} node
 * @param {KObject | undefined} lease
 */
export function lastHeartbeat(node, lease) {
  // NodeStatus heartbeats may be minutes apart (NODE-1), so only the Lease tells that the kubelet went quiet.
  // The playground marks a sunk ship with its last renewal (it does not publish Lease objects).
  const marked = simSeconds(node?.metadata?.annotations?.[LAST_RENEW_ANNOTATION]);
  return marked ?? simSeconds(lease?.spec?.renewTime);
}

/** The playground's marks on a sunk ship (cluster_sim/node_health.py). */
export const SUNK_ANNOTATION = "playground.k8s/sunk-at";
export const LAST_RENEW_ANNOTATION = "playground.k8s/last-lease-renew";

/** @param {KObject} node */
export const isSunk = (node) => Boolean(node?.metadata?.annotations?.[SUNK_ANNOTATION]);

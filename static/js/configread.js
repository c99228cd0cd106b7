// @ts-check
/** Pure readings for ConfigMaps and Secrets: who consumes what, which version each pod sees, base64 (CFG-1..CFG-5). */

import { nameOf, naturalCompare, ownerName } from "./k8s.js";

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {"ConfigMap" | "Secret"} ConfigKind
 * @typedef {"env" | "volume"} Way
 * @typedef {{ kind: ConfigKind, name: string, ways: Way[], optional: boolean, mountPath: string, keys: string[], subPath: string }} Use
 * @typedef {{ env?: string | null, volume?: string | null }} Seen
 */

/** The kubelet's record of what each pod's containers and volumes hold (contract "Config"). */
export const SEEN_ANNOTATION = "playground.k8s/config-seen";
/** The template annotation the checksum pattern writes (CFG-3). */
export const CHECKSUM_ANNOTATION = "checksum/config";

/** Secret types Kubernetes has built in, with the keys each requires (CFG-5). */
export const SECRET_TYPES = /** @type {const} */ ([
  ["Opaque", []],
  ["kubernetes.io/basic-auth", ["username", "password"]],
  ["kubernetes.io/tls", ["tls.crt", "tls.key"]],
  ["kubernetes.io/ssh-auth", ["ssh-privatekey"]],
  ["kubernetes.io/dockerconfigjson", [".dockerconfigjson"]],
  ["kubernetes.io/dockercfg", [".dockercfg"]],
  ["kubernetes.io/service-account-token", []],
  ["bootstrap.kubernetes.io/token", ["token-id", "token-secret"]],
]);

/** @param {string} type */
export const requiredKeys = (type) => /** @type {readonly string[]} */ (SECRET_TYPES.find(([t]) => t === type)?.[1] ?? []);

/** "configmap/NAME" or "secret/NAME": how the kubelet's annotation names an object. @param {ConfigKind} kind @param {string} name */
export const seenKey = (kind, name) => `${kind === "Secret" ? "secret" : "configmap"}/${name}`;

/**
 * The ConfigMaps and Secrets a Deployment's pod template consumes, and how.
 * @param {KObject} deployment
 * @returns {Use[]}
 */
export function usesOf(deployment) {
  const spec = deployment?.spec?.template?.spec ?? {};
  /** @type {Map<string, Use>} */
  const uses = new Map();
  /**
   * @param {ConfigKind} kind @param {any} name @param {Way} way @param {any} optional
   * @param {{ mountPath?: string, subPath?: string, key?: string }} [detail]
   */
  const note = (kind, name, way, optional, detail = {}) => {
    if (!name) return;
    const id = `${kind}/${name}`;
    const use = uses.get(id) ?? { kind, name: String(name), ways: [], optional: false, mountPath: "", keys: [], subPath: "" };
    if (!use.ways.includes(way)) use.ways.push(way);
    use.optional = use.optional || optional === true;
    if (detail.mountPath) use.mountPath = detail.mountPath;
    if (detail.subPath) use.subPath = detail.subPath;
    if (detail.key && !use.keys.includes(detail.key)) use.keys.push(detail.key);
    uses.set(id, use);
  };
  /** @type {Map<string, { mountPath: string, subPath: string }>} volume name -> where the first container mounts it */
  const mounts = new Map();
  for (const c of spec.containers ?? []) {
    for (const from of c?.envFrom ?? []) {
      note("ConfigMap", from?.configMapRef?.name, "env", from?.configMapRef?.optional);
      note("Secret", from?.secretRef?.name, "env", from?.secretRef?.optional);
    }
    for (const e of c?.env ?? []) {
      const cm = e?.valueFrom?.configMapKeyRef;
      const sec = e?.valueFrom?.secretKeyRef;
      note("ConfigMap", cm?.name, "env", cm?.optional, { key: cm ? `${cm.key} as $${e.name}` : "" });
      note("Secret", sec?.name, "env", sec?.optional, { key: sec ? `${sec.key} as $${e.name}` : "" });
    }
    for (const m of c?.volumeMounts ?? []) {
      if (m?.name && !mounts.has(m.name)) mounts.set(m.name, { mountPath: String(m.mountPath ?? ""), subPath: String(m.subPath ?? "") });
    }
  }
  for (const v of spec.volumes ?? []) {
    const at = mounts.get(v?.name) ?? {};
    note("ConfigMap", v?.configMap?.name, "volume", v?.configMap?.optional, at);
    note("Secret", v?.secret?.secretName, "volume", v?.secret?.optional, at);
    for (const source of v?.projected?.sources ?? []) {
      note("ConfigMap", source?.configMap?.name, "volume", source?.configMap?.optional, at);
      note("Secret", source?.secret?.name, "volume", source?.secret?.optional, at);
    }
  }
  return [...uses.values()];
}

/**
 * What one pod's kubelet says it holds of each config object (null when it has not said).
 * @param {KObject} pod
 * @returns {Record<string, Seen> | null}
 */
export function seenBy(pod) {
  const raw = pod?.metadata?.annotations?.[SEEN_ANNOTATION];
  if (typeof raw !== "string") return null;
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The pods of each Deployment (through their ReplicaSets), by Deployment name, sorted by name.
 * @param {Iterable<KObject>} pods
 * @param {Map<string, KObject>} replicaSets
 * @returns {Map<string, KObject[]>}
 */
export function podsByDeployment(pods, replicaSets) {
  /** @type {Map<string, KObject[]>} */
  const out = new Map();
  for (const pod of pods) {
    const rs = replicaSets.get(ownerName(pod, "ReplicaSet") ?? "");
    const deployment = rs ? ownerName(rs, "Deployment") : undefined;
    if (!deployment) continue;
    const list = out.get(deployment) ?? [];
    list.push(pod);
    out.set(deployment, list);
  }
  for (const list of out.values()) list.sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
  return out;
}

/**
 * How one way of consuming reads for one pod, against the object's current resourceVersion.
 * @param {Seen | undefined} seen  the pod's entry for this object (undefined: the pod's template does not use it)
 * @param {Way} way
 * @param {string | null} current  the object's resourceVersion now (null: the object is missing)
 * @returns {{ status: "current" | "stale" | "missing" | "absent" | "pending" | "unused", version: string, text: string }}
 */
export function versionSeen(seen, way, current) {
  if (!seen) return { status: "unused", version: "", text: "not using it (older template)" };
  const value = seen[way];
  if (value === "missing") return { status: "missing", version: "", text: "waiting: object missing" };
  if (value === "absent") return { status: "absent", version: "", text: "optional, not there" };
  if (value === null || value === undefined || value === "") {
    return { status: "pending", version: "", text: way === "env" ? "not started yet" : "not mounted yet" };
  }
  const version = String(value);
  if (current !== null && version === current) return { status: "current", version, text: `current (v${version})` };
  return { status: "stale", version, text: `stale (v${version})` };
}

/**
 * Standard base64 of the UTF-8 bytes of a string.
 * @param {string} text
 */
export function encodeBase64(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The text a base64 value holds, or null when it is not base64 or not UTF-8 text.
 * @param {string} value
 * @returns {string | null}
 */
export function decodeBase64(value) {
  try {
    const binary = atob(String(value));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Byte count of a base64 value (what a consumer gets), for "binary, N bytes".
 * @param {string} value
 */
export function base64Bytes(value) {
  const clean = String(value).replace(/=+$/, "");
  return Math.floor((clean.length * 3) / 4);
}

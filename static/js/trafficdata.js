// @ts-check
/** Reading Services, EndpointSlices, PodMetrics and HPAs out of the client's state (the traffic + HPA contract). */

import { nameOf, simSeconds } from "./k8s.js";
import { parseQuantity } from "./quantity.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {{ rps: number, mode: string, sent: number, failed: number, errorRate: number,
 *   served: Record<string, number>, recent: string[] }} Traffic
 * @typedef {{ pod: string, ready: boolean, serving: boolean, terminating: boolean, node: string }} Endpoint
 */

export const TRAFFIC_ANNOTATION = "playground.k8s/traffic";
export const CPU_MODEL_ANNOTATION = "playground.k8s/cpu-model";
export const HPA_CALC_ANNOTATION = "playground.k8s/hpa-calc";
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const DEFAULT_CPU_MODEL = { perRequest: "20m", base: "5m" };

/**
 * Parse a JSON annotation, or null when absent or broken.
 * @param {KObject | undefined} obj
 * @param {string} key
 */
export function jsonAnnotation(obj, key) {
  const raw = obj?.metadata?.annotations?.[key];
  if (typeof raw !== "string" || !raw) return null;
  try {
    const value = JSON.parse(raw);
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

/**
 * What the traffic model wrote on a Service in the last simulated second.
 * @param {KObject | undefined} service
 * @returns {Traffic | null}
 */
export function trafficOf(service) {
  const t = jsonAnnotation(service, TRAFFIC_ANNOTATION);
  if (!t) return null;
  return {
    rps: Number(t.rps ?? 0) || 0,
    mode: String(t.mode ?? ""),
    sent: Number(t.sent ?? 0) || 0,
    failed: Number(t.failed ?? 0) || 0,
    errorRate: Math.max(0, Math.min(1, Number(t.errorRate ?? 0) || 0)),
    served: t.served && typeof t.served === "object" ? t.served : {},
    recent: Array.isArray(t.recent) ? t.recent.map(String) : [],
  };
}

/**
 * The load set on a Service: the traffic annotation's rps (0 when none has been set).
 * @param {KObject | undefined} service
 */
export const rpsOf = (service) => trafficOf(service)?.rps ?? 0;

/**
 * Every endpoint of a Service across its EndpointSlices, in slice order.
 * @param {ClusterState} state
 * @param {string} service
 * @returns {Endpoint[]}
 */
export function endpointsOf(state, service) {
  /** @type {Endpoint[]} */
  const out = [];
  const slices = [...state.kind("EndpointSlice").values()]
    .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === service)
    .sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      const c = ep?.conditions ?? {};
      out.push({
        pod: String(ep?.targetRef?.name ?? ep?.addresses?.[0] ?? "?"),
        ready: c.ready === true,
        serving: c.serving === true || (c.serving === undefined && c.ready === true),
        terminating: c.terminating === true,
        node: String(ep?.nodeName ?? ""),
      });
    }
  }
  return out;
}

/**
 * Does a label selector pick these labels?
 * @param {Record<string, string> | undefined} selector
 * @param {Record<string, string> | undefined} labels
 */
export function selects(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/**
 * The Deployment whose pods a Service selects (its template labels match the selector).
 * @param {ClusterState} state
 * @param {KObject} service
 * @returns {KObject | undefined}
 */
export function deploymentOfService(state, service) {
  const selector = service.spec?.selector;
  return [...state.kind("Deployment").values()].find((d) => selects(selector, d.spec?.template?.metadata?.labels));
}

/**
 * CPU usage of a pod in cores from its PodMetrics (summed over containers), or null without a sample.
 * @param {ClusterState} state
 * @param {string} pod
 */
export function podUsage(state, pod) {
  const m = state.kind("PodMetrics").get(pod);
  if (!m) return null;
  let cpu = 0;
  for (const c of m.containers ?? []) cpu += parseQuantity(c?.usage?.cpu);
  return cpu;
}

/**
 * A pod's CPU request and limit in cores (limit 0 = none).
 * @param {KObject | undefined} pod
 */
export function podCpuBounds(pod) {
  let request = 0;
  let limit = 0;
  let unlimited = false;
  for (const c of pod?.spec?.containers ?? []) {
    request += parseQuantity(c?.resources?.requests?.cpu);
    const l = c?.resources?.limits?.cpu;
    if (l === undefined) unlimited = true;
    else limit += parseQuantity(l);
  }
  return { request, limit: unlimited ? 0 : limit };
}

/**
 * The cost model the traffic model uses for a Deployment's pods.
 * @param {KObject | undefined} deployment
 * @returns {{ perRequest: string, base: string }}
 */
export function cpuModelOf(deployment) {
  const m = jsonAnnotation(deployment, CPU_MODEL_ANNOTATION);
  return {
    perRequest: String(m?.perRequest ?? DEFAULT_CPU_MODEL.perRequest),
    base: String(m?.base ?? DEFAULT_CPU_MODEL.base),
  };
}

/**
 * Millicores as a person writes them: "20m" -> 20.
 * @param {string} q
 */
export const milli = (q) => Math.round(parseQuantity(q) * 1000);

/**
 * The kube-proxy mode the cluster uses: the settings if the server sends it, else what a Service's traffic says.
 * @param {ClusterState} state
 * @param {"iptables" | "ipvs"} [fallback]  when nothing in the state tells
 * @returns {"iptables" | "ipvs"}
 */
export function proxyModeOf(state, fallback = "iptables") {
  const s = state.settings ?? {};
  const fromSettings = s.proxyMode ?? s.proxy_mode ?? s.kubeProxyMode;
  if (fromSettings === "ipvs" || fromSettings === "iptables") return fromSettings;
  for (const svc of state.kind("Service").values()) {
    const mode = trafficOf(svc)?.mode;
    if (mode === "ipvs" || mode === "iptables") return mode;
  }
  return fallback;
}

/**
 * The HPA targeting a Deployment.
 * @param {ClusterState} state
 * @param {string} deployment
 */
export function hpaFor(state, deployment) {
  return [...state.kind("HorizontalPodAutoscaler").values()].find(
    (h) => h.spec?.scaleTargetRef?.name === deployment && (h.spec?.scaleTargetRef?.kind ?? "Deployment") === "Deployment",
  );
}

/**
 * The CPU target of an HPA in percent (autoscaling/v2 metrics, or v1's targetCPUUtilizationPercentage).
 * @param {KObject} hpa
 */
export function hpaTarget(hpa) {
  const metric = (hpa.spec?.metrics ?? []).find((/** @type {KObject} */ m) => m?.resource?.name === "cpu");
  const v = metric?.resource?.target?.averageUtilization ?? hpa.spec?.targetCPUUtilizationPercentage;
  return Number(v ?? 0) || 0;
}

/**
 * The HPA's current utilization from status (undefined before the first sync).
 * @param {KObject} hpa
 * @returns {number | undefined}
 */
export function hpaCurrent(hpa) {
  const metric = (hpa.status?.currentMetrics ?? []).find((/** @type {KObject} */ m) => m?.resource?.name === "cpu");
  const v = metric?.resource?.current?.averageUtilization ?? hpa.status?.currentCPUUtilizationPercentage;
  return v === undefined || v === null ? undefined : Number(v);
}

/**
 * Seconds from now (simulated) to an RFC 3339 time, or null.
 * @param {string | null | undefined} stamp
 * @param {number} now
 */
export function secondsUntil(stamp, now) {
  const at = simSeconds(stamp);
  return at === null ? null : at - now;
}

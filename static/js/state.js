// @ts-check
/** The client's copy of the cluster: applies snapshots and deltas, keeps the recent Events. */

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {{ paused: boolean, speed: number, strategy: string, [key: string]: any }} Settings
 * @typedef {{ applied: boolean, resync: boolean, kinds: Set<string>, events: KObject[], decisions: KObject[] }} ApplyResult
 */

export const EVENT_LIMIT = 50;
/** Scheduling decisions kept, by pod name (the server keeps its latest 100). */
export const DECISION_LIMIT = 200;

/** @param {KObject} obj */
export function keyOf(obj) {
  const meta = obj?.metadata ?? {};
  return `${obj?.kind}/${meta.namespace ?? ""}/${meta.name}`;
}

export class ClusterState {
  constructor() {
    /** @type {number | null} version held, null before the first snapshot */
    this.version = null;
    /** simulated seconds */
    this.time = 0;
    /** @type {Settings} */
    this.settings = { paused: false, speed: 1, strategy: "LeastAllocated" };
    /** @type {Map<string, Map<string, KObject>>} kind -> name -> object */
    this.byKind = new Map();
    /** @type {KObject[]} oldest first, at most EVENT_LIMIT */
    this.events = [];
    /** true after a gap was seen, until the next snapshot */
    this.awaitingSnapshot = false;
    /** @type {Map<string, KObject>} pod name -> its latest scheduling decision, oldest first */
    this.decisions = new Map();
  }

  /**
   * Keep scheduling decisions by pod name, newest last, at most DECISION_LIMIT.
   * @param {KObject[]} list
   * @returns {KObject[]} the ones kept
   */
  addDecisions(list) {
    const added = [];
    if (!Array.isArray(list)) return added;
    for (const d of list) {
      if (!d || typeof d !== "object" || !d.pod) continue;
      this.decisions.delete(String(d.pod));
      this.decisions.set(String(d.pod), d);
      added.push(d);
    }
    while (this.decisions.size > DECISION_LIMIT) this.decisions.delete(this.decisions.keys().next().value ?? "");
    return added;
  }

  /**
   * Objects of one kind, by name.
   * @param {string} kind
   * @returns {Map<string, KObject>}
   */
  kind(kind) {
    let map = this.byKind.get(kind);
    if (!map) {
      map = new Map();
      this.byKind.set(kind, map);
    }
    return map;
  }

  /**
   * Apply one server message (snapshot or delta). Other types are ignored.
   * @param {KObject} msg
   * @returns {ApplyResult}
   */
  apply(msg) {
    /** @type {ApplyResult} */
    const result = { applied: false, resync: false, kinds: new Set(), events: [], decisions: [] };
    if (msg?.type === "snapshot") {
      this.byKind = new Map();
      for (const obj of msg.objects ?? []) this.put(obj, result.kinds);
      for (const kind of ["Node", "Pod", "ReplicaSet", "Deployment"]) result.kinds.add(kind);
      this.events = [];
      result.events = this.addEvents(msg.events ?? []);
      // A snapshot's decisions are history: kept for "Ask why", not flashed on the ships.
      this.addDecisions(msg.decisions ?? []);
      this.version = Number(msg.version);
      this.awaitingSnapshot = false;
      this.readHeader(msg);
      result.applied = true;
      result.kinds.add("Settings");
    } else if (msg?.type === "delta") {
      if (this.awaitingSnapshot) return result;
      // Already contained in what is held (a delta that raced a snapshot): nothing to do.
      if (this.version !== null && Number(msg.version) <= this.version) return result;
      if (this.version === null || Number(msg.from) !== this.version) {
        this.awaitingSnapshot = true;
        result.resync = true;
        return result;
      }
      for (const change of msg.changes ?? []) {
        const obj = change?.object;
        if (!obj) continue;
        if (change.type === "DELETED") this.remove(obj, result.kinds);
        else this.put(obj, result.kinds);
      }
      result.events = this.addEvents(msg.events ?? []);
      result.decisions = this.addDecisions(msg.decisions ?? []);
      this.version = Number(msg.version);
      this.readHeader(msg);
      result.applied = true;
      result.kinds.add("Settings");
    }
    return result;
  }

  /** Forget the version so the next delta is not trusted before a snapshot. */
  expectSnapshot() {
    this.awaitingSnapshot = true;
  }

  /** @param {KObject} msg */
  readHeader(msg) {
    if (typeof msg.time === "number") this.time = msg.time;
    if (msg.settings && typeof msg.settings === "object") this.settings = { ...this.settings, ...msg.settings };
  }

  /**
   * @param {KObject} obj
   * @param {Set<string>} kinds
   */
  put(obj, kinds) {
    if (!obj?.kind || !obj?.metadata?.name) return;
    if (obj.kind === "Event") {
      this.addEvents([obj]);
      return;
    }
    this.kind(obj.kind).set(obj.metadata.name, obj);
    kinds.add(obj.kind);
  }

  /**
   * @param {KObject} obj
   * @param {Set<string>} kinds
   */
  remove(obj, kinds) {
    if (!obj?.kind || !obj?.metadata?.name) return;
    this.kind(obj.kind).delete(obj.metadata.name);
    kinds.add(obj.kind);
  }

  /**
   * Append Events (replacing a repeat of the same Event), keep the newest EVENT_LIMIT.
   * @param {KObject[]} events
   * @returns {KObject[]} the ones added
   */
  addEvents(events) {
    const added = [];
    for (const event of events) {
      if (!event || typeof event !== "object") continue;
      const id = event.metadata?.uid ?? event.metadata?.name;
      if (id) {
        const at = this.events.findIndex((e) => (e.metadata?.uid ?? e.metadata?.name) === id);
        if (at >= 0) this.events.splice(at, 1);
      }
      this.events.push(event);
      added.push(event);
    }
    if (this.events.length > EVENT_LIMIT) this.events.splice(0, this.events.length - EVENT_LIMIT);
    return added;
  }
}

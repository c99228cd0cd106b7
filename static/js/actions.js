// @ts-check
/** Outgoing actions and controls: numbered ids, the kubectl line for each, matching acks and errors. */

import { describeControl, kubectlFor } from "./kubectl.js";

/**
 * @typedef {{ id: string, command: string, sentAt: number }} Sent
 * @typedef {{ kind: "sent" | "ack" | "error" | "offline", command: string, message?: string, id?: string }} Outcome
 */

export class Actions {
  /**
   * @param {(msg: object) => boolean} send  returns false when the link is down
   * @param {(outcome: Outcome) => void} report
   * @param {{ containerOf?: (deployment: string) => string }} [lookup]
   */
  constructor(send, report, lookup = {}) {
    this.send = send;
    this.report = report;
    this.lookup = lookup;
    this.counter = 0;
    /** @type {Map<string, Sent>} */
    this.pending = new Map();
    /** @type {object[]} the last messages sent, newest last (for tests and debugging) */
    this.log = [];
  }

  nextId() {
    this.counter += 1;
    return `c${this.counter}`;
  }

  /**
   * @param {string} action
   * @param {Record<string, any>} args
   */
  action(action, args) {
    const id = this.nextId();
    return this.dispatch({ type: "action", id, action, args }, kubectlFor(action, args, this.lookup));
  }

  /**
   * @param {"pause" | "resume" | "step" | "speed"} control
   * @param {Record<string, any>} [args]
   */
  control(control, args) {
    const id = this.nextId();
    /** @type {Record<string, any>} */
    const msg = { type: "control", id, control };
    if (args) msg.args = args;
    return this.dispatch(msg, describeControl(control, args));
  }

  /**
   * @param {Record<string, any>} msg
   * @param {string} command
   */
  dispatch(msg, command) {
    this.log.push(msg);
    if (this.log.length > 100) this.log.shift();
    if (!this.send(msg)) {
      this.report({ kind: "offline", command, message: "Not connected: reconnecting, try again in a moment" });
      return null;
    }
    this.pending.set(msg.id, { id: msg.id, command, sentAt: Date.now() });
    if (this.pending.size > 50) this.pending.delete(this.pending.keys().next().value ?? "");
    this.report({ kind: "sent", command, id: msg.id });
    return msg.id;
  }

  /**
   * Match an ack or error from the server to what was sent.
   * @param {{ type: string, id?: string, message?: string }} msg
   */
  resolve(msg) {
    const sent = msg.id ? this.pending.get(msg.id) : undefined;
    if (msg.id) this.pending.delete(msg.id);
    this.report({
      kind: msg.type === "ack" ? "ack" : "error",
      command: sent?.command ?? "",
      message: msg.message ?? "",
      id: msg.id,
    });
  }
}

// @ts-check
/** The narrated event log: newest first, the last ~50 Kubernetes Events with simulated time and reason. */

import { h } from "./dom.js";
import { formatClock, simSeconds } from "./k8s.js";
import { EVENT_LIMIT } from "./state.js";

/** @typedef {import("./k8s.js").KObject} KObject */

/** @param {KObject} event */
function eventTime(event) {
  return simSeconds(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp);
}

export class EventLog {
  /** @param {HTMLElement} list  an <ol> inside the role="log" region */
  constructor(list) {
    this.list = list;
  }

  /**
   * Replace everything (after a snapshot).
   * @param {KObject[]} events oldest first
   */
  reset(events) {
    this.list.replaceChildren(...events.slice(-EVENT_LIMIT).reverse().map((e) => this.item(e)));
  }

  /**
   * Put new events on top.
   * @param {KObject[]} events oldest first
   */
  add(events) {
    if (!events.length) return;
    const fresh = events.slice(-EVENT_LIMIT).map((e) => this.item(e));
    const id = (/** @type {KObject} */ e) => e.metadata?.uid ?? e.metadata?.name;
    for (const e of events) {
      const key = id(e);
      if (!key) continue;
      const old = this.list.querySelector(`li[data-id="${CSS.escape(String(key))}"]`);
      old?.remove();
    }
    this.list.prepend(...fresh.reverse());
    while (this.list.childElementCount > EVENT_LIMIT) this.list.lastElementChild?.remove();
  }

  /** @param {KObject} event */
  item(event) {
    const warning = event.type === "Warning";
    const obj = event.involvedObject ?? event.regarding ?? {};
    const count = Number(event.count ?? 1);
    const key = event.metadata?.uid ?? event.metadata?.name;
    return h(
      "li",
      { className: warning ? "ev ev-warning" : "ev", dataset: { reason: event.reason ?? "", id: key } },
      h("time", null, formatClock(eventTime(event))),
      h("span", { className: "ev-body" },
        h("strong", { className: "ev-reason" }, warning ? `⚠ ${event.reason ?? "Warning"}` : String(event.reason ?? "")),
        h("span", { className: "ev-object" }, obj.name ? ` ${String(obj.kind ?? "").toLowerCase()}/${obj.name}` : ""),
        count > 1 ? h("span", { className: "ev-count" }, ` ×${count}`) : null,
        h("span", { className: "ev-message" }, String(event.message ?? event.note ?? "")),
      ),
    );
  }
}

// @ts-check
/** The websocket link: connects, pings every 20 s, reconnects with back-off (0.5 s doubling to 5 s). */

/** @typedef {"connecting" | "live" | "reconnecting" | "gone"} LinkStatus */

const PING_EVERY_MS = 20_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;
/** The server closes with this code when the playground does not exist: retrying cannot help. */
export const CLOSE_NOT_FOUND = 4404;

/**
 * Build the websocket URL for a path on this page's host, ws: or wss: to match the page.
 * @param {string} path
 * @param {Location} [where]
 */
export function websocketUrl(path, where = location) {
  const scheme = where.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${where.host}${path}`;
}

export class Link {
  /**
   * @param {string} url
   * @param {{ onMessage: (msg: any) => void, onStatus: (status: LinkStatus, retryInMs?: number) => void }} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.retryMs = FIRST_RETRY_MS;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pingTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    this.everOpened = false;
    this.closed = false;
  }

  connect() {
    this.closed = false;
    clearTimeout(this.retryTimer);
    this.handlers.onStatus(this.everOpened ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (ws !== this.ws) return;
      this.everOpened = true;
      this.retryMs = FIRST_RETRY_MS;
      this.handlers.onStatus("live");
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
    });
    ws.addEventListener("message", (event) => {
      if (ws !== this.ws || typeof event.data !== "string") return;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handlers.onMessage(msg);
    });
    ws.addEventListener("close", (event) => {
      if (ws !== this.ws) return;
      clearInterval(this.pingTimer);
      this.ws = null;
      if (event.code === CLOSE_NOT_FOUND) {
        this.closed = true;
        this.handlers.onStatus("gone");
      } else if (!this.closed) this.scheduleRetry();
    });
    // An error is always followed by close; the retry happens there.
  }

  scheduleRetry() {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.handlers.onStatus(this.everOpened ? "reconnecting" : "connecting", wait);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  /** @returns {boolean} */
  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /**
   * Send one JSON message; false when the link is down.
   * @param {object} msg
   */
  send(msg) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  close() {
    this.closed = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    this.ws?.close();
    this.ws = null;
  }
}

// @ts-check
/**
 * The kubectl console docked under the stage: type kubectl commands, read kubectl's own output.
 *
 * Commands go to the server as the `kubectl` action (ids k1, k2, ...) and the answer is printed
 * as is, monospaced. History with ArrowUp/ArrowDown, Tab completes verbs, kinds and the names
 * of live objects; `kubectl apply -f -` opens a paste area for YAML.
 */

import { h } from "./dom.js";
import { applyBox } from "./yamlpanel.js";

/** @typedef {import("./state.js").ClusterState} ClusterState */
/** @typedef {{ ok: boolean, text: string }} Answer */

const VERBS = [
  "get", "describe", "apply", "create", "expose", "delete", "scale", "set", "rollout", "cordon", "uncordon",
  "drain", "taint", "label", "logs", "top", "help",
];
/** Resource words kubectl accepts, and the kind each names (plural first: what Tab offers). */
const RESOURCES = {
  pods: "Pod", pod: "Pod", po: "Pod",
  deployments: "Deployment", deployment: "Deployment", deploy: "Deployment",
  replicasets: "ReplicaSet", replicaset: "ReplicaSet", rs: "ReplicaSet",
  nodes: "Node", node: "Node", no: "Node",
  services: "Service", service: "Service", svc: "Service",
  configmaps: "ConfigMap", configmap: "ConfigMap", cm: "ConfigMap",
  secrets: "Secret", secret: "Secret",
  events: "Event", event: "Event", ev: "Event",
  horizontalpodautoscalers: "HorizontalPodAutoscaler", hpa: "HorizontalPodAutoscaler",
  poddisruptionbudgets: "PodDisruptionBudget", pdb: "PodDisruptionBudget",
  priorityclasses: "PriorityClass", pc: "PriorityClass",
  endpointslices: "EndpointSlice", namespaces: "Namespace", ns: "Namespace", leases: "Lease",
  all: "",
};
const PLURALS = [
  "pods", "deployments", "replicasets", "nodes", "services", "configmaps", "secrets", "events",
  "horizontalpodautoscalers", "poddisruptionbudgets", "priorityclasses", "endpointslices",
  "namespaces", "leases", "all",
];
const ROLLOUT = ["status", "history", "undo", "restart", "pause", "resume"];
const HISTORY_KEY = "harbour.console.history";
const OPEN_KEY = "harbour.console.open";
const MAX_OUTPUT_BLOCKS = 60;
const ANSWER_TIMEOUT_MS = 15000;
/** The server's limit on one message (playground/protocol.py MAX_MESSAGE_BYTES). */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** Sends `kubectl` actions with its own ids and routes the answers back. */
export class KubectlLink {
  /** @param {(msg: object) => boolean} send */
  constructor(send) {
    this.send = send;
    this.counter = 0;
    /** @type {Map<string, (answer: Answer) => void>} */
    this.waiting = new Map();
  }

  /**
   * @param {{ command: string, yaml?: string }} args
   * @returns {Promise<Answer>}
   */
  run(args) {
    this.counter += 1;
    const id = `k${this.counter}`;
    const message = { type: "action", id, action: "kubectl", args };
    const size = new TextEncoder().encode(JSON.stringify(message)).length;
    if (size > MAX_MESSAGE_BYTES) {
      return Promise.resolve({
        ok: false,
        text: `error: the manifest is ${Math.ceil(size / 1024)} KB; the console takes up to ${MAX_MESSAGE_BYTES / 1024} KB at a time: apply it in parts`,
      });
    }
    return new Promise((resolve) => {
      if (!this.send(message)) {
        resolve({ ok: false, text: "error: not connected to the playground; try again in a moment" });
        return;
      }
      const timer = window.setTimeout(() => {
        this.waiting.delete(id);
        resolve({ ok: false, text: "error: no answer from the playground (timed out)" });
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  /**
   * An ack or error from the server: true when it answered one of ours.
   * @param {{ type: string, id?: string, message?: string }} msg
   */
  answered(msg) {
    const done = msg.id ? this.waiting.get(msg.id) : undefined;
    if (!done || !msg.id) return false;
    this.waiting.delete(msg.id);
    done({ ok: msg.type === "ack", text: String(msg.message ?? "") });
    return true;
  }
}

export class Console {
  /**
   * @param {HTMLDetailsElement} root  the console section (markup in playground.html)
   * @param {{ link: KubectlLink, state: ClusterState, onApplied?: () => void }} deps
   */
  constructor(root, { link, state }) {
    this.root = root;
    this.link = link;
    this.state = state;
    this.output = /** @type {HTMLElement} */ (root.querySelector(".console-output"));
    this.form = /** @type {HTMLFormElement} */ (root.querySelector(".console-form"));
    this.input = /** @type {HTMLInputElement} */ (root.querySelector(".console-input"));
    this.pasteSlot = /** @type {HTMLElement} */ (root.querySelector(".console-paste"));
    /** @type {string[]} */
    this.history = loadHistory();
    this.cursor = this.history.length;
    this.draft = "";
    this.busy = false;
    /** @type {Promise<unknown>} the commands waiting their turn */
    this.queue = Promise.resolve();
    /** @type {string | undefined} the `apply -f -` line waiting for its YAML */
    this.pendingCommand = undefined;

    this.paste = applyBox({
      label: "Paste YAML for kubectl apply -f - (one or more documents, separated by ---), or drop files here",
      submitLabel: "Apply",
      onApply: (yaml) => this.applyYaml(yaml),
      onCancel: () => this.closePaste(),
    });
    this.pasteSlot.append(this.paste.el);
    this.pasteSlot.hidden = true;

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit(this.input.value);
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    root.open = localStorage.getItem(OPEN_KEY) === "1";
    root.addEventListener("toggle", () => {
      localStorage.setItem(OPEN_KEY, root.open ? "1" : "0");
      if (root.open) this.input.focus();
    });
    if (!this.output.childElementCount) {
      this.print("note", "Type a kubectl command, e.g. kubectl get pods. Tab completes, ↑ ↓ walk the history, `help` lists what works.");
    }
  }

  /** @param {string} raw */
  submit(raw) {
    const command = raw.trim();
    if (!command) return this.queue;
    this.remember(command);
    this.input.value = "";
    // Commands typed while one is on its way run after it, in order, each under its answer.
    this.queue = this.queue.then(() => this.execute(command));
    return this.queue;
  }

  /** @param {string} command */
  async execute(command) {
    this.print("command", `$ ${command}`);
    const words = command.replace(/^kubectl\s+/, "").split(/\s+/);
    if (words[0] === "clear") {
      this.output.replaceChildren();
      return;
    }
    if (words[0] === "apply" && /(^|\s)(-f|--filename)(\s+|=)-(\s|$)/.test(command)) {
      this.pendingCommand = command.startsWith("kubectl") ? command : `kubectl ${command}`;
      this.openPaste();
      return;
    }
    await this.send({ command });
  }

  /** @param {{ command: string, yaml?: string }} args */
  async send(args) {
    this.busy = true;
    this.root.dataset.busy = "true";
    const answer = await this.link.run(args);
    this.busy = false;
    this.root.dataset.busy = "false";
    this.print(answer.ok ? "out" : "error", answer.text || (answer.ok ? "" : "error"));
    return answer;
  }

  openPaste() {
    this.pasteSlot.hidden = false;
    this.paste.reset();
    this.paste.focus();
  }

  closePaste() {
    this.pasteSlot.hidden = true;
    this.input.focus();
  }

  /** @param {string} yaml */
  async applyYaml(yaml) {
    const documents = yaml.split(/^---/m).filter((part) => part.trim()).length;
    this.print("command", `$ ${this.pendingCommand ?? "kubectl apply -f -"}   # ${documents} pasted document${documents === 1 ? "" : "s"}`);
    const answer = await this.send({ command: this.pendingCommand ?? "kubectl apply -f -", yaml });
    this.paste.showResult(answer.ok, answer.text);
    if (answer.ok) this.closePaste();
    return answer;
  }

  /**
   * @param {"command" | "out" | "error" | "note"} kind
   * @param {string} text
   */
  print(kind, text) {
    if (kind !== "command" && !text) return;
    // kubectl's usage after an error reads as help, not as more of the error.
    const split = kind === "error" ? text.indexOf("\n\nThe console runs") : -1;
    if (split > 0) {
      this.output.append(h("pre", { className: "console-error" }, text.slice(0, split)));
      this.output.append(h("pre", { className: "console-out" }, text.slice(split + 2)));
    } else {
      this.output.append(h("pre", { className: `console-${kind}` }, text));
    }
    while (this.output.childElementCount > MAX_OUTPUT_BLOCKS) this.output.firstElementChild?.remove();
    this.output.scrollTop = this.output.scrollHeight;
  }

  /** @param {string} command */
  remember(command) {
    if (this.history[this.history.length - 1] !== command) this.history.push(command);
    if (this.history.length > 100) this.history.shift();
    this.cursor = this.history.length;
    try {
      sessionStorage.setItem(HISTORY_KEY, JSON.stringify(this.history));
    } catch {
      // storage full or blocked: history lasts for this page only
    }
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      if (!this.history.length) return;
      event.preventDefault();
      if (this.cursor === this.history.length) this.draft = this.input.value;
      const step = event.key === "ArrowUp" ? -1 : 1;
      this.cursor = Math.min(this.history.length, Math.max(0, this.cursor + step));
      this.input.value = this.cursor === this.history.length ? this.draft : this.history[this.cursor];
      const end = this.input.value.length;
      this.input.setSelectionRange(end, end);
    } else if (event.key === "Tab" && !event.shiftKey) {
      if (!this.input.value.trim()) return; // an empty prompt lets Tab move focus on
      event.preventDefault();
      this.complete();
    } else if (event.key === "l" && event.ctrlKey) {
      event.preventDefault();
      this.output.replaceChildren();
    }
  }

  /** Complete the word before the caret; several matches: their common start, then the list. */
  complete() {
    const value = this.input.value;
    const caret = this.input.selectionStart ?? value.length;
    const before = value.slice(0, caret);
    const start = before.search(/\S*$/);
    const word = before.slice(start);
    const choices = this.candidates(before.slice(0, start)).filter((c) => c.startsWith(word));
    if (!choices.length) return;
    const common = commonPrefix(choices);
    const ending = choices.length === 1 && !common.endsWith("/") ? " " : "";
    if (common.length > word.length || choices.length === 1) {
      this.input.value = value.slice(0, start) + common + ending + value.slice(caret);
      const at = start + common.length + ending.length;
      this.input.setSelectionRange(at, at);
    } else {
      this.print("note", choices.join("  "));
    }
  }

  /**
   * What may come next after these words.
   * @param {string} prefix  the line before the word being completed
   * @returns {string[]}
   */
  candidates(prefix) {
    const words = prefix.trim().split(/\s+/).filter(Boolean);
    if (words[0] === "kubectl") words.shift();
    const args = words.filter((w) => !w.startsWith("-"));
    const verb = args[0];
    if (!verb) return prefix.trim() === "" ? ["kubectl", ...VERBS] : VERBS;
    const names = (/** @type {string} */ kind) => [...this.state.kind(kind).keys()].sort();
    const typed = (/** @type {string} */ kind, /** @type {string[]} */ rest) => {
      // `deploy web` and `deployment/web` both work; after a kind come its names.
      if (!rest.length) {
        const own = kind ? Object.keys(RESOURCES).filter((r) => RESOURCES[r] === kind) : [];
        return [...own, ...names(kind).map((n) => `${own[0]}/${n}`)];
      }
      return RESOURCES[rest[0]] === kind ? names(kind) : [];
    };
    switch (verb) {
      case "get":
      case "describe":
      case "delete": {
        if (args.length === 1) {
          const slashed = PLURALS.filter((p) => p !== "all").flatMap((p) => {
            const kind = RESOURCES[p];
            return kind === "Pod" || kind === "Deployment" || kind === "Node"
              ? names(kind).map((n) => `${singular(p)}/${n}`)
              : [];
          });
          return [...PLURALS, ...slashed];
        }
        const kind = RESOURCES[args[1]];
        return kind ? names(kind) : [];
      }
      case "scale":
        return typed("Deployment", args.slice(1));
      case "set":
        return args.length === 1 ? ["image"] : typed("Deployment", args.slice(2));
      case "rollout":
        return args.length === 1 ? ROLLOUT : typed("Deployment", args.slice(2));
      case "logs":
        return names("Pod");
      case "cordon":
      case "uncordon":
      case "drain":
        return names("Node");
      case "taint":
        return args.length === 1 ? ["nodes"] : args.length === 2 ? names("Node") : [];
      case "label": {
        if (args.length === 1) return ["nodes", "deployments", "pods", "services", "configmaps", "secrets"];
        const kind = RESOURCES[args[1]];
        return args.length === 2 && kind ? names(kind) : [];
      }
      case "apply":
        return ["-f -"];
      case "create":
        return args.length === 1 ? ["deployment"] : [];
      case "expose":
        return typed("Deployment", args.slice(1));
      case "top":
        return args.length === 1 ? ["pods"] : names("Pod");
      default:
        return [];
    }
  }
}

/** @param {string} plural */
function singular(plural) {
  return plural.endsWith("s") ? plural.slice(0, -1) : plural;
}

/** @param {string[]} words */
function commonPrefix(words) {
  let prefix = words[0] ?? "";
  for (const word of words.slice(1)) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** @returns {string[]} */
function loadHistory() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? "[]");
    return Array.isArray(saved) ? saved.filter((x) => typeof x === "string").slice(-100) : [];
  } catch {
    return [];
  }
}

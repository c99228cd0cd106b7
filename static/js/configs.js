// @ts-check
/**
 * Config & Secrets: ConfigMaps (the papers a container carries) and Secrets (padlocked crates), their keys and
 * versions, which Deployments consume them and how, which version each pod sees, and the checksum rollout (CFG-1..5).
 */

import { ConfigEditor } from "./configeditor.js";
import {
  base64Bytes, CHECKSUM_ANNOTATION, decodeBase64, podsByDeployment, seenBy, seenKey, usesOf, versionSeen,
} from "./configread.js";
import { h, setText } from "./dom.js";
import { nameOf, naturalCompare, podState } from "./k8s.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {import("./configread.js").ConfigKind} ConfigKind
 * @typedef {import("./configread.js").Use} Use
 * @typedef {(action: string, args: Record<string, any>) => string | null | void} Act
 * @typedef {{ deployment: string, use: Use, pods: KObject[], checksum: string }} Consumer
 */

const MASK = "••••••••";
const MAX_POD_ROWS = 12;
const OPEN_KEY = "harbour.config-section.open";
const BLOCKED = new Set(["CreateContainerConfigError", "FailedMount"]);

const HINT_ENV = "Env: read when a container starts, never changed in a running pod.";
const HINT_VOLUME = "Volume: files refresh after the kubelet sync (about 1 min), no restart.";
const HINT_SUBPATH = "A subPath file is bound when the container starts and never updated.";
const HINT_ROLL =
  "Roll out new config puts a checksum of the config in the pod template (checksum/config): the template changes, so new pods start with the new values. That is how teams roll config out.";

/** Paper with a folded corner (ConfigMap) or a crate with a padlock (Secret), drawn small. @param {ConfigKind} kind */
function icon(kind) {
  const span = h("span", { className: `cfg-icon cfg-icon-${kind === "Secret" ? "crate" : "paper"}`, "aria-hidden": "true" });
  span.innerHTML = kind === "Secret"
    ? '<svg viewBox="0 0 40 36" width="40" height="36"><rect x="2" y="10" width="36" height="24" rx="2" fill="#8a5a2b" stroke="#e0b070" stroke-width="2"/><path d="M2 18h36M2 26h36" stroke="#5c3a18" stroke-width="2"/><path d="M14 12v-4a6 6 0 0 1 12 0v4" fill="none" stroke="#f2c230" stroke-width="3"/><rect x="11" y="12" width="18" height="14" rx="2" fill="#f2c230" stroke="#1a1400" stroke-width="1.5"/><circle cx="20" cy="18" r="2.2" fill="#1a1400"/><path d="M20 19v4" stroke="#1a1400" stroke-width="2"/></svg>'
    : '<svg viewBox="0 0 32 36" width="32" height="36"><path d="M3 2h18l8 8v24H3z" fill="#f4efe1" stroke="#c9bfa3" stroke-width="1.5"/><path d="M21 2v8h8" fill="#d9cfb5" stroke="#c9bfa3" stroke-width="1.5"/><path d="M8 15h16M8 20h16M8 25h11" stroke="#5b6b80" stroke-width="2"/></svg>';
  return span;
}

export class ConfigPanel {
  /**
   * @param {HTMLDetailsElement} section  the "Config & Secrets" section
   * @param {Act} act
   */
  constructor(section, act) {
    this.section = section;
    this.act = act;
    this.list = /** @type {HTMLElement} */ (section.querySelector(".cfg-list"));
    this.newSlot = /** @type {HTMLElement} */ (section.querySelector(".cfg-new-slot"));
    this.count = section.querySelector(".cfg-count");
    /** @type {Map<string, HTMLElement>} "Kind/name" -> card */
    this.cards = new Map();
    /** @type {Set<string>} "name/key" of Secret values shown on purpose */
    this.revealed = new Set();
    /** @type {ClusterState | null} */
    this.state = null;
    this.stale = false;
    this.editor = new ConfigEditor(act, (info) => {
      this.refresh();
      // Keyboard users land where they were: the card's Edit button, or the new object's card.
      if (!info.hadFocus) return;
      const card = this.cards.get(`${info.kind}/${info.name}`);
      const target = card?.querySelector(info.editing ? '[data-fk="edit"]' : '[data-fk="edit"], h3')
        ?? section.querySelector(`[data-new="${info.kind}"]`);
      if (target instanceof HTMLElement) {
        if (target.tagName === "H3") target.tabIndex = -1;
        target.focus();
      }
    });
    this.empty = h("p", { className: "empty-note" }, "No ConfigMaps or Secrets yet. Create one, then use it in a Deployment.");
    for (const kind of /** @type {ConfigKind[]} */ (["ConfigMap", "Secret"])) {
      section.querySelector(`[data-new="${kind}"]`)?.addEventListener("click", () => this.openNew(kind));
    }
    // A presenter who reloads finds the section as they left it.
    try {
      if (localStorage.getItem(OPEN_KEY) === "1") section.open = true;
    } catch {
      /* storage blocked: start closed */
    }
    section.addEventListener("toggle", () => {
      try {
        localStorage.setItem(OPEN_KEY, section.open ? "1" : "0");
      } catch {
        /* storage blocked */
      }
      if (section.open && this.stale && this.state) this.update(this.state);
    });
  }

  /**
   * The server's answer to an action: an accepted edit closes the form (a refused one leaves it open).
   * @param {{ type: string, id?: string }} msg
   */
  answered(msg) {
    if (msg.type === "ack" && msg.id && this.editor.awaiting?.id === msg.id) this.editor.close();
  }

  refresh() {
    if (this.state) this.update(this.state);
  }

  /** @param {ConfigKind} kind @param {string} [name] */
  openNew(kind, name = "") {
    const form = this.editor.open(kind, null, name);
    this.newSlot.replaceChildren(form);
    this.section.open = true;
    form.querySelector(name ? ".cfg-value-input" : "input")?.focus();
    form.scrollIntoView({ block: "nearest" });
  }

  /**
   * @param {ConfigKind} kind
   * @param {string} name
   */
  openEdit(kind, name) {
    const obj = this.state?.kind(kind).get(name);
    const card = this.cards.get(`${kind}/${name}`);
    if (!obj || !card) return;
    const form = this.editor.open(kind, obj);
    /** @type {HTMLElement} */ (card.querySelector(".cfg-edit-slot")).replaceChildren(form);
    form.querySelector(".cfg-value-input, .cfg-key-input")?.focus();
  }

  /** @param {ClusterState} state */
  update(state) {
    this.state = state;
    const configMaps = state.kind("ConfigMap");
    const secrets = state.kind("Secret");
    setText(this.count, configMaps.size + secrets.size ? `${configMaps.size} · ${secrets.size}` : "");
    if (this.count) this.count.setAttribute("aria-label", `${configMaps.size} ConfigMaps, ${secrets.size} Secrets`);
    if (!this.section.open) {
      this.stale = true; // drawn when opened
      return;
    }
    this.stale = false;
    this.editor.settle((kind, name) => state.kind(kind).get(name));

    const deployments = [...state.kind("Deployment").values()].sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
    const pods = podsByDeployment(state.kind("Pod").values(), state.kind("ReplicaSet"));
    /** @type {Map<string, Consumer[]>} "Kind/name" -> consumers */
    const consumers = new Map();
    for (const d of deployments) {
      for (const use of usesOf(d)) {
        const key = `${use.kind}/${use.name}`;
        const list = consumers.get(key) ?? [];
        list.push({
          deployment: nameOf(d), use, pods: pods.get(nameOf(d)) ?? [],
          checksum: String(d.spec?.template?.metadata?.annotations?.[CHECKSUM_ANNOTATION] ?? ""),
        });
        consumers.set(key, list);
      }
    }
    const failedMount = new Set(state.events
      .filter((e) => e?.reason === "FailedMount" && e?.involvedObject?.kind === "Pod")
      .map((e) => String(e.involvedObject.name)));

    /** @type {{ key: string, kind: ConfigKind, name: string, obj: KObject | undefined }[]} */
    const items = [];
    for (const [kind, map] of /** @type {[ConfigKind, Map<string, KObject>][]} */ ([["ConfigMap", configMaps], ["Secret", secrets]])) {
      for (const [name, obj] of map) items.push({ key: `${kind}/${name}`, kind, name, obj });
    }
    // Referenced but absent: shown, because that is why pods are waiting.
    for (const key of consumers.keys()) {
      if (items.some((i) => i.key === key)) continue;
      const [kind, ...rest] = key.split("/");
      items.push({ key, kind: /** @type {ConfigKind} */ (kind), name: rest.join("/"), obj: undefined });
    }
    items.sort((a, b) => (a.kind === b.kind ? naturalCompare(a.name, b.name) : a.kind === "ConfigMap" ? -1 : 1));

    const names = deployments.map(nameOf);
    const seen = new Set();
    items.forEach((item, index) => {
      seen.add(item.key);
      let card = this.cards.get(item.key);
      if (!card) {
        card = this.build(item.kind, item.name);
        this.cards.set(item.key, card);
      }
      const li = /** @type {HTMLElement} */ (card.parentElement ?? h("li", null, card));
      if (this.list.children[index] !== li) this.list.insertBefore(li, this.list.children[index] ?? null);
      this.fill(card, item.kind, item.name, item.obj, consumers.get(item.key) ?? [], names, failedMount);
    });
    for (const [key, card] of this.cards) {
      if (seen.has(key)) continue;
      if (this.editor.isOpen && card.contains(this.editor.el)) this.editor.close();
      card.parentElement?.remove();
      this.cards.delete(key);
    }
    if (!items.length && !this.empty.isConnected) this.list.before(this.empty);
    if (items.length && this.empty.isConnected) this.empty.remove();
  }

  /**
   * A card's fixed parts: header, the part redrawn on change, the edit slot, the "use in deployment" form.
   * @param {ConfigKind} kind
   * @param {string} name
   */
  build(kind, name) {
    const id = `cfg-${kind}-${name}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const what = `${kind} ${name}`;
    const deploymentSelect = h("select", { className: "select cfg-use-deployment", "aria-label": `Deployment to use ${what} in` });
    const envRadio = h("input", { type: "radio", name: `${id}-way`, value: "env", checked: true });
    const volRadio = h("input", { type: "radio", name: `${id}-way`, value: "volume" });
    const optional = h("input", { type: "checkbox" });
    const keyChoice = h("select", { className: "select cfg-use-key", "aria-label": `Which keys of ${what}` });
    const useForm = h("form", { className: "cfg-use", "aria-label": `Use ${what} in a Deployment` },
      h("p", { className: "cfg-sub" }, "Use in deployment"),
      h("div", { className: "cfg-use-row" },
        deploymentSelect,
        h("fieldset", { className: "cfg-way", "aria-label": "How the pods read it" },
          h("label", { className: "seg seg-inline" }, envRadio, h("span", null, "env")),
          h("label", { className: "seg seg-inline" }, volRadio, h("span", null, "volume"))),
      ),
      h("div", { className: "cfg-use-row" }, keyChoice),
      h("div", { className: "cfg-use-row" },
        h("label", { className: "cfg-check" }, optional, " optional ", h("span", { className: "hint" }, "(pods start even if it is missing)")),
        h("button", { type: "submit", className: "btn btn-primary btn-small", "aria-label": `Use ${what} in the chosen Deployment` }, "Use")),
    );
    useForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!deploymentSelect.value) return;
      /** @type {Record<string, any>} */
      const args = { deployment: deploymentSelect.value, kind, name, as: volRadio.checked ? "volume" : "env" };
      if (optional.checked) args.optional = true;
      // One key: an env var from it (valueFrom), or that file alone (subPath, never updated: CFG-2).
      if (keyChoice.value) args[args.as === "env" ? "key" : "subPath"] = keyChoice.value;
      this.act("use_config", args);
    });
    const card = h("article", {
      className: `cfg cfg-${kind === "Secret" ? "secret" : "configmap"}`, dataset: { kind, name }, "aria-labelledby": `${id}-title`,
    },
    h("header", { className: "cfg-head" },
      icon(kind),
      h("div", { className: "cfg-title" },
        h("h3", { id: `${id}-title` }, h("span", { className: "visually-hidden" }, `${kind} `), name),
        h("p", { className: "cfg-meta" }))),
    h("div", { className: "cfg-body" }),
    h("div", { className: "cfg-edit-slot" }),
    useForm);
    h("li", null, card);
    return card;
  }

  /**
   * @param {HTMLElement} card
   * @param {ConfigKind} kind
   * @param {string} name
   * @param {KObject | undefined} obj
   * @param {Consumer[]} consumers
   * @param {string[]} deployments
   * @param {Set<string>} failedMount
   */
  fill(card, kind, name, obj, consumers, deployments, failedMount) {
    const version = obj ? String(obj.metadata?.resourceVersion ?? "") : null;
    card.classList.toggle("cfg-missing", !obj);
    const meta = [kind === "Secret" && obj ? `Secret · ${obj.type ?? "Opaque"}` : kind];
    if (obj) meta.push(`version ${version}`);
    else meta.push("missing");
    if (obj?.immutable === true) meta.push("immutable");
    const metaEl = /** @type {HTMLElement} */ (card.querySelector(".cfg-meta"));
    const metaSig = meta.join("|");
    if (metaEl.dataset.sig !== metaSig) {
      metaEl.dataset.sig = metaSig;
      metaEl.replaceChildren(...meta.map((m, i) => h("span", {
        className: `cfg-badge${m === "immutable" ? " cfg-badge-immutable" : ""}${m === "missing" ? " cfg-badge-missing" : ""}${i === 1 && obj ? " cfg-badge-version" : ""}`,
      }, m)));
    }

    // The "use" form lists the Deployments (keeping the choice).
    const select = /** @type {HTMLSelectElement} */ (card.querySelector(".cfg-use-deployment"));
    const optSig = deployments.join("|");
    if (select.dataset.sig !== optSig) {
      const keep = select.value;
      select.dataset.sig = optSig;
      select.replaceChildren(...(deployments.length ? deployments.map((d) => new Option(d, d)) : [new Option("(no Deployments)", "")]));
      if (deployments.includes(keep)) select.value = keep;
    }
    /** @type {HTMLElement} */ (card.querySelector(".cfg-use")).hidden = !obj;
    const keyChoice = /** @type {HTMLSelectElement} */ (card.querySelector(".cfg-use-key"));
    const keyList = Object.keys(obj?.data ?? {}).sort(naturalCompare);
    const keySig = keyList.join("|");
    if (keyChoice.dataset.sig !== keySig) {
      const keep = keyChoice.value;
      keyChoice.dataset.sig = keySig;
      keyChoice.replaceChildren(new Option("all keys (envFrom / every file)", ""),
        ...keyList.map((k) => new Option(`only ${k} (env var / subPath file)`, k)));
      if (keyList.includes(keep)) keyChoice.value = keep;
    }

    const data = /** @type {Record<string, string>} */ (obj?.data ?? {});
    const shown = [...this.revealed].filter((r) => r.startsWith(`${name}/`)).sort().join(",");
    const podSig = consumers.map((c) => [c.deployment, c.use.ways.join("+"), c.use.optional, c.use.mountPath, c.use.subPath, c.use.keys.join(","), c.checksum,
      ...c.pods.map((p) => `${nameOf(p)}:${podState(p)}:${p.metadata?.annotations?.["playground.k8s/config-seen"] ?? ""}:${failedMount.has(nameOf(p))}`)].join(";"));
    const sig = JSON.stringify([version, obj?.type, obj?.immutable, data, shown, podSig]);
    const body = /** @type {HTMLElement} */ (card.querySelector(".cfg-body"));
    if (body.dataset.sig === sig) return;
    body.dataset.sig = sig;
    const focused = document.activeElement instanceof HTMLElement && body.contains(document.activeElement)
      ? document.activeElement.dataset.fk : undefined;
    body.replaceChildren(
      obj ? this.keys(kind, name, data) : h("p", { className: "cfg-missing-note" },
        `No ${kind} named ${name} exists, but a Deployment uses it: its new pods wait (`,
        h("code", null, "CreateContainerConfigError"), " for env, ", h("code", null, "FailedMount"), " for a volume) unless it is optional."),
      obj
        ? h("div", { className: "row cfg-actions" },
          h("button", { type: "button", className: "btn btn-small", dataset: { fk: "edit" }, "aria-label": `Edit ${kind} ${name}`, onclick: () => this.openEdit(kind, name) }, "Edit"),
          h("button", { type: "button", className: "btn btn-small btn-danger", dataset: { fk: "delete" }, "aria-label": `Delete ${kind} ${name}`,
            onclick: () => this.act(kind === "Secret" ? "delete_secret" : "delete_configmap", { name }) }, "Delete"))
        : h("div", { className: "row cfg-actions" },
          h("button", { type: "button", className: "btn btn-small", dataset: { fk: "create" }, onclick: () => this.openNew(kind, name) }, `Create ${kind} ${name}`)),
      consumers.length ? this.consumers(kind, name, version, consumers, failedMount) : h("p", { className: "cfg-unused" }, "Not used by any Deployment."),
    );
    if (focused) /** @type {HTMLElement | null} */ (body.querySelector(`[data-fk="${CSS.escape(focused)}"]`))?.focus();
  }

  /**
   * The keys: ConfigMap values in the clear; Secret values masked until revealed on purpose (CFG-5).
   * @param {ConfigKind} kind
   * @param {string} name
   * @param {Record<string, string>} data
   */
  keys(kind, name, data) {
    const entries = Object.entries(data).sort(([a], [b]) => naturalCompare(a, b));
    if (!entries.length) return h("p", { className: "cfg-unused" }, "No keys.");
    const rows = entries.map(([key, value]) => {
      if (kind === "ConfigMap") {
        return h("div", { className: "cfg-kv" }, h("dt", null, key), h("dd", null, h("code", { className: "cfg-value" }, String(value))));
      }
      const id = `${name}/${key}`;
      const open = this.revealed.has(id);
      const text = decodeBase64(String(value));
      const toggle = h("button", {
        type: "button", className: "btn btn-small cfg-reveal", "aria-pressed": String(open), dataset: { fk: `reveal-${key}` },
        "aria-label": `Reveal the value of ${key} in Secret ${name}`,
        onclick: () => {
          if (this.revealed.has(id)) this.revealed.delete(id);
          else this.revealed.add(id);
          this.refresh();
        },
      }, open ? "Hide" : "Reveal");
      return h("div", { className: `cfg-kv${open ? " is-revealed" : ""}` },
        h("dt", null, key),
        h("dd", null,
          open
            ? h("span", { className: "cfg-revealed" },
              h("code", { className: "cfg-value" }, text ?? `(binary, ${base64Bytes(String(value))} bytes)`),
              h("span", { className: "cfg-b64" }, "base64 ", h("code", null, String(value))))
            : h("code", { className: "cfg-value cfg-masked", "aria-label": "hidden value" }, MASK),
          toggle));
    });
    return h("div", null,
      h("dl", { className: "cfg-keys" }, ...rows),
      kind === "Secret"
        ? h("p", { className: "cfg-b64-note" }, "base64 is an encoding, not encryption: anyone who can read this Secret can decode it.")
        : null);
  }

  /**
   * Each Deployment that consumes the object: how, its pods and the version each one sees, and the rollout button.
   * @param {ConfigKind} kind
   * @param {string} name
   * @param {string | null} version
   * @param {Consumer[]} consumers
   * @param {Set<string>} failedMount
   */
  consumers(kind, name, version, consumers, failedMount) {
    const blocks = consumers.map((c) => {
      const ways = c.use.ways;
      const pods = c.pods.filter((p) => !p.metadata?.deletionTimestamp);
      const tally = { current: 0, stale: 0, waiting: 0 };
      /** @type {HTMLElement[]} */
      const blockedRows = [];
      const rows = pods.map((pod) => {
        const entry = seenBy(pod)?.[seenKey(kind, name)];
        const state = podState(pod);
        const mountFailed = entry ? entry.volume === "missing" : failedMount.has(nameOf(pod));
        const blocked = BLOCKED.has(state) ? state : (state === "ContainerCreating" && mountFailed ? "FailedMount" : "");
        const seen = ways.map((way) => versionSeen(entry, way, version));
        // The tally counts pods, each by the worst of the ways it reads the object.
        const statuses = seen.map((v) => v.status);
        if (statuses.includes("missing")) tally.waiting += 1;
        else if (statuses.includes("stale")) tally.stale += 1;
        else if (statuses.length && statuses.every((st) => st === "current")) tally.current += 1;
        const chips = ways.map((way, i) => {
          const v = seen[i];
          return h("span", { className: `cfg-seen cfg-seen-${v.status}`, dataset: { way, status: v.status } },
            h("b", null, `${way}:`), v.text);
        });
        const row = h("li", { className: `cfg-pod${blocked ? " is-blocked" : ""}`, dataset: { pod: nameOf(pod) } },
          h("span", { className: "cfg-pod-name" }, nameOf(pod)),
          ...chips,
          blocked ? h("span", { className: "cfg-blocked" }, `⚠ ${blocked}`) : null);
        if (blocked) blockedRows.push(row);
        return row;
      });
      // A big Deployment lists its first pods by name, and every waiting one; the tally counts them all.
      const shown = rows.length <= MAX_POD_ROWS ? rows
        : rows.filter((r, i) => blockedRows.includes(r) || i < MAX_POD_ROWS - Math.min(blockedRows.length, MAX_POD_ROWS));
      if (shown.length < rows.length) shown.push(h("li", { className: "cfg-more" }, `… and ${rows.length - shown.length} more pods`));
      const summary = [`${pods.length} pod${pods.length === 1 ? "" : "s"}`];
      if (tally.current) summary.push(`${tally.current} current`);
      if (tally.stale) summary.push(`${tally.stale} stale`);
      if (tally.waiting) summary.push(`${tally.waiting} waiting`);
      const how = ways.map((w) => {
        if (w === "env") return c.use.keys.length ? `env ${c.use.keys.join(", ")}` : "env (all keys)";
        if (c.use.subPath) return `file ${c.use.mountPath} (subPath: never updated)`;
        return c.use.mountPath ? `volume at ${c.use.mountPath}` : "volume";
      }).join(" + ");
      return h("section", { className: "cfg-consumer", dataset: { deployment: c.deployment }, "aria-label": `${c.deployment} uses ${kind} ${name}` },
        h("p", { className: "cfg-consumer-head" },
          h("b", null, c.deployment), h("span", null, ` · ${how}`), c.use.optional ? h("span", { className: "cfg-badge" }, "optional") : null),
        h("p", { className: "cfg-tally" }, summary.join(" · ")),
        h("ul", { className: "cfg-pods", "aria-label": `Pods of ${c.deployment} and the version of ${name} they see` }, ...shown),
        h("p", { className: "cfg-checksum" }, h("code", null, CHECKSUM_ANNOTATION), ": ",
          c.checksum ? h("code", { title: c.checksum }, `${c.checksum.slice(0, 12)}…`) : h("i", null, "not set")),
        h("div", { className: "row cfg-consumer-actions" },
          h("button", {
            type: "button", className: "btn btn-primary btn-small", dataset: { fk: `roll-${c.deployment}` },
            "aria-label": `Roll out new config to ${c.deployment}`, onclick: () => this.act("roll_out_config", { deployment: c.deployment }),
          }, "Roll out new config"),
          h("button", {
            type: "button", className: "btn btn-small btn-danger", dataset: { fk: `unuse-${c.deployment}` },
            "aria-label": `Stop using ${kind} ${name} in ${c.deployment}`, onclick: () => this.act("unuse_config", { deployment: c.deployment, kind, name }),
          }, "Remove")),
        h("p", { className: "hint cfg-hint" },
          ways.includes("env") ? `${HINT_ENV} ` : "", ways.includes("volume") ? `${c.use.subPath ? HINT_SUBPATH : HINT_VOLUME} ` : "", HINT_ROLL));
    });
    return h("div", { className: "cfg-consumers" }, h("p", { className: "cfg-sub" }, "Used by"), ...blocks);
  }
}

// @ts-check
/** The form that creates or edits a ConfigMap or a Secret: key/value rows, Secret type, plain text or base64, immutable. */

import { decodeBase64, encodeBase64, requiredKeys, SECRET_TYPES } from "./configread.js";
import { h, setText } from "./dom.js";

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {import("./configread.js").ConfigKind} ConfigKind
 * @typedef {(action: string, args: Record<string, any>) => string | null | void} Act
 * @typedef {{ kind: ConfigKind, name: string, version: string | null, id?: string | null | void }} Awaiting
 */

let serial = 0;

export class ConfigEditor {
  /**
   * @param {Act} act
   * @param {(info: { kind: ConfigKind, name: string, editing: boolean, hadFocus: boolean }) => void} onClose
   */
  constructor(act, onClose) {
    this.act = act;
    this.onClose = onClose;
    /** @type {HTMLFormElement | null} the open form */
    this.el = null;
    /** @type {ConfigKind} */
    this.kind = "ConfigMap";
    /** @type {KObject | null} the object being edited (null: a new one) */
    this.editing = null;
    /** @type {Awaiting | null} what was sent and not yet seen changed (the form stays open until then, or on an error) */
    this.awaiting = null;
    this.plain = true;
    this.showValues = false;
  }

  get isOpen() {
    return Boolean(this.el?.isConnected);
  }

  /** The key of what the form is about: "new:ConfigMap", "edit:Secret/db". */
  get target() {
    return this.editing ? `edit:${this.kind}/${this.editing.metadata?.name}` : `new:${this.kind}`;
  }

  /**
   * Build the form (the caller puts it where it belongs).
   * @param {ConfigKind} kind
   * @param {KObject | null} existing
   * @param {string} [name]  a name to start with (creating a missing object)
   * @returns {HTMLFormElement}
   */
  open(kind, existing, name = "") {
    this.kind = kind;
    this.editing = existing;
    this.awaiting = null;
    this.plain = true;
    this.showValues = kind === "ConfigMap";
    serial += 1;
    const id = `cfged${serial}`;
    const secret = kind === "Secret";
    const editing = Boolean(existing);
    const objName = String(existing?.metadata?.name ?? name);
    const title = `${editing ? "Edit" : "New"} ${kind}${editing ? ` ${objName}` : ""}`;

    this.nameInput = h("input", {
      type: "text", id: `${id}-name`, value: objName, readonly: editing, autocomplete: "off", spellcheck: "false",
      autocapitalize: "off", placeholder: secret ? "db-credentials" : "app-config", className: "cfg-name-input",
    });
    this.rows = h("ul", { className: "cfg-rows", "aria-label": `Keys and values of the ${kind}` });
    this.error = h("p", { className: "form-error", role: "status" });
    this.typeSelect = h("select", { className: "select", id: `${id}-type`, disabled: editing },
      ...SECRET_TYPES.map(([t]) => new Option(t, t)));
    this.typeSelect.value = String(existing?.type ?? "Opaque");
    this.typeSelect.addEventListener("change", () => this.addRequiredRows());
    this.immutable = h("input", { type: "checkbox", id: `${id}-immutable`, disabled: editing, checked: existing?.immutable === true });

    const plainRadio = h("input", { type: "radio", name: `${id}-enc`, value: "plain", checked: true });
    const b64Radio = h("input", { type: "radio", name: `${id}-enc`, value: "base64" });
    for (const radio of [plainRadio, b64Radio]) radio.addEventListener("change", () => radio.checked && this.switchEncoding(radio.value === "plain"));
    const show = h("input", { type: "checkbox" });
    show.addEventListener("change", () => {
      this.showValues = show.checked;
      for (const input of this.valueInputs()) this.mask(input);
    });

    const form = h(
      "form",
      { className: `cfg-editor cfg-editor-${secret ? "secret" : "configmap"}`, "aria-label": title, dataset: { target: this.target } },
      h("h4", { className: "cfg-editor-title" }, title),
      h("div", { className: "cfg-field" }, h("label", { for: `${id}-name` }, "Name"), this.nameInput),
      secret ? h("div", { className: "cfg-field" }, h("label", { for: `${id}-type` }, "Type"), this.typeSelect) : null,
      secret
        ? h("fieldset", { className: "cfg-enc" },
          h("legend", null, "I type the values as"),
          h("label", { className: "seg seg-inline" }, plainRadio, h("span", null, "Plain text ", h("small", null, "stringData: the server encodes"))),
          h("label", { className: "seg seg-inline" }, b64Radio, h("span", null, "Base64 ", h("small", null, "data"))))
        : null,
      secret ? h("label", { className: "cfg-check" }, show, " Show values while typing") : null,
      this.rows,
      h("button", { type: "button", className: "btn btn-small", onclick: () => this.addRow("", "", true) }, "+ Add key"),
      h("label", { className: "cfg-check" }, this.immutable, " Immutable ",
        h("span", { className: "hint" }, editing ? "(set at creation)" : "(no edits afterwards: only delete and recreate)")),
      existing?.immutable === true
        ? h("p", { className: "hint cfg-warn" }, "This object is immutable: Kubernetes will refuse the change. Delete and recreate it instead.")
        : null,
      this.error,
      h("div", { className: "row row-end" },
        h("button", { type: "button", className: "btn btn-small", onclick: () => this.close() }, "Cancel"),
        h("button", { type: "submit", className: "btn btn-primary btn-small" }, editing ? "Save" : `Create ${kind}`)),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });

    const start = this.startingRows(existing);
    for (const [k, v] of start) this.addRow(k, v, false);
    if (!start.length) this.addRow("", "", false);
    if (secret && !editing) this.addRequiredRows();
    this.el = form;
    return form;
  }

  /** @param {KObject | null} existing @returns {[string, string][]} */
  startingRows(existing) {
    if (!existing) return [];
    if (this.kind === "ConfigMap") return Object.entries(existing.data ?? {}).map(([k, v]) => [k, String(v)]);
    // A Secret is edited as plain text; a value that is not text stays base64 (and switches the form to base64).
    const entries = Object.entries(existing.data ?? {}).map(([k, v]) => [k, String(v), decodeBase64(String(v))]);
    if (entries.some(([, , text]) => text === null)) {
      this.plain = false;
      queueMicrotask(() => {
        const radio = /** @type {HTMLInputElement | null} */ (this.el?.querySelector("input[value=base64]"));
        if (radio) radio.checked = true;
      });
      return entries.map(([k, v]) => [String(k), String(v)]);
    }
    return entries.map(([k, , text]) => [String(k), String(text)]);
  }

  /** Rows for the keys the chosen Secret type requires (CFG-5), when not there yet. */
  addRequiredRows() {
    const have = new Set(this.readRows().map(([k]) => k));
    const need = requiredKeys(this.typeSelect?.value ?? "Opaque").filter((k) => !have.has(k));
    if (!need.length) return;
    // Replace a single empty row rather than leave it above the typed keys.
    const rows = [...(this.rows?.children ?? [])];
    if (rows.length === 1 && this.readRows().length === 0) rows[0].remove();
    for (const k of need) this.addRow(k, "", false);
  }

  /**
   * @param {string} key
   * @param {string} value
   * @param {boolean} focus
   */
  addRow(key, value, focus) {
    if (!this.rows) return;
    const n = this.rows.childElementCount + 1;
    const keyInput = h("input", {
      type: "text", className: "cfg-key-input", value: key, "aria-label": `Key ${n}`, placeholder: "KEY",
      autocomplete: "off", spellcheck: "false", autocapitalize: "off",
    });
    // A text field would drop line breaks, so ConfigMap values and multi-line ones are edited in a textarea.
    const multiline = this.kind === "ConfigMap" || value.includes("\n");
    const common = { className: "cfg-value-input", "aria-label": `Value ${n}`, placeholder: "value", autocomplete: "off", spellcheck: "false", autocapitalize: "off" };
    /** @type {HTMLInputElement | HTMLTextAreaElement} */
    let valueInput;
    if (multiline) {
      const area = h("textarea", { ...common, rows: "1" });
      area.value = value;
      const fit = () => { area.rows = Math.min(8, Math.max(1, area.value.split("\n").length)); };
      area.addEventListener("input", fit);
      fit();
      valueInput = area;
    } else valueInput = h("input", { ...common, type: "text", value });
    this.mask(valueInput);
    const row = h("li", { className: "cfg-row" }, keyInput, valueInput,
      h("button", {
        type: "button", className: "tagchip-x", "aria-label": `Remove key ${n}`,
        onclick: () => {
          row.remove();
          this.rows?.querySelector("input")?.focus();
        },
      }, "×"));
    this.rows.append(row);
    if (focus) keyInput.focus();
  }

  /** @returns {(HTMLInputElement | HTMLTextAreaElement)[]} */
  valueInputs() {
    return [...(this.rows?.querySelectorAll(".cfg-value-input") ?? [])];
  }

  /**
   * Secret values are masked while typing unless asked otherwise (a textarea through CSS text-security).
   * @param {HTMLInputElement | HTMLTextAreaElement} field
   */
  mask(field) {
    const hide = this.kind === "Secret" && !this.showValues;
    if (field instanceof HTMLInputElement) field.type = hide ? "password" : "text";
    else field.classList.toggle("is-masked", hide);
  }

  /** @returns {[string, string][]} non-empty rows, as typed */
  readRows() {
    /** @type {[string, string][]} */
    const out = [];
    for (const row of this.rows?.children ?? []) {
      const k = /** @type {HTMLInputElement} */ (row.querySelector(".cfg-key-input")).value;
      const v = /** @type {HTMLInputElement} */ (row.querySelector(".cfg-value-input")).value;
      if (k.trim() === "" && v === "") continue;
      out.push([k.trim(), v]);
    }
    return out;
  }

  /**
   * Plain text <-> base64, row by row, so the room sees that base64 is only an encoding.
   * @param {boolean} plain
   */
  switchEncoding(plain) {
    if (plain === this.plain) return;
    for (const input of this.valueInputs()) {
      if (plain) {
        const text = decodeBase64(input.value);
        if (text !== null) input.value = text; // not base64: left as typed, the server will say so
      } else input.value = encodeBase64(input.value);
      input.dispatchEvent(new Event("input"));
    }
    this.plain = plain;
  }

  submit() {
    const name = this.nameInput?.value.trim() ?? "";
    const rows = this.readRows();
    const keys = rows.map(([k]) => k);
    /** @type {string} */
    let problem = "";
    if (!name) problem = "Give it a name.";
    else if (keys.some((k) => !k)) problem = "Every value needs a key.";
    else {
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup) problem = `The key ${dup} appears twice.`;
    }
    setText(this.error ?? null, problem);
    if (problem) return;
    const data = Object.fromEntries(rows);
    const current = this.editing?.metadata?.resourceVersion;
    this.awaiting = { kind: this.kind, name, version: current === undefined ? null : String(current) };
    const immutable = this.immutable?.checked === true;
    if (this.kind === "ConfigMap") {
      this.awaiting.id = this.editing
        ? this.act("update_configmap", { name, data })
        : this.act("create_configmap", immutable ? { name, data, immutable } : { name, data });
      return;
    }
    /** @type {Record<string, any>} */
    const args = { name };
    if (!this.editing) args.type = this.typeSelect?.value ?? "Opaque";
    // Editing in plain text replaces every value: empty data, then stringData merged on top.
    if (this.plain) {
      if (this.editing) args.data = {};
      args.stringData = data;
    } else args.data = data;
    if (!this.editing && immutable) args.immutable = true;
    this.awaiting.id = this.act(this.editing ? "update_secret" : "create_secret", args);
  }

  /**
   * Close once the server has written what was sent (its resourceVersion moved).
   * @param {(kind: ConfigKind, name: string) => KObject | undefined} lookup
   */
  settle(lookup) {
    if (!this.awaiting || !this.isOpen) return;
    const obj = lookup(this.awaiting.kind, this.awaiting.name);
    const version = obj?.metadata?.resourceVersion;
    if (obj && String(version) !== this.awaiting.version) this.close();
  }

  close() {
    const was = this.el;
    const info = {
      kind: this.kind,
      name: String(this.editing?.metadata?.name ?? this.nameInput?.value.trim() ?? ""),
      editing: Boolean(this.editing),
      hadFocus: Boolean(was?.contains(document.activeElement)),
    };
    this.el = null;
    this.awaiting = null;
    this.editing = null;
    was?.remove();
    this.onClose(info);
  }
}

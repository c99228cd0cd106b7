// @ts-check
/** Deployment cards: counts, revision, the rollout in progress, and the scale / roll out / roll back controls. */

import { h, setText } from "./dom.js";
import { nameOf, naturalCompare, ownerName, revisionOf } from "./k8s.js";
import { EFFECTS, keyProblem, parseLabels, tolerationText, valueProblem } from "./nodeforms.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

const MAX_REPLICAS = 50;

/** @param {KObject} deployment */
export function appOfDeployment(deployment) {
  return String(
    deployment.spec?.template?.metadata?.labels?.app ?? deployment.spec?.selector?.matchLabels?.app ?? nameOf(deployment),
  );
}

/** @param {KObject} obj */
const imageOf = (obj) => String(obj?.spec?.template?.spec?.containers?.[0]?.image ?? "");

const GOOD_RELEASES = ["nginx:1.27", "nginx:1.28", "ghcr.io/example/api:1.0", "ghcr.io/example/api:1.1"];
/** The engine's bad images (cluster_sim/images.py) and what they do, in plain words. */
const BAD_RELEASES = [
  ["ghcr.io/example/api:1.1-bad", "crashes 5 s after each start"],
  ["ghcr.io/example/api:1.1-notready", "runs but never gets Ready"],
];
const MISSING = "__doesnotexist__";
/** "ghcr.io/example/api:1.0" -> "ghcr.io/example/api" @param {string} image */
const repositoryOf = (image) => image.replace(/(@.*|:[^:/]*)$/, "") || "nginx";

export class DeploymentCards {
  /**
   * @param {HTMLElement} root
   * @param {Act} act
   * @param {{ openRollout?: (name: string) => void }} [hooks]
   */
  constructor(root, act, hooks = {}) {
    this.root = root;
    this.act = act;
    this.hooks = hooks;
    /** @type {Map<string, HTMLElement>} */
    this.cards = new Map();
    /** @type {ClusterState | null} */
    this.state = null;
    this.empty = h("p", { className: "empty-note" }, "No Deployments in this cluster.");
  }

  /**
   * @param {ClusterState} state
   * @param {Map<string, string>} colours app -> colour
   */
  update(state, colours) {
    this.state = state;
    const deployments = [...state.kind("Deployment").values()].sort((a, b) => naturalCompare(nameOf(a), nameOf(b)));
    /** @type {Map<string, KObject[]>} */
    const owned = new Map();
    for (const rs of state.kind("ReplicaSet").values()) {
      const owner = ownerName(rs, "Deployment");
      if (!owner) continue;
      const list = owned.get(owner) ?? [];
      list.push(rs);
      owned.set(owner, list);
    }
    const seen = new Set();
    deployments.forEach((deployment, index) => {
      const name = nameOf(deployment);
      seen.add(name);
      let card = this.cards.get(name);
      if (!card) {
        card = this.build(name);
        this.cards.set(name, card);
      }
      if (this.root.children[index] !== card) this.root.insertBefore(card, this.root.children[index] ?? null);
      this.fill(card, deployment, owned.get(name) ?? [], colours.get(appOfDeployment(deployment)) ?? "#E8ECF1");
    });
    for (const [name, card] of this.cards) {
      if (seen.has(name)) continue;
      card.remove();
      this.cards.delete(name);
    }
    if (!deployments.length && !this.empty.isConnected) this.root.append(this.empty);
    if (deployments.length && this.empty.isConnected) this.empty.remove();
  }

  /** @param {string} name */
  build(name) {
    const id = `dep-${name}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const replicas = h("input", {
      type: "number", min: "0", max: String(MAX_REPLICAS), inputmode: "numeric", className: "replicas-input",
      id: `${id}-replicas`, "aria-label": `Replicas of ${name}`,
    });
    const scaleTo = (/** @type {number} */ n) => {
      const value = Math.max(0, Math.min(MAX_REPLICAS, Math.round(n)));
      replicas.value = String(value);
      this.act("scale", { deployment: name, replicas: value });
    };
    replicas.addEventListener("change", () => {
      if (replicas.value.trim() === "" || !Number.isFinite(Number(replicas.value))) return;
      // A typed number goes to the server as typed: it refuses negatives and caps
      // absurd counts, and its answer (shown in the kubectl strip) says so.
      this.act("scale", { deployment: name, replicas: Math.round(Number(replicas.value)) });
    });
    replicas.addEventListener("keydown", (event) => {
      if (event.key === "Enter") replicas.blur();
    });
    const current = () => Number(replicas.value || replicas.dataset.current || 0);
    const image = h("input", {
      type: "text", list: "image-suggestions", className: "image-input", id: `${id}-image`,
      autocomplete: "off", spellcheck: "false", autocapitalize: "off", placeholder: "image:tag",
      "aria-label": `New image for ${name}`,
    });
    const imageForm = h(
      "form",
      {
        className: "image-form",
        onsubmit: (/** @type {Event} */ event) => {
          event.preventDefault();
          const value = image.value.trim();
          if (value) this.act("set_image", { deployment: name, image: value });
        },
      },
      h("label", { for: `${id}-image` }, "Image"),
      h("div", { className: "row" }, image, h("button", { type: "submit", className: "btn btn-primary", "aria-label": `Roll out ${name}` }, "Roll out")),
      this.releasePicker(name, id, image),
    );
    return h(
      "article",
      { className: "deploy", dataset: { deployment: name }, "aria-labelledby": `${id}-title` },
      h(
        "header",
        { className: "deploy-head" },
        h("span", { className: "swatch", "aria-hidden": "true" }),
        h("h3", { id: `${id}-title` }, name),
        h("span", { className: "rev" }),
      ),
      h("p", { className: "deploy-image" }, h("code", null)),
      h(
        "dl",
        { className: "counts" },
        h("div", null, h("dt", null, "Ready"), h("dd", { className: "c-ready" })),
        h("div", null, h("dt", null, "Updated"), h("dd", { className: "c-updated" })),
        h("div", null, h("dt", null, "Available"), h("dd", { className: "c-available" })),
      ),
      h("div", { className: "rollout", hidden: true }),
      h(
        "div",
        { className: "replicas", role: "group", "aria-label": `Scale ${name}` },
        h("label", { for: `${id}-replicas` }, "Replicas"),
        h("div", { className: "stepper" },
          h("button", { type: "button", className: "btn btn-step", "aria-label": `One fewer replica of ${name}`, onclick: () => scaleTo(current() - 1) }, "−"),
          replicas,
          h("button", { type: "button", className: "btn btn-step", "aria-label": `One more replica of ${name}`, onclick: () => scaleTo(current() + 1) }, "+"),
        ),
      ),
      imageForm,
      this.probeToggle(name, id),
      h("div", { className: "row row-end" },
        h("button", {
          type: "button", className: "btn open-rollout", "aria-label": `Open the rollout panel of ${name}`,
          onclick: () => this.hooks.openRollout?.(name),
        }, "Rollout panel"),
        h("button", {
          type: "button", className: "btn rollback", "aria-label": `Roll back ${name}`,
          onclick: () => this.act("rollback", { deployment: name }),
        }, "Roll back"),
      ),
      this.placement(name, id),
    );
  }

  /**
   * @param {HTMLElement} card
   * @param {KObject} d
   * @param {KObject[]} sets
   * @param {string} colour
   */
  fill(card, d, sets, colour) {
    const swatch = /** @type {HTMLElement} */ (card.querySelector(".swatch"));
    if (swatch.style.getPropertyValue("--c") !== colour) swatch.style.setProperty("--c", colour);
    card.style.setProperty("--c", colour);
    const revision = revisionOf(d);
    setText(card.querySelector(".rev"), revision ? `revision ${revision}` : "");
    setText(card.querySelector(".deploy-image code"), imageOf(d));
    const desired = Number(d.spec?.replicas ?? 0);
    const s = d.status ?? {};
    setText(card.querySelector(".c-ready"), `${s.readyReplicas ?? 0}/${desired}`);
    setText(card.querySelector(".c-updated"), String(s.updatedReplicas ?? 0));
    setText(card.querySelector(".c-available"), String(s.availableReplicas ?? 0));

    const replicas = /** @type {HTMLInputElement} */ (card.querySelector(".replicas-input"));
    replicas.dataset.current = String(desired);
    if (document.activeElement !== replicas) replicas.value = String(desired);
    const image = /** @type {HTMLInputElement} */ (card.querySelector(".image-input"));
    if (document.activeElement !== image && image.dataset.shown !== imageOf(d)) {
      image.value = imageOf(d);
      image.dataset.shown = imageOf(d);
    }
    this.fillPlacement(card, d);
    this.fillReleaseControls(card, d);
    const canRollBack = sets.some((rs) => revisionOf(rs) > 0 && revisionOf(rs) < revision);
    /** @type {HTMLButtonElement} */ (card.querySelector(".rollback")).disabled = !canRollBack;
    this.fillRollout(/** @type {HTMLElement} */ (card.querySelector(".rollout")), sets, revision);
  }

  /**
   * Where the pods may go: tolerations, node selector, priority class, disruption budget.
   * @param {string} name
   * @param {string} id
   */
  placement(name, id) {
    const template = () => this.state?.kind("Deployment").get(name)?.spec?.template?.spec ?? {};
    const plain = (/** @type {string} */ label, /** @type {string} */ ph) => h("input", {
      type: "text", className: "tagchip-input", "aria-label": label, placeholder: ph,
      autocomplete: "off", spellcheck: "false", autocapitalize: "off",
    });
    // Tolerations
    const tKey = plain(`Toleration key for ${name}`, "key");
    const tValue = plain(`Toleration value for ${name}`, "value (empty: any)");
    const tEffect = h("select", { className: "select tagchip-select", "aria-label": `Toleration effect for ${name}` },
      new Option("any effect", ""), ...EFFECTS.map((e) => new Option(e, e)));
    const tSeconds = h("input", { type: "number", min: "0", className: "tagchip-num", "aria-label": `Toleration seconds for ${name} (NoExecute only, empty: forever)`, placeholder: "secs" });
    const tError = h("p", { className: "form-error", role: "status" });
    const tolForm = h("form", { className: "tagchip-form", "aria-label": `Add a toleration to ${name}` },
      tKey, tValue, tEffect, tSeconds, h("button", { type: "submit", className: "btn btn-small" }, "Tolerate"));
    tolForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const key = tKey.value.trim();
      const value = tValue.value.trim();
      const problem = keyProblem(key) || valueProblem(value);
      setText(tError, problem ? `Toleration: ${problem}` : "");
      if (problem) return;
      /** @type {Record<string, any>} */
      const tol = value ? { key, operator: "Equal", value } : { key, operator: "Exists" };
      if (tEffect.value) tol.effect = tEffect.value;
      if (tSeconds.value.trim() !== "") {
        if (tEffect.value !== "NoExecute") {
          setText(tError, "Toleration: seconds apply to the NoExecute effect only");
          return;
        }
        tol.tolerationSeconds = Math.max(0, Math.round(Number(tSeconds.value)));
      }
      const list = [...(template().tolerations ?? []), tol];
      this.act("set_tolerations", { deployment: name, tolerations: list });
      tKey.value = "";
      tValue.value = "";
      tSeconds.value = "";
    });
    // Node selector
    const sel = plain(`Node selector for ${name} (key=value, empty to clear)`, "disk=ssd");
    const selError = h("p", { className: "form-error", role: "status" });
    const selForm = h("form", { className: "tagchip-form", "aria-label": `Node selector of ${name}` },
      sel, h("button", { type: "submit", className: "btn btn-small" }, "Set selector"));
    selForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const { labels, error } = parseLabels(sel.value);
      setText(selError, error ? `Selector: ${error}` : "");
      if (error) return;
      this.act("set_node_selector", { deployment: name, nodeSelector: labels });
    });
    // Priority class
    const prio = h("select", { className: "select prio-select", id: `${id}-prio`, "aria-label": `Priority class of ${name}` });
    prio.addEventListener("change", () => this.act("set_priority_class", { deployment: name, priorityClassName: prio.value }));
    // PDB
    const minAvail = h("input", { type: "number", min: "0", max: "50", className: "tagchip-num", value: "1", "aria-label": `Minimum available pods of ${name}` });
    const pdbForm = h("form", { className: "tagchip-form pdb-create", "aria-label": `Disruption budget for ${name}` },
      h("span", null, "min available"), minAvail, h("button", { type: "submit", className: "btn btn-small" }, "Create PDB"));
    pdbForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.act("create_pdb", { deployment: name, minAvailable: Math.max(0, Math.round(Number(minAvail.value || 0))) });
    });
    const pdbShow = h("div", { className: "row pdb-show", hidden: true },
      h("span", { className: "pdb-text" }),
      h("button", { type: "button", className: "btn btn-small btn-danger pdb-delete", "aria-label": `Delete the disruption budget of ${name}` }, "Delete PDB"));
    pdbShow.querySelector("button")?.addEventListener("click", () => {
      const pdb = pdbShow.dataset.pdb;
      if (pdb) this.act("delete_pdb", { name: pdb });
    });
    return h("details", { className: "placement" },
      h("summary", null, "Placement & disruption"),
      h("p", { className: "placement-h" }, "Tolerations"),
      h("ul", { className: "tagchips tolerations", "aria-label": `Tolerations of ${name}` }),
      tolForm, tError,
      h("p", { className: "placement-h" }, "Node selector ", h("code", { className: "selector-now" })),
      selForm, selError,
      h("div", { className: "row" }, h("label", { for: `${id}-prio`, className: "placement-h" }, "Priority class"), prio),
      h("p", { className: "placement-h" }, "PodDisruptionBudget"),
      pdbShow, pdbForm,
    );
  }

  /**
   * @param {HTMLElement} card
   * @param {KObject} d
   */
  fillPlacement(card, d) {
    const name = nameOf(d);
    const spec = d.spec?.template?.spec ?? {};
    const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    const list = /** @type {HTMLElement} */ (card.querySelector(".tolerations"));
    const sig = JSON.stringify(tolerations);
    if (list.dataset.signature !== sig) {
      list.dataset.signature = sig;
      list.replaceChildren(...(tolerations.length ? tolerations.map((/** @type {KObject} */ t, /** @type {number} */ i) => h("li", { className: "tagchip" },
        h("code", null, tolerationText(t)),
        h("button", {
          type: "button", className: "tagchip-x", "aria-label": `Remove toleration ${tolerationText(t)} from ${name}`,
          onclick: () => this.act("set_tolerations", { deployment: name, tolerations: tolerations.filter((/** @type {KObject} */ _, /** @type {number} */ j) => j !== i) }),
        }, "×"))) : [h("li", { className: "tagchip tagchip-none" }, "none (only the default 300 s for lost ships)")]));
    }
    const selector = Object.entries(spec.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(", ");
    setText(card.querySelector(".selector-now"), selector || "(any ship)");
    const prio = /** @type {HTMLSelectElement} */ (card.querySelector(".prio-select"));
    const classes = [...(this.state?.kind("PriorityClass").values() ?? [])]
      .map((pc) => ({ name: nameOf(pc), value: Number(pc.value ?? 0) }))
      .sort((a, b) => b.value - a.value);
    const want = String(spec.priorityClassName ?? "");
    const optSig = classes.map((c) => `${c.name}:${c.value}`).join("|") + `|${want}`;
    if (prio.dataset.signature !== optSig) {
      prio.dataset.signature = optSig;
      const opts = [new Option("(none) · 0", "")];
      for (const c of classes) opts.push(new Option(`${c.name} · ${c.value}`, c.name));
      if (want && !classes.some((c) => c.name === want)) opts.push(new Option(`${want} (missing)`, want));
      prio.replaceChildren(...opts);
    }
    if (document.activeElement !== prio) prio.value = want;
    prio.disabled = !classes.length && !want;
    const app = appOfDeployment(d);
    const pdb = [...(this.state?.kind("PodDisruptionBudget").values() ?? [])].find((p) =>
      p.spec?.selector?.matchLabels?.app === app || nameOf(p) === name);
    const show = /** @type {HTMLElement} */ (card.querySelector(".pdb-show"));
    const create = /** @type {HTMLElement} */ (card.querySelector(".pdb-create"));
    show.hidden = !pdb;
    create.hidden = Boolean(pdb);
    if (pdb) {
      show.dataset.pdb = nameOf(pdb);
      const limit = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : `maxUnavailable ${pdb.spec?.maxUnavailable}`;
      const allowed = pdb.status?.disruptionsAllowed;
      setText(show.querySelector(".pdb-text"), `${nameOf(pdb)}: ${limit} · disruptions allowed ${allowed ?? "?"}`);
    }
  }

  /**
   * Releases to try, the bad ones in plain words (cluster_sim/README.md "Image behaviour").
   * Picking one fills the image field; "Roll out" sends it.
   * @param {string} name
   * @param {string} id
   * @param {HTMLInputElement} image
   */
  releasePicker(name, id, image) {
    const select = h("select", { className: "select release-select", id: `${id}-release`, "aria-label": `Pick a release for ${name}` },
      new Option("Pick a release…", ""),
      h("optgroup", { label: "Good releases" }, ...GOOD_RELEASES.map((r) => new Option(r, r))),
      h("optgroup", { label: "Bad releases (to see a rollout stall)" },
        ...BAD_RELEASES.map(([value, words]) => new Option(`${value.split("/").pop()}: ${words}`, value)),
        h("option", { value: MISSING, className: "release-missing" }, "…:doesnotexist: the image does not exist")),
    );
    select.addEventListener("change", () => {
      if (!select.value) return;
      image.value = select.value === MISSING ? `${repositoryOf(image.dataset.shown ?? image.value)}:doesnotexist` : select.value;
      select.value = "";
      image.focus();
    });
    return h("div", { className: "release-pick" }, select);
  }

  /**
   * One click adds or removes the readiness probe (set_probe), with why it matters for a bad release.
   * @param {string} name
   * @param {string} id
   */
  probeToggle(name, id) {
    const button = h("button", {
      type: "button", className: "btn btn-small probe-toggle", "aria-pressed": "false", "aria-describedby": `${id}-probe-hint`,
      onclick: () => this.act("set_probe", { deployment: name, probe: "readiness", enabled: button.getAttribute("aria-pressed") !== "true" }),
    }, "Readiness probe: off");
    return h("div", { className: "probe-row" }, button,
      h("p", { className: "hint probe-hint", id: `${id}-probe-hint` },
        "A bad release only stalls with a readiness probe (or minReadySeconds): without one, a crashing pod counts as Ready for a moment and the rollout runs right through it. Adding the probe is itself a rollout."));
  }

  /**
   * @param {HTMLElement} card
   * @param {KObject} d
   */
  fillReleaseControls(card, d) {
    const probe = Boolean(d.spec?.template?.spec?.containers?.[0]?.readinessProbe);
    const button = /** @type {HTMLButtonElement} */ (card.querySelector(".probe-toggle"));
    button.setAttribute("aria-pressed", String(probe));
    setText(button, `Readiness probe: ${probe ? "on" : "off"}`);
    button.setAttribute("aria-label", `Readiness probe of ${nameOf(d)}: ${probe ? "on, click to remove it" : "off, click to add it"}`);
    const missing = card.querySelector(".release-missing");
    setText(missing, `${repositoryOf(imageOf(d)).split("/").pop()}:doesnotexist: the image does not exist`);
  }

  /**
   * Old and new ReplicaSets side by side while a rollout is under way.
   * @param {HTMLElement} box
   * @param {KObject[]} sets
   * @param {number} revision
   */
  fillRollout(box, sets, revision) {
    const live = sets
      .filter((rs) => Number(rs.spec?.replicas ?? 0) > 0 || Number(rs.status?.replicas ?? 0) > 0)
      .sort((a, b) => revisionOf(b) - revisionOf(a));
    const active = live.length > 1;
    box.hidden = !active;
    box.closest(".deploy")?.classList.toggle("rolling", active);
    if (!active) {
      if (box.childElementCount) box.replaceChildren();
      return;
    }
    const rows = live.map((rs) => {
      const rev = revisionOf(rs);
      const isNew = rev >= revision;
      const pods = Number(rs.status?.replicas ?? 0);
      const ready = Number(rs.status?.readyReplicas ?? 0);
      const want = Number(rs.spec?.replicas ?? 0);
      return h(
        "li",
        { className: isNew ? "rs rs-new" : "rs rs-old" },
        h("span", { className: isNew ? "chip chip-new" : "chip chip-old", "aria-hidden": "true" }),
        h("span", { className: "rs-name" }, `${isNew ? "new" : "old"} · revision ${rev}`),
        h("span", { className: "rs-image" }, imageOf(rs)),
        h("span", { className: "rs-count" }, `${ready} ready / ${pods} pods${want !== pods ? ` → ${want}` : ""}`),
      );
    });
    const signature = rows.map((r) => r.textContent).join("|");
    if (box.dataset.signature === signature) return;
    box.dataset.signature = signature;
    const name = String(box.closest(".deploy")?.getAttribute("data-deployment") ?? "");
    box.replaceChildren(
      h("p", { className: "rollout-title" }, "Rollout in progress ",
        h("button", {
          type: "button", className: "btn btn-small rollout-open", "aria-label": `Watch the rollout of ${name} in the rollout panel`,
          onclick: () => this.hooks.openRollout?.(name),
        }, "Watch it")),
      h("ul", null, ...rows));
  }
}

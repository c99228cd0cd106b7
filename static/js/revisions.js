// @ts-check
/** The revision timeline of a Deployment: one entry per ReplicaSet revision, what changed, one-click rollback. */

import { h, setText } from "./dom.js";
import { nameOf, revisionOf } from "./k8s.js";
import { CAUSE_ANNOTATION, HISTORY_ANNOTATION } from "./rolloutmath.js";

/**
 * @typedef {import("./k8s.js").KObject} KObject
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

/** @param {KObject | undefined} rs */
const firstContainer = (rs) => rs?.spec?.template?.spec?.containers?.[0] ?? {};

/** "ghcr.io/example/api:1.1-bad" -> "api:1.1-bad" (the registry path says little on a slide). */
export const shortImage = (/** @type {string} */ image) => String(image ?? "").split("/").pop() ?? "";

const stable = (/** @type {any} */ v) => JSON.stringify(v ?? null, (_k, val) =>
  val && typeof val === "object" && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val);

const PROBES = [["readinessProbe", "readiness probe"], ["livenessProbe", "liveness probe"], ["startupProbe", "startup probe"]];

/**
 * What changed in the pod template from one revision to the next, in a few words.
 * @param {KObject | undefined} before
 * @param {KObject} after
 * @returns {string[]}
 */
export function templateChanges(before, after) {
  if (!before) return ["first revision"];
  const out = [];
  const a = firstContainer(before);
  const b = firstContainer(after);
  if (a.image !== b.image) out.push(`image ${shortImage(a.image)} → ${shortImage(b.image)}`);
  for (const [field, words] of PROBES) {
    if (!a[field] && b[field]) out.push(`+ ${words}`);
    else if (a[field] && !b[field]) out.push(`− ${words}`);
    else if (stable(a[field]) !== stable(b[field])) out.push(`${words} changed`);
  }
  const annA = before.spec?.template?.metadata?.annotations ?? {};
  const annB = after.spec?.template?.metadata?.annotations ?? {};
  if (annA["kubectl.kubernetes.io/restartedAt"] !== annB["kubectl.kubernetes.io/restartedAt"] && annB["kubectl.kubernetes.io/restartedAt"]) {
    out.push("restarted");
  }
  for (const key of new Set([...Object.keys(annA), ...Object.keys(annB)])) {
    if (key === "kubectl.kubernetes.io/restartedAt" || annA[key] === annB[key]) continue;
    out.push(`annotation ${key}`);
  }
  const skip = new Set(["image", ...PROBES.map(([f]) => f)]);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!skip.has(key) && stable(a[key]) !== stable(b[key])) out.push(`${key} changed`);
  }
  const podA = before.spec?.template?.spec ?? {};
  const podB = after.spec?.template?.spec ?? {};
  for (const key of [...new Set([...Object.keys(podA), ...Object.keys(podB)])].sort()) {
    if (key !== "containers" && stable(podA[key]) !== stable(podB[key])) out.push(`${key} changed`);
  }
  return out.length ? out : ["same template"];
}

/**
 * The changes from the entry above; "vs #N" when that is not the revision just before (a rollback renumbered it).
 * @param {KObject | undefined} before
 * @param {KObject} after
 */
function whatChanged(before, after) {
  const changes = templateChanges(before, after);
  if (!before || revisionOf(before) === revisionOf(after) - 1) return changes;
  return [`vs #${revisionOf(before)}: ${changes[0]}`, ...changes.slice(1)];
}

/** kubectl's command for going back to a revision. @param {string} deployment @param {number} revision */
export const undoCommand = (deployment, revision) => `kubectl rollout undo deployment/${deployment} --to-revision=${revision}`;

export class RevisionTimeline {
  /** @param {Act} act */
  constructor(act) {
    this.act = act;
    this.deployment = "";
    this.list = h("ol", { className: "ro-timeline", "aria-label": "Revisions, oldest first" });
    this.command = h("code", { className: "ro-undo-command" });
    this.hint = h("p", { className: "ro-undo-hint" }, h("span", { className: "ro-undo-lead" }, ""), this.command);
    this.root = h("div", { className: "ro-history" },
      h("h3", { className: "ro-sub" }, "Revisions ", h("span", { className: "hint" }, "click an older one to roll back")),
      this.list, this.hint);
    /** @type {number} the revision whose command the hint shows (hover or focus), 0 for the default */
    this.pointing = 0;
    this.defaultRevision = 0;
  }

  /**
   * @param {KObject} d
   * @param {KObject[]} sets oldest revision first
   */
  update(d, sets) {
    const name = nameOf(d);
    this.deployment = name;
    const current = revisionOf(d);
    const paused = Boolean(d.spec?.paused);
    const ranked = sets.filter((rs) => revisionOf(rs) > 0);
    const entries = ranked.map((rs, i) => {
      const rev = revisionOf(rs);
      const cause = rs.metadata?.annotations?.[CAUSE_ANNOTATION];
      const was = String(rs.metadata?.annotations?.[HISTORY_ANNOTATION] ?? "").split(",").filter(Boolean);
      return {
        rev, image: String(firstContainer(rs).image ?? ""),
        what: cause ? [String(cause)] : whatChanged(ranked[i - 1], rs),
        was, isCurrent: rev === current,
      };
    });
    const older = entries.filter((e) => e.rev < current);
    this.defaultRevision = older.length ? older[older.length - 1].rev : 0;
    const signature = stable({ name, current, paused, entries });
    if (this.list.dataset.signature !== signature) {
      this.list.dataset.signature = signature;
      this.list.replaceChildren(...entries.map((e) => this.entry(name, e, paused)));
    }
    this.showHint();
  }

  /**
   * @param {string} name
   * @param {{ rev: number, image: string, what: string[], was: string[], isCurrent: boolean }} e
   * @param {boolean} paused
   */
  entry(name, e, paused) {
    const body = [
      h("span", { className: "ro-rev-num" }, `${e.rev}`),
      h("span", { className: "ro-rev-image" }, shortImage(e.image)),
      h("span", { className: "ro-rev-what" }, e.what.join(" · ")),
      e.was.length ? h("span", { className: "ro-rev-was" }, `was revision ${e.was.join(", ")}`) : null,
    ];
    if (e.isCurrent) {
      return h("li", { className: "ro-rev ro-rev-current", "aria-current": "step" },
        h("div", { className: "ro-rev-box" }, ...body, h("span", { className: "ro-rev-tag" }, "current")));
    }
    const button = h("button", {
      type: "button", className: "ro-rev-box ro-rev-button",
      "aria-label": `Revision ${e.rev} of ${name}, ${shortImage(e.image)}: roll back to it (${undoCommand(name, e.rev)})`,
      "aria-disabled": paused ? "true" : null,
      onclick: () => {
        if (paused) {
          this.pointing = e.rev;
          this.showHint("A paused Deployment cannot be rolled back: resume it first. ");
          return;
        }
        this.act("rollback", { deployment: name, to_revision: e.rev });
      },
    }, ...body);
    const point = () => {
      this.pointing = e.rev;
      this.showHint();
    };
    const leave = () => {
      this.pointing = 0;
      this.showHint();
    };
    button.addEventListener("pointerenter", point);
    button.addEventListener("focus", point);
    button.addEventListener("pointerleave", leave);
    button.addEventListener("blur", leave);
    return h("li", { className: "ro-rev" }, button);
  }

  /** The exact command a click runs, shown before the click. @param {string} [lead] */
  showHint(lead) {
    const rev = this.pointing || this.defaultRevision;
    this.hint.hidden = !rev;
    if (!rev) return;
    setText(this.hint.querySelector(".ro-undo-lead"), lead ?? (this.pointing ? `Click runs: ` : `Back to revision ${rev}: `));
    setText(this.command, undoCommand(this.deployment, rev));
  }
}

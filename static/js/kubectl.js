// @ts-check
/** The kubectl command equivalent to each playground action and control. */

import { kubectlForTraffic } from "./trafficcommands.js";

/**
 * @param {string} action  one of the actions in docs/ARCHITECTURE.md
 * @param {Record<string, any>} args
 * @param {{ containerOf?: (deployment: string) => string, templateOf?: (deployment: string) => any }} [lookup]
 * @returns {string}
 */
export function kubectlFor(action, args, lookup = {}) {
  const config = configCommand(action, args, lookup);
  if (config) return config;
  const traffic = kubectlForTraffic(action, args);
  if (traffic !== null) return traffic;
  switch (action) {
    case "delete_pod":
      return `kubectl delete pod ${args.name}${args.grace_period !== undefined ? ` --grace-period=${args.grace_period}` : ""}${args.force ? " --force" : ""}`;
    case "crash_pod":
      return `kubectl exec ${args.name} -- kill 1   # the app exits with code 1`;
    case "scale":
      return `kubectl scale deployment/${args.deployment} --replicas=${args.replicas}`;
    case "set_image": {
      const container = lookup.containerOf?.(args.deployment) ?? args.deployment;
      return `kubectl set image deployment/${args.deployment} ${container}=${args.image}`;
    }
    case "rollback":
      return `kubectl rollout undo deployment/${args.deployment}${args.to_revision !== undefined ? ` --to-revision=${args.to_revision}` : ""}`;
    case "pause_rollout":
      return `kubectl rollout pause deployment/${args.deployment}`;
    case "resume_rollout":
      return `kubectl rollout resume deployment/${args.deployment}`;
    case "restart_rollout":
      return `kubectl rollout restart deployment/${args.deployment}`;
    case "set_rollout":
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify(rolloutPatch(args))}'`;
    case "set_probe": {
      const container = lookup.containerOf?.(args.deployment) ?? args.deployment;
      const probe = args.enabled ? { httpGet: { path: "/healthz", port: 80 } } : null;
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify({ spec: { template: { spec: { containers: [{ name: container, [`${args.probe}Probe`]: probe }] } } } })}'`;
    }
    case "add_node": {
      const labels = Object.entries(args.labels ?? {}).map(([k, v]) => `${k}=${v}`);
      const taints = (args.taints ?? []).map(taintArg);
      let line = `# a new ${args.size} machine joins · kubectl get nodes`;
      if (labels.length) line += ` · kubectl label nodes NEW ${labels.join(" ")}`;
      if (taints.length) line += ` · kubectl taint nodes NEW ${taints.join(" ")}`;
      return line;
    }
    case "cordon":
      return `kubectl cordon ${args.name}`;
    case "uncordon":
      return `kubectl uncordon ${args.name}`;
    case "drain":
      return `kubectl drain ${args.name} --ignore-daemonsets --delete-emptydir-data`;
    case "sink_node":
      return `# sink ${args.name} (the machine stops: kubelet heartbeats stop)`;
    case "raise_node":
      return `# raise ${args.name} (the machine is back: kubelet heartbeats resume)`;
    case "taint_node":
      return `kubectl taint nodes ${args.name} ${taintArg(args)}`;
    case "untaint_node":
      return `kubectl taint nodes ${args.name} ${args.key}${args.effect ? `:${args.effect}` : ""}-`;
    case "label_node": {
      const parts = Object.entries(args.labels ?? {}).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`));
      return `kubectl label nodes ${args.name} ${parts.join(" ")}${parts.some((p) => !p.endsWith("-")) ? " --overwrite" : ""}`;
    }
    case "set_tolerations":
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify({ spec: { template: { spec: { tolerations: args.tolerations } } } })}'`;
    case "set_node_selector":
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify({ spec: { template: { spec: { nodeSelector: args.nodeSelector } } } })}'`;
    case "set_priority_class":
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify({ spec: { template: { spec: { priorityClassName: args.priorityClassName } } } })}'`;
    case "create_pdb": {
      const limit = args.maxUnavailable !== undefined ? `--max-unavailable=${args.maxUnavailable}` : `--min-available=${args.minAvailable}`;
      return `kubectl create pdb ${args.deployment}-pdb --selector=app=${args.deployment} ${limit}`;
    }
    case "delete_pdb":
      return `kubectl delete pdb ${args.name}`;
    case "remove_node":
      return `kubectl drain ${args.name} --ignore-daemonsets && kubectl delete node ${args.name}`;
    case "set_strategy":
      return `# scheduler profile: NodeResourcesFit.scoringStrategy.type = ${args.strategy}`;
    default:
      return `# ${action}`;
  }
}

/**
 * What a time control does, in words (there is no kubectl for time).
 * @param {string} control
 * @param {Record<string, any>} [args]
 */
export function describeControl(control, args = {}) {
  switch (control) {
    case "pause":
      return "# simulation paused";
    case "resume":
      return "# simulation resumed";
    case "step":
      return "# one tick of simulated time";
    case "speed":
      return `# simulation speed ${args.speed}×`;
    default:
      return `# ${control}`;
  }
}

/** @param {{ key: string, value?: string, effect: string }} t */
function taintArg(t) {
  return `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
}

/** Secret values never reach the kubectl strip (it is on the projector): masked as in the panel. */
const MASKED = "••••";

/** @param {string} s  a shell word, quoted when it needs it */
function shellWord(s) {
  return /^[A-Za-z0-9_.,:/@%+=•-]*$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * `--from-literal=K=V` flags.
 * @param {Record<string, any> | undefined} data
 * @param {boolean} mask
 */
function literals(data, mask) {
  return Object.entries(data ?? {}).map(([k, v]) => `--from-literal=${shellWord(`${k}=${mask ? MASKED : String(v)}`)}`).join(" ");
}

/**
 * The kubectl command for the ConfigMap and Secret actions, or "" for other actions.
 * @param {string} action
 * @param {Record<string, any>} args
 * @param {{ containerOf?: (deployment: string) => string, templateOf?: (deployment: string) => any }} lookup
 */
function configCommand(action, args, lookup) {
  const name = String(args.name ?? "");
  switch (action) {
    case "create_configmap": {
      const line = `kubectl create configmap ${name} ${literals(args.data, false)}`.trimEnd();
      return args.immutable ? `${line} && kubectl patch configmap ${name} -p '{"immutable":true}'` : line;
    }
    case "update_configmap":
      return `kubectl create configmap ${name} ${literals(args.data, false)} --dry-run=client -o yaml | kubectl apply -f -`;
    case "delete_configmap":
      return `kubectl delete configmap ${name}`;
    case "create_secret":
    case "update_secret": {
      const type = String(args.type ?? "Opaque");
      const plain = Object.keys(args.stringData ?? {}).length > 0;
      let line;
      if (type === "kubernetes.io/tls" && action === "create_secret") line = `kubectl create secret tls ${name} --cert=tls.crt --key=tls.key`;
      else {
        const flags = literals(plain ? args.stringData : args.data, true);
        const typeFlag = action === "create_secret" && type !== "Opaque" ? ` --type=${type}` : "";
        line = `kubectl create secret generic ${name}${typeFlag} ${flags}`.trimEnd();
        if (action === "update_secret") line += " --dry-run=client -o yaml | kubectl apply -f -";
      }
      if (args.immutable) line += ` && kubectl patch secret ${name} -p '{"immutable":true}'`;
      // kubectl encodes --from-literal itself; base64 typed by hand goes into the manifest's data instead.
      return plain || type === "kubernetes.io/tls" ? line : `${line}  # values typed base64: they go to .data as given`;
    }
    case "delete_secret":
      return `kubectl delete secret ${name}`;
    case "use_config": {
      const ref = `${args.kind === "Secret" ? "secret" : "configmap"}/${name}`;
      if (args.as !== "volume") return `kubectl set env deployment/${args.deployment} --from=${ref}${args.key ? ` --keys=${shellWord(args.key)}` : ""}`;
      const secret = args.kind === "Secret";
      const container = lookup.containerOf?.(args.deployment) ?? args.deployment;
      const volume = secret ? { name, secret: { secretName: name } } : { name, configMap: { name } };
      const root = `/etc/${secret ? "secrets" : "config"}/${name}`;
      const mount = args.subPath
        ? { name, mountPath: `${root}/${args.subPath}`, subPath: args.subPath, ...(secret ? { readOnly: true } : {}) }
        : { name, mountPath: root, ...(secret ? { readOnly: true } : {}) };
      if (args.optional) Object.assign(secret ? volume.secret : volume.configMap, { optional: true });
      const patch = { spec: { template: { spec: { volumes: [volume], containers: [{ name: container, volumeMounts: [mount] }] } } } };
      return `kubectl patch deployment ${args.deployment} -p '${JSON.stringify(patch)}'`;
    }
    case "unuse_config":
      return unuseCommand(args, lookup);
    case "roll_out_config":
      return `kubectl patch deployment ${args.deployment} -p '{"spec":{"template":{"metadata":{"annotations":{"checksum/config":"<sha256 of the config>"}}}}}'`;
    default:
      return "";
  }
}

/**
 * A JSON patch removing the envFrom entry, volume and mount that use the object (their indexes now).
 * @param {Record<string, any>} args
 * @param {{ templateOf?: (deployment: string) => any }} lookup
 */
function unuseCommand(args, lookup) {
  const spec = lookup.templateOf?.(args.deployment)?.spec ?? {};
  const secret = args.kind === "Secret";
  /** @type {string[]} */
  const paths = [];
  (spec.containers ?? []).forEach((/** @type {any} */ c, /** @type {number} */ ci) => {
    (c?.envFrom ?? []).forEach((/** @type {any} */ e, /** @type {number} */ i) => {
      if ((secret ? e?.secretRef?.name : e?.configMapRef?.name) === args.name) paths.push(`/spec/template/spec/containers/${ci}/envFrom/${i}`);
    });
    (c?.env ?? []).forEach((/** @type {any} */ e, /** @type {number} */ i) => {
      const from = secret ? e?.valueFrom?.secretKeyRef : e?.valueFrom?.configMapKeyRef;
      if (from?.name === args.name) paths.push(`/spec/template/spec/containers/${ci}/env/${i}`);
    });
  });
  const volumes = (spec.volumes ?? []).map((/** @type {any} */ v, /** @type {number} */ i) => [v, i])
    .filter(([v]) => (secret ? v?.secret?.secretName : v?.configMap?.name) === args.name);
  for (const [v, i] of volumes) {
    (spec.containers ?? []).forEach((/** @type {any} */ c, /** @type {number} */ ci) => {
      (c?.volumeMounts ?? []).forEach((/** @type {any} */ m, /** @type {number} */ mi) => {
        if (m?.name === v.name) paths.push(`/spec/template/spec/containers/${ci}/volumeMounts/${mi}`);
      });
    });
    paths.push(`/spec/template/spec/volumes/${i}`);
  }
  if (!paths.length) return `kubectl edit deployment ${args.deployment}  # remove ${secret ? "secret" : "configmap"}/${args.name}`;
  // Highest index first within each list, so earlier removals do not shift later ones.
  paths.sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  const ops = paths.map((path) => ({ op: "remove", path }));
  return `kubectl patch deployment ${args.deployment} --type=json -p '${JSON.stringify(ops)}'`;
}

/**
 * The strategic merge patch for set_rollout (Recreate clears rollingUpdate, as the API server requires).
 * @param {Record<string, any>} args
 */
function rolloutPatch(args) {
  /** @type {Record<string, any>} */
  const spec = {};
  if (args.strategy !== undefined || args.maxSurge !== undefined || args.maxUnavailable !== undefined) {
    /** @type {Record<string, any>} */
    const strategy = {};
    if (args.strategy !== undefined) strategy.type = args.strategy;
    if (args.strategy === "Recreate") strategy.rollingUpdate = null;
    else if (args.maxSurge !== undefined || args.maxUnavailable !== undefined) {
      strategy.rollingUpdate = {};
      if (args.maxSurge !== undefined) strategy.rollingUpdate.maxSurge = args.maxSurge;
      if (args.maxUnavailable !== undefined) strategy.rollingUpdate.maxUnavailable = args.maxUnavailable;
    }
    spec.strategy = strategy;
  }
  for (const key of ["minReadySeconds", "progressDeadlineSeconds", "revisionHistoryLimit"]) {
    if (args[key] !== undefined) spec[key] = args[key];
  }
  return { spec };
}

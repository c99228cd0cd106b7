// @ts-check
/** The kubectl command equivalent to each playground action and control. */

/**
 * @param {string} action  one of the actions in docs/ARCHITECTURE.md
 * @param {Record<string, any>} args
 * @param {{ containerOf?: (deployment: string) => string }} [lookup]
 * @returns {string}
 */
export function kubectlFor(action, args, lookup = {}) {
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

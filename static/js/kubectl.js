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
      return `kubectl delete pod ${args.name}`;
    case "scale":
      return `kubectl scale deployment/${args.deployment} --replicas=${args.replicas}`;
    case "set_image": {
      const container = lookup.containerOf?.(args.deployment) ?? args.deployment;
      return `kubectl set image deployment/${args.deployment} ${container}=${args.image}`;
    }
    case "rollback":
      return `kubectl rollout undo deployment/${args.deployment}`;
    case "add_node":
      return `# a new ${args.size} machine joins · kubectl get nodes`;
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

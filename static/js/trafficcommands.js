// @ts-check
/** The kubectl command for each Service, traffic, CPU-model and HPA action (kubectl.js asks here first). */

/**
 * @param {string} action
 * @param {Record<string, any>} args
 * @returns {string | null} null when the action is not one of these
 */
export function kubectlForTraffic(action, args) {
  switch (action) {
    case "create_service": {
      const target = args.deployment ? `deployment ${args.deployment}` : `pod --selector=${selectorText(args.selector)}`;
      let line = `kubectl expose ${target} --port=${args.port ?? 80} --target-port=${args.targetPort ?? 80}`;
      if (args.name && args.name !== args.deployment) line += ` --name=${args.name}`;
      if (args.type && args.type !== "ClusterIP") line += ` --type=${args.type}`;
      return line;
    }
    case "delete_service":
      return `kubectl delete service ${args.name}`;
    case "set_traffic":
      // Load is not a kubectl thing: it is what a load generator does.
      return `# load generator: ${args.rps} requests/s to service/${args.service} (like hey -q ${args.rps} -c 1 http://${args.service})`;
    case "set_proxy_mode":
      return `# kube-proxy --proxy-mode=${args.mode} (kubectl -n kube-system edit configmap kube-proxy: mode: "${args.mode}")`;
    case "set_cpu_model":
      return `kubectl annotate deployment ${args.deployment} playground.k8s/cpu-model='${JSON.stringify({ base: args.base, perRequest: args.perRequest })}' --overwrite`;
    case "create_hpa": {
      const line = `kubectl autoscale deployment ${args.deployment} --cpu-percent=${args.cpuPercent} --min=${args.minReplicas ?? 1} --max=${args.maxReplicas}`;
      // kubectl autoscale has no flag for behavior: it is a patch after.
      if (args.behavior === undefined) return line;
      return `${line} && kubectl patch hpa ${args.deployment} -p '${JSON.stringify({ spec: { behavior: args.behavior } })}'`;
    }
    case "update_hpa": {
      /** @type {Record<string, any>} */
      const spec = {};
      if (args.minReplicas !== undefined) spec.minReplicas = args.minReplicas;
      if (args.maxReplicas !== undefined) spec.maxReplicas = args.maxReplicas;
      if (args.cpuPercent !== undefined) {
        spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.cpuPercent } } }];
      }
      if (args.behavior !== undefined) spec.behavior = args.behavior;
      return `kubectl patch hpa ${args.name} -p '${JSON.stringify({ spec })}'`;
    }
    case "delete_hpa":
      return `kubectl delete hpa ${args.name}`;
    default:
      return null;
  }
}

/** @param {Record<string, string> | undefined} selector */
function selectorText(selector) {
  return Object.entries(selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

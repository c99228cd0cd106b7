// @ts-check
/** Traffic and autoscaling, put together: the Services panel, the HPA gauges in the Deployment cards, the overlay on the stage. */

import { HpaGauges } from "./hpa.js";
import { TrafficOverlay } from "./flow.js";
import { TrafficPanel } from "./traffic.js";

/**
 * @typedef {import("./state.js").ClusterState} ClusterState
 * @typedef {import("./stage.js").Stage} Stage
 * @typedef {(action: string, args: Record<string, any>) => void} Act
 */

/** Kinds whose changes this part shows (besides the clock, which moves its countdowns). */
const KINDS = ["Service", "EndpointSlice", "PodMetrics", "HorizontalPodAutoscaler", "Pod", "Deployment", "Settings"];

/**
 * @param {{ stageEl: HTMLElement, stage: Stage, act: Act, panelRoot: HTMLElement | null, cardsRoot: HTMLElement }} parts
 */
export function mountTraffic({ stageEl, stage, act, panelRoot, cardsRoot }) {
  const overlay = new TrafficOverlay(stageEl, stage);
  const panel = panelRoot ? new TrafficPanel(panelRoot, act, { onShowCpu: (on) => overlay.setShowCpu(on) }) : null;
  const gauges = new HpaGauges(cardsRoot, act);
  return {
    overlay,
    panel,
    gauges,
    /**
     * @param {ClusterState} state
     * @param {Set<string>} kinds  what changed since the last frame
     * @param {Map<string, string>} colours  app -> colour
     */
    update(state, kinds, colours) {
      if (!KINDS.some((k) => kinds.has(k))) return;
      panel?.update(state);
      gauges.update(state);
      overlay.update(state, colours);
    },
  };
}

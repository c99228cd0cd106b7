"""Score every feasible node with every default score plugin, weighted (SCH-6, SCH-19, SCH-21).

Each plugin's scores are normalized to 0..100; a skipped plugin gives 0 to every
node. The decision records the normalized scores; total = Σ weight x score.
"""

from .affinity import node_affinity_raw, normalize, preferred_terms
from .plugins import balanced_allocation_score, resources_fit_score
from .scores import image_holders, image_locality, prefer_no_schedule_count
from .spread import scoring_constraints, spread_scores

WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "NodeResourcesFit": 1,
    "PodTopologySpread": 2,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE = 5


def num_feasible_nodes_to_find(nodes: int, percentage: int = 0) -> int:
    """SCH-21: all nodes below 100; else an adaptive share, at least 100."""
    if nodes < MIN_FEASIBLE_NODES_TO_FIND or percentage >= 100:
        return nodes
    if percentage == 0:
        percentage = max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - nodes // 125)
    return max(nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


def score_all(cluster, pod, pod_requests, feasible, infos) -> dict[str, dict[str, int]]:
    names = [info.name for info in feasible]
    strategy = cluster.settings["strategy"]
    shape = cluster.settings.get("shape")
    result = {
        "TaintToleration": normalize(
            {info.name: prefer_no_schedule_count(pod, info.node) for info in feasible},
            reverse=True,
        ),
        "NodeAffinity": (
            normalize({info.name: node_affinity_raw(pod, info.node) for info in feasible})
            if preferred_terms(pod)
            else dict.fromkeys(names, 0)
        ),
        "NodeResourcesFit": {
            info.name: resources_fit_score(strategy, pod, info, shape) for info in feasible
        },
    }
    constraints, require_all = scoring_constraints(cluster, pod)
    spread = spread_scores(constraints, require_all, pod, feasible, list(infos.values()))
    result["PodTopologySpread"] = spread if spread is not None else dict.fromkeys(names, 0)
    result["NodeResourcesBalancedAllocation"] = {
        info.name: balanced_allocation_score(pod_requests, info) for info in feasible
    }
    nodes = [info.node for info in infos.values()]
    holders = image_holders(nodes)
    result["ImageLocality"] = {
        info.name: image_locality(pod, info.node, holders, len(nodes)) for info in feasible
    }
    return result

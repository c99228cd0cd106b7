"""The FitError message of SCH-23 and the preemption suffix of SCH-24."""

from collections import Counter

NO_NODES = "no nodes available to schedule pods"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"


def histogram(counts: Counter) -> str:
    """ "<count> <reason>" entries sorted as plain strings ("10 x" < "2 x"), joined by ", "."""
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))


def fit_error_message(
    node_count: int, failures: list[tuple[list[str], bool]], preemption: str | None = ...
) -> str:
    """failures: per node, (reasons of its first failing filter, unresolvable?).

    preemption is the PostFilter's "preemption: ..." text, None when preemption
    nominated a node (no suffix then). Left out, it is the message for a pod no
    lower-priority pod could make room for.
    """
    if node_count == 0:
        return NO_NODES
    reasons = Counter(reason for node_reasons, _ in failures for reason in node_reasons)
    message = f"0/{node_count} nodes are available: {histogram(reasons)}."
    if preemption is ...:
        counts = Counter(
            NOT_HELPFUL if unresolvable else NO_VICTIMS for _, unresolvable in failures
        )
        preemption = f"preemption: 0/{node_count} nodes are available: {histogram(counts)}."
    return f"{message} {preemption}" if preemption else message

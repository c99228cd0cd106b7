"""Pod priority (SCH-1, SCH-24): PriorityClass objects and the Priority admission plugin."""

from .objects import priority_class

DEMO_CLASSES = (
    ("high-priority", 1000, "Pods that may preempt ordinary ones."),
    ("low-priority", -10, "Pods that give way first."),
)


def create_demo_classes(cluster) -> None:
    for name, value, description in DEMO_CLASSES:
        cluster.store.create(priority_class(cluster, name, value, description))


def admit(cluster, spec: dict) -> str | None:
    """Fill spec.priority from spec.priorityClassName; the refusal message if it is unknown."""
    name = spec.get("priorityClassName")
    if not name:
        spec["priority"] = 0  # no globalDefault class exists
        return None
    pc = cluster.store.get("PriorityClass", name)
    if pc is None:
        return f"no PriorityClass with name {name} was found"
    spec["priority"] = pc["value"]
    spec["preemptionPolicy"] = pc.get("preemptionPolicy", "PreemptLowerPriority")
    return None

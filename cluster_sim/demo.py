"""The starting cluster: three ships of different sizes, two PriorityClasses and two
Deployments, settled.

The Deployments are created as objects; the controllers, the scheduler and the
kubelets do the rest while simulated time runs, so the event log tells the
whole story from the first ReplicaSet to the last Started container.
"""

from .objects import new_deployment
from .priority import create_demo_classes

SETTLE_SECONDS = 10


def populate(cluster) -> None:
    for size in ("small", "medium", "large"):
        cluster.nodes.add(cluster, size)
    create_demo_classes(cluster)
    cluster.store.create(
        new_deployment(
            cluster,
            "web",
            image="nginx:1.27",
            container_name="web",
            cpu="250m",
            memory="128Mi",
            replicas=6,
        )
    )
    cluster.store.create(
        new_deployment(
            cluster,
            "api",
            image="ghcr.io/example/api:1.0",
            container_name="api",
            cpu="500m",
            memory="512Mi",
            replicas=3,
        )
    )
    cluster.reconcile()
    cluster.step(SETTLE_SECONDS)

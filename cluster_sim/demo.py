"""The starting cluster: three ships of different sizes, two PriorityClasses, two
Deployments with their config (a ConfigMap and a Secret) and a Service with steady
traffic, settled.

The Deployments are created as objects; the controllers, the scheduler and the
kubelets do the rest while simulated time runs, so the event log tells the
whole story from the first ReplicaSet to the last Started container.
"""

from .config_demo import add_demo_config
from .objects import new_deployment
from .priority import create_demo_classes
from .service_actions import add_demo_service, start_demo_traffic

SETTLE_SECONDS = 10
TRAFFIC_SECONDS = 2  # a first few requests, so the counters are not all zero


def populate(cluster, *, config: bool = True, traffic: bool = True) -> None:
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
    if config:
        add_demo_config(cluster)
    if traffic:
        add_demo_service(cluster)
    cluster.reconcile()
    cluster.step(SETTLE_SECONDS)
    if traffic:
        start_demo_traffic(cluster)
        cluster.step(TRAFFIC_SECONDS)

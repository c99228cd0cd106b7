"""A ConfigMap and a Secret for the starting cluster, consumed the two ways (CFG-1, CFG-2).

`add_demo_config(cluster)` is meant to be called by demo.populate right after
the Deployments are created and before the first reconcile, so their first
ReplicaSets already consume the config. Called later it still works: the
template changes roll out like any other.
"""

DEMO_CONFIGMAP = "web-config"
DEMO_SECRET = "api-credentials"


def add_demo_config(cluster) -> list[str]:
    """web: env from web-config and the files under /etc/config/web-config;
    api: env from the api-credentials Secret (basic-auth). Returns kubectl's messages."""
    steps = [
        {
            "action": "create_configmap",
            "name": DEMO_CONFIGMAP,
            "data": {
                "GREETING": "Ahoy from the harbour",
                "LOG_LEVEL": "info",
                "index.html": "<h1>Ahoy!</h1>\n",
            },
        },
        {
            "action": "create_secret",
            "name": DEMO_SECRET,
            "type": "kubernetes.io/basic-auth",
            "stringData": {"username": "captain", "password": "s3cr3t-tide"},
        },
    ]
    if cluster.store.get("Deployment", "web") is not None:
        for use in ("env", "volume"):
            steps.append(
                {
                    "action": "use_config",
                    "deployment": "web",
                    "kind": "ConfigMap",
                    "name": DEMO_CONFIGMAP,
                    "as": use,
                }
            )
    if cluster.store.get("Deployment", "api") is not None:
        steps.append(
            {
                "action": "use_config",
                "deployment": "api",
                "kind": "Secret",
                "name": DEMO_SECRET,
                "as": "env",
            }
        )
    return [cluster.apply(step) for step in steps]

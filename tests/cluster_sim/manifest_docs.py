"""Manifests the manifest tests share (what a user would write in YAML)."""


def node(name="ship-1", cpu="4", memory="8Gi", **extra):
    doc = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name},
        "status": {"capacity": {"cpu": cpu, "memory": memory}},
    }
    doc.update(extra)
    return doc


def deployment(name="web", replicas=3, image="nginx:1.27", **spec_extra):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [
                        {
                            "name": name,
                            "image": image,
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                        }
                    ]
                },
            },
            **spec_extra,
        },
    }


def service(name="web", app="web", type_="ClusterIP", port=80):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"type": type_, "selector": {"app": app}, "ports": [{"port": port}]},
    }


def configmap(name="web-config", data=None):
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name},
        "data": data if data is not None else {"greeting": "hello"},
    }


def secret(name="creds", string_data=None):
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "type": "Opaque",
        "stringData": string_data or {"password": "s3cret"},
    }


def hpa(name="web", target="web", max_replicas=6, cpu=50):
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": 2,
            "maxReplicas": max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": cpu},
                    },
                }
            ],
        },
    }


def pdb(name="web-pdb", app="web", min_available=1):
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name},
        "spec": {"minAvailable": min_available, "selector": {"matchLabels": {"app": app}}},
    }


def priority_class(name="batch", value=100, description="batch jobs"):
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "description": description,
    }


def scenario():
    """Two ships, a ConfigMap, two Deployments, a Service and an autoscaler."""
    return [
        node("ship-1", "4", "8Gi"),
        node("ship-2", "8", "16Gi"),
        configmap(),
        deployment("web", 3),
        deployment("api", 2, "ghcr.io/example/api:1.0"),
        service("web"),
        hpa("web"),
    ]


def pod(name="p1", image="nginx:1.27"):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"run": name}},
        "spec": {"containers": [{"name": name, "image": image}]},
    }

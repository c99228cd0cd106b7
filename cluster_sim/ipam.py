"""Pod IPs: each node hands out addresses from its own /24 (10.244.<index>.0/24)."""


def allocate_pod_ip(cluster, node: dict, last_ip: dict[str, int]) -> str:
    """host-local IPAM: the next free address of the node's /24, wrapping after .254."""
    name = node["metadata"]["name"]
    prefix = node["spec"]["podCIDR"].rsplit(".", 1)[0]
    used = {p["status"].get("podIP") for p in cluster.store.pods_on_node(name)}
    host = last_ip.get(name, 1)
    for _ in range(253):
        host = host + 1 if host < 254 else 2
        if f"{prefix}.{host}" not in used:
            break
    last_ip[name] = host
    return f"{prefix}.{host}"

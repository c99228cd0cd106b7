"""kubectl top pod: CPU and memory from the PodMetrics the metrics pipeline publishes."""

from ..quantity import cpu_millis, memory_bytes
from .args import CliError, Line
from .targets import namespace


def top(cluster, line: Line) -> str:
    words = line.words[1:]
    if not words or words[0] not in ("pod", "pods", "po"):
        raise CliError(
            "error: the console supports `kubectl top pods` (node metrics are not served)"
        )
    wanted = words[1:]
    metrics = sorted(
        (
            m
            for m in cluster.store.list("PodMetrics")
            if m["metadata"].get("namespace") == namespace(line)
        ),
        key=lambda m: m["metadata"]["name"],
    )
    if wanted:
        metrics = [m for m in metrics if m["metadata"]["name"] in wanted]
        if not metrics:
            raise CliError(
                f'Error from server (NotFound): podmetrics.metrics.k8s.io "{wanted[0]}" not found'
            )
    if not metrics:
        raise CliError("error: metrics not available yet")
    rows = [("NAME", "CPU(cores)", "MEMORY(bytes)")]
    for m in metrics:
        cpu = sum(cpu_millis(c["usage"]["cpu"]) for c in m["containers"])
        memory = sum(memory_bytes(c["usage"]["memory"]) for c in m["containers"])
        rows.append((m["metadata"]["name"], f"{cpu}m", f"{memory // (1024 * 1024)}Mi"))
    widths = [max(len(r[i]) for r in rows) + 3 for i in range(2)]
    return "\n".join(f"{r[0].ljust(widths[0])}{r[1].ljust(widths[1])}{r[2]}" for r in rows)

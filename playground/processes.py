"""The three processes a playground runs as: web (daphne), a Celery worker and celery beat.

`make run` (scripts/run.py) and the end-to-end tests start exactly these commands.
"""

from pathlib import Path


def process_commands(
    bin_dir: Path,
    *,
    host: str,
    port: int,
    beat_schedule: Path,
    concurrency: int = 2,
    worker_name: str | None = None,
) -> dict[str, list[str]]:
    worker = [
        str(bin_dir / "celery"),
        "-A",
        "playground",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
    ]
    if worker_name:
        worker += ["-n", worker_name]
    return {
        "web": [
            str(bin_dir / "daphne"),
            "-b",
            host,
            "-p",
            str(port),
            "playground.asgi:application",
        ],
        "worker": worker,
        "beat": [
            str(bin_dir / "celery"),
            "-A",
            "playground",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(beat_schedule),
        ],
    }

"""Run every benchmark and print one table: `make bench`."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")


def main() -> int:
    from benchmarks import engine, roundtrip

    sections = [("Engine (cluster_sim)", engine.run)]
    if "--no-live" not in sys.argv:
        sections.append(("Real stack (daphne + Celery worker + Redis + SQLite)", roundtrip.run))
    for title, run in sections:
        print(f"\n{title}")
        rows = run()
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"  {name.ljust(width)}  {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run a command with REDIS_URL pointing at a Redis that answers.

    python scripts/with_redis.py pytest -q

If nothing answers at REDIS_URL (default redis://127.0.0.1:6379/0), a private
redis-server is started on a free loopback port for the command and stopped after.
"""

import os
import subprocess
import sys

from redis_supervisor import ensure_redis, stop


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    url, process = ensure_redis()
    try:
        return subprocess.call(argv, env=dict(os.environ, REDIS_URL=url))
    except KeyboardInterrupt:
        return 130
    finally:
        stop(process)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The playground's saved state, read straight from the live stack's database (not through
the API under test)."""

import json
import sqlite3


def stored_objects(live_stack, playground_id: str, kind: str) -> dict[str, dict]:
    """name -> object of one kind, as the engine saved it last."""
    with sqlite3.connect(live_stack.workdir / "live.sqlite3") as db:
        (state,) = db.execute(
            "SELECT state FROM playground_playground WHERE id = ?", (playground_id,)
        ).fetchone()
    objects = json.loads(state)["objects"]
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}

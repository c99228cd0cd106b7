"""The database is the source of truth for every playground."""

import secrets

from django.db import models
from django.utils import timezone

# Lower-case letters and digits without look-alikes, so an id can be read out
# loud in a room and typed on a phone.
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ID_LENGTH = 10


def new_playground_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


class Playground(models.Model):
    """One simulated cluster: its serialised engine state plus the driver's settings."""

    id = models.CharField(primary_key=True, max_length=16, default=new_playground_id)
    state = models.JSONField()
    version = models.PositiveBigIntegerField(default=1)
    paused = models.BooleanField(default=False)
    speed = models.FloatField(default=1.0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"playground {self.id} v{self.version}"

    def settings_payload(self) -> dict:
        return {
            "paused": self.paused,
            "speed": self.speed,
            "strategy": self.state.get("settings", {}).get("strategy", "LeastAllocated"),
            "proxyMode": self.state.get("settings", {}).get("proxyMode", "iptables"),
        }

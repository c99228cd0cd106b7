"""Names the API server and controllers make up: generateName suffixes, UIDs, pod-template-hash."""

import json
import uuid

# apimachinery/pkg/util/rand: no vowels (no accidental words), no 0, 1, 3 (look-alikes).
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SUFFIX_LENGTH = 5
MAX_GENERATE_NAME_BASE = 58  # 63 (DNS label) minus the 5-character suffix

_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193


def random_suffix(rng, length: int = SUFFIX_LENGTH) -> str:
    return "".join(ALPHABET[rng.randrange(len(ALPHABET))] for _ in range(length))


def generate_name(base: str, rng) -> str:
    """What the API server does with metadata.generateName (RS-2)."""
    return base[:MAX_GENERATE_NAME_BASE] + random_suffix(rng)


def new_uid(rng) -> str:
    """A version-4 UUID string drawn from the cluster's seeded RNG."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: every byte mapped onto ALPHABET by value mod 27."""
    return "".join(ALPHABET[ord(char) % len(ALPHABET)] for char in text)


def fnv32a(data: bytes) -> int:
    value = _FNV32_OFFSET
    for byte in data:
        value ^= byte
        value = (value * _FNV32_PRIME) & 0xFFFFFFFF
    return value


def pod_template_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: FNV-32a of the pod template, as SafeEncodeString(decimal).

    Real Kubernetes feeds Go's spew dump of the template into the hash, so the
    values differ from a real cluster's; the shape (1-10 chars from "456789bcdf")
    and the behaviour (same template, same hash) are the same.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4)
    return safe_encode(str(fnv32a(data)))

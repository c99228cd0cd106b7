"""Container images: the runtime's image IDs and the images a node holds."""

import hashlib


def image_digest(image: str) -> str:
    return hashlib.sha256(image.encode()).hexdigest()


def image_id(image: str) -> str:
    """The repository@digest form the runtime reports, e.g. docker.io/library/nginx@sha256:..."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    return f"{name}@sha256:{image_digest(image)}"


def image_size(image: str) -> int:
    """A made-up but stable size (20..200 MB), so node.status.images and events look real."""
    return 20_000_000 + int(image_digest(image)[:8], 16) % 180_000_000


def remember_image(cluster, node: dict, image: str) -> None:
    """Add a freshly pulled image to node.status.images."""
    if any(image in entry["names"] for entry in node["status"].get("images", ())):
        return
    with cluster.store.edit(node):
        node["status"].setdefault("images", []).append(
            {"names": [image_id(image), image], "sizeBytes": image_size(image)}
        )

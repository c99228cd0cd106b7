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


# Uncompressed sizes of the images the playground offers (ImageLocality, SCH-16), by repository.
IMAGE_SIZES = {
    "nginx": 192_000_000,
    "ghcr.io/example/api": 412_000_000,
    "httpd": 148_000_000,
    "redis": 117_000_000,
    "busybox": 4_270_000,
    "registry.k8s.io/pause": 736_000,
}


def repository(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return name[: len(name) - len(last)] + last.split(":", 1)[0]


def image_size(image: str) -> int:
    """From the table, else a made-up but stable size (20..200 MB), so node.status.images
    and events look real."""
    known = IMAGE_SIZES.get(repository(image))
    if known is not None:
        return known
    return 20_000_000 + int(image_digest(image)[:8], 16) % 180_000_000


def remember_image(cluster, node: dict, image: str) -> None:
    """Add a freshly pulled image to node.status.images."""
    if any(image in entry["names"] for entry in node["status"].get("images", ())):
        return
    with cluster.store.edit(node):
        node["status"].setdefault("images", []).append(
            {"names": [image_id(image), image], "sizeBytes": image_size(image)}
        )


# How the playground's made-up images behave once they run (documented in README.md).
MISSING_REPOSITORIES = ("ghcr.io/example/missing",)
MISSING_TAGS = ("doesnotexist",)
CRASH_AFTER = {  # image or repository -> seconds a container runs before it exits with code 1
    "ghcr.io/example/crashy": 2.0,
    "ghcr.io/example/api:1.1-bad": 5.0,
}
OOM_AFTER = {"ghcr.io/example/leaky": 30.0}  # repository -> seconds until it outgrows its limit
# Images whose every probe fails: they never answer (the crashing ones die before they do).
NOT_SERVING = (
    "ghcr.io/example/api:1.1-notready",
    "ghcr.io/example/hang",
    "ghcr.io/example/api:1.1-bad",
    "ghcr.io/example/crashy",
)


def tag(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def pull_error(image: str) -> str | None:
    """Why pulling this image fails (containerd's words), or None when it exists."""
    if repository(image) not in MISSING_REPOSITORIES and tag(image) not in MISSING_TAGS:
        return None
    ref = image_id(image).split("@", 1)[0] + ":" + tag(image)
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
        f'failed to resolve reference "{ref}": {ref}: not found'
    )


def exit_plan(image: str, container: dict) -> tuple[float, int, str] | None:
    """(seconds after start, exit code, reason) when a started container of this image ends."""
    for key in (image, repository(image)):
        if key in CRASH_AFTER:
            return CRASH_AFTER[key], 1, "Error"
    limit = container.get("resources", {}).get("limits", {}).get("memory")
    if limit and repository(image) in OOM_AFTER:
        return OOM_AFTER[repository(image)], 137, "OOMKilled"
    return None


def serves(image: str) -> bool:
    """Whether the app answers its probes (False: every probe of it fails)."""
    return image not in NOT_SERVING and repository(image) not in NOT_SERVING

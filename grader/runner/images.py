"""The sandbox image: keyed by what goes into it, built once, reused after.

The tag is ``mlgrade-sandbox:<key>`` where the key hashes the Dockerfile, the pinned
requirements, the harness files and the requested base. A warm lookup is one engine call.
Python packages come from a wheelhouse the host downloads, so the build needs no network.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from grader.errors import ImageBuildError
from grader.runner.base_image import DEFAULT_BASE, DEFAULT_MIRROR, BaseImage, ensure_base

log = logging.getLogger(__name__)

REPOSITORY = "mlgrade-sandbox"
PLATFORM_TAGS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")


def default_sandbox_dir() -> Path:
    """The ``sandbox/`` folder that ships beside the ``grader`` package."""
    return Path(__file__).resolve().parents[2] / "sandbox"


def default_cache_dir() -> Path:
    """Where downloaded wheelhouses are kept between builds."""
    return Path.home() / ".cache" / "mlgrade"


@dataclass(frozen=True)
class ImageRecipe:
    """Everything that determines the sandbox image's content."""

    sandbox_dir: Path
    base: str = DEFAULT_BASE

    @property
    def requirements(self) -> Path:
        return self.sandbox_dir / "requirements.txt"

    def context_files(self) -> list[Path]:
        """Files copied into the build context (the wheelhouse is added separately)."""
        harness = sorted(
            p
            for p in (self.sandbox_dir / "harness").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
        return [self.sandbox_dir / "Dockerfile", self.requirements, *harness]

    def key(self) -> str:
        """Content hash of the recipe: same inputs, same tag."""
        digest = hashlib.sha256(f"base={self.base}\n".encode())
        for path in self.context_files():
            digest.update(path.relative_to(self.sandbox_dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()[:16]

    def tag(self) -> str:
        return f"{REPOSITORY}:{self.key()}"


def find_image(client: docker.DockerClient, recipe: ImageRecipe) -> str | None:
    """The recipe's image tag if it is already built."""
    try:
        client.images.get(recipe.tag())
    except docker.errors.ImageNotFound:
        return None
    return recipe.tag()


def download_wheelhouse(requirements: Path, cache_dir: Path, *, deps: bool = False) -> Path:
    """Download (once) the wheels the requirements pin, for CPython 3.11 on x86_64 Linux.

    The base image's list pins every distribution (``--no-deps``); an exercise's layer pins
    its packages and takes their dependencies as pip resolves them (``deps``)."""
    digest = hashlib.sha256(requirements.read_bytes() + (b"\0deps" if deps else b""))
    target = cache_dir / "wheels" / digest.hexdigest()[:16]
    if (target / ".complete").is_file():
        return target
    staging = Path(tempfile.mkdtemp(prefix="wheels-", dir=_ensure(cache_dir)))
    command = [sys.executable, "-m", "pip", "download", "--quiet"]
    command += [] if deps else ["--no-deps"]
    command += ["--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp"]
    command += ["--abi", "cp311", "--abi", "abi3", "--abi", "none"]
    for platform in PLATFORM_TAGS:
        command += ["--platform", platform]
    command += ["-d", str(staging), "-r", str(requirements)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = " | ".join(_pip_errors(proc.stderr))
        raise ImageBuildError(
            f"downloading Python wheels for the sandbox failed: {tail}",
            hint="check that this machine reaches PyPI (or a mirror configured for pip)",
        )
    (staging / ".complete").write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(target)
    return target


def _pip_errors(stderr: str) -> list[str]:
    """pip's error lines, without the long lists of versions it could not use."""
    errors = [
        line.strip()
        for line in stderr.splitlines()
        if line.startswith("ERROR:") and "yanked versions" not in line
    ]
    shortened = []
    for line in errors or stderr.strip().splitlines()[-2:]:
        if "(from versions:" in line:
            head, versions = line.split("(from versions:", 1)
            known = [v.strip() for v in versions.rstrip(")").split(",") if v.strip()]
            line = f"{head}(latest: {', '.join(known[-3:]) or 'none'})"
        shortened.append(line)
    return shortened[-3:]


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_image(
    client: docker.DockerClient,
    recipe: ImageRecipe,
    *,
    cache_dir: Path,
    mirror: str = DEFAULT_MIRROR,
    say: Callable[[str], None] = log.info,
) -> tuple[str, BaseImage]:
    """Build the recipe's image (base, wheelhouse, then docker build); returns tag and base."""
    base = ensure_base(client, recipe.base, mirror=mirror, say=say)
    wheels = download_wheelhouse(recipe.requirements, cache_dir)
    say(f"building {recipe.tag()} from {base.reference} ({base.origin})")
    with tempfile.TemporaryDirectory(prefix="mlgrade-build-") as tmp:
        context = Path(tmp)
        for path in recipe.context_files():
            dest = context / path.relative_to(recipe.sandbox_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        build_offline(
            client,
            context,
            wheels,
            recipe.tag(),
            base=base.reference,
            labels={"mlgrade": "1", "mlgrade.base": base.reference},
            what="building the sandbox image",
        )
    return recipe.tag(), base


def build_offline(
    client: docker.DockerClient,
    context: Path,
    wheels: Path,
    tag: str,
    *,
    base: str,
    labels: dict[str, str],
    what: str,
) -> None:
    """``docker build`` of a prepared context on a local base (never pulled), with the end of
    the build log in the error: the one way images are built, the sandbox and its layers.
    The ``wheels`` folder is copied into the context, where the Dockerfile installs from it."""
    shutil.copytree(wheels, context / "wheels", ignore=shutil.ignore_patterns(".complete"))
    try:
        client.images.build(
            path=str(context),
            tag=tag,
            buildargs={"BASE": base},
            labels=labels,
            rm=True,
            forcerm=True,
            pull=False,
        )
    except docker.errors.BuildError as exc:
        lines = [str(c.get("stream", "")).strip() for c in exc.build_log if "stream" in c]
        tail = " | ".join(line for line in lines if line)[-400:]
        raise ImageBuildError(f"{what} failed: {exc.msg}: {tail}") from exc
    except docker.errors.APIError as exc:
        raise ImageBuildError(f"{what} failed: {exc}") from exc


def ensure_image(
    client: docker.DockerClient,
    recipe: ImageRecipe,
    *,
    cache_dir: Path,
    mirror: str = DEFAULT_MIRROR,
    say: Callable[[str], None] = log.info,
) -> str:
    """The recipe's image tag, building it first if it does not exist yet."""
    found = find_image(client, recipe)
    if found is not None:
        return found
    tag, _ = build_image(client, recipe, cache_dir=cache_dir, mirror=mirror, say=say)
    return tag

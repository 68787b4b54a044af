"""The base image: pull it, or, where no registry answers, bootstrap a Debian one locally.

Air-gapped graders (and machines with no container registry) cannot pull ``python:3.11-slim``.
They can still reach a Debian mirror (or a local one), so the fallback builds a minimal Debian
root file system with ``debootstrap`` and imports it as an image, once, then reuses it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from grader.errors import ImageBuildError

log = logging.getLogger(__name__)

DEFAULT_BASE = "python:3.11-slim"
FALLBACK_REPOSITORY = "mlgrade-base"
DEBIAN_SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"


@dataclass(frozen=True)
class BaseImage:
    """The image a sandbox build starts FROM, and how it was obtained."""

    reference: str
    origin: str
    """"local", "pulled", "bootstrapped" or "bootstrapped (cached)"."""


def _exists(client: docker.DockerClient, reference: str) -> bool:
    try:
        client.images.get(reference)
    except docker.errors.ImageNotFound:
        return False
    return True


def fallback_reference(suite: str = DEBIAN_SUITE) -> str:
    """Tag of the locally bootstrapped Debian base."""
    return f"{FALLBACK_REPOSITORY}:{suite}"


def ensure_base(
    client: docker.DockerClient,
    requested: str = DEFAULT_BASE,
    *,
    mirror: str = DEFAULT_MIRROR,
    say: Callable[[str], None] = log.info,
) -> BaseImage:
    """Find the base image locally, pull it, or bootstrap the Debian fallback."""
    if _exists(client, requested):
        return BaseImage(requested, "local")
    try:
        repository, _, tag = requested.partition(":")
        client.images.pull(repository, tag=tag or "latest")
        return BaseImage(requested, "pulled")
    except docker.errors.APIError as exc:
        say(f"cannot pull {requested} ({_first_line(exc)}); using a local Debian base instead")
    fallback = fallback_reference()
    if _exists(client, fallback):
        return BaseImage(fallback, "bootstrapped (cached)")
    bootstrap_debian(client, fallback, mirror=mirror, say=say)
    return BaseImage(fallback, "bootstrapped")


def bootstrap_debian(
    client: docker.DockerClient,
    reference: str,
    *,
    mirror: str = DEFAULT_MIRROR,
    suite: str = DEBIAN_SUITE,
    say: Callable[[str], None] = log.info,
) -> None:
    """debootstrap a minimal Debian with python3 and import it as ``reference``."""
    if shutil.which("debootstrap") is None:
        raise ImageBuildError(
            "no base image: cannot pull one and debootstrap is not installed",
            hint="install debootstrap (apt-get install debootstrap), or `docker load` a base image",
        )
    say(f"bootstrapping a Debian {suite} base image from {mirror} (about a minute, once)")
    with tempfile.TemporaryDirectory(prefix="mlgrade-rootfs-") as tmp:
        rootfs, archive = Path(tmp) / "rootfs", Path(tmp) / "rootfs.tar"
        _run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv",
                suite,
                str(rootfs),
                mirror,
            ],
            "debootstrap failed",
        )
        _run(["tar", "-C", str(rootfs), "-cf", str(archive), "."], "packing the root fs failed")
        repository, _, tag = reference.partition(":")
        try:
            client.api.import_image_from_file(str(archive), repository=repository, tag=tag)
        except docker.errors.APIError as exc:
            raise ImageBuildError(f"importing the Debian base failed: {_first_line(exc)}") from exc
    if not _exists(client, reference):
        raise ImageBuildError(f"importing the Debian base did not produce {reference}")


def _run(command: list[str], what: str) -> None:
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ImageBuildError(f"{what}: {exc}") from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ImageBuildError(f"{what} (exit {proc.returncode}): {' | '.join(tail)}")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "explanation", None) or exc)
    return text.strip().splitlines()[0][:200] if text.strip() else type(exc).__name__

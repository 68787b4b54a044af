"""Shared fixtures: the real Docker engine, the sandbox image, catalogs and a runner.

Docker tests skip on a laptop without an engine, but never when CI is set: there a
missing engine is a failure.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.catalog import Catalog, default_exercises_dir
from grader.errors import GraderError

TESTS = Path(__file__).resolve().parent
FIXTURE_EXERCISES = TESTS / "exercises"
CASES = TESTS / "cases"


@pytest.fixture(scope="session", autouse=True)
def seed_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test grades with a throwaway installation key, never the user's own.

    Set for this process (the library's default path) and for the ``grade`` processes the
    end-to-end tests start (MLGRADE_SEED_KEY_FILE).
    """
    import grader.seedkey

    key_file = tmp_path_factory.mktemp("seed-key") / "seed.key"
    # A fixed key, so hidden data (and every band check that depends on it) is the same in
    # every test run and in CI; the key-handling tests make their own.
    key_file.write_text(hashlib.sha256(b"mlgrade test installation").hexdigest() + "\n")
    key_file.chmod(0o600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grader.seedkey, "default_key_path", lambda: key_file)
        patch.setenv("MLGRADE_SEED_KEY_FILE", str(key_file))
        patch.delenv("MLGRADE_SEED_KEY", raising=False)
        yield key_file.parent


@pytest.fixture(scope="session")
def docker_client():  # type: ignore[no-untyped-def]
    from grader.runner.docker_runner import connect

    try:
        return connect()
    except GraderError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Docker is unavailable: {exc}")
        pytest.skip(f"no Docker engine: {exc}")


@pytest.fixture(scope="session")
def sandbox_image(docker_client) -> str:  # type: ignore[no-untyped-def]
    from grader.runner.images import (
        ImageRecipe,
        default_cache_dir,
        default_sandbox_dir,
        ensure_image,
    )

    return ensure_image(
        docker_client, ImageRecipe(default_sandbox_dir()), cache_dir=default_cache_dir()
    )


@pytest.fixture(scope="session")
def runner(docker_client, sandbox_image):  # type: ignore[no-untyped-def]
    from grader.runner.docker_runner import DockerRunner
    from grader.runner.exercise_image import ExerciseImages
    from grader.runner.images import ImageRecipe, default_cache_dir, default_sandbox_dir

    requirements = ImageRecipe(default_sandbox_dir()).requirements
    images = ExerciseImages(
        docker_client, sandbox_image, requirements, cache_dir=default_cache_dir()
    )
    return DockerRunner(docker_client, sandbox_image, image_for=images)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled exercises."""
    return Catalog(default_exercises_dir())


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    """Small exercises with short limits, for the project's own tests."""
    return Catalog(FIXTURE_EXERCISES)


@pytest.fixture
def no_leftover_containers(docker_client) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Fails the test if it leaves an mlgrade container of this process behind."""
    from grader.runner.docker_runner import OWNER_LABEL, labelled_containers, owner_id

    yield
    leftovers = labelled_containers(docker_client, f"{OWNER_LABEL}={owner_id()}")
    assert not leftovers, f"containers left behind: {[c['Id'][:12] for c in leftovers]}"

"""Per-exercise sandboxes: an exercise's extra requirements as a layer on the sandbox image.

The base sandbox pins numpy, pandas, scikit-learn and the grading stack. An exercise that
needs more (polars, lightgbm, statsmodels, ...) declares exact pins in ``requirements``; they
become one more image layer, installed from a host-downloaded wheelhouse like the base (no
network inside a build), tagged ``mlgrade-exercise:<key>`` where the key hashes the base tag
and the pins, built once and reused. A requirement the base already pins is served by the
base, and must not ask for another version of it.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from grader.errors import CatalogError, ImageBuildError
from grader.model import Exercise
from grader.runner.images import build_offline, download_wheelhouse

log = logging.getLogger(__name__)
_BUILDING = threading.Lock()
"""One layer build at a time per process: a batch's workers wait for the first to finish and
then find the image, instead of building it twice."""

REPOSITORY = "mlgrade-exercise"
EXERCISE_LABEL = "mlgrade.exercise-requirements"
DOCKERFILE = """\
ARG BASE
FROM ${BASE}
# The exercise's own packages, from the wheelhouse in the build context (no network).
COPY requirements.txt /opt/mlgrade/exercise-requirements.txt
COPY wheels/ /tmp/wheels/
RUN /opt/venv/bin/python -m pip install --no-index --no-cache-dir --find-links /tmp/wheels \\
        -r /opt/mlgrade/exercise-requirements.txt \\
 && rm -rf /tmp/wheels
"""


def base_pins(requirements_txt: Path) -> dict[str, str]:
    """The base image's pinned distributions: canonical name -> exact version."""
    pins: dict[str, str] = {}
    for line in requirements_txt.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if "==" in text:
            name, version = text.split("==", 1)
            pins[canonicalize_name(name.strip())] = version.strip()
    return pins


def extra_requirements(exercise: Exercise, pins: dict[str, str]) -> tuple[str, ...]:
    """The exercise's requirements the base image does not provide, each pinned exactly.

    Raises CatalogError for a requirement that cannot be read, one that asks for another
    version of a package the base pins, and one outside the base that is not pinned with ``==``
    (an unpinned layer would change whenever the index does, and so would every grade)."""
    extras = []
    toml = exercise.root / "exercise.toml"
    for text in exercise.requirements:
        field = f"requirements ({text!r})"
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            raise CatalogError.from_field(toml, field, str(exc)) from exc
        name = canonicalize_name(requirement.name)
        if name in pins:
            if requirement.specifier and not requirement.specifier.contains(
                pins[name], prereleases=True
            ):
                raise CatalogError.from_field(
                    toml,
                    field,
                    f"the sandbox image pins {name}=={pins[name]}; ask for that version or none",
                )
            continue
        exact = [s for s in requirement.specifier if s.operator == "=="]
        if len(exact) != 1 or "*" in exact[0].version or requirement.marker or requirement.url:
            raise CatalogError.from_field(
                toml,
                field,
                f"a package the sandbox image lacks must be pinned exactly, e.g. '{name}==1.2.3'",
            )
        extras.append(f"{name}=={exact[0].version}")
    return tuple(sorted(extras))


@dataclass(frozen=True)
class ExerciseLayer:
    """What an exercise's image is made of: the sandbox image and the extra pins."""

    base_tag: str
    extras: tuple[str, ...]

    def key(self) -> str:
        text = f"base={self.base_tag}\n" + "\n".join(self.extras) + "\n" + DOCKERFILE
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def tag(self) -> str:
        return f"{REPOSITORY}:{self.key()}"


def ensure_exercise_image(
    client: docker.DockerClient,
    layer: ExerciseLayer,
    *,
    cache_dir: Path,
    say: Callable[[str], None] = log.info,
) -> str:
    """The layer's image tag, building it (once) when it does not exist yet."""
    if not layer.extras:
        return layer.base_tag
    with _BUILDING:
        if _exists(client, layer.tag()):
            return layer.tag()
        return _build(client, layer, cache_dir, say)


def _exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    except docker.errors.APIError as exc:
        raise ImageBuildError(f"could not look up {tag}: {exc}") from exc
    return True


def _build(
    client: docker.DockerClient, layer: ExerciseLayer, cache_dir: Path, say: Callable[[str], None]
) -> str:
    say(f"building {layer.tag()} for {', '.join(layer.extras)} on {layer.base_tag}")
    with tempfile.TemporaryDirectory(prefix="mlgrade-layer-") as tmp:
        context = Path(tmp)
        (context / "requirements.txt").write_text("\n".join(layer.extras) + "\n")
        (context / "Dockerfile").write_text(DOCKERFILE)
        wheels = download_wheelhouse(context / "requirements.txt", cache_dir, deps=True)
        build_offline(
            client,
            context,
            wheels,
            layer.tag(),
            base=layer.base_tag,
            labels={"mlgrade": "1", EXERCISE_LABEL: " ".join(layer.extras)},
            what=f"installing {', '.join(layer.extras)} into the sandbox",
        )
    return layer.tag()


def exercise_images(client: docker.DockerClient) -> list[tuple[str, str, int]]:
    """Every exercise image on the engine: (tag, its extra requirements, size in bytes)."""
    found = []
    for image in client.images.list(filters={"label": EXERCISE_LABEL}):
        labels = image.labels or {}
        for tag in image.tags or [image.short_id]:
            found.append((tag, labels.get(EXERCISE_LABEL, ""), int(image.attrs.get("Size", 0))))
    return sorted(found)


class ExerciseImages:
    """Which image each exercise runs in: the sandbox image, or its layer (built on first use)."""

    def __init__(
        self,
        client: docker.DockerClient,
        base_tag: str,
        requirements_txt: Path,
        *,
        cache_dir: Path,
        say: Callable[[str], None] = log.info,
    ) -> None:
        self.client = client
        self.base_tag = base_tag
        self.pins = base_pins(requirements_txt)
        self.cache_dir = cache_dir
        self.say = say

    def __call__(self, exercise: Exercise) -> str:
        extras = extra_requirements(exercise, self.pins)
        layer = ExerciseLayer(self.base_tag, extras)
        return ensure_exercise_image(self.client, layer, cache_dir=self.cache_dir, say=self.say)

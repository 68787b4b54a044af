"""An exercise that needs a library the base sandbox lacks gets its own image layer, built
from a host-downloaded wheelhouse, and is graded in it; requirements that cannot become a
sandbox fail validation with the reason, not a grade."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.grading import grade_submission
from grader.runner.docker_runner import DockerRunner
from grader.runner.exercise_image import REPOSITORY
from grader.validation import validate_exercise

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "exercises"


@pytest.mark.docker
def test_an_exercise_with_an_extra_library_validates_in_its_own_layer(
    fixture_catalog, runner, no_leftover_containers
):
    exercise = fixture_catalog.get("tiny-polars")
    report = validate_exercise(fixture_catalog, runner, exercise)
    failing = [f"{c.name}: {c.detail}" for c in report.checks if c.gate and not c.passed]
    assert not failing, failing
    solution = dict(report.grades)["solution"]
    assert solution.image.startswith(f"{REPOSITORY}:"), solution.image


@pytest.mark.docker
def test_one_runner_grades_mixed_exercises_each_in_its_image(
    fixture_catalog, docker_client, runner, no_leftover_containers
):
    # A runner keeping spares: the spare made for one exercise must not serve another image.
    mixed = DockerRunner(docker_client, runner.image, image_for=runner.image_for)
    mixed.keep_spare()
    try:
        order = ["tiny-polars", "tiny-stats", "tiny-stats", "tiny-polars"]
        grades = [
            grade_submission(
                fixture_catalog.get(e).solution_dir, fixture_catalog, mixed, exercise_id=e
            )
            for e in order
        ]
    finally:
        mixed.close()
    for exercise_id, grade in zip(order, grades, strict=True):
        assert grade.correctness is not None and grade.correctness.score == 100.0, exercise_id
        layered = grade.image.startswith(f"{REPOSITORY}:")
        assert layered == (exercise_id == "tiny-polars"), (exercise_id, grade.image)


def validate_cli(exercises_dir: Path, exercise_id: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", "--exercises-dir", str(exercises_dir), "exercises",
         "validate", exercise_id],
        capture_output=True, text=True, cwd=ROOT, timeout=600, env={"COLUMNS": "300",
        "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )  # fmt: skip


@pytest.mark.docker
@pytest.mark.parametrize(
    ("requirement", "says"),
    [
        ("polars==99.0.0", "No matching distribution found for polars==99.0.0"),
        ("polars", "pinned exactly"),
        ("numpy==1.0.0", "the sandbox image pins numpy"),
    ],
)
def test_requirements_that_cannot_become_a_sandbox_fail_validation(
    tmp_path, requirement, says, docker_client
):
    for name in ("tiny-polars", "tiny-stats"):
        shutil.copytree(FIXTURES / name, tmp_path / name)
    toml = tmp_path / "tiny-polars" / "exercise.toml"
    toml.write_text(
        toml.read_text().replace('["polars==1.44.2", "numpy"]', f'["{requirement}", "numpy"]')
    )
    done = validate_cli(tmp_path, "tiny-polars")
    assert done.returncode == 6, done.stdout + done.stderr
    text = " ".join(done.stdout.replace("│", " ").split())
    assert "its sandbox image builds" in text and "FAILED" in text
    assert " ".join(says.split()) in text, text
    assert "Traceback" not in done.stderr
    assert Catalog(tmp_path).get("tiny-stats")  # the package itself still loads

"""``grade exercises new`` writes a package of each kind that validates in real containers,
and whose reference scores full marks on every score the kind has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.errors import CatalogError
from grader.grading import grade_submission
from grader.model import ExerciseKind
from grader.scaffold import TODO, todo_markers, write_package
from grader.validation import validate_exercise

from ..fakes import NoRun

ROOT = Path(__file__).resolve().parents[2]


def test_bad_ids_and_existing_folders_are_refused(tmp_path: Path):
    for bad in ("Upper", "two--dashes", "-lead", "sp ace", "../escape", ""):
        with pytest.raises(CatalogError):
            write_package(tmp_path, bad, ExerciseKind.IMPLEMENT)
    write_package(tmp_path, "taken", ExerciseKind.IMPLEMENT)
    with pytest.raises(CatalogError, match="already exists"):
        write_package(tmp_path, "taken", ExerciseKind.DEBUG)


def test_the_command_writes_into_the_chosen_folder(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "grader", "exercises", "new", "churn-scaler", "--kind", "utilities",
         "--dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "churn-scaler" / "exercise.toml").is_file()
    assert "exercises validate churn-scaler" in " ".join(done.stdout.split())
    again = subprocess.run(
        [sys.executable, "-m", "grader", "exercises", "new", "churn-scaler", "--kind", "debug",
         "--dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert again.returncode == 4 and "already exists" in again.stderr


SCAFFOLDED = [k for k in ExerciseKind if k is not ExerciseKind.MEMO]


def test_a_new_memo_package_validates_as_it_stands(tmp_path: Path):
    # A memo runs nothing: the package validates with a runner that is never called.
    write_package(tmp_path, "new-memo", ExerciseKind.MEMO)
    catalog = Catalog(tmp_path)
    exercise = catalog.get("new-memo")
    assert not exercise.runs_code
    report = validate_exercise(catalog, NoRun(), exercise)
    failing = [f"{c.name}: {c.detail}" for c in report.checks if c.gate and not c.passed]
    assert not failing, failing
    variants = [c for c in report.checks if c.name.startswith("hidden/variants/")]
    assert len(variants) == 2 and all(c.passed for c in variants)
    assert {"brief.md", "exercise.toml", "hidden/rubric.toml"} <= set(todo_markers(exercise.root))
    grade = grade_submission(exercise.root / "solution", catalog, NoRun(), exercise_id="new-memo")
    assert grade.correctness is None and grade.reasoning is not None
    assert grade.reasoning.score == 100.0


@pytest.mark.docker
@pytest.mark.parametrize("kind", SCAFFOLDED, ids=[k.value for k in SCAFFOLDED])
def test_a_new_package_validates_as_it_stands(kind, tmp_path, runner, no_leftover_containers):
    write_package(tmp_path, f"new-{kind.value}", kind)
    catalog = Catalog(tmp_path)
    exercise = catalog.get(f"new-{kind.value}")
    report = validate_exercise(catalog, runner, exercise)
    failing = [f"{c.name}: {c.detail}" for c in report.checks if c.gate and not c.passed]
    assert not failing, failing
    todo = next(c for c in report.checks if TODO in c.name)
    assert not todo.passed and not todo.gate and todo.missed == "warning"
    assert "brief.md" in todo_markers(exercise.root)
    grade = grade_submission(exercise.root / "solution", catalog, runner, exercise_id=exercise.id)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    if kind in (ExerciseKind.DEBUG, ExerciseKind.LEAKAGE):
        assert grade.reasoning is not None and grade.reasoning.score == 100.0
    if kind is ExerciseKind.UTILITIES:
        assert grade.own_tests is not None and grade.own_tests.score == 100.0

"""Every bundled exercise validates in real containers, and a differently written correct
solution (kept under tests/alt_solutions) also scores 100%."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_submission
from grader.validation import validate_exercise

EXERCISE_IDS = [e.id for e in Catalog(default_exercises_dir()).all()]
CODE_EXERCISE_IDS = [e.id for e in Catalog(default_exercises_dir()).all() if e.runs_code]
ALT_SOLUTIONS = Path(__file__).resolve().parents[1] / "alt_solutions"


@pytest.mark.docker
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_exercise_validates(exercise_id, catalog, runner, no_leftover_containers):
    report = validate_exercise(catalog, runner, catalog.get(exercise_id))
    failing = [f"{c.name}: {c.detail}" for c in report.checks if c.gate and not c.passed]
    assert not failing, failing
    gates = [c.name for c in report.checks if c.name.startswith("panel ")]
    assert len(gates) == 2, "every bundled exercise ships a blind panel, gated as a whole"
    todo = next(c for c in report.checks if "TODO(author)" in c.name)
    assert todo.passed, todo.detail
    labels = {label for label, _ in report.grades}
    assert {"solution", "starter"} <= labels


@pytest.mark.docker
@pytest.mark.parametrize("exercise_id", CODE_EXERCISE_IDS)  # a memo's styles: its panels
def test_a_correct_solution_in_another_style_scores_full(exercise_id, catalog, runner):
    alt = ALT_SOLUTIONS / exercise_id
    assert alt.is_dir(), f"write a differently styled correct solution in {alt}"
    grade = grade_submission(alt, catalog, runner, exercise_id=exercise_id)
    assert grade.correctness is not None
    failed = [(t.id, t.reason) for t in grade.correctness.failed]
    assert grade.correctness.score == 100.0, failed

"""Golden cases: each folder in tests/cases is a submission and the grade it must get."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_submission
from grader.model import RunStatus

CASES = Path(__file__).resolve().parents[1] / "cases"
BUNDLED = Catalog(default_exercises_dir())
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.mark.docker
@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_grades_as_expected(case_dir, fixture_catalog, runner, no_leftover_containers):
    case = tomllib.loads((case_dir / "case.toml").read_text())
    # Cases run on the small fixture exercises, or on a bundled one where the case is about it.
    catalog = fixture_catalog if case["exercise"] in fixture_catalog.ids() else BUNDLED
    started = time.monotonic()
    grade = grade_submission(case_dir / "submission", catalog, runner, exercise_id=case["exercise"])
    elapsed = time.monotonic() - started

    assert grade.run_status is RunStatus(case["run_status"]), grade.reason
    assert grade.correctness is not None
    assert grade.correctness.score == pytest.approx(case["correctness"]), [
        (t.id, t.outcome.value, t.reason) for t in grade.correctness.tests
    ]
    if "failed" in case:
        assert sorted(t.id for t in grade.correctness.failed) == sorted(case["failed"])
    if "reason_contains" in case:
        reasons = " | ".join(t.reason for t in grade.correctness.failed)
        assert case["reason_contains"] in reasons
    if "grade_reason_contains" in case:
        assert case["grade_reason_contains"] in grade.reason
    for limit in case.get("limits_hit", []):
        assert any(hit.startswith(limit) for hit in grade.limits_hit), grade.limits_hit
    if "min_output_dropped" in case:
        assert grade.output_truncated_bytes >= case["min_output_dropped"]
    assert elapsed <= case.get("max_seconds", 20), f"took {elapsed:.1f} s"


@pytest.mark.docker
def test_reference_still_scores_full_after_hostile_cases(
    fixture_catalog, runner, no_leftover_containers
):
    exercise = fixture_catalog.get("tiny-stats")
    grade = grade_submission(
        exercise.solution_dir, fixture_catalog, runner, exercise_id="tiny-stats"
    )
    assert grade.correctness is not None
    assert grade.correctness.score == 100.0

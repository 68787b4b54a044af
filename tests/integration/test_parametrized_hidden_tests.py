"""A hidden test declared once and parametrized in the suite is graded case by case in the
real sandbox: its weight is shared by the cases pytest collected."""

from __future__ import annotations

import pytest

from grader.grading import grade_submission


@pytest.mark.docker
def test_a_parametrized_hidden_test_earns_the_share_of_cases_passed(
    fixture_catalog, runner, no_leftover_containers
):
    exercise = fixture_catalog.get("tiny-polars")
    variant = exercise.root / "hidden" / "variants" / "median-not-mean"
    grade = grade_submission(variant, fixture_catalog, runner, exercise_id=exercise.id)
    assert grade.correctness is not None
    verdict = next(t for t in grade.correctness.tests if t.id.endswith("single_group_mean"))
    # The median of [1], [1, 3] equals the mean; of [2, 2, 5] it does not.
    assert (verdict.cases_passed, verdict.cases_total) == (2, 3)
    assert verdict.reason.startswith("1 of 3 cases failed; [three]:")
    group = next(g for g in grade.correctness.groups if g.id == "means")
    assert group.earned == pytest.approx(verdict.weight * 2 / 3)
    assert not any("unknown test id" in n for n in grade.notes)
    reference = grade_submission(
        exercise.solution_dir, fixture_catalog, runner, exercise_id=exercise.id
    )
    assert reference.correctness is not None and reference.correctness.score == 100.0
    solved = next(t for t in reference.correctness.tests if t.id == verdict.id)
    assert (solved.cases_passed, solved.cases_total) == (3, 3)

"""Correctness is the weighted share of passing hidden tests, per group, with evidence."""

from __future__ import annotations

from grader.catalog import load_exercise
from grader.model import RunRecord, RunStatus, TestOutcome, TestResult
from grader.scoring.correctness import score_correctness

from ..conftest import FIXTURE_EXERCISES

EXERCISE = load_exercise(FIXTURE_EXERCISES / "tiny-stats")


def run_with(outcomes: dict[str, TestOutcome]) -> RunRecord:
    results = tuple(
        TestResult(i, o, "why" if o is not TestOutcome.PASSED else "") for i, o in outcomes.items()
    )
    return RunRecord(status=RunStatus.COMPLETED, results=results)


def test_all_passing_scores_100():
    run = run_with({t.id: TestOutcome.PASSED for t in EXERCISE.tests})
    assert score_correctness(EXERCISE, run).score == 100.0


def test_partial_credit_follows_weights():
    outcomes = {t.id: TestOutcome.PASSED for t in EXERCISE.tests}
    outcomes["test_stats.py::test_population_variance"] = TestOutcome.FAILED  # weight 2 of 4
    score = score_correctness(EXERCISE, run_with(outcomes))
    assert score.score == 50.0
    assert [t.id for t in score.failed] == ["test_stats.py::test_population_variance"]
    assert score.failed[0].reason == "why"


def test_groups_add_up_per_group():
    outcomes = {t.id: TestOutcome.PASSED for t in EXERCISE.tests}
    outcomes["test_stats.py::test_mean_of_known_values"] = TestOutcome.ERROR
    groups = {g.id: g for g in score_correctness(EXERCISE, run_with(outcomes)).groups}
    assert (groups["mean"].earned, groups["mean"].possible) == (1.0, 2.0)
    assert (groups["variance"].passed, groups["variance"].total) == (1, 1)


def test_a_test_missing_from_the_run_earns_nothing():
    score = score_correctness(EXERCISE, run_with({}))
    assert score.score == 0.0
    assert {t.outcome for t in score.tests} == {TestOutcome.NOT_RUN}

"""Correctness is the weighted share of passing hidden tests, per group, with evidence."""

from __future__ import annotations

from dataclasses import replace

from grader.catalog import load_exercise
from grader.model import Exercise, RunRecord, RunStatus, TestOutcome, TestResult
from grader.scoring.correctness import REQUIREMENT_CAP, score_correctness

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


def _with_requirement(test_id: str, requirement: str) -> Exercise:
    tests = tuple(
        replace(t, requirement=requirement) if t.id == test_id else t for t in EXERCISE.tests
    )
    return replace(EXERCISE, tests=tests)


def test_a_broken_requirement_caps_the_score_and_says_which():
    weighty = max(EXERCISE.tests, key=lambda t: t.weight)
    light = min(EXERCISE.tests, key=lambda t: t.weight)
    exercise = _with_requirement(light.id, "the mean of an empty list raises")
    outcomes = {t.id: TestOutcome.PASSED for t in EXERCISE.tests}
    outcomes[light.id] = TestOutcome.FAILED
    plain = score_correctness(EXERCISE, run_with(outcomes))
    capped = score_correctness(exercise, run_with(outcomes))
    assert plain.score > REQUIREMENT_CAP and plain.broken_requirements == ()
    assert capped.score == REQUIREMENT_CAP
    assert capped.uncapped == plain.score
    assert capped.broken_requirements == ("the mean of an empty list raises",)
    # A requirement that holds caps nothing, whatever else fails.
    outcomes = {t.id: TestOutcome.PASSED for t in EXERCISE.tests}
    outcomes[weighty.id] = TestOutcome.FAILED
    other = score_correctness(exercise, run_with(outcomes))
    assert other.broken_requirements == () and other.uncapped is None


def test_a_score_already_under_the_cap_is_left_as_it_is():
    only = EXERCISE.tests[0]
    exercise = _with_requirement(only.id, "a requirement")
    score = score_correctness(exercise, run_with({}))
    assert score.score == 0.0 and score.uncapped is None
    assert score.broken_requirements == ("a requirement",)

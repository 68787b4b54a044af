"""A grade's wall time is bounded by twice the exercise's time_seconds, by construction."""

from __future__ import annotations

import dataclasses

import pytest

from grader.catalog import Catalog
from grader.model import Exercise, Limits
from grader.runner.protocol import phase_budgets

from ..conftest import FIXTURE_EXERCISES


def every_exercise(catalog: Catalog) -> list[Exercise]:
    return [*catalog.all(), *Catalog(FIXTURE_EXERCISES).all()]


def test_every_exercise_plans_its_phases_inside_twice_time_seconds(catalog: Catalog) -> None:
    for exercise in every_exercise(catalog):
        budgets = phase_budgets(exercise)
        limit = 2 * exercise.limits.time_seconds
        planned = budgets.judge + budgets.quality + budgets.own_tests
        assert planned < budgets.grade <= limit, exercise.id
        assert budgets.own_run <= budgets.own_tests, exercise.id


def test_own_tests_budget_is_capped_by_the_second_half(catalog: Catalog) -> None:
    utilities = catalog.get("tested-utilities")
    assert utilities.own_tests is not None and utilities.own_tests.budget_seconds == 240
    budgets = phase_budgets(utilities)
    # 120 s of hidden tests; lint 20 s and a 10 s report reserve leave 90 s for the suite.
    assert (budgets.judge, budgets.quality, budgets.own_tests) == (120, 20, 90)
    assert budgets.own_run == utilities.own_tests.timeout_seconds == 60


@pytest.mark.parametrize("seconds", [2.0, 8.0, 45.0, 600.0])
def test_short_and_long_limits_stay_bounded(catalog: Catalog, seconds: float) -> None:
    utilities = catalog.get("tested-utilities")
    exercise = dataclasses.replace(utilities, limits=Limits(time_seconds=seconds))
    budgets = phase_budgets(exercise)
    assert budgets.judge + budgets.quality + budgets.own_tests < budgets.grade <= 2 * seconds
    assert budgets.quality > 0 and budgets.own_tests >= 0


def test_a_memo_has_no_own_tests_phase(catalog: Catalog) -> None:
    memo = Catalog(FIXTURE_EXERCISES).get("tiny-memo")
    assert phase_budgets(memo).own_tests == phase_budgets(memo).own_run == 0

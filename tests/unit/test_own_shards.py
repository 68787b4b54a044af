"""How the host deals the candidate's own-tests runs over containers and settles what came back."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from grader.model import OWN_TESTS_STOP_AFTER as STOP_AFTER
from grader.model import OwnTestRun
from grader.runner.own_shards import (
    REFERENCE_RUNS,
    WITHHELD,
    deal,
    lost,
    settle,
)
from grader.scoring.own_tests import WRONG_TEST_POINTS

IDS = ["reference", *(f"M{i:02d}" for i in range(1, 24))]


def run(variant: str, failed: tuple[str, ...] = (), **kw: object) -> OwnTestRun:
    messages = tuple(f"AssertionError: {t}" for t in failed)
    return OwnTestRun(variant, 3, failed, 1 if failed else 0, messages=messages, **kw)  # type: ignore[arg-type]


OWN = OwnTestRun("own", 3, (), 0, collected=("t::a", "t::b", "t::c"))


@pytest.mark.parametrize("containers", [1, 2, 3, 4])
def test_every_run_is_dealt_once_and_the_reference_several_times(containers: int) -> None:
    shares = deal(IDS, containers, budget=60, rng=random.Random(containers))
    dealt = Counter(v for s in shares for v in s.plan)
    assert dealt == Counter({**dict.fromkeys(IDS, 1), "reference": REFERENCE_RUNS})
    assert len(shares) == containers
    # Only the grading container runs the own run, and waits for the others only if any.
    assert [s.own_run for s in shares] == [True] + [False] * (containers - 1)
    assert shares[0].await_go is (containers > 1)
    # The others end sooner by what the grading container keeps for the own run.
    assert shares[0].budget == 60 and shares[0].own_seconds == 10
    assert all(s.budget == 50 and s.own_seconds == 0 for s in shares[1:])


def test_the_grading_container_takes_a_shorter_share() -> None:
    first, second = (len(s.plan) for s in deal(IDS, 2, budget=1))
    assert first < second


def test_the_order_is_drawn_afresh() -> None:
    orders = {deal(IDS, 1, budget=1)[0].plan for _ in range(20)}
    assert len(orders) > 15


def test_a_reference_run_that_reached_the_stop_marks_the_settled_reference() -> None:
    failing = tuple(f"t::x{i}" for i in range(STOP_AFTER))
    own = OwnTestRun("own", 9, (), 0, collected=failing)
    runs = [own, run("reference"), run("reference", failing), run("M01", failing[:1])]
    settled = {r.variant: r for r in settle(runs, {}, ["own", "reference", "M01"])}
    assert settled["reference"].stopped
    assert not settled["M01"].stopped


def test_the_stop_is_where_a_suite_scores_nothing_anyway() -> None:
    assert STOP_AFTER * WRONG_TEST_POINTS >= 100 > (STOP_AFTER - 1) * WRONG_TEST_POINTS


def test_settling_keeps_only_the_own_runs_ids_and_merges_the_references() -> None:
    runs = [
        OWN,
        run("reference", ("t::a",)),
        run("M01", ("t::b", "t::only-in-a-mutant")),
        run("reference", ("t::c",)),
        OwnTestRun("M02", 0, (), -1, skipped=True),
    ]
    settled = {r.variant: r for r in settle(runs, {}, ["own", "reference", "M01", "M02"])}
    assert list(settled) == ["own", "reference", "M01", "M02"]
    assert settled["reference"].failed == ("t::a", "t::c")
    assert settled["reference"].messages == ("AssertionError: t::a", "AssertionError: t::c")
    assert settled["M01"].failed == ("t::b",)
    assert settled["M02"].skipped


def test_a_message_quoting_the_variant_is_withheld() -> None:
    source = 'def clip(values, low, high):\n    raise ValueError("low must not exceed high")\n'
    leaking = OwnTestRun(
        "M01", 3, ("t::a",), 1, messages=('ValueError: low must not exceed high"',)
    )
    (_, settled) = settle([OWN, leaking], {"M01": [source]}, ["own", "M01"])
    assert settled.messages == (WITHHELD,)


def test_a_lost_share_is_an_error_for_each_of_its_runs() -> None:
    _, share = deal(IDS, 2, budget=1)
    runs = lost(share, "the container gave no result")
    assert len(runs) == len(share.plan)
    assert all(r.error and not r.failed and not r.skipped for r in runs)

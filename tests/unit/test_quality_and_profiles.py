"""The quality recipe, the own-tests score and role profiles, on plain data."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import load_exercise
from grader.errors import CatalogError
from grader.model import OWN_TESTS_STOP_AFTER, LintFinding, LintReport, OwnTestRun
from grader.scoring.own_tests import MESSAGES_SHOWN_UP_TO, WRONG_TEST_POINTS, score_own_tests
from grader.scoring.profiles import BUILT_IN, combine, load_profiles
from grader.scoring.quality import CEILING, band_of, score_quality

from ..conftest import FIXTURE_EXERCISES

TESTED = load_exercise(FIXTURE_EXERCISES / "tiny-tested")


def finding(code: str, line: int = 1) -> LintFinding:
    return LintFinding("a.py", line, code, "msg", f"https://docs.astral.sh/ruff/rules/{code}")


def write_lines(tmp_path: Path, count: int) -> list[str]:
    (tmp_path / "a.py").write_text("".join(f"x{i} = {i}\n" for i in range(count)))
    return ["a.py"]


def test_clean_code_scores_the_ceiling(tmp_path):
    score = score_quality(LintReport((), (), ()), tmp_path, write_lines(tmp_path, 60))
    assert score is not None and score.score == CEILING


def test_defects_cost_more_than_style(tmp_path):
    files = write_lines(tmp_path, 100)
    defect = score_quality(LintReport((), (finding("F821"),), ()), tmp_path, files)
    style = score_quality(LintReport((), (finding("E501"),), ()), tmp_path, files)
    assert defect is not None and style is not None
    assert defect.score == CEILING - 10
    assert style.score == CEILING - 2


def test_each_band_is_capped(tmp_path):
    files = write_lines(tmp_path, 100)
    many = tuple(finding("E501", i) for i in range(100))
    score = score_quality(LintReport((), many, ()), tmp_path, files)
    assert score is not None and score.score == CEILING - 30  # style caps at 30


def test_findings_count_per_100_lines_with_a_floor_for_short_files(tmp_path):
    files = write_lines(tmp_path, 10)
    score = score_quality(LintReport((), (finding("F821"),), ()), tmp_path, files)
    assert score is not None and score.score == round(CEILING - 100 / 3, 2)  # as if 30 lines


def test_unformatted_files_cost_a_fixed_amount(tmp_path):
    score = score_quality(LintReport((), (), ("a.py",)), tmp_path, write_lines(tmp_path, 60))
    assert score is not None and score.score == CEILING - 5


def test_no_candidate_code_means_no_quality_score(tmp_path):
    assert score_quality(LintReport((), (), ()), tmp_path, []) is None


def test_a_failed_lint_step_scores_zero_with_the_reason(tmp_path):
    report = LintReport((), (), (), error="ruff timed out")
    score = score_quality(report, tmp_path, write_lines(tmp_path, 20))
    assert score is not None
    assert (score.score, score.reason) == (0.0, "could not be measured: ruff timed out")


def test_rule_codes_land_in_the_right_band():
    assert [band_of(c).category for c in ("F841", "C901", "D103", "E501")] == [  # type: ignore[union-attr]
        "defects",
        "complexity",
        "docs and types",
        "style",
    ]


def runs(**failed: tuple[str, ...]) -> tuple[OwnTestRun, ...]:
    return tuple(
        OwnTestRun(variant, 3, tests, 1 if tests else 0) for variant, tests in failed.items()
    )


def test_every_mutant_caught_scores_100():
    score = score_own_tests(TESTED, runs(reference=(), M1=("t::a",), M2=("t::b",), M3=("t::c",)))
    assert score is not None and score.score == 100.0
    assert [m.caught_by for m in score.mutants] == [("t::a",), ("t::b",), ("t::c",)]


def test_a_test_failing_on_the_reference_is_wrong_and_catches_nothing():
    result = runs(reference=("t::wrong",), M1=("t::wrong",), M2=("t::wrong", "t::b"), M3=())
    score = score_own_tests(TESTED, result)
    assert score is not None
    assert score.wrong_tests == ("t::wrong",)
    assert [m.caught for m in score.mutants] == [False, True, False]


def test_no_collectable_tests_scores_zero_with_a_reason():
    score = score_own_tests(TESTED, (OwnTestRun("reference", 0, (), 5),))
    assert score is not None and score.score == 0.0
    assert "no tests" in score.reason


def test_a_reference_run_the_budget_never_reached_says_so():
    own = OwnTestRun("own", 3, (), 0, collected=("t::a",))
    skipped = (OwnTestRun("reference", 0, (), -1, skipped=True),)
    score = score_own_tests(TESTED, (own, *skipped, *runs(M1=("t::a",), M2=(), M3=())))
    assert score is not None and score.score == 0.0
    assert score.reason == (
        "the candidate's tests used up their time budget before the run on the reference"
    )


def test_a_profile_total_renormalises_over_present_scores():
    total = combine("p", {"correctness": 0.5, "quality": 0.25, "reasoning": 0.25},
                    {"correctness": 80.0, "quality": 40.0, "reasoning": None})  # fmt: skip
    assert total is not None
    assert total.score == pytest.approx(66.67, abs=0.01)
    assert dict(total.weights) == pytest.approx({"correctness": 2 / 3, "quality": 1 / 3}, abs=1e-4)


def test_profiles_can_be_overridden_from_a_file(tmp_path):
    path = tmp_path / "profiles.toml"
    path.write_text("[profiles.production]\ncorrectness = 1\n[profiles.team]\nreasoning = 2\n")
    profiles = load_profiles(path)
    assert profiles["production"]["correctness"] == 1.0
    assert profiles["team"]["reasoning"] == 2.0
    assert profiles["research"] == BUILT_IN["research"]


def test_an_unknown_score_in_a_profile_is_named(tmp_path):
    path = tmp_path / "profiles.toml"
    path.write_text("[profiles.x]\nvibes = 1\n")
    with pytest.raises(CatalogError, match=r"profiles\.toml: field 'profiles.x' may only weigh"):
        load_profiles(path)


def test_a_wrong_test_costs_points_and_shows_what_failed_on_the_reference():
    own = OwnTestRun("own", 3, (), 0, collected=("t::a", "t::b", "t::wrong"))
    reference = OwnTestRun(
        "reference", 3, ("t::wrong",), 1, collected=own.collected, messages=("assert [1] == [2]",)
    )
    mutants = runs(M1=("t::a",), M2=("t::b",), M3=("t::a",))
    score = score_own_tests(TESTED, (own, reference, *mutants))
    assert score is not None
    assert score.score == 100.0 - WRONG_TEST_POINTS
    assert score.wrong_test_messages == ("assert [1] == [2]",)


def test_failing_ids_the_own_run_never_collected_are_dropped():
    own = OwnTestRun("own", 1, (), 0, collected=("t::a",))
    reference = OwnTestRun("reference", 2, ("t::L1-def secret():",), 1)
    mutants = runs(M1=("t::a", "t::L2-return 42"), M2=("t::L3",), M3=())
    score = score_own_tests(TESTED, (own, reference, *mutants))
    assert score is not None
    assert score.wrong_tests == ()
    assert [m.caught_by for m in score.mutants] == [("t::a",), (), ()]


def test_a_suite_of_many_wrong_tests_shows_none_of_their_messages():
    ids = tuple(f"t::w{i}" for i in range(MESSAGES_SHOWN_UP_TO + 1))
    own = OwnTestRun("own", len(ids), (), 0, collected=ids)
    reference = OwnTestRun(
        "reference", len(ids), ids, 1, collected=ids, messages=tuple("line of source" for _ in ids)
    )
    score = score_own_tests(TESTED, (own, reference, *runs(M1=(), M2=(), M3=())))
    assert score is not None and score.score == 0.0
    assert len(score.wrong_tests) == len(ids)
    assert set(score.wrong_test_messages) == {""}


def test_a_reference_run_stopped_at_its_failure_limit_judges_no_mutant():
    ids = tuple(f"t::w{i}" for i in range(OWN_TESTS_STOP_AFTER))
    own = OwnTestRun("own", 9, (), 0, collected=(*ids, "t::a"))
    reference = OwnTestRun("reference", 9, ids, 1, stopped=True)
    score = score_own_tests(TESTED, (own, reference, *runs(M1=("t::a",), M2=(), M3=())))
    assert score is not None and score.score == 0.0
    assert score.wrong_tests == ids
    assert not any(m.caught for m in score.mutants)
    assert score.reason.startswith(f"at least {OWN_TESTS_STOP_AFTER} tests fail")

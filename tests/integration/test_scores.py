"""Quality, own-tests and reasoning scores in real containers, as golden cases
(tests/score_cases/<case>/: a submission and what its scores must be)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.model import Grade

CASES = Path(__file__).resolve().parents[1] / "score_cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.fixture(scope="module")
def graded(fixture_catalog, runner):  # type: ignore[no-untyped-def]
    @cache
    def grade(name: str) -> Grade:
        spec = tomllib.loads((CASES / name / "case.toml").read_text())
        return grade_submission(
            CASES / name / "submission", fixture_catalog, runner, exercise_id=spec["exercise"]
        )

    return grade


@pytest.mark.docker
@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_score_case(case_dir, graded, no_leftover_containers):  # type: ignore[no-untyped-def]
    spec = tomllib.loads((case_dir / "case.toml").read_text())
    grade = graded(case_dir.name)
    if "quality_max" in spec:
        assert grade.quality is not None
        assert grade.quality.score <= spec["quality_max"]
        assert all(f.url.startswith("https://") for f in grade.quality.findings)
    if "quality_equal_to" in spec:
        other = graded(spec["quality_equal_to"])
        assert grade.quality is not None and other.quality is not None
        assert grade.quality.score == other.quality.score
        assert [(f.code, f.line) for f in grade.quality.findings] == [
            (f.code, f.line) for f in other.quality.findings
        ]
    if "noqa_min" in spec:
        assert grade.quality is not None
        assert grade.quality.noqa_comments >= spec["noqa_min"]
    if "own_tests" in spec:
        assert grade.own_tests is not None
        verdicts = [(m.id, m.caught, m.note) for m in grade.own_tests.mutants]
        assert grade.own_tests.score == spec["own_tests"], (verdicts, grade.own_tests.reason)
        assert all(m.caught_by for m in grade.own_tests.mutants if m.caught)
    if "own_tests_reason" in spec:
        assert grade.own_tests is not None
        assert spec["own_tests_reason"] in grade.own_tests.reason
    if "wrong_tests" in spec:
        assert grade.own_tests is not None
        assert [t.split("::")[-1] for t in grade.own_tests.wrong_tests] == [
            t.split("::")[-1] for t in spec["wrong_tests"]
        ]
    if "reasoning_min" in spec or "reasoning_max" in spec:
        assert grade.reasoning is not None
        rows = [(r.id, r.fixed, r.explained, r.reason) for r in grade.reasoning.rows]
        assert spec.get("reasoning_min", 0) <= grade.reasoning.score, rows
        assert grade.reasoning.score <= spec.get("reasoning_max", 100), rows
    for flag in spec.get("reasoning_flags", []):
        assert grade.reasoning is not None
        assert flag in {f.kind.value for f in grade.reasoning.flags}

"""Golden calibration cases: each folder holds a diagnosis and the band it must land in.

``cases/<case>/diagnosis.md`` is scored against the calibration rubric with the hidden-test
groups in ``expected.toml``; the score must land in ``band`` and the listed problems must be
exactly the explained ones. Optional keys: ``flags`` (must be raised), ``absent_flags``
(must not be), ``negated`` (problems with a match rejected as negated), ``claims``
(problems with an unsupported fix claim), ``located``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from grader.scoring.reasoning import FlagKind, ReasoningScore, score_reasoning

from .rubrics import CALIBRATION, CASES

CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.toml").is_file())


def grade(case: Path) -> tuple[ReasoningScore, dict[str, Any]]:
    expected = tomllib.loads((case / "expected.toml").read_text(encoding="utf-8"))
    text = (case / "diagnosis.md").read_text(encoding="utf-8")
    return score_reasoning(CALIBRATION, text, expected["fixed"]), expected


def test_every_required_case_is_present():
    names = {p.name for p in CASE_DIRS}
    required = {"good", "paraphrased", "wrong", "negated", "keyword-stuffed", "empty"}
    assert required <= names
    assert "partial-unsupported-claim" in names


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_lands_in_its_band(case: Path):
    result, expected = grade(case)
    low, high = expected["band"]
    assert low <= result.score <= high, f"{case.name}: {result.score} ({result.reason})"


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_explains_exactly_the_expected_problems(case: Path):
    result, expected = grade(case)
    assert sorted(result.explained) == sorted(expected["explained"])
    for row in result.rows:
        if row.explained:
            assert row.evidence, f"{row.id} is explained without an evidence sentence"


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_raises_the_expected_flags(case: Path):
    result, expected = grade(case)
    kinds = {f.kind for f in result.flags}
    assert {FlagKind(k) for k in expected.get("flags", [])} <= kinds
    assert not {FlagKind(k) for k in expected.get("absent_flags", [])} & kinds


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_keeps_the_expected_evidence(case: Path):
    result, expected = grade(case)
    rows = {r.id: r for r in result.rows}
    for problem_id in expected.get("negated", []):
        assert any(m.rejected.startswith("negated") for m in rows[problem_id].rejected)
    for problem_id in expected.get("claims", []):
        assert rows[problem_id].claim
        assert not rows[problem_id].fixed
    for problem_id in expected.get("located", []):
        assert rows[problem_id].located


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_scores_the_same_twice(case: Path):
    assert grade(case)[0] == grade(case)[0]

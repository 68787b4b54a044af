"""Rubrics for the scoring tests: the calibration rubric on disk and tiny ones built inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.scoring.rubric import Rubric, load_rubric, parse_rubric

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
CALIBRATION = load_rubric(HERE / "rubric.toml")
"""Three planted problems of a training-script debug exercise (groups labels, softmax,
scaling)."""


def concept(kind: str, *patterns: str, weight: float = 1, **extra: Any) -> dict[str, Any]:
    """One concept table, as it would appear in rubric.toml."""
    return {"kind": kind, "weight": weight, "patterns": list(patterns), **extra}


def problem(*concepts: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """One problem table with sensible defaults for the fields a test does not care about."""
    table: dict[str, Any] = {
        "id": "scaler-leak",
        "group": "scaling",
        "title": "Scaler fit on all rows",
        "locations": ["prepare"],
    }
    return {**table, **fields, "concepts": list(concepts)}


def one_problem_rubric(*concepts: dict[str, Any], **fields: Any) -> Rubric:
    """A rubric with a single problem; defaults to a scaler-leak mechanism plus a fix."""
    if not concepts:
        concepts = (
            concept("mechanism", r"scaler.{0,40}fit\w*.{0,40}(all rows|test)", weight=2),
            concept("fix", r"fit\w*.{0,30}(only )?on (the )?train\w*", weight=2),
        )
    return parse_rubric({"problems": [problem(*concepts, **fields)]}, "inline.toml")

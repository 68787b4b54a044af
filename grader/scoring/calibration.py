"""Diagnosis calibration sets: written diagnoses shipped with an exercise, and the reasoning
band each must score (``hidden/diagnoses/bands.toml``). Pure: no sandbox needed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.errors import CatalogError
from grader.scoring.reasoning import score_reasoning
from grader.scoring.rubric import load_rubric
from grader.tomlfields import TomlTable


@dataclass(frozen=True)
class DiagnosisCheck:
    """One calibration diagnosis: its band and the score it got."""

    file: str
    fixed: str
    band: tuple[float, float]
    score: float

    @property
    def passed(self) -> bool:
        return self.band[0] <= self.score <= self.band[1]


def check_diagnoses(exercise_root: Path) -> list[DiagnosisCheck]:
    """Score every calibration diagnosis of an exercise (empty when it ships none)."""
    folder = exercise_root / "hidden" / "diagnoses"
    bands = folder / "bands.toml"
    rubric_path = exercise_root / "hidden" / "rubric.toml"
    if not bands.is_file() or not rubric_path.is_file():
        return []
    try:
        raw = tomllib.loads(bands.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{bands}: cannot be read as TOML: {exc}") from exc
    rubric = load_rubric(rubric_path)
    checks = []
    for entry in TomlTable(bands, raw).tables("diagnoses", required=True):
        file = entry.text("file")
        fixed = entry.text("fixed")
        if fixed not in ("all", "none"):
            raise entry.fail("fixed", "must be 'all' or 'none'")
        band = entry.band("band")
        text_path = folder / file
        if not text_path.is_file():
            raise entry.fail("file", f"points to {text_path}, which does not exist")
        groups = {p.group: fixed == "all" for p in rubric.problems}
        score = score_reasoning(rubric, text_path.read_text(encoding="utf-8"), groups).score
        checks.append(DiagnosisCheck(file, fixed, band, score))
    return checks

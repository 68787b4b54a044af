"""Diagnosis calibration sets: written diagnoses shipped with an exercise, and the reasoning
band each must score (``hidden/diagnoses/bands.toml``). Pure: no sandbox needed.

Each entry names a file, the hidden-test groups taken as passed (``fixed = "all"``,
``"none"``, or a list of group ids, for claimed-but-missing fixes) and the band.
"""

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


def _passed_groups(entry: TomlTable, known: set[str]) -> set[str]:
    """The groups a calibration entry takes as passed: 'all', 'none' or a list of ids."""
    value = entry.get("fixed", (str, list))
    if value == "all":
        return set(known)
    if value == "none":
        return set()
    if isinstance(value, str):
        raise entry.fail("fixed", "must be 'all', 'none' or a list of hidden-test groups")
    groups = set(entry.strings("fixed", required=False))
    if unknown := groups - known:
        raise entry.fail("fixed", f"names unknown groups {sorted(unknown)}")
    return groups


def check_diagnoses(
    exercise_root: Path, written_only: bool = False, diagnosis: bool = True
) -> list[DiagnosisCheck]:
    """Score every calibration diagnosis of an exercise (empty when it ships none); for a
    memo (``written_only``) as a memo is scored: nothing fixed, ``fixed`` not given.
    ``diagnosis`` as in ``score_reasoning``."""
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
    known = set(rubric.groups)
    for entry in TomlTable(bands, raw).tables("diagnoses", required=True):
        file = entry.text("file")
        if written_only and "fixed" in entry.table:
            raise entry.fail("fixed", "a memo exercise fixes nothing: leave 'fixed' out")
        passed = set() if written_only else _passed_groups(entry, known)
        band = entry.band("band")
        text_path = folder / file
        if not text_path.is_file():
            raise entry.fail("file", f"points to {text_path}, which does not exist")
        groups = None if written_only else {group: group in passed for group in known}
        text = text_path.read_text(encoding="utf-8")
        score = score_reasoning(rubric, text, groups, diagnosis=diagnosis).score
        fixed = "all" if passed == known else ", ".join(sorted(passed)) or "none"
        checks.append(DiagnosisCheck(file, fixed, band, score))
    return checks

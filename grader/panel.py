"""An exercise's calibration panel: submissions written blind by an independent author, with
the bands and overall mark a careful reviewer gave each before anything was graded.

``exercises/<id>/panel/panel.toml`` lists the cases; each is a folder beside it holding a
whole submission. ``grade exercises validate`` grades every case, checks each score against
the reviewer's band and reports the rank agreement (Spearman) of the grader's totals with the
reviewer's marks. When a case misses, the rubric or the scorer changes, never the panel.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import CatalogError
from grader.tomlfields import TomlTable

PANEL_DIR = "panel"
PANEL_FILE = "panel.toml"
SCORES = ("correctness", "quality", "tests", "reasoning")


@dataclass(frozen=True)
class PanelCase:
    """One blind submission and what the reviewer expects of it."""

    path: Path
    style: str
    mark: float
    """The reviewer's overall mark, 0-100: compared by rank with the grader's total."""
    bands: tuple[tuple[str, tuple[float, float] | None], ...]
    """Per score, the band the reviewer accepts; None: the score must be absent."""
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.name


def load_panel(exercise_root: Path) -> tuple[PanelCase, ...]:
    """The exercise's panel cases (none when it ships no panel)."""
    path = exercise_root / PANEL_DIR / PANEL_FILE
    if not path.is_file():
        return ()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: cannot be read as TOML: {exc}") from exc
    cases = []
    for entry in TomlTable(path, raw).tables("cases", required=True):
        entry.only(("path", "style", "mark", "note", *SCORES))
        folder = path.parent / entry.text("path")
        if not folder.is_dir():
            raise entry.fail("path", f"points to {folder}, which is not a folder")
        mark = entry.number("mark")
        if mark > 100:
            raise entry.fail("mark", "must be at most 100")
        bands = tuple((s, entry.optional_band(s)) for s in SCORES if s in entry.table)
        cases.append(
            PanelCase(folder, entry.text("style"), float(mark), bands, entry.text("note", ""))
        )
    return tuple(cases)


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (Pearson's on tie-averaged ranks); None when undefined."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mean = (len(xs) + 1) / 2
    cov = sum((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mean) ** 2 for a in rx) ** 0.5
    sy = sum((b - mean) ** 2 for b in ry) ** 0.5
    if sx == 0 or sy == 0:
        return None
    return cov / (sx * sy)

"""Code quality (0–100): ruff findings per 100 lines of the candidate's code, in capped bands.

The recipe (also in the README): defects weigh most, then complexity, then idiom and style,
then missing docstrings and type hints; files ``ruff format`` would change cost a fixed amount.
Each band is capped so one noisy kind of finding cannot sink the score on its own. Numbers
that comments can inflate (maintainability-index style) are never part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.model import LintFinding, LintReport, Penalty, QualityScore
from grader.notebooks import code_lines_text


@dataclass(frozen=True)
class Band:
    """One kind of finding: which rule codes, how many points each, and the cap."""

    category: str
    prefixes: tuple[str, ...]
    points: float
    cap: float


BANDS = (
    Band("defects", ("F", "B", "E7", "E9", "PLE", "S102", "S307"), 10.0, 50.0),
    Band("complexity", ("C901", "PLR0912", "PLR0913", "PLR0915"), 8.0, 25.0),
    Band("docs and types", ("D1", "ANN"), 1.0, 10.0),
    Band("style", ("E", "W", "I", "UP", "SIM", "N", "RUF", "NPY", "PD"), 2.0, 15.0),
)
"""Checked in order: a code belongs to the first band with a matching prefix."""
FORMAT_POINTS, FORMAT_CAP = 5.0, 10.0
MIN_LINES = 50
"""Short submissions are scored as if they had this many lines, so one finding in ten
lines does not dominate."""
_NOQA = re.compile(r"#\s*noqa", re.IGNORECASE)


def band_of(code: str) -> Band | None:
    """The band a rule code counts in (None for codes outside the recipe)."""
    return next((b for b in BANDS if any(code.startswith(p) for p in b.prefixes)), None)


def code_lines(text: str) -> int:
    """Non-blank lines that are not only a comment."""
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def _code_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        return code_lines_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def score_quality(report: LintReport | None, root: Path, files: list[str]) -> QualityScore | None:
    """The quality score of ``files`` (relative to ``root``) from the sandbox's lint report."""
    if not files:
        return None
    texts = {f: _code_text(root / f) for f in files}
    lines = sum(code_lines(t) for t in texts.values())
    noqa = sum(len(_NOQA.findall(t)) for t in texts.values())
    if report is None or report.error:
        reason = report.error if report else "the lint step produced no report"
        return QualityScore(0.0, lines, (), (), (), noqa, tuple(files), reason=reason)
    scale = 100.0 / max(lines, MIN_LINES)
    penalties = []
    for band in BANDS:
        count = sum(1 for f in report.findings if band_of(f.code) is band)
        points = min(band.cap, band.points * count * scale)
        penalties.append(Penalty(band.category, count, round(points, 2), band.cap))
    unformatted = len(report.unformatted)
    penalties.append(
        Penalty("formatting", unformatted, min(FORMAT_CAP, FORMAT_POINTS * unformatted), FORMAT_CAP)
    )
    score = max(0.0, 100.0 - sum(p.points for p in penalties))
    return QualityScore(
        score=round(score, 2),
        lines=lines,
        penalties=tuple(penalties),
        findings=_sorted(report.findings),
        unformatted=report.unformatted,
        noqa_comments=noqa,
        files=tuple(files),
    )


def _sorted(findings: tuple[LintFinding, ...]) -> tuple[LintFinding, ...]:
    order = {b.category: i for i, b in enumerate(BANDS)}

    def key(f: LintFinding) -> tuple[int, str, int, str]:
        band = band_of(f.code)
        return (order[band.category] if band else len(BANDS), f.file, f.line, f.code)

    return tuple(sorted(findings, key=key))

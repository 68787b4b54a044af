"""Write a round's reports into its output folder: CSV, JUnit XML, HTML, per-candidate Markdown."""

from __future__ import annotations

import os
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from grader.model import Grade
from grader.reports.csv_report import round_csv
from grader.reports.html import round_html
from grader.reports.junit import round_junit
from grader.reports.markdown import grade_markdown


class RoundFormat(StrEnum):
    """The round report formats `grade report` can render."""

    HTML = "html"
    CSV = "csv"
    MD = "md"
    JUNIT = "junit"


FILE_NAMES = {
    RoundFormat.HTML: "round.html",
    RoundFormat.CSV: "round.csv",
    RoundFormat.JUNIT: "round.junit.xml",
}


def render(
    fmt: RoundFormat, grades: Sequence[Grade], *, title: str, fail_under: float | None = None
) -> str:
    """One round report as text (Markdown: every candidate's report, one after another)."""
    if fmt is RoundFormat.HTML:
        return round_html(grades, title=title)
    if fmt is RoundFormat.CSV:
        return round_csv(grades)
    if fmt is RoundFormat.JUNIT:
        return round_junit(grades, fail_under=fail_under)
    return "\n\n".join(grade_markdown(g) for g in grades)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_round_reports(
    dest: Path, grades: Sequence[Grade], *, title: str, fail_under: float | None = None
) -> list[Path]:
    """Write every round report and each candidate's Markdown; returns the paths written."""
    written = []
    for fmt, name in FILE_NAMES.items():
        _write(dest / name, render(fmt, grades, title=title, fail_under=fail_under))
        written.append(dest / name)
    for grade in grades:
        path = dest / "results" / f"{grade.candidate}.md"
        _write(path, grade_markdown(grade))
        if grade.notebook is not None and grade.notebook.executed:
            # The clean run of a notebook submission, outputs capped: open it in Jupyter.
            _write(dest / "results" / f"{grade.candidate}.executed.ipynb", grade.notebook.executed)
    return written

"""A round as one self-contained HTML page: sortable table, score histogram, drill-downs.

The page makes no network request of any kind (inline CSS and JS, inline SVG, a
Content-Security-Policy that forbids fetching); candidate text is escaped by Jinja2's
autoescape. Everything but the sorting works without JavaScript.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup

from grader.model import Grade

from . import summary
from .columns import Column, format_cell, round_columns
from .histogram import histogram_svg
from .text import one_line, tail

OUTPUT_LINES = 30
OUTPUT_CHARS = 4000


@dataclass(frozen=True)
class Cell:
    """One table cell: what it shows, what it sorts by, how it is coloured."""

    text: str
    sort: str
    """The raw value as text; empty sorts last."""
    tone: str = ""


@dataclass(frozen=True)
class Output:
    """The tail of one captured stream."""

    name: str
    text: str
    dropped_lines: int


@dataclass(frozen=True)
class CandidateView:
    """Everything the page shows about one candidate, cleaned and ready to escape."""

    anchor: str
    name: str
    cells: tuple[Cell, ...]
    verdict: str
    graded: bool
    tone: str
    score: str
    exercise: str
    submission: str
    run: str
    areas: tuple[summary.AreaRow, ...]
    failed: tuple[summary.FailedRow, ...]
    limits: tuple[str, ...]
    questions: tuple[str, ...]
    notes: tuple[str, ...]
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Stat:
    """A headline number above the table."""

    label: str
    value: str


def _cell(column: Column, grade: Grade) -> Cell:
    return Cell(
        text=column.text(grade),
        sort=format_cell(column.value(grade)),
        tone=column.tone(grade) if column.tone else "",
    )


def _outputs(grade: Grade) -> tuple[Output, ...]:
    shown = []
    for name, stream in (("stdout", grade.stdout), ("stderr", grade.stderr)):
        if stream.strip():
            text, dropped = tail(stream, lines=OUTPUT_LINES, chars=OUTPUT_CHARS)
            shown.append(Output(name, text, dropped))
    return tuple(shown)


def _candidate(index: int, grade: Grade, columns: Sequence[Column]) -> CandidateView:
    value = summary.score(grade)
    return CandidateView(
        anchor=f"candidate-{index}",
        name=summary.candidate_name(grade),
        cells=tuple(_cell(c, grade) for c in columns),
        verdict=summary.verdict_line(grade),
        graded=value is not None,
        tone=summary.band(value).value,
        score="ungradable" if value is None else f"{value:.1f}",
        exercise=summary.exercise_line(grade),
        submission=summary.submission_line(grade),
        run=summary.run_line(grade),
        areas=summary.area_rows(grade),
        failed=summary.failed_rows(grade),
        limits=summary.limits_hit(grade),
        questions=summary.follow_up_questions(grade),
        notes=(*summary.notebook_lines(grade), *summary.notes(grade)),
        outputs=_outputs(grade),
    )


def _ranked(grades: Sequence[Grade]) -> list[Grade]:
    """Best score first, ungradable last; ties keep the round's order."""

    def key(grade: Grade) -> tuple[bool, float]:
        value = summary.score(grade)
        return value is None, -(value or 0.0)

    return sorted(grades, key=key)


def _stats(grades: Sequence[Grade], scores: Sequence[float]) -> tuple[Stat, ...]:
    ungradable = len(grades) - len(scores)
    return (
        Stat("Candidates", str(len(grades))),
        Stat("Median correctness", f"{statistics.median(scores):.1f}" if scores else "—"),
        Stat("Best", f"{max(scores):.1f}" if scores else "—"),
        Stat("Strong (80+)", str(sum(1 for s in scores if s >= 80))),
        Stat("Ungradable", str(ungradable)),
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("grader.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def round_html(grades: Sequence[Grade], *, title: str = "Hiring round") -> str:
    """The round as one HTML document that opens offline in any browser."""
    columns = [c for c in round_columns(grades) if c.in_table]
    ranked = _ranked(grades)
    scores = [s for s in (summary.score(g) for g in ranked) if s is not None]
    exercises = tuple(dict.fromkeys(summary.exercise_line(g) for g in grades))
    template = _environment().get_template("round.html.j2")
    return template.render(
        title=one_line(title, 200) or "Hiring round",
        exercises=exercises,
        stats=_stats(grades, scores),
        columns=columns,
        sorted_key="correctness",
        candidates=[_candidate(i, g, columns) for i, g in enumerate(ranked, start=1)],
        histogram=Markup(histogram_svg(scores)),  # built with ElementTree, which escapes
        ungradable=len(grades) - len(scores),
    )

"""A round as one self-contained HTML page: sortable table, score histogram, drill-downs.

The page makes no network request of any kind (inline CSS and JS, inline SVG, a
Content-Security-Policy that forbids fetching); candidate text is escaped by Jinja2's
autoescape. Everything but the sorting works without JavaScript.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from grader.item_analysis import analyse_round
from grader.model import Grade

from . import summary
from .columns import Column, format_cell, round_columns
from .histogram import histogram_svg
from .items import items_html
from .summary import verdict_of
from .templating import environment
from .text import one_line
from .verdict import Verdict


@dataclass(frozen=True)
class Cell:
    """One table cell: what it shows, what it sorts by, how it is coloured."""

    text: str
    sort: str
    """The raw value as text; empty sorts last."""
    tone: str = ""
    title: str = ""
    """A tooltip (e.g. what a flag count stands for)."""


@dataclass(frozen=True)
class CandidateView:
    """One candidate on the page: the table row's cells and the verdict for the drill-down."""

    anchor: str
    cells: tuple[Cell, ...]
    verdict: Verdict


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
        title=column.title(grade) if column.title else "",
    )


def _candidate(index: int, grade: Grade, columns: Sequence[Column]) -> CandidateView:
    return CandidateView(
        anchor=f"candidate-{index}",
        cells=tuple(_cell(c, grade) for c in columns),
        verdict=verdict_of(grade),
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


def candidate_html(grade: Grade, *, anchor: str = "candidate-1") -> str:
    """One candidate's drill-down as an HTML fragment (the ``<details>`` the round page
    holds), e.g. for golden tests or to embed elsewhere."""
    template = environment().get_template("drilldown.html.j2")
    return template.render(v=verdict_of(grade), anchor=anchor)


def round_html(grades: Sequence[Grade], *, title: str = "Hiring round") -> str:
    """The round as one HTML document that opens offline in any browser."""
    columns = [c for c in round_columns(grades) if c.in_table]
    ranked = _ranked(grades)
    scores = [s for s in (summary.score(g) for g in ranked) if s is not None]
    exercises = tuple(dict.fromkeys(summary.exercise_line(g) for g in grades))
    template = environment().get_template("round.html.j2")
    return template.render(
        title=one_line(title, 200) or "Hiring round",
        exercises=exercises,
        stats=_stats(grades, scores),
        columns=columns,
        sorted_key="correctness",
        candidates=[_candidate(i, g, columns) for i, g in enumerate(ranked, start=1)],
        histogram=Markup(histogram_svg(scores)),  # built with ElementTree, which escapes
        ungradable=len(grades) - len(scores),
        # Per hidden test: pass rate and discrimination (an autoescaped template's Markup).
        items=items_html(analyse_round(grades)),
    )

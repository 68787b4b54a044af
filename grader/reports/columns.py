"""The columns of a round, defined once for every tabular renderer (CSV, HTML).

A new score on ``Grade`` (code quality, reasoning, a profile total, similarity flags) is one
more ``Column`` in ``COLUMNS``: the CSV gets it at that position and, unless ``in_table`` is
false, the HTML table shows it and sorts by it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from grader.model import Grade

from . import summary
from .text import one_line

Cell = str | int | float | None
"""A raw value: None where there is nothing to say (e.g. the score of an ungradable grade)."""


@dataclass(frozen=True)
class Column:
    """One column of the round: how to read it from a grade, name it and show it."""

    key: str
    """Machine name: the CSV header and the HTML ``data-key``; never changes once shipped."""
    label: str
    """The header a person reads."""
    value: Callable[[Grade], Cell]
    """The raw value, written to CSV and used as the HTML sort key."""
    numeric: bool = False
    """Sort as numbers; missing values sort last either way."""
    display: Callable[[Grade], str] | None = None
    """How the HTML table shows the value, when plain formatting is not enough."""
    tone: Callable[[Grade], str] | None = None
    """A ``Band`` name that colours the HTML cell."""
    in_table: bool = True
    """Shown in the HTML table; the CSV always has every column."""
    title: Callable[[Grade], str] | None = None
    """A tooltip for the HTML cell."""

    def text(self, grade: Grade) -> str:
        """The value as a person reads it; an em dash when there is none."""
        if self.display is not None:
            return self.display(grade)
        value = self.value(grade)
        return "—" if value is None or value == "" else format_cell(value)


def format_cell(value: Cell) -> str:
    """A raw value as text: numbers without float noise, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _passed(grade: Grade) -> int | None:
    counts = summary.tests_passed(grade)
    return counts[0] if counts else None


def _total(grade: Grade) -> int | None:
    counts = summary.tests_passed(grade)
    return counts[1] if counts else None


def _passed_text(grade: Grade) -> str:
    counts = summary.tests_passed(grade)
    return f"{counts[0]} / {counts[1]}" if counts else "—"


def _correctness(grade: Grade) -> float | None:
    # Correctness only: a memo is graded without it (its headline score is the reasoning).
    return grade.correctness.score if summary.is_graded(grade) and grade.correctness else None


def _score_text(grade: Grade) -> str:
    if not summary.is_graded(grade):
        return "ungradable"
    value = _correctness(grade)
    return "—" if value is None else f"{value:.1f}"


def _run_status(grade: Grade) -> str:
    return grade.run_status.value if grade.run_status else ""


def _run_text(grade: Grade) -> str:
    return summary.run_outcome(grade) or (
        grade.run_status.value.replace("_", " ") if grade.run_status else "—"
    )


def _flags_text(grade: Grade) -> str:
    # A count and a marker: the table stays one line per candidate; the flags' text is in
    # the drill-down (and in full in the CSV).
    count = len(summary.flags(grade))
    return f"⚑ {count}" if count else "—"


def _flags_title(grade: Grade) -> str:
    count = len(summary.flags(grade))
    return f"{count} flag{'' if count == 1 else 's'}: see the candidate's details" if count else ""


def _score_column(key: str, label: str, value: Callable[[Grade], float | None]) -> Column:
    """A 0–100 score column, empty where the exercise or grade has no such score."""

    def shown(grade: Grade) -> str:
        number = value(grade)
        return "—" if number is None else f"{number:.1f}"

    return Column(
        key, label, value, numeric=True, display=shown, tone=lambda g: summary.band(value(g)).value
    )


COLUMNS: tuple[Column, ...] = (
    Column("candidate", "Candidate", summary.candidate_name),
    Column("exercise", "Exercise", lambda g: g.exercise_id, in_table=False),
    Column("exercise_version", "Version", lambda g: g.exercise_version, in_table=False),
    Column(
        "correctness",
        "Correctness",
        _correctness,
        numeric=True,
        display=_score_text,
        tone=lambda g: summary.band(_correctness(g)).value,
    ),
    _score_column("total", "Total", lambda g: g.total.score if g.total else None),
    _score_column("quality", "Quality", lambda g: g.quality.score if g.quality else None),
    _score_column("own_tests", "Own tests", lambda g: g.own_tests.score if g.own_tests else None),
    _score_column("reasoning", "Reasoning", lambda g: g.reasoning.score if g.reasoning else None),
    Column("profile", "Profile", lambda g: g.total.profile if g.total else "", in_table=False),
    Column("tests_passed", "Tests passed", _passed, numeric=True, display=_passed_text),
    Column("tests_total", "Tests", _total, numeric=True, in_table=False),
    Column("status", "Status", lambda g: g.status.value, in_table=False),
    Column("run_status", "Run", _run_status, display=_run_text),
    Column("reason", "Reason", lambda g: one_line(g.reason), in_table=False),
    Column("limits_hit", "Limits hit", lambda g: "; ".join(summary.limits_hit(g))),
    Column(
        "flags",
        "Flags",
        lambda g: "; ".join(one_line(f, 200) for f in summary.flags(g)),
        display=_flags_text,
        tone=lambda g: "flagged" if summary.flags(g) else "",
        title=_flags_title,
    ),
    Column("notes", "Notes", lambda g: len(summary.notes(g)), numeric=True),
    Column("duration_s", "Seconds", lambda g: round(g.duration_s, 2), numeric=True, in_table=False),
    Column("seed", "Seed", lambda g: g.seed, numeric=True, in_table=False),
    Column("content_hash", "Content hash", lambda g: g.submission.content_hash, in_table=False),
    Column("source", "Submission", lambda g: one_line(g.submission.source), in_table=False),
)


def _area_share(group_id: str, grade: Grade) -> float | None:
    if not summary.is_graded(grade) or grade.correctness is None:
        return None
    for group in grade.correctness.groups:
        if group.id == group_id:
            return round(100 * group.earned / group.possible, 2) if group.possible else 0.0
    return None


def area_columns(grades: Sequence[Grade]) -> tuple[Column, ...]:
    """One credit column per group of hidden tests, in the order the exercises declare them."""
    titles: dict[str, str] = {}
    for grade in grades:
        if grade.correctness is not None:
            for group in grade.correctness.groups:
                titles.setdefault(group.id, one_line(group.title, 80))
    return tuple(
        Column(
            f"area:{gid}", f"{title} (%)", partial(_area_share, gid), numeric=True, in_table=False
        )
        for gid, title in titles.items()
    )


def round_columns(grades: Sequence[Grade]) -> tuple[Column, ...]:
    """Every column of this round: the fixed ones, then one per area. The exercise shows in
    the table whenever the round holds more than one (scores of different exercises are
    not comparable, and a reader must see which is which)."""
    mixed = len({g.exercise_id for g in grades if g.exercise_id}) > 1
    fixed = tuple(
        replace(c, in_table=True) if mixed and c.key == "exercise" else c for c in COLUMNS
    )
    return (*fixed, *area_columns(grades))

"""The per-candidate verdict as Markdown, for a hiring manager to read or forward."""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.model import Grade

from . import summary
from .text import one_line

# What CommonMark or GFM treats as syntax in the middle of a line (our values never start
# one): emphasis, code, links and images, table cells, strikethrough. Escaping no more keeps
# the raw text readable when the report is pasted into an email.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(value: str, limit: int = 300) -> str:
    """Text that renders literally: one line, Markdown syntax escaped, HTML as entities."""
    escaped = _MARKDOWN_SYNTAX.sub(r"\\\1", one_line(value, limit))
    return "".join(_HTML.get(ch, ch) for ch in escaped)


def _table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _header(grade: Grade) -> str:
    name = md_escape(summary.candidate_name(grade), 200)
    facts = [
        ("Exercise", md_escape(summary.exercise_line(grade))),
        ("Submission", md_escape(summary.submission_line(grade))),
        ("Run", md_escape(summary.run_line(grade))),
    ]
    return "\n".join(
        [
            f"# {name}",
            "",
            f"**Verdict:** {_verdict(grade)}",
            "",
            *(f"- **{label}:** {value}" for label, value in facts),
        ]
    )


def _verdict(grade: Grade) -> str:
    value = summary.score(grade)
    if value is None:
        return (
            f"**Ungradable** — {md_escape(grade.reason or 'no reason recorded')}. "
            "This is not a zero: the grader could not judge this submission."
        )
    return f"{md_escape(summary.verdict_line(grade))} ({summary.band(value).value})"


def _areas(grade: Grade) -> str | None:
    rows = [
        (md_escape(a.title), f"{a.passed}/{a.total}", f"{a.share:.0f}%")
        for a in summary.area_rows(grade)
    ]
    if not rows:
        return None
    return "## By area\n\n" + _table(("Area", "Tests", "Credit"), ("---", "---:", "---:"), rows)


def _failed(grade: Grade) -> str | None:
    rows = [
        (md_escape(f.description), f"{f.weight:g}", md_escape(f.reason) or "—")
        for f in summary.failed_rows(grade)
    ]
    if not rows:
        return None
    header = ("What it checks", "Weight", "Why it failed")
    return "## Failed hidden tests\n\n" + _table(header, ("---", "---:", "---"), rows)


def _bullets(title: str, items: tuple[str, ...], *, numbered: bool = False) -> str | None:
    if not items:
        return None
    marks = (f"{i}." if numbered else "-" for i in range(1, len(items) + 1))
    return f"## {title}\n\n" + "\n".join(
        f"{mark} {md_escape(item)}" for mark, item in zip(marks, items, strict=True)
    )


def grade_markdown(grade: Grade) -> str:
    """One candidate's verdict as a Markdown document; candidate text is escaped."""
    sections = [
        _header(grade),
        _areas(grade),
        _failed(grade),
        _bullets("Limits hit", summary.limits_hit(grade)),
        _bullets(
            "Ask in the follow-up interview", summary.follow_up_questions(grade), numbered=True
        ),
        _bullets("Notebook", summary.notebook_lines(grade)),
        _bullets("Notes", summary.notes(grade)),
        "---\n\n_Graded by mlgrade. Hidden tests are described, never shown._",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"

"""The per-candidate verdict as Markdown, for a hiring manager to read or forward; drawn
from the verdict (``verdict.py``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.model import Grade

from .summary import verdict_of
from .text import one_line
from .verdict import DiagnosisEvidence, OwnTestsEvidence, QualityEvidence, Verdict

# What CommonMark or GFM treats as syntax in the middle of a line (our values never start
# one): emphasis, code, links and images, table cells, strikethrough. Escaping no more keeps
# the raw text readable when the report is pasted into an email.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(value: str, limit: int = 300) -> str:
    """Text that renders literally: one line, Markdown syntax escaped, HTML as entities."""
    escaped = _MARKDOWN_SYNTAX.sub(r"\\\1", one_line(value, limit))
    return "".join(_HTML.get(ch, ch) for ch in escaped)


def md_table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table of cells that are already escaped."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def md_bullets(title: str, items: Sequence[str], *, numbered: bool = False) -> str | None:
    """A section of escaped bullets (or a numbered list), None when there is nothing to list."""
    if not items:
        return None
    marks = (f"{i}." if numbered else "-" for i in range(1, len(items) + 1))
    return f"## {title}\n\n" + "\n".join(
        f"{mark} {md_escape(item)}" for mark, item in zip(marks, items, strict=True)
    )


def _yes(value: bool) -> str:
    return "yes" if value else "**no**"


def _header(v: Verdict) -> str:
    facts = [
        ("Exercise", v.exercise),
        ("Submission", v.submission),
        ("Run", v.run),
        ("Replay", v.replay),
    ]
    if v.graded:
        verdict = f"{md_escape(v.headline)} ({v.band.value})"
    else:
        verdict = (
            f"**Ungradable** — {md_escape(v.reason)}. "
            "This is not a zero: the grader could not judge this submission."
        )
    return "\n".join(
        [
            f"# {md_escape(v.candidate, 200)}",
            "",
            f"**Verdict:** {verdict}",
            "",
            *(f"- **{label}:** {md_escape(value)}" for label, value in facts),
        ]
    )


def _scores(v: Verdict) -> str | None:
    rows = [(md_escape(s.label), s.shown, md_escape(s.evidence)) for s in v.scores]
    if not rows:
        return None
    return "## Scores\n\n" + md_table(("Score", "0–100", "Evidence"), ("---", "---:", "---"), rows)


def _areas(v: Verdict) -> str | None:
    rows = [(md_escape(a.title), f"{a.passed}/{a.total}", f"{a.share:.0f}%") for a in v.areas]
    if not rows:
        return None
    return "## By area\n\n" + md_table(("Area", "Tests", "Credit"), ("---", "---:", "---:"), rows)


def _failed(v: Verdict) -> str | None:
    rows = [(md_escape(f.label), f"{f.weight:g}", md_escape(f.reason) or "—") for f in v.failed]
    if not rows:
        return None
    header = ("What it checks", "Weight", "Why it failed")
    return "## Failed hidden tests\n\n" + md_table(header, ("---", "---:", "---"), rows)


def _quality(q: QualityEvidence | None) -> str | None:
    if q is None or not (q.findings or q.reason):
        return None
    lines = [f"## Code quality findings ({q.findings_total})", ""]
    if q.reason:
        lines += [f"Code quality: {md_escape(q.reason)}.", ""]
    if q.findings:
        rows = [
            (md_escape(f.where), f.code_md, md_escape(f.message))
            for f in q.findings
        ]  # fmt: skip
        lines.append(md_table(("Where", "Rule", "Message"), ("---", "---", "---"), rows))
    if q.findings_hidden:
        lines += ["", f"… and {q.findings_hidden} more."]
    if q.noqa_comments:
        lines += ["", f"`# noqa` comments ignored: {q.noqa_comments}."]
    return "\n".join(lines)


def _mutants(o: OwnTestsEvidence | None) -> str | None:
    if o is None:
        return None
    lines = [f"## Planted bugs vs the candidate's tests ({o.caught} of {len(o.mutants)} caught)"]
    if o.mutants:
        rows = [
            (f"{md_escape(m.id)}: {md_escape(m.description)}", _yes(m.caught),
             md_escape(m.by) or "—")
            for m in o.mutants
        ]  # fmt: skip
        lines += ["", md_table(("Bug", "Caught", "By"), ("---", "---", "---"), rows)]
    if o.wrong_tests:
        lines += ["", "Tests that fail on a correct implementation:", ""]
        lines += [
            f"- {md_escape(w.test)}" + (f": {md_escape(w.message)}" if w.message else "")
            for w in o.wrong_tests
        ]
    return "\n".join(lines)


def _diagnosis(d: DiagnosisEvidence | None) -> str | None:
    if d is None:
        return None
    rows = []
    for r in d.rows:
        evidence = [md_escape(r.evidence or r.reason) or "—"]
        evidence += [f"misconception: {md_escape(m)}" for m in r.misconceptions]
        if r.disproved_claim:
            evidence.append(f"claim disproved: “{md_escape(r.disproved_claim)}”")
        rows.append((md_escape(r.title), *map(_yes, d.marks(r)), " · ".join(evidence)))
    header = (d.first_column, *d.mark_names, "Evidence")
    lines = [f"## {d.heading}", "", md_table(header, ("---",) * len(header), rows)]
    lines += ["", *(f"- {md_escape(remark)}" for remark in d.remarks)] if d.remarks else []
    return "\n".join(lines)


def verdict_markdown(v: Verdict) -> str:
    """A verdict as a Markdown document; candidate text is escaped."""
    sections = [
        _header(v),
        _scores(v),
        _areas(v),
        _failed(v),
        md_bullets("Notebook", v.notebook),
        _quality(v.quality),
        _mutants(v.own_tests),
        _diagnosis(v.diagnosis),
        md_bullets("Limits hit", v.limits),
        md_bullets("Ask in the follow-up interview", v.questions, numbered=True),
        md_bullets("Ask about their own work", v.code_questions, numbered=True),
        md_bullets("Flags", v.flags),
        md_bullets("Notes", v.notes),
        "---\n\n_Graded by mlgrade. Hidden tests are described, never shown._",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def grade_markdown(grade: Grade) -> str:
    """One candidate's verdict as a Markdown document; candidate text is escaped."""
    return verdict_markdown(verdict_of(grade))

"""Terminal sections for the scores beyond correctness: quality, own tests, reasoning, total."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from grader.model import Grade

FINDINGS_SHOWN = 8


def _style(score: float) -> str:
    return "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"


def scores_table(grade: Grade) -> Table:
    """One row per score with the evidence that produced it, then the profile total."""
    table = Table(title="Scores", title_justify="left", expand=False)
    table.add_column("Score")
    table.add_column("0–100", justify="right")
    table.add_column("Evidence", overflow="fold")
    rows: list[tuple[str, float | None, str]] = []
    if grade.correctness is not None:
        c = grade.correctness
        passed = sum(1 for t in c.tests if t.passed)
        rows.append(("Correctness", c.score, f"{passed}/{len(c.tests)} hidden tests, by weight"))
    if grade.quality is not None:
        q = grade.quality
        lost = ", ".join(f"{p.category} -{p.points:g}" for p in q.penalties if p.points) or "none"
        rows.append(("Code quality", q.score, q.reason or f"{q.lines} lines linted; lost: {lost}"))
    if grade.own_tests is not None:
        o = grade.own_tests
        caught = sum(1 for m in o.mutants if m.caught)
        cover = (
            f", branch coverage {o.branch_coverage:.0f}%" if o.branch_coverage is not None else ""
        )
        detail = o.reason or f"caught {caught}/{len(o.mutants)} planted bugs{cover}"
        rows.append(("Own tests", o.score, detail))
    if grade.reasoning is not None:
        r = grade.reasoning
        fixed_explained = sum(1 for row in r.rows if row.fixed and row.explained)
        detail = r.reason or f"{fixed_explained}/{len(r.rows)} problems fixed and explained"
        rows.append(("Reasoning", r.score, detail))
    for name, value, evidence in rows:
        shown = Text("—") if value is None else Text(f"{value:.1f}", style=_style(value))
        table.add_row(name, shown, evidence)
    if grade.total is not None:
        weights = ", ".join(f"{k} {w:.0%}" for k, w in grade.total.weights)
        table.add_row(
            Text(f"Total ({grade.total.profile})", style="bold"),
            Text(f"{grade.total.score:.1f}", style=_style(grade.total.score)),
            weights,
        )
    return table


def quality_findings(grade: Grade) -> Table | None:
    """The first findings, most serious first, each with its rule's documentation link."""
    if grade.quality is None or not grade.quality.findings:
        return None
    q = grade.quality
    title = f"Code quality findings ({len(q.findings)}; # noqa comments ignored: {q.noqa_comments})"
    table = Table(
        title=title,
        title_justify="left",
        expand=False,
    )
    for column in ("Where", "Rule", "Message"):
        table.add_column(column, overflow="fold")
    for f in q.findings[:FINDINGS_SHOWN]:
        table.add_row(f.where, f.code, Text(f"{f.message}  {f.url}"))
    return table


def mutant_table(grade: Grade) -> Table | None:
    """Each planted bug and whether the candidate's tests caught it."""
    if grade.own_tests is None:
        return None
    table = Table(title="Planted bugs vs the candidate's tests", title_justify="left")
    for column in ("Bug", "Caught", "By"):
        table.add_column(column, overflow="fold")
    for m in grade.own_tests.mutants:
        mark = Text("yes", style="green") if m.caught else Text("no", style="red")
        table.add_row(m.description, mark, ", ".join(m.caught_by) or m.note)
    if grade.own_tests.wrong_tests:
        table.add_row(
            Text("tests failing on a correct implementation", style="yellow"),
            "",
            ", ".join(grade.own_tests.wrong_tests[:5]),
        )
    return table


def reasoning_table(grade: Grade) -> Table | None:
    """Per planted problem: explained (with the sentence), fixed, location cited."""
    if grade.reasoning is None:
        return None
    table = Table(title="Diagnosis vs behaviour", title_justify="left")
    for column in ("Problem", "Fixed", "Explained", "Located", "Evidence"):
        table.add_column(column, overflow="fold")
    for row in grade.reasoning.rows:
        table.add_row(
            row.title,
            _yes(row.fixed),
            _yes(row.explained),
            _yes(row.located),
            Text(row.evidence[:200] or row.reason[:200]),
        )
    for flag in grade.reasoning.flags:
        table.add_row(
            Text(f"flag: {flag.kind.value}", style="yellow"), "", "", "", flag.message[:200]
        )
    return table


def _yes(value: bool) -> Text:
    return Text("yes", style="green") if value else Text("no", style="red")


def weak_area_questions(grade: Grade) -> list[str]:
    """Interview prompts from what the candidate missed beyond the hidden tests."""
    questions = []
    if grade.reasoning is not None:
        for row in grade.reasoning.rows:
            if not row.explained:
                questions.append(f"Ask them to explain, in their own words: {row.title}.")
    if grade.own_tests is not None:
        for m in grade.own_tests.mutants:
            if not m.caught:
                questions.append(f"Ask which test would catch this bug: {m.description}.")
    if grade.quality is not None and grade.quality.findings:
        first = grade.quality.findings[0]
        questions.append(f"Walk through {first.where} ({first.code}: {first.message}).")
    return questions

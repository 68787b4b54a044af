"""The verdict a recruiter reads in a minute: rich tables on the terminal."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.model import Grade, GradeStatus, RunStatus, TestOutcome
from grader.reports.terminal_scores import (
    mutant_table,
    quality_findings,
    reasoning_table,
    scores_table,
    weak_area_questions,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-?]*[ -/]*[@-~]")
OUTPUT_LINES = 20


def safe_text(value: str, limit: int = 2000) -> Text:
    """Candidate-controlled text with control sequences removed, never parsed as markup."""
    cleaned = _CONTROL.sub("", value)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + " …"
    return Text(cleaned)


def _score_style(score: float) -> str:
    return "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"


def _header(grade: Grade) -> Table:
    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold")
    info.add_column()
    sub = grade.submission
    files = f"{sub.files} file" + ("" if sub.files == 1 else "s")
    where = f"{sub.source}  ({sub.kind.value}, {files}, sha256 {sub.content_hash[:12]})"
    if sub.git_commit:
        where += f"  commit {sub.git_commit[:10]}{' (dirty)' if sub.git_dirty else ''}"
    info.add_row(
        "Exercise", f"{grade.exercise_id} v{grade.exercise_version}: {grade.exercise_title}"
    )
    info.add_row("Submission", safe_text(where))
    if grade.status is GradeStatus.UNGRADABLE or grade.correctness is None:
        info.add_row("Verdict", Text(f"UNGRADABLE: {grade.reason}", style="bold red"))
        return info
    c = grade.correctness
    passed = sum(1 for t in c.tests if t.passed)
    verdict = Text(f"Correctness {c.score:.1f} / 100", style=_score_style(c.score))
    verdict.append(f"   {passed} of {len(c.tests)} hidden tests passed", style="default")
    info.add_row("Verdict", verdict)
    run = f"{grade.run_status.value if grade.run_status else '?'} in {grade.duration_s:.1f} s"
    info.add_row("Run", f"{run} · seed {grade.seed} · image {grade.image}")
    if grade.run_status not in (None, RunStatus.COMPLETED):
        info.add_row("Outcome", Text(grade.reason, style="bold red"))
    if grade.limits_hit:
        info.add_row("Limits hit", Text(", ".join(grade.limits_hit), style="yellow"))
    return info


def _groups(grade: Grade) -> Table:
    table = Table(title="By area", title_justify="left", expand=False)
    table.add_column("Area")
    table.add_column("Tests", justify="right")
    table.add_column("Credit", justify="right")
    assert grade.correctness is not None
    for g in grade.correctness.groups:
        share = 100 * g.earned / g.possible if g.possible else 0
        table.add_row(
            g.title, f"{g.passed}/{g.total}", Text(f"{share:.0f}%", style=_score_style(share))
        )
    return table


def _failed(grade: Grade) -> Table | None:
    assert grade.correctness is not None
    failed = grade.correctness.failed
    if not failed:
        return None
    table = Table(title="Failed hidden tests", title_justify="left", expand=False)
    table.add_column("What it checks")
    table.add_column("Weight", justify="right")
    table.add_column("Why it failed", overflow="fold")
    not_run = [t for t in failed if t.outcome is TestOutcome.NOT_RUN]
    for t in failed:
        if t.outcome is not TestOutcome.NOT_RUN:
            table.add_row(t.description, f"{t.weight:g}", safe_text(t.reason, 300))
    if not_run:
        # One row, not one per test: they all share the run's fate (timeout, crash, OOM).
        weight = sum(t.weight for t in not_run)
        table.add_row(
            f"{len(not_run)} test(s) that never reported",
            f"{weight:g}",
            safe_text(not_run[0].reason),
        )
    return table


def _questions(grade: Grade) -> Text | None:
    assert grade.correctness is not None
    questions = list(dict.fromkeys(t.question for t in grade.correctness.failed if t.question))
    questions += weak_area_questions(grade)
    if not questions:
        return None
    text = Text("Ask in the follow-up interview\n", style="bold")
    for q in questions[:8]:
        text.append(f"  • {q}\n", style="default")
    return text


def _notes(grade: Grade) -> Text | None:
    lines = [f"flag: {flag}" for flag in grade.flags] + list(grade.notes)
    if grade.output_truncated_bytes:
        lines.append(f"candidate output cut: {grade.output_truncated_bytes:,} bytes dropped")
    if not lines:
        return None
    text = Text("Notes\n", style="bold")
    for line in lines:
        text.append("  • ")
        text.append_text(safe_text(line, 300))
        text.append("\n")
    return text


def _notebook(grade: Grade) -> Text | None:
    if grade.notebook is None:
        return None
    text = Text("Notebook\n", style="bold")
    for line in grade.notebook.summary_lines()[:20]:
        text.append("  • ")
        text.append_text(safe_text(line, 300))
        text.append("\n")
    return text


def _output(grade: Grade) -> Text | None:
    shown = []
    for name, value in (("stdout", grade.stdout), ("stderr", grade.stderr)):
        if value.strip():
            lines = value.strip().splitlines()
            more = (
                f"\n  … {len(lines) - OUTPUT_LINES} more lines" if len(lines) > OUTPUT_LINES else ""
            )
            shown.append(f"[{name}]\n" + "\n".join(lines[-OUTPUT_LINES:]) + more)
    if not shown:
        return None
    text = Text("Candidate output (last lines)\n", style="bold")
    text.append_text(safe_text("\n".join(shown), 6000))
    return text


def render_grade(grade: Grade, console: Console, *, show_output: bool = False) -> None:
    """Print one grade as a readable verdict."""
    parts: list = [_header(grade)]
    if grade.correctness is not None and grade.status is GradeStatus.GRADED:
        parts.append(scores_table(grade))
        parts.append(_groups(grade))
        extras = (
            _failed(grade),
            _notebook(grade),
            quality_findings(grade),
            mutant_table(grade),
            reasoning_table(grade),
            _questions(grade),
        )
        parts.extend(extra for extra in extras if extra is not None)
    notes = _notes(grade)
    if notes is not None:
        parts.append(notes)
    if show_output:
        output = _output(grade)
        if output is not None:
            parts.append(output)
    console.print(Panel(Group(*parts), title="mlgrade verdict", title_align="left"))

"""The verdict a recruiter reads in a minute: rich tables on the terminal, drawn from the
verdict (``verdict.py``). Candidate text is never parsed as rich markup."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.model import Grade

from .summary import verdict_of
from .terminal_scores import STYLES, diagnosis_table, mutant_table, quality_table, scores_table
from .verdict import Band, Verdict, band


def _header(v: Verdict) -> Table:
    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold")
    info.add_column()
    info.add_row("Exercise", Text(v.exercise))
    info.add_row("Submission", Text(v.submission))
    if not v.graded:
        info.add_row("Verdict", Text(v.headline.replace("Ungradable", "UNGRADABLE"), "bold red"))
        info.add_row("Run", Text(v.run))
        return info
    info.add_row("Verdict", Text(v.headline, style=STYLES[v.band]))
    info.add_row("Run", Text(v.run))
    info.add_row("Replay", Text(v.replay, style="dim"))
    if v.limits:
        info.add_row("Limits hit", Text(", ".join(v.limits), style="yellow"))
    return info


def _areas(v: Verdict) -> Table:
    table = Table(title="By area", title_justify="left", expand=False)
    table.add_column("Area")
    table.add_column("Tests", justify="right")
    table.add_column("Credit", justify="right")
    for a in v.areas:
        share = Text(f"{a.share:.0f}%", style=STYLES[band(a.share)])
        table.add_row(Text(a.title), f"{a.passed}/{a.total}", share)
    return table


def _failed(v: Verdict) -> Table | None:
    if not v.failed:
        return None
    table = Table(title="Failed hidden tests", title_justify="left", expand=False)
    table.add_column("What it checks", overflow="fold")
    table.add_column("Weight", justify="right")
    table.add_column("Why it failed", overflow="fold")
    for f in v.failed:
        table.add_row(Text(f.label), f"{f.weight:g}", Text(f.reason or "—"))
    return table


def _bullets(title: str, lines: tuple[str, ...], style: str = "") -> Text | None:
    if not lines:
        return None
    text = Text(f"{title}\n", style="bold")
    for line in lines:
        text.append("  • ")
        text.append(line, style=style)
        text.append("\n")
    return text


def _output(v: Verdict) -> Text | None:
    if not v.outputs:
        return None
    text = Text("Candidate output (last lines)\n", style="bold")
    for output in v.outputs:
        more = f" · {output.dropped_lines} earlier lines not shown" if output.dropped_lines else ""
        text.append(f"[{output.name}]{more}\n", style="dim")
        text.append(output.text + "\n")
    return text


def verdict_renderable(v: Verdict, *, show_output: bool = False) -> RenderableType:
    """The verdict as one rich panel."""
    parts: list[RenderableType | None] = [_header(v)]
    if v.graded:
        parts += [
            scores_table(v.scores),
            _areas(v),
            _failed(v),
            _bullets("Notebook", v.notebook),
            quality_table(v.quality) if v.quality else None,
            mutant_table(v.own_tests) if v.own_tests else None,
            diagnosis_table(v.diagnosis) if v.diagnosis else None,
            _bullets("Ask in the follow-up interview", v.questions),
            _bullets("Ask about their own work", v.code_questions),
        ]
    parts += [_bullets("Flags", v.flags, "yellow"), _bullets("Notes", v.notes)]
    if show_output:
        parts.append(_output(v))
    border = "red" if v.band is Band.NONE else ""
    return Panel(
        Group(*(p for p in parts if p is not None)),
        title="mlgrade verdict",
        title_align="left",
        border_style=border,
    )


def render_grade(grade: Grade, console: Console, *, show_output: bool = False) -> None:
    """Print one grade as a readable verdict."""
    console.print(verdict_renderable(verdict_of(grade), show_output=show_output))

"""Batch progress for people (CLI layer): a rich bar with ETA on a terminal, one line per
finished candidate elsewhere (CI logs)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from grader.batch import BatchGrader, BatchItem, BatchOutcome
from grader.reports.summary import score


def outcome_line(outcome: BatchOutcome) -> Text:
    """One line per finished candidate: name, exercise, score or reason."""
    grade = outcome.grade
    line = Text(f"{outcome.item.candidate:<24} {grade.exercise_id or '?':<18} ")
    value = score(grade)  # correctness, or a memo's reasoning
    if value is None:
        line.append("ungradable: ", style="bold red")
        line.append(grade.reason[:160])
    else:
        line.append(f"{value:6.1f}", style="bold")
        if grade.run_status is not None and grade.run_status.value != "completed":
            line.append(f"  {grade.reason}", style="yellow")
    if outcome.reused:
        line.append("  (reused)", style="dim")
    return line


def run_with_progress(
    grader: BatchGrader, items: list[BatchItem], *, jobs: int, console: Console
) -> list[BatchOutcome]:
    """Run the batch, showing progress on ``console``."""
    if not console.is_terminal:
        return grader.run(items, jobs=jobs, on_done=lambda o: console.print(outcome_line(o)))
    columns = (
        TextColumn("[bold]grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("grading", total=len(items))

        def done(outcome: BatchOutcome) -> None:
            progress.console.print(outcome_line(outcome))
            progress.advance(task)

        return grader.run(items, jobs=jobs, on_done=done)

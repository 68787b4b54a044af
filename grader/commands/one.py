"""``grade one`` (also plain ``grade PATH``): grade one submission, print it, write its files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.commands.context import LazyRunner, catalog, err, out, profile, seeding
from grader.errors import IntakeError
from grader.exitcodes import ExitCode
from grader.grading import grade_submission
from grader.reports.feedback import candidate_feedback
from grader.reports.json_report import write_json
from grader.reports.terminal import render_grade


def grade_one(
    ctx: click.Context,
    path: Path,
    exercise_id: str | None,
    json_path: Path | None,
    show_output: bool,
    feedback_path: Path | None,
    notebook_path: Path | None,
    fail_under: float | None,
    seed: int | None,
) -> None:
    """Grade one submission, print the verdict, write the files asked for; exit 6 under
    ``fail_under``."""
    if not path.exists():
        raise IntakeError(f"submission not found: {path}", hint="check the path")
    exercises = catalog(ctx)
    if exercise_id is not None:
        exercises.get(exercise_id)  # fail on a typo before building anything
    chosen_seeding = seeding(ctx, seed)
    grade = grade_submission(
        path,
        exercises,
        LazyRunner(ctx),
        exercise_id=exercise_id,
        profile=profile(ctx),
        seeding=chosen_seeding,
    )
    render_grade(grade, out, show_output=show_output)
    if json_path is not None:
        write_json(grade, json_path)
        err.print(f"[dim]wrote {json_path}[/]")
    if feedback_path is not None:
        feedback_path.write_text(candidate_feedback(grade), encoding="utf-8")
        err.print(f"[dim]wrote {feedback_path}[/]")
    if notebook_path is not None:
        if grade.notebook is None or not grade.notebook.executed:
            err.print("[yellow]no executed notebook: this grade did not run a notebook[/]")
        else:
            notebook_path.write_text(grade.notebook.executed, encoding="utf-8")
            err.print(f"[dim]wrote {notebook_path}[/]")
    score = grade.correctness.score if grade.correctness else 0.0
    if fail_under is not None and score < fail_under:
        sys.exit(int(ExitCode.CHECK_FAILED))

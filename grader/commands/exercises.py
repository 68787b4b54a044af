"""The ``exercises`` commands: list the catalog, validate packages in real containers, export
a candidate bundle."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from grader.bundle import export_bundle
from grader.commands.context import LazyRunner, catalog, err, out, seeding
from grader.errors import CatalogError, ImageBuildError, UsageError
from grader.exitcodes import ExitCode
from grader.runner.exercise_image import REPOSITORY as LAYERS
from grader.scoring.profiles import load_profiles
from grader.validation import Check, ValidationReport, validate_exercise


def list_exercises(ctx: click.Context, role: str | None = None) -> None:
    """Print the catalog as a table; with ``role``, the exercises that role needs most first."""
    chosen = list(catalog(ctx).all())
    table = Table("id", "kind", "version", "tests", "title")
    if role is not None:
        known = {name for e in chosen for name, _ in e.roles} | set(load_profiles())
        if role not in known:
            raise click.BadParameter(
                f"unknown role '{role}'; known: {', '.join(sorted(known))}", param_hint="--role"
            )
        chosen.sort(key=lambda e: (-dict(e.roles).get(role, 0), e.id))
        table.add_column(f"fit for {role}")
    for exercise in chosen:
        row = [
            exercise.id,
            exercise.kind.value,
            exercise.version,
            str(len(exercise.tests)),
            exercise.title,
        ]
        if role is not None:
            row.append("●" * dict(exercise.roles).get(role, 0) or "-")
        table.add_row(*row)
    out.print(table)
    if role is not None:
        out.print(f"[dim]grade with the matching weights: grade --profile {role} ...[/]")


def validate_exercises(ctx: click.Context, exercise_id: str | None) -> None:
    """Validate one exercise (or all), a table of checks each; exit 6 when a gate fails."""
    exercises = catalog(ctx)
    chosen = [exercises.get(exercise_id)] if exercise_id else exercises.all()
    runner = LazyRunner(ctx, spare=True)
    chosen_seeding = seeding(ctx)
    all_ok = True
    try:
        for exercise in chosen:
            try:
                # A memo runs nothing: no image to build (nor an engine to need).
                image = runner.image(exercise) if exercise.runs_code else ""
            except (CatalogError, ImageBuildError) as exc:
                # The exercise's requirements cannot become a sandbox: a failed check, said
                # with pip's or the engine's words, and the next exercise still validates.
                all_ok = False
                failed = Table(
                    "check", "result", "measured", title=f"{exercise.id} v{exercise.version}"
                )
                failed.add_row(
                    "its sandbox image builds", "[bold red]FAILED[/]", escape(exc.message)
                )
                out.print(failed)
                continue
            report = validate_exercise(exercises, runner, exercise, chosen_seeding)
            all_ok &= report.ok
            if exercise.runs_code:
                layered = image.startswith(f"{LAYERS}:")
                what = f"{image} (its own layer)" if layered else f"{image} (the sandbox image)"
                report = replace(
                    report, checks=(Check("its sandbox image builds", True, what), *report.checks)
                )
            table = Table(
                "check",
                "result",
                "measured",
                title=f"{exercise.id} v{exercise.version}",
                title_justify="left",
            )
            for check in report.checks:
                mark = (
                    "[green]ok[/]"
                    if check.passed
                    else "[bold red]FAILED[/]"
                    if check.gate
                    else f"[yellow]{check.missed}[/]"
                )
                table.add_row(check.name, mark, check.detail)
            out.print(table)
            if report.panel:
                out.print(_panel_table(report))
    finally:
        runner.close()  # the spare left waiting after the last grade
    if not all_ok:
        err.print("[bold red]validation failed[/]")
        sys.exit(int(ExitCode.CHECK_FAILED))
    out.print(f"[green]{len(chosen)} exercise(s) valid[/]")


def _panel_table(report: ValidationReport) -> Table:
    """The reviewer's mark beside the grader's total and scores, highest mark first: where
    the two orders part is where the rubric or the scorer needs work."""
    table = Table(
        "panel case", "reviewer", "grader", "correctness", "quality", "tests", "reasoning",
        title=f"{report.exercise_id}: calibration panel, reviewer vs grader",
        title_justify="left",
    )  # fmt: skip
    for case, grade in sorted(report.panel, key=lambda p: -p[0].mark):
        scores = (grade.correctness, grade.quality, grade.own_tests, grade.reasoning)
        shown = ["-" if s is None or s.score is None else f"{s.score:.0f}" for s in scores]
        total = f"{grade.total.score:.1f}" if grade.total else "-"
        table.add_row(case.name, f"{case.mark:g}", total, *shown)
    return table


def export_exercise(ctx: click.Context, exercise_id: str, dest: Path) -> None:
    """Write one exercise's candidate bundle to an empty or new folder."""
    exercise = catalog(ctx).get(exercise_id)
    if dest.exists() and any(dest.iterdir()):
        raise UsageError(f"{dest} exists and is not empty", hint="choose a new folder")
    export_bundle(exercise, dest)
    out.print(f"wrote the {exercise.id} candidate bundle to {dest}")

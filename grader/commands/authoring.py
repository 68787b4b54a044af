"""Commands for exercise authors that need no container: the rubric workbench, scaffolding."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from grader.commands.context import catalog, err, out, settings
from grader.errors import CatalogError, IntakeError
from grader.model import ExerciseKind
from grader.scaffold import ID_PATTERN, TODO, write_package
from grader.scoring.explain import explain_diagnosis, fixed_groups
from grader.scoring.reasoning import MAX_DIAGNOSIS_CHARS
from grader.scoring.rubric import load_rubric

SHOWN_CHARS = 90


def _rubric_path(ctx: click.Context, exercise_id: str) -> tuple[Path, str | None]:
    """The exercise's rubric and its declared kind (a memo has nothing fixed or claimed; only
    a diagnosis refuses causes presented as good); only the rubric when the rest of the
    package does not load yet (an author debugging a rubric before the samples are written)."""
    try:
        exercise = catalog(ctx).get(exercise_id)
        path, kind = exercise.rubric_path, exercise.kind.value
    except CatalogError as exc:
        root = Path(settings(ctx)["exercises_dir"]) / exercise_id
        alone = root / "hidden" / "rubric.toml"
        if not ID_PATTERN.match(exercise_id) or not alone.is_file():
            raise
        err.print(f"[yellow]warning:[/] {escape(exc.message)}; reading {alone} alone")
        return alone, _declared_kind(root / "exercise.toml")
    if not path.is_file():
        raise CatalogError(
            f"exercise '{exercise_id}' has no rubric: it scores no written reasoning",
            hint="explain-diagnosis works on exercises with hidden/rubric.toml",
        )
    return path, kind


def _declared_kind(path: Path) -> str | None:
    """The ``kind`` a package that does not load yet declares, if it can be read."""
    try:
        kind = tomllib.loads(path.read_text(encoding="utf-8")).get("kind")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return kind if isinstance(kind, str) else None


def explain(ctx: click.Context, exercise_id: str, diagnosis: Path, fixed: str | None) -> None:
    """Print how each sentence of DIAGNOSIS was read against the exercise's rubric."""
    path, kind = _rubric_path(ctx, exercise_id)
    memo = kind == ExerciseKind.MEMO
    explains_problems = kind in (None, ExerciseKind.DEBUG, ExerciseKind.LEAKAGE)
    rubric = load_rubric(path)
    chosen: list[str] | None = None
    if fixed is not None and fixed != "all":
        chosen = [] if fixed == "none" else [g.strip() for g in fixed.split(",")]
    unknown = sorted(set(chosen or ()) - set(rubric.groups))
    if unknown:
        raise click.BadParameter(
            f"no such group in the rubric: {', '.join(unknown)} "
            f"(the rubric's groups: {', '.join(rubric.groups)})",
            param_hint="--fixed",
        )
    try:
        with diagnosis.open(encoding="utf-8", errors="replace") as file:
            text = file.read(MAX_DIAGNOSIS_CHARS + 1)
    except OSError as exc:
        raise IntakeError(f"cannot read {diagnosis}: {exc.strerror or exc}") from exc
    passing = None if memo else fixed_groups(rubric, chosen)
    result = explain_diagnosis(rubric, text, passing, diagnosis=explains_problems)

    table = Table(title=f"{diagnosis.name}, sentence by sentence")
    # Folded, never cut: the reason a match was refused is usually at the end of the line.
    for name in ("line", "sentence", "read as"):
        table.add_column(name, overflow="fold")
    for reading in result.sentences:
        shown = (
            reading.text if len(reading.text) <= SHOWN_CHARS else reading.text[:SHOWN_CHARS] + "…"
        )
        parts = [f"[dim]set aside: {escape(reading.aside)}[/]"] if reading.aside else []
        parts += [f"[green]earned {escape(e)}[/]" for e in reading.earned]
        parts += [f"[yellow]rejected {escape(r)}[/]" for r in reading.rejected]
        parts += [f"[red]misconception {escape(m)}[/]" for m in reading.misconceptions]
        parts += [f"[dim]near miss: {escape(reading.near_miss)}[/]"] if reading.near_miss else []
        table.add_row(
            str(reading.line), escape(shown), "\n".join(parts) or "[dim]prose, no concept[/]"
        )
    out.print(table)

    rows = Table(title="problems")
    for name in ("problem", "group", "fixed", "explained", "share", "why"):
        rows.add_column(name, overflow="fold")
    for row in result.score.rows:
        rows.add_row(
            row.id,
            row.group,
            "yes" if row.fixed else "no",
            "yes" if row.explained else "no",
            f"{row.share - row.penalty:.2f} × {row.weight:g}",
            escape(row.reason),
        )
    out.print(rows)
    for flag in result.score.flags:
        out.print(f"[yellow]flag[/] {flag.kind.value}: {escape(flag.message)}")
    out.print(f"reasoning {result.score.score:.1f} / 100: {escape(result.score.reason)}")


def new_exercise(ctx: click.Context, exercise_id: str, kind: str, parent: Path | None) -> None:
    """Write a new exercise package that validates as it stands."""
    root = parent or Path(settings(ctx)["exercises_dir"])
    target = write_package(root, exercise_id, ExerciseKind(kind))
    out.print(f"wrote a {kind} exercise to {target}")
    where = f"--exercises-dir {root} " if parent else ""
    out.print(
        f"next: replace every {TODO} (`grade {where}exercises validate {exercise_id}` lists the "
        "files that still hold one); docs/authoring.md walks through the rest"
    )

"""The ``exercises`` and ``sandbox`` command groups: their options and arguments. What each
command does lives in ``grader/commands/``; ``cli.py`` adds these groups to ``grade``."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands.authoring import explain, new_exercise
from grader.commands.context import EPILOG, guarded
from grader.commands.exercises import export_exercise, list_exercises, validate_exercises
from grader.commands.mutate import mutate_exercise
from grader.commands.sandbox import build_sandbox, clean_images, clean_sandbox, list_images


@click.group()
def exercises() -> None:
    """List, validate and export exercise packages."""


@exercises.command("list")
@click.option(
    "--role",
    help="Order by what a role needs most (production, applied, research, or your profile).",
)
@click.pass_context
@guarded
def exercises_list(ctx: click.Context, role: str | None) -> None:
    """List the exercises in the catalog."""
    list_exercises(ctx, role)


@exercises.command("validate", epilog=EPILOG)
@click.argument("exercise_id", required=False)
@click.pass_context
@guarded
def exercises_validate(ctx: click.Context, exercise_id: str | None) -> None:
    """Grade each reference solution, starter and sample in real containers and check them."""
    validate_exercises(ctx, exercise_id)


@exercises.command("export")
@click.argument("exercise_id")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
@guarded
def exercises_export(ctx: click.Context, exercise_id: str, dest: Path) -> None:
    """Write the candidate bundle (brief, starter, public tests; nothing hidden) to DEST."""
    export_exercise(ctx, exercise_id, dest)


@exercises.command("explain-diagnosis", epilog=EPILOG)
@click.argument("exercise_id")
@click.argument("diagnosis", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--fixed",
    metavar="GROUPS",
    help="Hidden-test groups to treat as fixed: comma-separated, 'all' (default) or 'none'.",
)
@click.pass_context
@guarded
def exercises_explain(
    ctx: click.Context, exercise_id: str, diagnosis: Path, fixed: str | None
) -> None:
    """Show, without a container, how each sentence of DIAGNOSIS earns rubric credit."""
    explain(ctx, exercise_id, diagnosis, fixed)


@exercises.command("new", epilog=EPILOG)
@click.argument("exercise_id")
@click.option(
    "--kind",
    type=click.Choice(["implement", "debug", "leakage", "utilities", "memo"]),
    required=True,
    help="What the candidate is asked to do.",
)
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create the package in (default: --exercises-dir).",
)
@click.pass_context
@guarded
def exercises_new(ctx: click.Context, exercise_id: str, kind: str, parent: Path | None) -> None:
    """Start a package that validates as it stands: replace its TODO(author) parts."""
    new_exercise(ctx, exercise_id, kind, parent)


@exercises.command("mutate", epilog=EPILOG)
@click.argument("exercise_id")
@click.option("-j", "--jobs", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--budget", type=click.FloatRange(min=1), help="Stop starting mutants after SECONDS.")
@click.option("--sample", type=click.IntRange(min=1), help="Run only N mutants (a fixed sample).")
@click.option("--sample-seed", default=0, show_default=True, type=int)
@click.option("--show", default=10, show_default=True, help="Surviving mutants shown as diffs.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--min-kill-rate",
    type=click.FloatRange(0, 100),
    help="Exit 6 when the kill rate (percent) is below this.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Write the full run's figures to the package's hidden/mutation-record.toml.",
)
@click.pass_context
@guarded
def exercises_mutate(
    ctx: click.Context,
    exercise_id: str,
    jobs: int,
    budget: float | None,
    sample: int | None,
    sample_seed: int,
    show: int,
    json_path: Path | None,
    min_kill_rate: float | None,
    record: bool,
) -> None:
    """How strong the hidden suite is: run it on mutants of the reference solution in the
    sandbox and report the kill rate, per group and operator, with survivors as diffs."""
    mutate_exercise(
        ctx,
        exercise_id,
        jobs=jobs,
        budget=budget,
        sample=sample,
        sample_seed=sample_seed,
        show=show,
        json_path=json_path,
        min_kill_rate=min_kill_rate,
        record=record,
    )


@click.group()
def sandbox() -> None:
    """Build, inspect and clean the Docker sandbox."""


@sandbox.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the image exists.")
@click.pass_context
@guarded
def sandbox_build(ctx: click.Context, force: bool) -> None:
    """Build the sandbox image (pulling or bootstrapping the base as needed)."""
    build_sandbox(ctx, force)


@sandbox.command("images")
@click.pass_context
@guarded
def sandbox_images(ctx: click.Context) -> None:
    """List the sandbox images: the current one, older recipes and exercise layers."""
    list_images(ctx)


@sandbox.command("clean")
@click.option("--stale", is_flag=True, help="Only containers whose grader process is gone.")
@click.option(
    "--images", is_flag=True, help="Also remove exercise layers and older sandbox images."
)
@click.option("--dry-run", is_flag=True, help="With --images: say what would be removed.")
@click.pass_context
@guarded
def sandbox_clean(ctx: click.Context, stale: bool, images: bool, dry_run: bool) -> None:
    """Remove leftover sandbox containers (labelled mlgrade=1), and images with --images."""
    clean_sandbox(stale)
    if images:
        clean_images(ctx, dry_run)

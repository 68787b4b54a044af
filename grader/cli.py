"""The ``grade`` command: parse, call the core, print. No grading logic lives here."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader import __version__
from grader.catalog import MARKER_FILE, Catalog, default_exercises_dir, marker_text
from grader.errors import GraderError, IntakeError
from grader.exitcodes import ExitCode, describe
from grader.grading import grade_submission
from grader.model import Exercise, RunRecord, Workspace
from grader.reports.json_report import write_json
from grader.reports.terminal import render_grade
from grader.runner.base_image import DEFAULT_BASE, DEFAULT_MIRROR
from grader.runner.docker_runner import DockerRunner, clean_containers, connect
from grader.runner.images import (
    ImageRecipe,
    build_image,
    default_cache_dir,
    default_sandbox_dir,
    ensure_image,
    find_image,
)
from grader.validation import validate_exercise

F = TypeVar("F", bound=Callable[..., Any])
out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EPILOG = "Exit codes:\n\n\b\n" + describe()


def guarded(func: F) -> F:
    """Turn GraderErrors into one clear line and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraderError as exc:
            err.print(Text.assemble(("error: ", "bold red"), exc.message))
            if exc.hint:
                err.print(Text.assemble(("hint: ", "dim"), exc.hint))
            sys.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            err.print("interrupted; containers of this run were removed")
            sys.exit(130)
        except Exception as exc:
            logging.getLogger(__name__).debug("internal error", exc_info=True)
            err.print(
                Text.assemble(("internal error: ", "bold red"), f"{type(exc).__name__}: {exc}")
            )
            err.print("please report this with the command line (run with -v for details)")
            sys.exit(int(ExitCode.INTERNAL))

    return wrapper  # type: ignore[return-value]


class DefaultCommandGroup(click.Group):
    """A group where ``grade PATH`` means ``grade one PATH``."""

    default_command = "one"

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Group options are parsed by now; anything else that is not a command is the
        # default command's path or options (the group ignores unknown options for this).
        if args and args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)


def _settings(ctx: click.Context) -> dict[str, Any]:
    return ctx.find_root().obj


def _catalog(ctx: click.Context) -> Catalog:
    return Catalog(_settings(ctx)["exercises_dir"])


def _recipe(ctx: click.Context) -> ImageRecipe:
    return ImageRecipe(sandbox_dir=default_sandbox_dir(), base=_settings(ctx)["base_image"])


def _docker_runner(ctx: click.Context) -> DockerRunner:
    settings = _settings(ctx)
    client = connect()
    image = ensure_image(
        client,
        _recipe(ctx),
        cache_dir=settings["cache_dir"],
        mirror=settings["mirror"],
        say=lambda msg: err.print(f"[dim]{msg}[/]"),
    )
    return DockerRunner(client, image)


class LazyRunner:
    """Connects to Docker on the first run, so a bad submission fails before the engine is asked."""

    def __init__(self, ctx: click.Context) -> None:
        self._ctx = ctx
        self._runner: DockerRunner | None = None

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        if self._runner is None:
            self._runner = _docker_runner(self._ctx)
        return self._runner.run(exercise, workspace, seed)


def _runner(ctx: click.Context) -> LazyRunner:
    return LazyRunner(ctx)


@click.group(
    cls=DefaultCommandGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True},
)
@click.version_option(__version__, prog_name="mlgrade")
@click.option(
    "--exercises-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MLGRADE_EXERCISES",
    default=default_exercises_dir,
    show_default="the bundled exercises/",
    help="Folder of exercise packages.",
)
@click.option(
    "--base-image",
    envvar="MLGRADE_BASE_IMAGE",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base image for the sandbox; a Debian one is bootstrapped if it cannot be pulled.",
)
@click.option(
    "--debian-mirror",
    envvar="MLGRADE_DEBIAN_MIRROR",
    default=DEFAULT_MIRROR,
    show_default=True,
    help="Mirror for the bootstrapped base image.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    envvar="MLGRADE_CACHE",
    default=default_cache_dir,
    show_default="~/.cache/mlgrade",
    help="Where wheelhouses are cached.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the grader does.")
@click.pass_context
def main(
    ctx: click.Context,
    exercises_dir: Path,
    base_image: str,
    debian_mirror: str,
    cache_dir: Path,
    verbose: bool,
) -> None:
    """Grade ML take-home submissions in a Docker sandbox.

    \b
    grade SUBMISSION               grade one submission (dir, git repo, zip, tar, file)
    grade exercises list           the exercises you can grade against
    grade exercises validate [ID]  prove an exercise grades its reference at 100%
    grade sandbox build            build the sandbox image ahead of time
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    ctx.obj = {
        "exercises_dir": exercises_dir,
        "base_image": base_image,
        "mirror": debian_mirror,
        "cache_dir": cache_dir,
    }


@main.command("one", hidden=True, epilog=EPILOG)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-e", "--exercise", "exercise_id", help="Exercise id (default: recognised).")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the grade as JSON to this file.",
)
@click.option("--show-output", is_flag=True, help="Show the candidate's captured output.")
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), help="Exit 6 if correctness is below this."
)
@click.pass_context
@guarded
def grade_one(
    ctx: click.Context,
    path: Path,
    exercise_id: str | None,
    json_path: Path | None,
    show_output: bool,
    fail_under: float | None,
) -> None:
    """Grade one submission and print the verdict."""
    if not path.exists():
        raise IntakeError(f"submission not found: {path}", hint="check the path")
    catalog = _catalog(ctx)
    if exercise_id is not None:
        catalog.get(exercise_id)  # fail on a typo before building anything
    grade = grade_submission(path, catalog, _runner(ctx), exercise_id=exercise_id)
    render_grade(grade, out, show_output=show_output)
    if json_path is not None:
        write_json(grade, json_path)
        err.print(f"[dim]wrote {json_path}[/]")
    score = grade.correctness.score if grade.correctness else 0.0
    if fail_under is not None and score < fail_under:
        sys.exit(int(ExitCode.CHECK_FAILED))


@main.group()
def exercises() -> None:
    """List, validate and export exercise packages."""


@exercises.command("list")
@click.pass_context
@guarded
def exercises_list(ctx: click.Context) -> None:
    """List the exercises in the catalog."""
    table = Table("id", "kind", "version", "tests", "title")
    for exercise in _catalog(ctx).all():
        table.add_row(
            exercise.id,
            exercise.kind.value,
            exercise.version,
            str(len(exercise.tests)),
            exercise.title,
        )
    out.print(table)


@exercises.command("validate", epilog=EPILOG)
@click.argument("exercise_id", required=False)
@click.pass_context
@guarded
def exercises_validate(ctx: click.Context, exercise_id: str | None) -> None:
    """Grade each reference solution, starter and sample in real containers and check them."""
    catalog = _catalog(ctx)
    chosen = [catalog.get(exercise_id)] if exercise_id else catalog.all()
    runner = _runner(ctx)
    all_ok = True
    for exercise in chosen:
        report = validate_exercise(catalog, runner, exercise)
        all_ok &= report.ok
        table = Table(
            "check",
            "result",
            "measured",
            title=f"{exercise.id} v{exercise.version}",
            title_justify="left",
        )
        for check in report.checks:
            mark = "[green]ok[/]" if check.passed else "[bold red]FAILED[/]"
            table.add_row(check.name, mark, check.detail)
        out.print(table)
    if not all_ok:
        err.print("[bold red]validation failed[/]")
        sys.exit(int(ExitCode.CHECK_FAILED))
    out.print(f"[green]{len(chosen)} exercise(s) valid[/]")


@exercises.command("export")
@click.argument("exercise_id")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
@guarded
def exercises_export(ctx: click.Context, exercise_id: str, dest: Path) -> None:
    """Write the candidate bundle (brief, starter, public tests; nothing hidden) to DEST."""
    exercise = _catalog(ctx).get(exercise_id)
    if dest.exists() and any(dest.iterdir()):
        raise GraderError(f"{dest} exists and is not empty", hint="choose a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(exercise.brief, dest / "README.md")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(exercise.starter_dir, dest, dirs_exist_ok=True, ignore=ignore)
    if exercise.public_tests_dir.is_dir():
        shutil.copytree(exercise.public_tests_dir, dest / "public_tests", ignore=ignore)
    (dest / MARKER_FILE).write_text(marker_text(exercise), encoding="utf-8")
    out.print(f"wrote the {exercise.id} candidate bundle to {dest}")


@main.group()
def sandbox() -> None:
    """Build, inspect and clean the Docker sandbox."""


@sandbox.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the image exists.")
@click.pass_context
@guarded
def sandbox_build(ctx: click.Context, force: bool) -> None:
    """Build the sandbox image (pulling or bootstrapping the base as needed)."""
    settings = _settings(ctx)
    client = connect()
    recipe = _recipe(ctx)
    found = None if force else find_image(client, recipe)
    if found:
        out.print(f"sandbox image {found} is up to date")
        return
    tag, base = build_image(
        client,
        recipe,
        cache_dir=settings["cache_dir"],
        mirror=settings["mirror"],
        say=lambda m: err.print(f"[dim]{m}[/]"),
    )
    out.print(f"built {tag} on {base.reference} ({base.origin})")


@sandbox.command("clean")
@click.option("--stale", is_flag=True, help="Only containers whose grader process is gone.")
@guarded
def sandbox_clean(stale: bool) -> None:
    """Remove leftover sandbox containers (labelled mlgrade=1)."""
    removed = clean_containers(connect(), stale_only=stale)
    out.print(f"removed {len(removed)} container(s)")


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))

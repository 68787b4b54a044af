"""The ``grade`` command: parse, call the core, print. No grading logic lives here."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader import __version__
from grader.batch import (
    BatchGrader,
    RoundStore,
    discover,
    flag_round,
    merge_rounds,
    read_manifest,
    shard,
)
from grader.bundle import export_bundle
from grader.catalog import Catalog, default_exercises_dir
from grader.errors import CatalogError, GraderError, IntakeError
from grader.exitcodes import ExitCode, describe
from grader.grading import Profile, grade_submission
from grader.model import Exercise, GradeStatus, RunRecord, Workspace
from grader.progress import run_with_progress
from grader.reports.feedback import candidate_feedback
from grader.reports.json_report import write_json
from grader.reports.round_files import RoundFormat, render, write_round_reports
from grader.reports.terminal import render_grade
from grader.runner.base_image import DEFAULT_BASE, DEFAULT_MIRROR
from grader.runner.docker_runner import DockerRunner, clean_containers, connect, sweep_stale
from grader.runner.images import (
    ImageRecipe,
    build_image,
    default_cache_dir,
    default_sandbox_dir,
    ensure_image,
    find_image,
)
from grader.scoring.profiles import DEFAULT_PROFILE, load_profiles
from grader.seedkey import MAX_SEED, Seeding, default_key_path
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


def _profile(ctx: click.Context) -> Profile:
    name, path = _settings(ctx)["profile"]
    profiles = load_profiles(path)
    if name not in profiles:
        raise CatalogError(
            f"unknown profile '{name}'; known: {', '.join(sorted(profiles))}",
            hint="define it in a --profiles-file",
        )
    return Profile(name, tuple(profiles[name].items()))


def _seeding(ctx: click.Context, seed: int | None = None) -> Seeding:
    """A given seed (a replay), else MLGRADE_SEED_KEY, else the key file (made on first use)."""
    if seed is not None:
        return Seeding(fixed=seed)
    path, explicit = _settings(ctx)["seed_key_file"]
    text = os.environ.get("MLGRADE_SEED_KEY")
    if text and not explicit:
        return Seeding.from_text(text)
    return Seeding.from_key_file(path)


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
    return DockerRunner(client, image, runtime=settings["runtime"])


class LazyRunner:
    """Connects to Docker on the first run, so a bad submission fails before the engine is asked.

    With ``spare``, each run starts the next run's container in the background (for commands
    that grade many submissions one after another); ``close`` removes the one left waiting.
    """

    def __init__(self, ctx: click.Context, *, spare: bool = False) -> None:
        self._ctx = ctx
        self._spare = spare
        self._runner: DockerRunner | None = None

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        if self._runner is None:
            self._runner = _docker_runner(self._ctx)
            if self._spare:
                self._runner.keep_spare()
        return self._runner.run(exercise, workspace, seed)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()


def _runner(ctx: click.Context, *, spare: bool = False) -> LazyRunner:
    return LazyRunner(ctx, spare=spare)


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
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    envvar="MLGRADE_PROFILE",
    help="Role profile that weighs the scores into a total: production, applied, research, "
    "or one from --profiles-file.",
)
@click.option(
    "--profiles-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="MLGRADE_PROFILES",
    help="TOML file with [profiles.NAME] weights that override or add profiles.",
)
@click.option(
    "--runtime",
    envvar="MLGRADE_RUNTIME",
    help="OCI runtime for sandbox containers, e.g. runsc (gVisor) where it is installed.",
)
@click.option(
    "--seed-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="MLGRADE_SEED_KEY_FILE",
    default=default_key_path,
    show_default="~/.local/share/mlgrade/seed.key",
    help="Secret key that seeds the hidden test data (created on first use, mode 0600). "
    "MLGRADE_SEED_KEY=TEXT gives the key itself.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the grader does.")
@click.pass_context
def main(
    ctx: click.Context,
    exercises_dir: Path,
    base_image: str,
    debian_mirror: str,
    cache_dir: Path,
    profile: str,
    profiles_file: Path | None,
    runtime: str | None,
    seed_key_file: Path,
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
        "profile": (profile, profiles_file),
        "runtime": runtime,
        "seed_key_file": (
            seed_key_file,
            ctx.get_parameter_source("seed_key_file") is not click.core.ParameterSource.DEFAULT,
        ),
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
    "--candidate-feedback",
    "feedback_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write Markdown feedback safe to send the candidate (no hidden test details).",
)
@click.option(
    "--executed-notebook",
    "notebook_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="For a notebook submission, write the sandbox's clean run of it (outputs capped).",
)
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), help="Exit 6 if correctness is below this."
)
@click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    help="Replay a grade: draw the hidden data from this seed (the grade's recorded seed) "
    "instead of the installation's key.",
)
@click.pass_context
@guarded
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
    """Grade one submission and print the verdict."""
    if not path.exists():
        raise IntakeError(f"submission not found: {path}", hint="check the path")
    catalog = _catalog(ctx)
    if exercise_id is not None:
        catalog.get(exercise_id)  # fail on a typo before building anything
    seeding = _seeding(ctx, seed)
    grade = grade_submission(
        path,
        catalog,
        _runner(ctx),
        exercise_id=exercise_id,
        profile=_profile(ctx),
        seeding=seeding,
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


def _parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N", param_hint="--shard")
    return int(index), int(count)


def _finish_round(
    ctx: click.Context, store: RoundStore, title: str, fail_under: float | None
) -> list:
    raised = flag_round(store, _catalog(ctx))
    if raised.off_exercise:
        out.print(
            f"{raised.off_exercise} submission(s) flagged as another exercise than the round's: "
            "not comparable with the others (declare the exercise with --exercise)"
        )
    if raised.similarity:
        out.print(
            f"{raised.similarity} similarity flag(s) raised: evidence for a human, scores unchanged"
        )
    grades = store.grades()
    written = write_round_reports(store.root, grades, title=title, fail_under=fail_under)
    out.print(f"reports: {', '.join(str(p) for p in written)}")
    return grades


@main.command("batch", epilog=EPILOG)
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder of the round (results are reused from it on a re-run).",
)
@click.option(
    "-e", "--exercise", "exercise_id", help="Exercise for every submission (default: recognised)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    show_default="cores",
    help="Submissions graded in parallel.",
)
@click.option("--shard", "shard_text", help="Grade only shard K of N (e.g. 2/3), for CI matrices.")
@click.option("--force", is_flag=True, help="Regrade even what is already graded.")
@click.option("--title", default="Hiring round", show_default=True, help="Title of the reports.")
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), help="JUnit: fail candidates below this."
)
@click.pass_context
@guarded
def batch_command(
    ctx: click.Context,
    source: Path,
    out_dir: Path,
    exercise_id: str | None,
    jobs: int,
    shard_text: str | None,
    force: bool,
    title: str,
    fail_under: float | None,
) -> None:
    """Grade a round: every entry of SOURCE (a folder) or every row of a manifest (.csv/.toml)."""
    shard_spec = _parse_shard(shard_text)
    catalog = _catalog(ctx)
    if exercise_id is not None:
        catalog.get(exercise_id)
    items = discover(source, exercise_id) if source.is_dir() else read_manifest(source, exercise_id)
    if shard_spec is not None:
        items = shard(items, *shard_spec)
    settings = _settings(ctx)
    client = connect()
    removed = clean_containers(client, stale_only=True)
    if removed:
        err.print(f"[dim]removed {len(removed)} container(s) left by an interrupted run[/]")
    image = ensure_image(
        client,
        _recipe(ctx),
        cache_dir=settings["cache_dir"],
        mirror=settings["mirror"],
        say=lambda m: err.print(f"[dim]{m}[/]"),
    )
    store = RoundStore(out_dir)
    runtime = settings["runtime"]
    grader = BatchGrader(
        catalog,
        lambda: DockerRunner(connect(), image, runtime=runtime),
        image,
        store,
        force=force,
        profile=_profile(ctx),
        seeding=_seeding(ctx),
    )
    try:
        outcomes = run_with_progress(grader, items, jobs=jobs, console=err)
    finally:
        # Again at the end: a spare whose creation was in flight when an earlier round was
        # killed can appear after the sweep at the start.
        sweep_stale(client)
    reused = sum(1 for o in outcomes if o.reused)
    failed = sum(1 for o in outcomes if o.grade.status is GradeStatus.UNGRADABLE)
    graded = len(outcomes) - reused - failed
    out.print(
        f"{len(outcomes)} submission(s): {graded} graded, {reused} reused, {failed} ungradable"
    )
    _finish_round(ctx, store, title, fail_under)


@main.command("merge")
@click.argument(
    "sources",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--into",
    "dest",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the merged round.",
)
@click.option("--title", default="Hiring round", show_default=True)
@click.option("--fail-under", type=click.FloatRange(0, 100))
@click.pass_context
@guarded
def merge_command(
    ctx: click.Context, sources: tuple[Path, ...], dest: Path, title: str, fail_under: float | None
) -> None:
    """Combine shard outputs (from `grade batch --shard`) into one round."""
    candidates = merge_rounds(list(sources), dest)
    out.print(f"merged {len(candidates)} candidate(s) from {len(sources)} shard(s) into {dest}")
    _finish_round(ctx, RoundStore(dest), title, fail_under)


@main.command("report")
@click.argument("round_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in RoundFormat]),
    default=RoundFormat.HTML.value,
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--title", default="Hiring round", show_default=True)
@click.option("--fail-under", type=click.FloatRange(0, 100))
@guarded
def report_command(
    round_dir: Path, fmt: str, output: Path | None, title: str, fail_under: float | None
) -> None:
    """Re-render a round's report from its stored results, without regrading."""
    store = RoundStore(round_dir)
    grades = store.grades()
    if not grades:
        raise GraderError(f"{round_dir} holds no results", hint="run `grade batch` first")
    text = render(RoundFormat(fmt), grades, title=title, fail_under=fail_under)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


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
    runner = _runner(ctx, spare=True)
    seeding = _seeding(ctx)
    all_ok = True
    try:
        for exercise in chosen:
            report = validate_exercise(catalog, runner, exercise, seeding)
            all_ok &= report.ok
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
                    else "[yellow]miss[/]"
                )
                table.add_row(check.name, mark, check.detail)
            out.print(table)
    finally:
        runner.close()  # the spare left waiting after the last grade
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
    export_bundle(exercise, dest)
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

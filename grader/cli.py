"""The ``grade`` command: parse, call the core, print. No grading logic lives here.

This module is the wiring: the click group, its options and each command's arguments. What a
command does lives in ``grader/commands/`` (one module per command family).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from grader import __version__
from grader.catalog import default_exercises_dir
from grader.cli_groups import exercises, sandbox
from grader.commands.context import EPILOG, DefaultCommandGroup, guarded
from grader.commands.one import grade_one as grade_one_submission
from grader.commands.replay import replay
from grader.commands.rounds import grade_round, merge_shards, render_round
from grader.reports.round_files import RoundFormat
from grader.runner.base_image import DEFAULT_BASE, DEFAULT_MIRROR
from grader.runner.images import default_cache_dir
from grader.scoring.profiles import DEFAULT_PROFILE
from grader.seedkey import MAX_SEED, default_key_path


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
    grade_one_submission(
        ctx,
        path,
        exercise_id,
        json_path,
        show_output,
        feedback_path,
        notebook_path,
        fail_under,
        seed,
    )


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
    grade_round(ctx, source, out_dir, exercise_id, jobs, shard_text, force, title, fail_under)


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
    merge_shards(ctx, sources, dest, title, fail_under)


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
@click.option(
    "--items",
    is_flag=True,
    help="Item analysis instead: pass rate and discrimination per hidden test and group "
    "(tables on a terminal, Markdown with --format md or -o).",
)
@guarded
def report_command(
    round_dir: Path,
    fmt: str,
    output: Path | None,
    title: str,
    fail_under: float | None,
    items: bool,
) -> None:
    """Re-render a round's report from its stored results, without regrading."""
    render_round(round_dir, fmt, output, title, fail_under, items=items)


@main.command("replay", epilog=EPILOG)
@click.argument("result", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("submission", type=click.Path(exists=True, path_type=Path))
@click.pass_context
@guarded
def replay_grade(ctx: click.Context, result: Path, submission: Path) -> None:
    """Regrade SUBMISSION with the seed and profile of the grade stored in RESULT (a JSON from
    --json or a round's results/); list every condition and score that differs (exit 6)."""
    replay(ctx, result, submission)


main.add_command(exercises)
main.add_command(sandbox)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))

"""The round commands: ``batch`` grades many submissions, ``merge`` joins shards, ``report``
re-renders a stored round."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from grader.batch import (
    BatchGrader,
    RoundStore,
    discover,
    flag_round,
    merge_rounds,
    read_manifest,
    shard,
)
from grader.commands.context import catalog, err, out, profile, runner_factory, seeding
from grader.errors import UsageError
from grader.exitcodes import ExitCode
from grader.item_analysis import analyse_round
from grader.model import Grade, GradeStatus
from grader.progress import run_with_progress
from grader.reports.items import items_markdown, items_terminal
from grader.reports.round_files import RoundFormat, render, write_round_reports
from grader.runner.docker_runner import clean_containers, connect, sweep_stale


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """``--shard K/N`` as (K, N); None when not given."""
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N", param_hint="--shard")
    return int(index), int(count)


def finish_round(
    ctx: click.Context, store: RoundStore, title: str, fail_under: float | None
) -> list[Grade]:
    """Raise the round's flags, write its reports and say where they are."""
    raised = flag_round(store, catalog(ctx))
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


def grade_round(
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
    """Grade every entry of a folder or manifest into ``out_dir``, then write the reports."""
    shard_spec = parse_shard(shard_text)
    exercises = catalog(ctx)
    if exercise_id is not None:
        exercises.get(exercise_id)
    items = discover(source, exercise_id) if source.is_dir() else read_manifest(source, exercise_id)
    if shard_spec is not None:
        items = shard(items, *shard_spec)
    client = connect()
    removed = clean_containers(client, stale_only=True)
    if removed:
        err.print(f"[dim]removed {len(removed)} container(s) left by an interrupted run[/]")
    make_runner, image = runner_factory(ctx)
    store = RoundStore(out_dir)
    grader = BatchGrader(
        exercises,
        make_runner,
        image,
        store,
        force=force,
        profile=profile(ctx),
        seeding=seeding(ctx),
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
    exit_for_round(finish_round(ctx, store, title, fail_under), fail_under)


def merge_shards(
    ctx: click.Context, sources: tuple[Path, ...], dest: Path, title: str, fail_under: float | None
) -> None:
    """Merge shard rounds into ``dest`` and write the merged round's reports."""
    candidates = merge_rounds(list(sources), dest)
    out.print(f"merged {len(candidates)} candidate(s) from {len(sources)} shard(s) into {dest}")
    exit_for_round(finish_round(ctx, RoundStore(dest), title, fail_under), fail_under)


def render_round(
    round_dir: Path,
    fmt: str,
    output: Path | None,
    title: str,
    fail_under: float | None,
    *,
    items: bool = False,
) -> None:
    """Render a stored round in one format (or its item analysis), to ``output`` or standard
    output; then exit with the round's status."""
    store = RoundStore(round_dir)
    grades = store.grades()
    if not grades:
        raise UsageError(f"{round_dir} holds no results", hint="run `grade batch` first")
    if items:
        analysis = analyse_round(grades)
        if output is None and RoundFormat(fmt) is not RoundFormat.MD:
            out.print(items_terminal(analysis))
            exit_for_round(grades, fail_under)
            return
        text = items_markdown(analysis)
    else:
        text = render(RoundFormat(fmt), grades, title=title, fail_under=fail_under)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    exit_for_round(grades, fail_under)


def round_exit(grades: Sequence[Grade], fail_under: float | None) -> ExitCode:
    """The round's exit status, once it is fully written: 7 when some candidate could not be
    graded (a CI job must look), else 6 when someone is under ``--fail-under``, else 0."""
    if any(g.status is GradeStatus.UNGRADABLE for g in grades):
        return ExitCode.UNGRADABLE
    if fail_under is not None and any(
        (g.correctness.score if g.correctness else 0.0) < fail_under for g in grades
    ):
        return ExitCode.CHECK_FAILED
    return ExitCode.OK


def exit_for_round(grades: Sequence[Grade], fail_under: float | None) -> None:
    """Say why the round does not exit 0, and exit with its status."""
    code = round_exit(grades, fail_under)
    if code is ExitCode.UNGRADABLE:
        count = sum(1 for g in grades if g.status is GradeStatus.UNGRADABLE)
        err.print(f"{count} candidate(s) could not be graded (exit {int(code)}); see the reports")
    elif code is ExitCode.CHECK_FAILED:
        below = sum(
            1 for g in grades if (g.correctness.score if g.correctness else 0.0) < (fail_under or 0)
        )
        err.print(f"{below} candidate(s) below --fail-under {fail_under:g} (exit {int(code)})")
    if code is not ExitCode.OK:
        sys.exit(int(code))

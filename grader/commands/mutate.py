"""``grade exercises mutate ID``: how many plausible mistakes in the reference solution the
hidden suite catches, with each surviving mutant as a diff an author can act on; ``--record``
keeps a full run's figures in the package."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from grader.commands.context import catalog, err, out, runner_factory, settings
from grader.errors import UsageError
from grader.exitcodes import ExitCode
from grader.mutation_record import record_of, write_record
from grader.mutation_report import MutantResult, MutationReport
from grader.mutation_run import run_mutation
from grader.runner.interface import Runner


def worker_runners(ctx: click.Context) -> Callable[[], Runner]:
    """How each worker gets its runner: the one place that picks the sandbox. The runner picks
    each exercise's image itself (``image_for``), which also keys the mutant cache."""
    make, _ = runner_factory(ctx)
    return make


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _summary_table(report: MutationReport) -> Table:
    counts = report.summary()
    title = f"{report.exercise_id} v{report.exercise_version}: hidden-suite strength"
    table = Table("mutants", "count", title=title, title_justify="left")
    rows = [
        ("generated", counts["generated"]),
        ("ignored (not generated)", counts["ignored"]),
        ("chosen (sample)" if report.sampled else "chosen", counts["chosen"]),
        ("run", f"{counts['run']} ({counts['cached']} from the cache)"),
        ("killed", f"{counts['killed']} ({counts['crashed']} by a crash)"),
        ("survived", counts["survived"]),
        ("equivalent (listed)", counts["equivalent"]),
        ("not run: budget", counts["not_run"]),
    ]
    if counts["errors"]:
        rows.append(("not run: sandbox error", counts["errors"]))
    for name, value in rows:
        table.add_row(name, str(value))
    table.add_row("[bold]kill rate[/]", f"[bold]{_rate(report.kill_rate)}[/]")
    return table


def _group_table(report: MutationReport) -> Table:
    table = Table(
        "group", "kills", "share of counted mutants", title="per hidden-test group",
        title_justify="left",
    )  # fmt: skip
    for group in report.group_kills():
        table.add_row(escape(f"{group.id} ({group.title})"), str(group.killed), _rate(group.share))
    return table


def _operator_table(report: MutationReport) -> Table:
    table = Table(
        "operator", "mutants", "killed", "survived", "equivalent", "not run", "kill rate",
        title="per operator", title_justify="left",
    )  # fmt: skip
    for tally in report.operator_tallies():
        table.add_row(
            tally.operator,
            *(str(n) for n in (tally.mutants, tally.killed, tally.survived)),
            *(str(n) for n in (tally.equivalent, tally.not_run)),
            _rate(tally.rate),
        )
    return table


def _warnings(report: MutationReport) -> list[str]:
    notes = [
        f"{file}: {found} mutants found, {kept} kept (spread evenly over the file)"
        for file, found, kept in report.capped
    ]
    notes += [f"equivalent-mutants.toml lists {i}, which no longer exists" for i in report.stale]
    notes += [
        f"equivalent-mutants.toml lists {i}, but the hidden tests kill it"
        for i in report.listed_but_killed
    ]
    return notes


def print_report(report: MutationReport, show: int) -> None:
    """The tables, the warnings, then up to ``show`` survivors as diffs."""
    out.print(_summary_table(report))
    out.print(_group_table(report))
    out.print(_operator_table(report))
    for note in _warnings(report):
        err.print(f"[yellow]warning:[/] {note}")
    for ignored in report.ignored:
        out.print(
            f"[dim]ignored {escape(ignored.function)} ({ignored.mutants} mutants): "
            f"{escape(ignored.reason)}[/]"
        )
    listed = {e.id: e.reason for e in report.equivalents}
    for result in report.results:
        if report.is_equivalent(result):
            out.print(
                f"[dim]equivalent {escape(result.mutant.id)}: {escape(listed[result.mutant.id])}[/]"
            )
    survivors = report.survivors
    for result in survivors[: max(0, show)]:
        mutant = result.mutant
        out.print(f"\n[bold]survived[/] {escape(mutant.id)}  [dim]{escape(mutant.description)}[/]")
        out.print(
            Syntax(report.diff(mutant), "diff", theme="ansi_dark", background_color="default")
        )
    if len(survivors) > show:
        out.print(f"[dim]... and {len(survivors) - show} more survivors (--show N, or --json)[/]")


def _progress() -> Callable[[MutantResult], None]:
    """A dim count on standard error every tenth mutant done."""
    done = [0]

    def tick(result: MutantResult) -> None:
        done[0] += 1
        if done[0] % 10 == 0:
            err.print(f"[dim]{done[0]} mutants done[/]")

    return tick


def mutate_exercise(
    ctx: click.Context,
    exercise_id: str,
    *,
    jobs: int,
    budget: float | None,
    sample: int | None,
    sample_seed: int,
    show: int,
    json_path: Path | None = None,
    min_kill_rate: float | None = None,
    record: bool = False,
) -> None:
    """Run the hidden suite on the reference's mutants and print the report; with ``record``
    write the full run's figures into the package; exit 6 when the kill rate is under
    ``min_kill_rate`` (a percentage)."""
    if record and sample is not None:
        raise UsageError("--record needs the full run: drop --sample")
    exercise = catalog(ctx).get(exercise_id)
    if not exercise.runs_code:
        out.print(f"{exercise_id} is a written exercise ({exercise.kind.value}): no code to mutate")
        return
    report = run_mutation(
        exercise,
        worker_runners(ctx),
        settings(ctx)["cache_dir"],
        jobs=jobs,
        budget=budget,
        sample=sample,
        sample_seed=sample_seed,
        on_done=_progress(),
    )
    print_report(report, show)
    out.print(f"[dim]{report.wall_s:.1f} s, seed {report.seed}, image {report.image or '-'}[/]")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
        out.print(f"wrote {json_path}")
    if record:
        # Written even under --min-kill-rate: the record states the suite's strength, and the
        # strength check in CI is what refuses a weak one.
        path = write_record(exercise.root / "hidden", record_of(report), exercise.id)
        out.print(f"wrote {path}")
    rate = report.kill_rate
    if min_kill_rate is not None and (rate is None or rate < min_kill_rate):
        err.print(f"[bold red]kill rate {_rate(rate)} is under {min_kill_rate:g}%[/]")
        sys.exit(int(ExitCode.CHECK_FAILED))

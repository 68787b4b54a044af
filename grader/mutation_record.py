"""The record of an exercise's full mutation run, kept in its package
(``hidden/mutation-record.toml``) so that the docs can quote it and CI can check that the
hidden suite has not grown weaker since.

The file holds only what a rerun after no change reproduces byte for byte: counts, the kill
rate to one decimal and the ids of the survivors not listed as equivalent, sorted by file,
line and column. No dates, no timings, no image names.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.errors import CatalogError, UsageError
from grader.mutation_report import MutantStatus, MutationReport
from grader.tomlfields import TomlTable

RECORD_FILE = "mutation-record.toml"
"""In an exercise's ``hidden/``: the last full run's figures."""
REGENERATE = "make mutants"
"""The command that rewrites every bundled exercise's record."""


@dataclass(frozen=True)
class MutationRecord:
    """The figures of one full mutation run."""

    generated: int
    """Mutants made of the reference (ignored functions' not included)."""
    ignored: int
    """Mutants the ignored functions would have had."""
    killed: int
    equivalent: int
    """Survivors listed as equivalent (out of the kill rate's denominator)."""
    kill_rate: float
    """Percent, one decimal."""
    survivors: tuple[str, ...]
    """Ids of the survivors not listed as equivalent, by file, line and column."""


def record_of(report: MutationReport) -> MutationRecord:
    """The record of a full run; a sample, a budget cut or a sandbox error is a UsageError
    (a record must speak for every mutant)."""
    if report.sampled:
        raise UsageError("--record needs the full run: drop --sample")
    missing = report.count(MutantStatus.NOT_RUN, MutantStatus.ERROR)
    if missing:
        raise UsageError(
            f"--record needs every mutant run, but {missing} were not (budget or sandbox "
            "error): run again without --budget, no record written"
        )
    rate = report.kill_rate
    if rate is None:
        raise UsageError(f"{report.exercise_id}: no mutant was counted, nothing to record")
    summary = report.summary()
    return MutationRecord(
        generated=summary["generated"],
        ignored=summary["ignored"],
        killed=summary["killed"],
        equivalent=summary["equivalent"],
        kill_rate=rate,
        survivors=tuple(
            r.mutant.id
            for r in sorted(
                report.survivors,
                key=lambda r: (r.mutant.file, r.mutant.line, r.mutant.col, r.mutant.id),
            )
        ),
    )


def render_record(record: MutationRecord, exercise_id: str) -> str:
    """The file's text: a comment naming the command, then the figures."""
    # json.dumps writes a string TOML reads back the same (quotes, backslashes, \\uXXXX).
    survivors = "".join(f"    {json.dumps(s)},\n" for s in record.survivors)
    return (
        f"# Written by `grade exercises mutate {exercise_id} --record` ({REGENERATE}): the\n"
        "# figures of the last full mutation run. Do not edit by hand; run it again after\n"
        "# changing the solution, the hidden tests or equivalent-mutants.toml.\n"
        f"generated = {record.generated}\n"
        f"ignored = {record.ignored}\n"
        f"killed = {record.killed}\n"
        f"equivalent = {record.equivalent}\n"
        f"kill_rate = {record.kill_rate:.1f}\n"
        f"survivors = [{chr(10) if survivors else ''}{survivors}]\n"
    )


def write_record(hidden_dir: Path, record: MutationRecord, exercise_id: str) -> Path:
    """Write ``hidden/mutation-record.toml`` (replacing it whole) and return its path."""
    path = hidden_dir / RECORD_FILE
    scratch = path.with_suffix(".toml.tmp")
    scratch.write_text(render_record(record, exercise_id), encoding="utf-8")
    scratch.replace(path)
    return path


def read_record(hidden_dir: Path) -> MutationRecord | None:
    """The package's record, None when it has none; a malformed one is a CatalogError."""
    path = hidden_dir / RECORD_FILE
    if not path.is_file():
        return None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path} is not valid TOML: {exc}") from exc
    table = TomlTable(path, raw)
    table.only(["generated", "ignored", "killed", "equivalent", "kill_rate", "survivors"])
    counts = {}
    for name in ("generated", "ignored", "killed", "equivalent"):
        counts[name] = table.get(name, int)
        if counts[name] < 0:
            raise table.fail(name, "must not be negative")
    rate = float(table.number("kill_rate"))
    if rate > 100:
        raise table.fail("kill_rate", "must be a percentage (at most 100)")
    survivors = table.strings("survivors", required=False)
    return MutationRecord(
        counts["generated"],
        counts["ignored"],
        counts["killed"],
        counts["equivalent"],
        rate,
        survivors,
    )

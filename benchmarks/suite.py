"""Measure what grading costs, from one run over one generated round on one machine.

Ratios only mean something when every number comes from the same machine, the same minutes
and the same submissions, so this script generates one round (``tests/rounds.py``, N
submissions per exercise, listed in a manifest) and measures, in this order:

  image     ``ensure_image`` when the image exists (warm), and with ``--cold`` a rebuild
  phases    per submission, sequentially: bare (the hidden tests with plain pytest on the
            host, the judge's flags, no sandbox: the floor), then one in-process grade
            (intake, runner, scoring) with its phases; overhead = grade - bare
  batch     the real CLI, ``grade batch --jobs 1`` and ``--jobs <cores>``, on that round:
            wall time, peak RSS of the grader process, (jobs=1 - bare) / N, parallel
            efficiency = jobs1 / (jobsN * N), and where the CPU went (``cpu.py``): the
            cores each run kept busy, and the speed-up ceiling = cores * jobs1 wall / CPU
            of the jobsN run (no schedule can beat it once every core is busy)
  scaling   ``grade batch --jobs <cores>`` on rounds of 50, 100, 200 submissions: time and
            peak RSS should grow linearly

It prints tables and writes everything as JSON (default ``benchmarks/results/suite.json``)
so runs can be compared across commits.

    .venv/bin/python benchmarks/suite.py [--size 20] [--exercise ID ...] [--jobs N]
        [--scaling 50,100,200] [--json PATH] [--cold]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common import (
    RESULTS,
    bare_seconds,
    cold_build,
    grade_batch,
    machine,
    make_manifest,
    manifest_rows,
    recipe,
    spread,
    warm_lookup,
    write_json,
)
from rich.console import Console
from rich.table import Table

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import derive_seed, grade_workspace
from grader.intake import open_workspace
from grader.model import Exercise, RunRecord, Workspace
from grader.runner.docker_runner import DockerRunner, connect
from grader.runner.interface import Runner, SpareRunner

DEFAULT_EXERCISES = ("feature-scaler", "debug-training", "training-loop")
"""tested-utilities is slow by design (the candidate's suite runs once per planted mutant)."""

PHASE_GROUPS: dict[str, tuple[str, ...]] = {
    "intake (copy, hash)": ("intake",),
    "input archive": ("archive",),
    "container create/start": ("create", "start", "spare"),
    "copy in": ("copy_in",),
    "hidden tests (judge)": ("in:judge",),
    "quality tools (ruff)": ("in:quality",),
    "own tests": ("in:own_tests",),
    "in run, outside the harness": ("run_other",),
    "copy out": ("copy_out",),
    "removal": ("remove",),
    "scoring": ("scoring",),
}
"""The issue's phases, from the runner's laps (``RunRecord.timings``) and this script's."""

console = Console(width=None if sys.stdout.isatty() else 120)


@dataclass
class Sample:
    """One submission, measured sequentially: the floor, then the grader."""

    exercise: str
    bare_s: float
    grade_s: float
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def overhead_s(self) -> float:
        return self.grade_s - self.bare_s


class TimedRunner:
    """Wraps a runner to keep the last RunRecord and how long ``run`` took."""

    def __init__(self, inner: Runner) -> None:
        self.inner = inner
        self.record: RunRecord | None = None
        self.seconds = 0.0

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        started = time.perf_counter()
        self.record = self.inner.run(exercise, workspace, seed)
        self.seconds = time.perf_counter() - started
        return self.record


def measure_one(exercise: Exercise, source: Path, runner: TimedRunner) -> Sample:
    """Bare pytest then one in-process grade of the same submission."""
    started = time.perf_counter()
    with open_workspace(source) as workspace:
        intake = time.perf_counter() - started
        bare = bare_seconds(exercise, workspace.root, derive_seed(workspace.content_hash, exercise))
        started = time.perf_counter()
        grade_workspace(exercise, workspace, runner)
        graded = time.perf_counter() - started
    assert runner.record is not None
    phases = {name: seconds for name, seconds in runner.record.timings}
    inside = sum(v for k, v in phases.items() if k.startswith("in:"))
    phases |= {
        "intake": intake,
        "scoring": graded - runner.seconds,
        "run_other": max(0.0, phases.get("run", 0.0) - inside),
    }
    return Sample(exercise.id, bare, intake + graded, phases)


def phases_pass(catalog: Catalog, manifest: Path, runner: Runner) -> list[Sample]:
    """Every submission of the round, one at a time, with a spare if the runner offers one."""
    timed = TimedRunner(runner)
    if isinstance(runner, SpareRunner):
        runner.keep_spare()
    try:
        return [
            measure_one(catalog.get(exercise_id), source, timed)
            for _, source, exercise_id in manifest_rows(manifest)
        ]
    finally:
        if isinstance(runner, SpareRunner):
            runner.close()


def grouped(sample: Sample) -> dict[str, float]:
    return {
        group: sum(sample.phases.get(name, 0.0) for name in names)
        for group, names in PHASE_GROUPS.items()
    }


def summarise(samples: list[Sample]) -> dict[str, Any]:
    """Medians over submissions, per exercise and for all of them."""
    by_exercise: dict[str, list[Sample]] = {}
    for sample in samples:
        by_exercise.setdefault(sample.exercise, []).append(sample)
    summary = {}
    for name, group in [*sorted(by_exercise.items()), ("all", samples)]:
        summary[name] = {
            "n": len(group),
            "bare_median_s": statistics.median(s.bare_s for s in group),
            "grade_median_s": statistics.median(s.grade_s for s in group),
            "overhead_median_s": statistics.median(s.overhead_s for s in group),
            "ratio_of_medians": statistics.median(s.grade_s for s in group)
            / statistics.median(s.bare_s for s in group),
            "phases_median_s": {
                phase: statistics.median(grouped(s)[phase] for s in group) for phase in PHASE_GROUPS
            },
        }
    return summary


def batch_numbers(manifest: Path, jobs: int, bare_total: float, n: int) -> dict[str, Any]:
    """`grade batch` with one job and with ``jobs``; the round-level ratios."""
    one = grade_batch(manifest, 1)
    many = grade_batch(manifest, jobs)
    busy = many.cpu.get("busy_s")
    return {
        "submissions": n,
        "jobs": jobs,
        "bare_total_s": bare_total,
        "jobs_1": asdict(one),
        f"jobs_{jobs}": asdict(many),
        "overhead_per_submission_s": (one.seconds - bare_total) / n,
        "ratio_jobs_1_to_bare": one.seconds / bare_total,
        "speedup": one.seconds / many.seconds,
        "parallel_efficiency": one.seconds / (many.seconds * jobs),
        "speedup_ceiling": (os.cpu_count() or jobs) * one.seconds / busy if busy else None,
    }


def scaling_numbers(sizes: list[int], exercise_ids: list[str], jobs: int) -> list[dict]:
    rows = []
    for size in sizes:
        base = Path(tempfile.mkdtemp(prefix=f"bench-scaling-{size}-"))
        run = grade_batch(make_manifest(base, spread(size, exercise_ids)), jobs)
        rows.append(
            {"size": size, "jobs": jobs, **asdict(run), "per_submission_s": run.seconds / size}
        )
        console.print(f"[dim]scaling: {size} submissions in {run.seconds:.1f} s[/]")
    return rows


def targets(report: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """The issue's targets: (measure, value, target, met)."""
    batch = report["batch"]
    overhead = report["per_submission"]["all"]["overhead_median_s"]
    rows = [
        ("median overhead over bare pytest", f"{overhead:.3f} s", "< 0.5 s", overhead < 0.5),
        (f"speed-up jobs {batch['jobs']} over jobs 1 ({batch['submissions']} submissions)",
         f"{batch['speedup']:.2f}x", ">= 1.6x", batch["speedup"] >= 1.6),
    ]  # fmt: skip
    scaling = sorted(report["scaling"], key=lambda row: row["size"])
    if scaling:
        small, large = scaling[0], scaling[-1]
        rss = large["peak_rss_mb"]
        rows.append((f"peak RSS, {large['size']} submissions", f"{rss:.0f} MB", "< 200 MB",
                     rss < 200))  # fmt: skip
    if len(scaling) > 1:
        growth = large["per_submission_s"] / small["per_submission_s"]
        rows.append((f"s / submission, {large['size']} vs {small['size']}", f"{growth:.2f}",
                     "<= 1.2 (linear)", growth <= 1.2))  # fmt: skip
    return rows


def print_report(report: dict[str, Any]) -> None:
    summary, batch = report["per_submission"], report["batch"]
    table = Table(title="Per submission, sequential, in-process (medians, seconds)")
    for column in ("exercise", "n", "bare", "grade", "overhead", "grade/bare"):
        table.add_column(column, justify="left" if column == "exercise" else "right")
    for name, row in summary.items():
        table.add_row(name, str(row["n"]), f"{row['bare_median_s']:.3f}",
                      f"{row['grade_median_s']:.3f}", f"{row['overhead_median_s']:.3f}",
                      f"{row['ratio_of_medians']:.2f}")  # fmt: skip
    console.print(table)
    phases = Table(title="Phases per submission (medians, seconds)")
    phases.add_column("phase")
    for name in summary:
        phases.add_column(name, justify="right")
    for phase in PHASE_GROUPS:
        phases.add_row(phase, *(f"{row['phases_median_s'][phase]:.3f}" for row in summary.values()))
    console.print(phases)
    jobs = batch["jobs"]
    one, many = batch["jobs_1"], batch[f"jobs_{jobs}"]
    rounds = Table(title=f"`grade batch` on the same {batch['submissions']} submissions")
    rounds.add_column("measure")
    rounds.add_column("value", justify="right")
    for label, value in (
        ("bare pytest, sequential", f"{batch['bare_total_s']:.1f} s"),
        ("grade --jobs 1", f"{one['seconds']:.1f} s, peak RSS {one['peak_rss_mb']:.0f} MB"),
        (f"grade --jobs {jobs}", f"{many['seconds']:.1f} s, peak RSS {many['peak_rss_mb']:.0f} MB"),
        ("(jobs 1 - bare) / N", f"{batch['overhead_per_submission_s']:.3f} s"),
        ("jobs 1 / bare", f"{batch['ratio_jobs_1_to_bare']:.2f}"),
        (f"speed-up jobs {jobs} over jobs 1", f"{batch['speedup']:.2f}x"),
        ("parallel efficiency", f"{batch['parallel_efficiency']:.2f}"),
        *([("speed-up ceiling (cores x jobs 1 wall / CPU of jobs N)",
            f"{batch['speedup_ceiling']:.2f}x")] if batch.get("speedup_ceiling") else []),
        ("image lookup (warm ensure_image)", f"{report['image']['warm_lookup_s']:.3f} s"),
        *([("image rebuild (--cold)", f"{report['image']['cold_build_s']:.1f} s")]
          if "cold_build_s" in report["image"] else []),
    ):  # fmt: skip
        rounds.add_row(label, value)
    console.print(rounds)
    print_cpu(batch)
    if report["scaling"]:
        growth = Table(title="Growth (grade batch, jobs = cores)")
        for column in ("submissions", "seconds", "s / submission", "peak RSS MB"):
            growth.add_column(column, justify="right")
        for row in report["scaling"]:
            growth.add_row(
                str(row["size"]),
                f"{row['seconds']:.1f}",
                f"{row['per_submission_s']:.3f}",
                f"{row['peak_rss_mb']:.0f}",
            )
        console.print(growth)
    goals = Table(title="Targets (issue #8, 2-core machine)")
    for column in ("measure", "value", "target", "met"):
        goals.add_column(column)
    for measure, value, target, met in report["targets"]:
        goals.add_row(measure, value, target, "yes" if met else "[bold red]no[/]")
    console.print(goals)
    for warning in report["warnings"]:
        console.print(f"[bold yellow]warning:[/] {warning}")


CPU_PARTS = (
    ("busy_s", "all (machine busy)"),
    ("containers_s", "sandbox containers"),
    ("engine_s", "dockerd + containerd"),
    ("grader_s", "grader process"),
    ("other_s", "other (shims, runc, kernel)"),
)


def print_cpu(batch: dict[str, Any]) -> None:
    """CPU seconds per submission during each batch run, by who spent them."""
    runs = {label: batch[key]["cpu"] for label, key in
            (("jobs 1", "jobs_1"), (f"jobs {batch['jobs']}", f"jobs_{batch['jobs']}"))}  # fmt: skip
    if not all("busy_s" in spent for spent in runs.values()):
        return
    table = Table(title="Where the CPU went (CPU seconds per submission)")
    table.add_column("spent by")
    for label in runs:
        table.add_column(label, justify="right")
    n = batch["submissions"]
    for key, label in CPU_PARTS:
        values = [spent.get(key) for spent in runs.values()]
        table.add_row(label, *("n/a" if v is None else f"{v / n:.3f}" for v in values))
    table.add_row("cores kept busy", *(f"{spent['busy_cores']:.2f}" for spent in runs.values()))
    console.print(table)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20, help="submissions per exercise")
    parser.add_argument("--exercise", action="append", help="exercise id (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--scaling", default="50,100,200", help="round sizes, comma-separated")
    parser.add_argument("--json", type=Path, default=RESULTS / "suite.json")
    parser.add_argument("--cold", action="store_true", help="also remove and rebuild the image")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    exercise_ids = args.exercise or list(DEFAULT_EXERCISES)
    sizes = [int(s) for s in args.scaling.split(",") if s.strip()]
    catalog = Catalog(default_exercises_dir())
    for exercise_id in exercise_ids:
        catalog.get(exercise_id)
    client = connect()
    image: dict[str, Any] = {}
    if args.cold:
        image["cold_build_s"] = cold_build(client)
    tag, image["warm_lookup_s"] = warm_lookup(client)
    manifest = make_manifest(Path(tempfile.mkdtemp(prefix="bench-round-")),
                             dict.fromkeys(exercise_ids, args.size))  # fmt: skip
    console.print(f"[dim]round: {manifest}; image {tag}[/]")
    samples = phases_pass(catalog, manifest, DockerRunner(client, tag))
    console.print(f"[dim]phases: {len(samples)} submissions measured[/]")
    bare_total = sum(s.bare_s for s in samples)
    batch = batch_numbers(manifest, args.jobs, bare_total, len(samples))
    report: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "exercises": exercise_ids,
        "size_per_exercise": args.size,
        "image": {"tag": tag, **image},
        "per_submission": summarise(samples),
        "batch": batch,
        "scaling": scaling_numbers(sizes, exercise_ids, args.jobs),
        "samples": [asdict(s) for s in samples],
        "warnings": [],
    }
    if recipe().tag() != tag:
        report["warnings"].append(f"the sandbox changed during the run ({tag} -> {recipe().tag()})")
    rebuilt = [r for r in (batch["jobs_1"], batch[f"jobs_{args.jobs}"], *report["scaling"])
               if r["rebuilt_image"]]  # fmt: skip
    if rebuilt:
        report["warnings"].append(
            f"{len(rebuilt)} batch run(s) rebuilt the image: timings include it"
        )
    report["targets"] = targets(report)
    print_report(report)
    console.print(f"JSON: {write_json(args.json, report)}")


if __name__ == "__main__":
    main()

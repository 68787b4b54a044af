"""Measure what one sandboxed grade costs over running the same hidden tests on the host,
per exercise, on its reference solution: a quick check (about 1.5 minutes for all of them)
next to ``suite.py``, which measures a whole generated round.

Prints a table and writes JSON (benchmarks/results/overhead.json) from one run on one machine:
  bare   plain pytest on the host with the judge's flags (no sandbox): the floor
  grade  the runner (archive, container, hidden tests, lint, removal), spare on as in a round
and the image lookup (warm) and, with --cold, an image rebuild that reuses the cached base
and wheelhouse.

    .venv/bin/python benchmarks/overhead.py --repeat 5 [--exercise ID ...] [--cold]
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import (
    RESULTS,
    bare_seconds,
    cold_build,
    machine,
    median_phases,
    warm_lookup,
    write_json,
)

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import derive_seed, grade_workspace
from grader.intake import open_workspace
from grader.model import Exercise
from grader.runner.docker_runner import DockerRunner, connect


def measure(exercise: Exercise, runner: DockerRunner, repeat: int) -> dict:
    """Bare and graded, interleaved ``repeat`` times on the reference solution; medians."""
    with open_workspace(exercise.solution_dir) as workspace:
        seed = derive_seed(workspace.content_hash, exercise)
        grade_workspace(exercise, workspace, runner)  # warm the page cache (and the spare)
        bare, graded, phases = [], [], []
        for _ in range(repeat):
            bare.append(bare_seconds(exercise, exercise.solution_dir, seed))
            started = time.perf_counter()
            run = runner.run(exercise, workspace, seed)
            graded.append(time.perf_counter() - started)
            phases.append(dict(run.timings))
    return {
        "exercise": exercise.id,
        "bare_median_s": statistics.median(bare),
        "grade_median_s": statistics.median(graded),
        "overhead_median_s": statistics.median(g - b for g, b in zip(graded, bare, strict=True)),
        "ratio": statistics.median(graded) / statistics.median(bare),
        "phases_median_s": median_phases(phases),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exercise", action="append", help="limit to these exercise ids")
    parser.add_argument("--cold", action="store_true", help="also time an image rebuild")
    args = parser.parse_args()

    client = connect()
    image_numbers = {"cold_build_s": cold_build(client)} if args.cold else {}
    image, image_numbers["warm_lookup_s"] = warm_lookup(client)
    catalog = Catalog(default_exercises_dir())
    runner = DockerRunner(client, image)
    runner.keep_spare()
    try:
        rows = [
            measure(catalog.get(exercise_id), runner, args.repeat)
            for exercise_id in catalog.ids()
            if not args.exercise or exercise_id in args.exercise
        ]
    finally:
        runner.close()
    report = {
        **machine(),
        "repeat": args.repeat,
        "image": image,
        **{k: round(v, 3) for k, v in image_numbers.items()},
        "exercises": rows,
    }
    write_json(RESULTS / "overhead.json", report)
    for key, value in image_numbers.items():
        print(f"{key:>16}: {value:.3f} s")
    print(f"{'exercise':<18}{'bare s':>9}{'grade s':>9}{'overhead s':>12}{'ratio':>7}  phases (s)")
    for row in rows:
        phases = " ".join(f"{k}={v:.3f}" for k, v in row["phases_median_s"].items())
        print(
            f"{row['exercise']:<18}{row['bare_median_s']:>9.3f}{row['grade_median_s']:>9.3f}"
            f"{row['overhead_median_s']:>12.3f}{row['ratio']:>7.2f}  {phases}"
        )


if __name__ == "__main__":
    main()

"""Measure what one sandboxed grade costs over running the same hidden tests on the host.

Prints a table and writes JSON (benchmarks/results/overhead.json) from one run on one machine:
  bare   plain pytest on the host with the judge's flags (no sandbox): the floor
  grade  the full pipeline (intake, container, hidden tests, scoring, removal)
and the image lookup (warm) and, with --cold, an image rebuild that reuses the cached base
and wheelhouse.

    .venv/bin/python benchmarks/overhead.py --repeat 5 [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.catalog import Catalog, default_exercises_dir  # noqa: E402
from grader.grading import derive_seed, grade_workspace  # noqa: E402
from grader.intake import open_workspace  # noqa: E402
from grader.model import Exercise  # noqa: E402
from grader.runner.docker_runner import DockerRunner, connect  # noqa: E402
from grader.runner.images import (  # noqa: E402
    ImageRecipe,
    build_image,
    default_cache_dir,
    default_sandbox_dir,
    find_image,
)


def bare_seconds(exercise: Exercise, submission: Path, seed: int) -> float:
    """Host pytest over the hidden tests with the judge's flags; returns wall seconds."""
    command = [
        sys.executable, "-m", "pytest", str(exercise.hidden_tests_dir), "-q",
        "-p", "mlgrade_plugin", "-p", "pytest_timeout", "-p", "no:cacheprovider",
        "--noconftest", "--timeout", str(exercise.limits.test_timeout_seconds),
        "--timeout-method", "signal", "--capture", "no",
        "--mlgrade-submission", str(submission), "--mlgrade-seed", str(seed),
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "sandbox" / "harness"),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    started = time.perf_counter()
    subprocess.run(command, cwd=submission, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exercise", action="append", help="limit to these exercise ids")
    parser.add_argument("--cold", action="store_true", help="also time an image rebuild")
    args = parser.parse_args()

    client = connect()
    recipe = ImageRecipe(default_sandbox_dir())
    image_numbers: dict[str, float] = {}
    if args.cold:
        if find_image(client, recipe):
            client.images.remove(recipe.tag(), force=True)
        started = time.perf_counter()
        build_image(client, recipe, cache_dir=default_cache_dir())
        image_numbers["cold_build_s"] = time.perf_counter() - started
    started = time.perf_counter()
    image = find_image(client, recipe)
    image_numbers["warm_lookup_s"] = time.perf_counter() - started
    if image is None:
        sys.exit("no sandbox image: run `grade sandbox build` (or pass --cold)")
    runner = DockerRunner(client, image)
    catalog = Catalog(default_exercises_dir())
    rows = []
    for exercise_id in catalog.ids():
        if args.exercise and exercise_id not in args.exercise:
            continue
        exercise = catalog.get(exercise_id)
        with open_workspace(exercise.solution_dir) as workspace:
            seed = derive_seed(workspace.content_hash, exercise)
            grade_workspace(exercise, workspace, runner)  # warm the page cache once
            bare, graded, phases = [], [], []
            for _ in range(args.repeat):
                bare.append(bare_seconds(exercise, exercise.solution_dir, seed))
                started = time.perf_counter()
                run = runner.run(exercise, workspace, seed)
                graded.append(time.perf_counter() - started)
                phases.append(dict(run.timings))
        row = {
            "exercise": exercise.id,
            "bare_median_s": statistics.median(bare),
            "grade_median_s": statistics.median(graded),
            "overhead_median_s": statistics.median(
                g - b for g, b in zip(graded, bare, strict=True)
            ),
            "ratio": statistics.median(graded) / statistics.median(bare),
            "phases_median_s": {k: statistics.median(p[k] for p in phases) for k in phases[0]},
        }
        rows.append(row)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "repeat": args.repeat,
        "image": image,
        **{k: round(v, 3) for k, v in image_numbers.items()},
        "exercises": rows,
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "overhead.json").write_text(json.dumps(report, indent=2) + "\n")
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

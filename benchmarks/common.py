"""What the benchmark scripts share: the bare-pytest floor, a timed `grade batch`, generated
rounds, the image lookup, and where results go.

The scripts import this module by name (``python benchmarks/suite.py`` puts this folder on
``sys.path``).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cpu
import docker

from grader.catalog import load_exercise
from grader.model import Exercise
from grader.runner.images import (
    ImageRecipe,
    build_image,
    default_cache_dir,
    default_sandbox_dir,
    ensure_image,
    find_image,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

SUMMARY = re.compile(
    r"(?P<total>\d+) submission\(s\): (?P<graded>\d+) graded, (?P<reused>\d+) reused, "
    r"(?P<ungradable>\d+) ungradable"
)
IGNORED = shutil.ignore_patterns("__pycache__", "NOTES.md", "README.md")
"""Grader-side notes and the brief; a DIAGNOSIS.md stays (reasoning is scored)."""
BARE_OK = (0, 1)
"""pytest exit codes of a real run: all passed, some failed. Anything else is a broken floor."""


def bare_seconds(exercise: Exercise, submission: Path, seed: int) -> float:
    """Host pytest over the hidden tests with the judge's flags, no sandbox; wall seconds.

    Raises RuntimeError when pytest did not run the tests (the floor would be meaningless).
    """
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
    proc = subprocess.run(command, cwd=submission, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in BARE_OK:
        tail = proc.stdout.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"bare pytest failed ({proc.returncode}) on {submission}: {tail}")
    return elapsed


@dataclass(frozen=True)
class BatchRun:
    """One `grade batch` process: wall time, its own peak RSS, whether it built the image, and
    the machine's CPU seconds meanwhile by who spent them (see ``cpu.py``)."""

    seconds: float
    peak_rss_mb: float
    rebuilt_image: bool
    cpu: dict[str, float | None]


def grade_batch(source: Path, jobs: int) -> BatchRun:
    """Run the real CLI over ``source`` into a fresh output folder; time it and read its RSS.

    ``os.wait4`` gives the resource usage of that one child, so earlier runs do not leak
    into the peak (unlike RUSAGE_CHILDREN, which keeps the largest child so far).
    """
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    command = [sys.executable, "-m", "grader", "batch", str(source), "--out", str(out / "round"),
               "-j", str(jobs)]  # fmt: skip
    with open(out / "stdout", "wb") as stdout, open(out / "stderr", "wb") as stderr:
        before = cpu.snapshot()
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        spent = cpu.split(before, cpu.snapshot(), usage.ru_utime + usage.ru_stime, elapsed)
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = (out / "stderr").read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"grade batch failed ({proc.returncode}): {errors[-500:]}")
    summary = SUMMARY.search((out / "stdout").read_text())
    if summary is None or summary["reused"] != "0" or summary["ungradable"] != "0":
        raise RuntimeError(f"grade batch did not grade everything afresh: {summary}")
    shutil.rmtree(out, ignore_errors=True)
    # ru_maxrss is in KiB on Linux.
    return BatchRun(elapsed, usage.ru_maxrss / 1024, "building " in errors, spent)


def make_submissions(dest: Path, count: int, exercise_id: str) -> None:
    """``count`` submissions of one exercise in ``dest``: copies of its solution, starter and
    samples in turn, each made unique by a comment in its module, every fourth one zipped.

    Like ``tests/rounds.py``, but only from sources that hold the module as a ``.py`` file:
    notebook samples are left out, so the mix stays comparable with earlier runs and with
    bare pytest.
    """
    exercise = load_exercise(ROOT / "exercises" / exercise_id)
    module = exercise.files[0]
    candidates = (exercise.solution_dir, exercise.starter_dir, *(s.path for s in exercise.samples))
    sources = [source for source in candidates if (source / module).is_file()]
    dest.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        folder = dest / f"cand{index:03d}"
        shutil.copytree(sources[index % len(sources)], folder, ignore=IGNORED)
        with (folder / module).open("a", encoding="utf-8") as handle:
            handle.write(f"\n# submitted by candidate {index}\n")
        if index % 4 == 3:
            shutil.make_archive(str(folder), "zip", folder)
            shutil.rmtree(folder)


def make_manifest(dest: Path, exercises: dict[str, int]) -> Path:
    """Generate submissions for each exercise and a CSV manifest naming their exercise, so
    recognition plays no part and names never collide."""
    rows = []
    for exercise_id, count in exercises.items():
        if count <= 0:
            continue
        folder = dest / exercise_id
        make_submissions(folder, count, exercise_id)
        for path in sorted(folder.iterdir()):
            rows.append((f"{exercise_id}-{path.stem}", path.relative_to(dest), exercise_id))
    manifest = dest / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("candidate", "submission", "exercise"))
        writer.writerows((name, path.as_posix(), ex) for name, path, ex in rows)
    return manifest


def manifest_rows(manifest: Path) -> list[tuple[str, Path, str]]:
    """(candidate, submission path, exercise id) for every row of a generated manifest."""
    with manifest.open(newline="", encoding="utf-8") as handle:
        return [
            (row["candidate"], manifest.parent / row["submission"], row["exercise"])
            for row in csv.DictReader(handle)
        ]


def spread(total: int, exercise_ids: list[str]) -> dict[str, int]:
    """``total`` submissions shared as evenly as possible between the exercises."""
    share, extra = divmod(total, len(exercise_ids))
    return {ex: share + (1 if i < extra else 0) for i, ex in enumerate(exercise_ids)}


def recipe() -> ImageRecipe:
    return ImageRecipe(default_sandbox_dir())


def warm_lookup(client: docker.DockerClient) -> tuple[str, float]:
    """The image tag and how long ``ensure_image`` takes when the image exists (building it
    first, untimed, if it does not)."""
    ensure_image(client, recipe(), cache_dir=default_cache_dir())
    started = time.perf_counter()
    tag = ensure_image(client, recipe(), cache_dir=default_cache_dir())
    return tag, time.perf_counter() - started


def cold_build(client: docker.DockerClient) -> float:
    """Remove the image and time a rebuild (the base image and wheelhouse stay cached)."""
    if find_image(client, recipe()):
        client.images.remove(recipe().tag(), force=True)
    started = time.perf_counter()
    build_image(client, recipe(), cache_dir=default_cache_dir())
    return time.perf_counter() - started


def median_phases(runs: Iterable[dict[str, float]]) -> dict[str, float]:
    """Median of each phase over runs; a phase a run did not have counts as 0 for it."""
    runs = list(runs)
    names = sorted({name for run in runs for name in run})
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def git_revision() -> str:
    """The commit measured, with ``+dirty`` when the working tree has changes."""

    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return proc.stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain") else "")


def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpu": platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "commit": git_revision(),
    }


def write_json(path: Path, report: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return path

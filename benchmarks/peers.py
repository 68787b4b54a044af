"""mlgrade beside its peers: the same 20 submissions graded by each, in one run (issue 18).

The exercise is ``zscore`` (benchmarks/peers/zscore: one numpy function, four hidden tests in
two groups); the round is 10 correct and 10 buggy submissions (``peer_round.py``), as ``.py``
folders and as notebooks. Timed sequentially, each over all 20:

  host pytest    the hidden tests with plain pytest on the host and the judge's flags (the floor)
  docker run     one ``docker run --rm --network none`` of that pytest per submission, in the
                 sandbox image
  mlgrade        ``grade batch`` over the .py round and over the notebook round, ``--jobs 1``
                 and ``--jobs 2``, each into a fresh output folder
  nbgrader       ``nbgrader autograde`` of the notebooks (one command for the round)
  otter          ``otter run`` of each notebook (its non-container command, one per submission)

nbgrader and otter-grader live in throwaway venvs under ~/.cache/mlgrade/bench-venvs, made on
first use with pip from PyPI and reused after. Setup (course layouts, autograder zip, image
lookup) is not timed. A peer that cannot be installed or run keeps its row, with the reason.

    .venv/bin/python benchmarks/peers.py [--size 20] [--json PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import peer_round
from common import RESULTS, SUMMARY, machine, warm_lookup, write_json
from rich.console import Console
from rich.table import Table

from grader.runner.docker_runner import connect
from grader.runner.images import default_cache_dir

# Pinned 2026-12-06 (the newest releases on PyPI then), so runs compare across commits. otter
# does not depend on ipykernel, yet `otter run` executes notebooks on a Jupyter kernel; numpy
# is what the exercise imports.
PEERS = {
    "nbgrader": ("nbgrader==0.9.6", "numpy==2.4.6"),
    "otter": ("otter-grader==7.0.0", "ipykernel==7.4.0", "numpy==2.4.6"),
}
VENVS = default_cache_dir() / "bench-venvs"
HARNESS = peer_round.ROOT / "sandbox" / "harness"
HIDDEN = peer_round.EXERCISES / peer_round.EXERCISE_ID / "hidden" / "tests"
TEST_TIMEOUT = 10
"""The exercise's per-test timeout (exercise.toml), given to every grader."""
FULL_MARKS = 100.0
PEER_TIMEOUT = 1800
"""A whole peer run may take this long before it is called hung (seconds)."""

console = Console(width=None if sys.stdout.isatty() else 120)


@dataclass(frozen=True)
class Row:
    """One grader's run over the round: wall seconds (None when it could not run), how many
    submissions it gave full marks (half of them is right), and why a number is missing."""

    key: str
    grader: str
    sandbox: str
    seconds: float | None = None
    full_marks: int | None = None
    note: str = ""

    def per_submission(self, size: int) -> float | None:
        return None if self.seconds is None else self.seconds / size


class PeerFailed(RuntimeError):
    """A grader could not be installed, set up or run; the message says what failed."""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run a command to the end; wall seconds. Raises PeerFailed on a non-zero exit."""
    started = time.perf_counter()
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, timeout=PEER_TIMEOUT, check=False
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()[-3:]
        raise PeerFailed(f"`{' '.join(command[:3])} ...` exited {proc.returncode}: {tail}")
    return elapsed


def ensure_venv(name: str) -> Path:
    """The ``bin`` folder of the peer's venv, created and installed on first use; reused while
    its pins are the ones recorded in it."""
    venv, pins = VENVS / name, PEERS[name]
    stamp = venv / "mlgrade-pins.txt"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").split() == list(pins):
        return venv / "bin"
    shutil.rmtree(venv, ignore_errors=True)
    console.print(f"[dim]{name}: creating {venv} and installing {' '.join(pins)} (once)[/]")
    try:
        run([sys.executable, "-m", "venv", str(venv)], VENVS.parent)
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *pins], venv)
    except (PeerFailed, subprocess.TimeoutExpired) as error:
        raise PeerFailed(f"installing {' '.join(pins)} failed: {error}") from error
    stamp.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return venv / "bin"


def venv_env(bin_dir: Path) -> dict[str, str]:
    """The environment of an activated venv: nbgrader calls ``alembic`` and Jupyter finds its
    kernel through PATH."""
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(bin_dir.parent)}  # fmt: skip


def pytest_args(tests: str, submission: str, seed: int) -> list[str]:
    """The judge's pytest flags (as ``common.bare_seconds``), for the host and the container."""
    return [
        "-m", "pytest", tests, "-q", "-p", "mlgrade_plugin", "-p", "pytest_timeout",
        "-p", "no:cacheprovider", "--noconftest", "--timeout", str(TEST_TIMEOUT),
        "--timeout-method", "signal", "--capture", "no",
        "--mlgrade-submission", submission, "--mlgrade-seed", str(seed),
    ]  # fmt: skip


def time_pytest_each(round_dir: Path, make: Callable[[Path, int], list[str]]) -> tuple[float, int]:
    """Run ``make(submission, seed)`` per submission; total wall seconds and how many passed
    every test (pytest exit 0; 1 is failed tests, anything else a broken run)."""
    env = {**os.environ, "PYTHONPATH": str(HARNESS), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    total, passed = 0.0, 0
    for seed, submission in enumerate(sorted(round_dir.iterdir())):
        started = time.perf_counter()
        proc = subprocess.run(make(submission, seed), cwd=submission, env=env,
                              capture_output=True, check=False)  # fmt: skip
        total += time.perf_counter() - started
        if proc.returncode not in (0, 1):
            tail = proc.stdout.decode(errors="replace").strip().splitlines()[-3:]
            raise PeerFailed(f"pytest exited {proc.returncode} on {submission.name}: {tail}")
        passed += proc.returncode == 0
    return total, passed


def host_pytest(py_round: Path) -> tuple[float, int]:
    return time_pytest_each(
        py_round, lambda sub, seed: [sys.executable, *pytest_args(str(HIDDEN), str(sub), seed)]
    )


def docker_pytest(py_round: Path, tag: str) -> tuple[float, int]:
    def command(submission: Path, seed: int) -> list[str]:
        return [
            "docker", "run", "--rm", "--network", "none",
            "-v", f"{HIDDEN}:/tests:ro", "-v", f"{submission}:/submission:ro", "-w", "/submission",
            "-e", "PYTHONPATH=/opt/mlgrade/harness", "-e", "PYTEST_DISABLE_PLUGIN_AUTOLOAD=1",
            "--entrypoint", "/opt/venv/bin/python", tag,
            *pytest_args("/tests", "/submission", seed),
        ]  # fmt: skip

    return time_pytest_each(py_round, command)


def mlgrade_batch(source: Path, jobs: int, scratch: Path) -> tuple[float, int]:
    """The real CLI over the round into a fresh output folder; wall seconds and how many got
    correctness 100 (from its round.csv)."""
    out = Path(tempfile.mkdtemp(prefix=f"mlgrade-j{jobs}-", dir=scratch))
    command = [sys.executable, "-m", "grader", "--exercises-dir", str(peer_round.EXERCISES),
               "batch", str(source), "--out", str(out / "round"), "-e", peer_round.EXERCISE_ID,
               "-j", str(jobs)]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=peer_round.ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise PeerFailed(f"grade batch exited {proc.returncode}: {proc.stderr.decode()[-400:]}")
    summary = SUMMARY.search(proc.stdout.decode(errors="replace"))
    if summary is None or summary["reused"] != "0" or summary["ungradable"] != "0":
        raise PeerFailed(f"grade batch did not grade everything afresh: {summary}")
    if "building " in proc.stderr.decode(errors="replace"):
        raise PeerFailed("grade batch built the sandbox image during the timed run")
    with (out / "round" / "round.csv").open(newline="", encoding="utf-8") as handle:
        full = sum(float(r["correctness"] or 0) == FULL_MARKS for r in csv.DictReader(handle))
    return elapsed, full


def nbgrader_autograde(scratch: Path, made: list[peer_round.Submission]) -> tuple[float, int]:
    """Untimed: the course (source notebook, ``generate_assignment``, submitted notebooks).
    Timed: ``nbgrader autograde ps1``. Then ``nbgrader export`` for the scores."""
    env = venv_env(ensure_venv("nbgrader"))
    course = peer_round.write_nbgrader_source(scratch / "nbgrader-course")
    run(["nbgrader", "generate_assignment", "ps1", "--force"], course, env)
    peer_round.write_nbgrader_submissions(course, made)
    elapsed = run(["nbgrader", "autograde", "ps1"], course, env)
    run(["nbgrader", "export"], course, env)
    with (course / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    full = sum(float(r["score"]) == float(r["max_score"]) for r in rows)
    return elapsed, full


def otter_run(scratch: Path, nb_round: Path) -> tuple[float, int]:
    """Untimed: the tests and ``otter generate``'s autograder zip. Timed: ``otter run`` of
    each notebook into its own output folder; the scores from each results.json."""
    env = venv_env(ensure_venv("otter"))
    base = scratch / "otter"
    peer_round.write_otter_tests(base / "tests")
    run(["otter", "generate", "-t", "tests", "-o", "autograder.zip", "--no-requirements",
         "--no-environment"], base, env)  # fmt: skip
    total, full = 0.0, 0
    for submission in sorted(nb_round.iterdir()):
        out = base / "out" / submission.name
        out.mkdir(parents=True)
        total += run(["otter", "run", "-a", str(base / "autograder.zip"), "-o", str(out),
                      "--no-logo", str(submission / peer_round.NOTEBOOK)], base, env)  # fmt: skip
        tests = json.loads((out / "results.json").read_text(encoding="utf-8"))["tests"]
        scored = [t for t in tests if "max_score" in t]
        full += bool(scored) and all(t["score"] == t["max_score"] for t in scored)
    return total, full


def measure(key: str, grader: str, sandbox: str, how: Callable[[], tuple[float, int]]) -> Row:
    """Time one grader; a failure becomes the row's note, and the run goes on."""
    console.print(f"[dim]{grader} ...[/]")
    try:
        seconds, full = how()
    except (PeerFailed, OSError, KeyError, ValueError, subprocess.TimeoutExpired) as error:
        console.print(f"[bold yellow]{grader}: not measured:[/] {error}")
        return Row(key, grader, sandbox, note=f"not measured: {error}")
    return Row(key, grader, sandbox, seconds, full)


def checks(rows: dict[str, Row], size: int) -> list[dict[str, Any]]:
    """The issue's two ratios: (name, value, target, met); met is None when a row is missing."""
    nb, nbg = rows["mlgrade_nb_j1"].seconds, rows["nbgrader"].seconds
    py, floor = rows["mlgrade_py_j1"].seconds, rows["host_pytest"].seconds
    ratio = nb / nbg if nb is not None and nbg is not None else None
    overhead = (py - floor) / size if py is not None and floor is not None else None
    return [
        {"check": "notebooks, mlgrade --jobs 1 no slower than nbgrader autograde",
         "value": None if ratio is None else f"{ratio:.2f}x nbgrader's time", "target": "<= 1.00x",
         "met": None if ratio is None else ratio <= 1.0},
        {"check": ".py, mlgrade --jobs 1 overhead over plain host pytest, per submission",
         "value": None if overhead is None else f"{overhead:+.3f} s", "target": "<= 0.300 s",
         "met": None if overhead is None else overhead <= 0.3},
    ]  # fmt: skip


def print_report(report: dict[str, Any]) -> None:
    size = report["submissions"]
    title = f"The same {size} submissions ({report['correct_submissions']} correct), by each grader"
    table = Table(title=title)
    for column in ("grader", "per submission", f"wall ({size})", "sandbox", "full marks"):
        table.add_column(column, justify="right" if column[0] in "pwf" else "left")
    for row in report["rows"]:
        per = row["per_submission_s"]
        table.add_row(
            row["grader"],
            "—" if per is None else f"{per:.2f} s",
            "—" if row["seconds"] is None else f"{row['seconds']:.1f} s",
            row["sandbox"],
            row["note"] or f"{row['full_marks']} / {size}",
        )
    console.print(table)
    info = report["machine"]
    console.print(f"machine: {info['cores']} cores, {info['host']}; commit {info['commit']}; "
                  f"{info['date']}; image {report['image']}")  # fmt: skip
    start, end = report["load_average"]
    console.print(f"load average (1 min) at start / end: {start:.1f} / {end:.1f} "
                  f"(above the core count: other work shared the machine)")  # fmt: skip
    for check in report["checks"]:
        verdict = {True: "PASS", False: "MISS", None: "MISS"}[check["met"]]
        value = check["value"] or "row missing"
        console.print(f"{verdict}: {check['check']}: {value} (target {check['target']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=RESULTS / "peers.json")
    parser.add_argument("--size", type=int, default=peer_round.SIZE, help="submissions (even)")
    args = parser.parse_args()
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    tag, _ = warm_lookup(connect())  # builds the image first (untimed) if the sandbox changed
    scratch = Path(tempfile.mkdtemp(prefix="bench-peers-"))
    made = peer_round.submissions(args.size)
    py_round = peer_round.write_py_round(scratch / "py", made)
    nb_round = peer_round.write_notebook_round(scratch / "notebooks", made)
    console.print(f"[dim]round: {scratch}; image {tag}[/]")
    specs: list[tuple[str, str, str, Callable[[], tuple[float, int]]]] = [
        ("host_pytest", "plain pytest on the host (the floor)", "none",
         lambda: host_pytest(py_round)),
        ("docker_pytest", "one `docker run` of pytest per submission", "container, no network",
         lambda: docker_pytest(py_round, tag)),
        ("mlgrade_py_j1", "mlgrade, .py submissions, --jobs 1", "full",
         lambda: mlgrade_batch(py_round, 1, scratch)),
        ("mlgrade_py_j2", "mlgrade, .py submissions, --jobs 2", "full",
         lambda: mlgrade_batch(py_round, 2, scratch)),
        ("mlgrade_nb_j1", "mlgrade, notebook submissions, --jobs 1", "full",
         lambda: mlgrade_batch(nb_round, 1, scratch)),
        ("mlgrade_nb_j2", "mlgrade, notebook submissions, --jobs 2", "full",
         lambda: mlgrade_batch(nb_round, 2, scratch)),
        ("nbgrader", "nbgrader autograde (notebooks)", "none (kernel on the host)",
         lambda: nbgrader_autograde(scratch, made)),
        ("otter", "otter run (notebooks)", "none (kernel on the host)",
         lambda: otter_run(scratch, nb_round)),
    ]  # fmt: skip
    rows = {key: measure(key, grader, sandbox, how) for key, grader, sandbox, how in specs}
    size = len(made)
    report: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "exercise": peer_round.EXERCISE_ID,
        "submissions": size,
        "correct_submissions": sum(s.correct for s in made),
        "image": tag,
        "peer_pins": {name: list(pins) for name, pins in PEERS.items()},
        "rows": [{**asdict(r), "per_submission_s": r.per_submission(size)} for r in rows.values()],
        "checks": checks(rows, size),
        "total_run_s": time.perf_counter() - started,
        # Other work on a shared machine moves every row: the 1-minute load, start and end.
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
    }
    print_report(report)
    shutil.rmtree(scratch, ignore_errors=True)
    console.print(f"whole run {report['total_run_s']:.0f} s; JSON: {write_json(args.json, report)}")


if __name__ == "__main__":
    main()

"""Grading a hiring round with the real CLI and real containers: parallel, resumable,
shardable, and the same results every way."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.catalog import load_exercise
from grader.runner.docker_runner import OWNER_LABEL, labelled_containers

from ..rounds import correctness_bands, make_round

ROOT = Path(__file__).resolve().parents[2]
ROUND_SIZE = 60
SCORED = ("candidate", "exercise_id", "exercise_version", "status", "run_status", "seed",
          "correctness", "limits_hit")  # fmt: skip


def grade_cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def grade_cli_owned(
    *args: str, timeout: float = 900
) -> tuple[subprocess.CompletedProcess[str], str]:
    """``grade_cli``, and the owner label the run's containers carry (host:pid)."""
    with subprocess.Popen(
        [sys.executable, "-m", "grader", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    ) as proc:  # fmt: skip
        stdout, stderr = proc.communicate(timeout=timeout)
    completed = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return completed, f"{socket.gethostname()}:{proc.pid}"


def owned(client, owner: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The sandbox containers of one grader process (never "any new container")."""
    return labelled_containers(client, f"{OWNER_LABEL}={owner}")


def scored(out: Path) -> dict[str, dict]:
    """candidate → the scored fields of its stored grade."""
    results = {}
    for path in sorted((out / "results").glob("*.json")):
        if path.name.endswith(".code.json"):
            continue
        data = json.loads(path.read_text())
        results[data["candidate"]] = {k: data[k] for k in SCORED}
        results[data["candidate"]]["content_hash"] = data["submission"]["content_hash"]
    return results


@pytest.fixture(scope="module")
def full_round(tmp_path_factory, runner):  # type: ignore[no-untyped-def]
    """A round of 60 generated submissions graded once with --jobs 2."""
    base = tmp_path_factory.mktemp("round")
    origins = make_round(base / "subs", ROUND_SIZE)
    proc = grade_cli("batch", str(base / "subs"), "--out", str(base / "out"), "-j", "2")
    assert proc.returncode == 0, proc.stderr
    return base, origins, proc


@pytest.mark.docker
def test_a_round_of_60_grades_end_to_end_with_two_jobs(full_round):  # type: ignore[no-untyped-def]
    base, origins, proc = full_round
    results = scored(base / "out")
    assert len(results) == ROUND_SIZE
    assert f"{ROUND_SIZE} submission(s): {ROUND_SIZE} graded, 0 reused, 0 ungradable" in proc.stdout
    bands = correctness_bands(load_exercise(ROOT / "exercises" / "feature-scaler"))
    for candidate, origin in origins.items():
        low, high = bands[origin]
        assert low <= results[candidate]["correctness"]["score"] <= high, (candidate, origin)
    for report in ("round.html", "round.csv", "round.junit.xml"):
        assert (base / "out" / report).stat().st_size > 0
    assert len((base / "out" / "round.csv").read_text().splitlines()) == ROUND_SIZE + 1


@pytest.mark.docker
def test_a_rerun_reuses_every_result_and_regrades_nothing(full_round):  # type: ignore[no-untyped-def]
    base, _, _ = full_round
    before = scored(base / "out")
    proc = grade_cli("batch", str(base / "subs"), "--out", str(base / "out"), "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert f"0 graded, {ROUND_SIZE} reused" in proc.stdout
    assert scored(base / "out") == before


@pytest.mark.docker
def test_a_killed_batch_resumes_with_identical_results_and_no_duplicate_work(
    full_round, tmp_path, docker_client
):  # type: ignore[no-untyped-def]
    base, _, _ = full_round
    make_round(tmp_path / "subs", 16)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "batch", str(tmp_path / "subs"), "--out", str(out),
               "-j", "2"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(scored(out) if out.exists() else {}) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(scored(out))
    assert 5 <= finished < 16, "the batch should have been killed midway"

    resumed, resumed_owner = grade_cli_owned(
        "batch", str(tmp_path / "subs"), "--out", str(out), "-j", "2"
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{16 - finished} graded, {finished} reused, 0 ungradable" in resumed.stdout
    full = scored(base / "out")
    assert scored(out) == {name: full[name] for name in scored(out)}
    assert len(scored(out)) == 16
    assert not owned(docker_client, f"{socket.gethostname()}:{proc.pid}"), "swept as stale"
    assert not owned(docker_client, resumed_owner)


@pytest.mark.docker
def test_three_shards_merged_equal_a_single_machine_run(full_round, tmp_path):  # type: ignore[no-untyped-def]
    base, _, _ = full_round
    make_round(tmp_path / "subs", 15)
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"shard{k}")
        proc = grade_cli("batch", str(tmp_path / "subs"), "--out", str(shards[-1]),
                         "--shard", f"{k}/3", "-j", "2")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    merged = tmp_path / "merged"
    proc = grade_cli("merge", *map(str, shards), "--into", str(merged))
    assert proc.returncode == 0, proc.stderr
    full = scored(base / "out")
    assert scored(merged) == {f"cand{i:03d}": full[f"cand{i:03d}"] for i in range(15)}
    assert all(scored(s) for s in shards), "every shard graded something"


@pytest.mark.docker
def test_report_rerenders_from_stored_results_without_regrading(full_round, tmp_path):  # type: ignore[no-untyped-def]
    base, _, _ = full_round
    proc = grade_cli("report", str(base / "out"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (base / "out" / "round.csv").read_text()
    proc = grade_cli(
        "report", str(base / "out"), "--format", "junit", "-o", str(tmp_path / "j.xml")
    )
    assert proc.returncode == 0
    assert "<testsuite" in (tmp_path / "j.xml").read_text()

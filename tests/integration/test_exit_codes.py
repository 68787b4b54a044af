"""The exit status of every command family, end to end: a round owns its status once it is
fully written, usage mistakes get the usage code, an interrupt gets 130."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.exitcodes import ExitCode

from .test_batch import ROOT, grade_cli

SCALER = ROOT / "exercises" / "feature-scaler"


def round_folder(base: Path, *, broken: bool) -> Path:
    subs = base / "subs"
    subs.mkdir(parents=True)
    shutil.copytree(SCALER / "solution", subs / "alice")
    shutil.copytree(SCALER / "starter", subs / "bob")
    if broken:
        (subs / "carol.zip").write_bytes(b"PK\x03\x04 this is not a zip archive")
    return subs


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Two small rounds graded once: one with an unreadable archive, one without."""
    base = tmp_path_factory.mktemp("exits")
    done = {}
    for name, broken in (("broken", True), ("clean", False)):
        subs = round_folder(base / name, broken=broken)
        done[name] = (
            base / name / "out",
            grade_cli("batch", str(subs), "--out", str(base / name / "out"), "-e",
                      "feature-scaler", "-j", "2"),
        )  # fmt: skip
    return done


@pytest.mark.docker
def test_a_round_with_an_ungradable_candidate_exits_7_after_writing_everything(rounds):
    out, proc = rounds["broken"]
    assert proc.returncode == ExitCode.UNGRADABLE, proc.stderr
    assert "1 candidate(s) could not be graded" in proc.stderr
    assert "Traceback" not in proc.stderr
    for report in ("round.html", "round.csv", "round.junit.xml"):
        assert (out / report).stat().st_size > 0
    assert len((out / "round.csv").read_text().splitlines()) == 4  # header and three rows
    # Re-rendering the same round keeps its status; 7 wins over --fail-under's 6.
    again = grade_cli("report", str(out), "--format", "csv", "--fail-under", "50")
    assert again.returncode == ExitCode.UNGRADABLE
    assert again.stdout == (out / "round.csv").read_text()


@pytest.mark.docker
def test_fail_under_exits_6_only_when_someone_is_under_it(rounds):
    out, proc = rounds["clean"]
    assert proc.returncode == ExitCode.OK, proc.stderr
    below = grade_cli("report", str(out), "--format", "csv", "--fail-under", "50")
    assert below.returncode == ExitCode.CHECK_FAILED
    assert "1 candidate(s) below --fail-under 50" in below.stderr
    fine = grade_cli("report", str(out), "--format", "csv", "--fail-under", "0")
    assert fine.returncode == ExitCode.OK
    # The item analysis of the same round: every hidden test with its pass rate, in Markdown.
    items = grade_cli("report", str(out), "--items", "--format", "md")
    assert items.returncode == ExitCode.OK, items.stderr
    shown = items.stdout.replace("\\_", "_")  # Markdown escapes underscores
    assert "feature-scaler" in shown and "test_fit_learns_column_means" in shown
    assert "too few candidates" in items.stdout  # two candidates: no discrimination verdict


@pytest.mark.docker
def test_merge_exits_with_the_merged_rounds_status_and_refuses_bad_input(rounds, tmp_path):
    broken, _ = rounds["broken"]
    clean, _ = rounds["clean"]
    merged = grade_cli("merge", str(clean), "--into", str(tmp_path / "one"), "--fail-under", "50")
    assert merged.returncode == ExitCode.CHECK_FAILED, merged.stderr
    overlap = grade_cli("merge", str(clean), str(broken), "--into", str(tmp_path / "two"))
    assert overlap.returncode == ExitCode.USAGE
    assert "in both" in overlap.stderr and "Traceback" not in overlap.stderr
    not_round = grade_cli("merge", str(tmp_path), "--into", str(tmp_path / "three"))
    assert (
        not_round.returncode == ExitCode.USAGE and "not a round output folder" in not_round.stderr
    )


def test_usage_mistakes_get_the_usage_code(tmp_path):
    (tmp_path / "subs").mkdir()
    shard = grade_cli("batch", str(tmp_path / "subs"), "--out", str(tmp_path / "o"),
                      "--shard", "3/2")  # fmt: skip
    assert shard.returncode == ExitCode.USAGE and "--shard" in shard.stderr
    empty = grade_cli("report", str(tmp_path / "subs"))
    assert empty.returncode == ExitCode.USAGE and "holds no results" in empty.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    export = grade_cli("exercises", "export", "feature-scaler", str(tmp_path / "full"))
    assert export.returncode == ExitCode.USAGE and "not empty" in export.stderr
    unknown = grade_cli("exercises", "export", "no-such-exercise", str(tmp_path / "new"))
    assert unknown.returncode == ExitCode.EXERCISE
    assert grade_cli("exercises", "export", "feature-scaler", str(tmp_path / "new")).returncode == 0
    for proc in (shard, empty, export, unknown):
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


@pytest.mark.docker
def test_an_interrupted_round_exits_130(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(12):
        shutil.copytree(SCALER / "solution", subs / f"cand{i:02d}")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "grader", "batch", str(subs), "--out", str(out), "-e",
         "feature-scaler"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / "results").glob("*.json")):
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr

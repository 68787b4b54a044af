"""The `grade` command as a recruiter and a CI job use it: real processes, real containers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader.exitcodes import ExitCode
from grader.reports.markdown import md_escape

from ..conftest import CASES, FIXTURE_EXERCISES

ROOT = Path(__file__).resolve().parents[2]
SCALER = ROOT / "exercises" / "feature-scaler"
EXERCISE_IDS = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/exercise.toml"))


def grade(*args: str, env: dict[str, str] | None = None, timeout: float = 300):
    """Run `python -m grader ARGS` and return the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_help_documents_every_exit_code():
    proc = grade("--help")
    assert proc.returncode == 0
    for code in ExitCode:
        assert f"{code.value}  " in proc.stdout


def test_a_missing_path_is_one_clear_line_and_exit_3(tmp_path):
    proc = grade(str(tmp_path / "nope"))
    assert proc.returncode == ExitCode.SUBMISSION
    assert "error: submission not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unknown_exercise_lists_the_known_ones_and_exits_4(tmp_path):
    proc = grade(str(tmp_path), "--exercise", "no-such-exercise")
    assert proc.returncode == ExitCode.EXERCISE
    assert "unknown exercise 'no-such-exercise'; known: " in proc.stderr
    assert "feature-scaler" in proc.stderr


def test_a_zip_with_parent_entries_is_refused_before_any_container(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("scaler.py", "x = 1\n")
        zf.writestr("../../escaped.py", "print('out')\n")
    proc = grade(str(archive), "--exercise", "feature-scaler", env={"DOCKER_HOST": "unix:///nope"})
    assert proc.returncode == ExitCode.SUBMISSION, proc.stderr
    assert "refused member '../../escaped.py'" in proc.stderr
    assert not (tmp_path.parent / "escaped.py").exists()


def test_an_engine_that_is_not_running_is_one_clear_line_and_exit_5():
    proc = grade(str(SCALER / "solution"), env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert proc.returncode == ExitCode.SANDBOX
    assert "the Docker engine is not reachable" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unrecognisable_submission_asks_for_the_exercise(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    proc = grade(str(tmp_path))
    assert proc.returncode == ExitCode.EXERCISE
    assert "cannot tell which exercise" in proc.stderr
    assert "--exercise" in proc.stderr


def test_exercises_list_shows_the_catalog():
    proc = grade("exercises", "list")
    assert proc.returncode == 0
    assert "feature-scaler" in proc.stdout


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_the_candidate_bundle_carries_nothing_hidden(exercise_id, tmp_path):
    root = ROOT / "exercises" / exercise_id
    bundle = tmp_path / "bundle"
    proc = grade("exercises", "export", exercise_id, str(bundle))
    assert proc.returncode == 0, proc.stderr
    shipped = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"README.md", ".mlgrade-exercise"} <= shipped
    assert not {p.split("/")[0] for p in shipped} & {"hidden", "solution", "samples"}
    public = {p.read_bytes() for p in (root / "starter").rglob("*") if p.is_file()}
    secrets = [
        p.read_bytes()
        for folder in ("hidden", "solution", "samples")
        for p in (root / folder).rglob("*")
        if p.is_file() and p.suffix in {".py", ".md", ".toml"} and p.read_bytes() not in public
    ]
    assert secrets, "the exercise has hidden files to protect"
    for path in bundle.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked = [s for s in secrets if s == data or (len(s) >= 200 and s in data)]
            assert not leaked, f"{path.name} carries hidden content"


@pytest.mark.docker
def test_a_recruiter_grades_an_exported_bundle_without_naming_the_exercise(tmp_path, runner):
    bundle = tmp_path / "candidate"
    assert grade("exercises", "export", "feature-scaler", str(bundle)).returncode == 0
    proc = grade(str(bundle), "--json", str(tmp_path / "grade.json"))
    assert proc.returncode == 0, proc.stderr
    assert "feature-scaler" in proc.stdout
    data = json.loads((tmp_path / "grade.json").read_text())
    assert data["schema"] == "mlgrade.grade/1"
    assert data["exercise_id"] == "feature-scaler"
    assert data["correctness"]["score"] == 0.0  # the untouched starter


@pytest.mark.docker
def test_exercises_validate_grades_each_submission_in_a_prepared_container_and_leaves_none(
    docker_client, runner
):
    def sandboxes() -> set[str]:
        return {
            c.id for c in docker_client.containers.list(all=True, filters={"label": "mlgrade=1"})
        }

    before = sandboxes()
    proc = grade("-v", "exercises", "validate", "feature-scaler")
    assert proc.returncode == 0, proc.stderr
    assert "1 exercise(s) valid" in proc.stdout
    used = [line for line in proc.stderr.splitlines() if line.startswith("grading ")]
    assert len(used) >= 5, proc.stderr  # solution, starter, three samples, ...
    assert "in a new container" in used[0]
    assert all("in the spare container" in line for line in used[1:]), used
    assert sandboxes() <= before, "the spare left after the last grade is removed"


@pytest.mark.docker
def test_fail_under_turns_a_low_score_into_exit_6(runner):
    proc = grade(str(SCALER / "samples" / "weak"), "--fail-under", "90")
    assert proc.returncode == ExitCode.CHECK_FAILED, proc.stderr
    assert "Correctness" in proc.stdout


@pytest.mark.docker
def test_ctrl_c_mid_grade_removes_the_container(docker_client, runner):
    from grader.runner.docker_runner import labelled_containers

    def ours() -> list[str]:
        return [c["Id"] for c in labelled_containers(docker_client)]

    before = set(ours())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "grader",
            "--exercises-dir",
            str(FIXTURE_EXERCISES),
            str(CASES / "loop-at-import" / "submission"),
            "-e",
            "tiny-stats",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not [c for c in ours() if c not in before] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [c for c in ours() if c not in before], "the grade never started a container"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert not [c for c in ours() if c not in before]


@pytest.mark.docker
def test_sandbox_clean_removes_containers_left_by_a_crashed_grader(docker_client, sandbox_image):
    from grader.runner.docker_runner import LABEL, OWNER_LABEL

    leftover = docker_client.containers.create(
        sandbox_image, labels={LABEL: "1", OWNER_LABEL: "crashed-host:1"}
    )
    proc = grade("sandbox", "clean", "--stale")
    assert proc.returncode == 0, proc.stderr
    ids = {c.id for c in docker_client.containers.list(all=True)}
    assert leftover.id not in ids


@pytest.mark.docker
def test_candidate_feedback_never_shows_hidden_tests_inputs_or_expected_values(tmp_path, runner):
    feedback = tmp_path / "feedback.md"
    verdict = tmp_path / "grade.json"
    proc = grade(
        str(SCALER / "samples" / "partial"),
        "--candidate-feedback", str(feedback), "--json", str(verdict),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = feedback.read_text()
    data = json.loads(verdict.read_text())
    failed = [t for t in data["correctness"]["tests"] if t["outcome"] != "passed"]
    assert failed, "the partial sample fails some hidden tests"
    for test in failed:
        assert md_escape(test["description"]) in text  # what it checks, in a recruiter's words
        assert test["id"] not in text
        assert test["reason"] not in text  # assertion messages can carry expected values
        assert test["question"] not in text
    hidden_lines = [
        line.strip()
        for path in (SCALER / "hidden").rglob("*.py")
        for line in path.read_text().splitlines()
        if len(line.strip()) > 25
    ]
    assert not [line for line in hidden_lines if line in text]

"""The `grade` command as a recruiter and a CI job use it: real processes, real containers."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
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


def grade_owned(*args: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run `python -m grader ARGS`; also return the owner label its containers carry."""
    with subprocess.Popen(
        [sys.executable, "-m", "grader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as proc:
        stdout, stderr = proc.communicate(timeout=timeout)
    owner = f"{socket.gethostname()}:{proc.pid}"
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), owner


def owned_by(docker_client, owner: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Ids of the sandbox containers one grader process created (by its owner label)."""
    from grader.runner.docker_runner import OWNER_LABEL, labelled_containers

    return [c["Id"] for c in labelled_containers(docker_client, f"{OWNER_LABEL}={owner}")]


def restore_sigint() -> None:
    """In the child: SIGINT back to the default, even when the test runs with it ignored
    (a background job), so Python installs its KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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
    proc, owner = grade_owned("-v", "exercises", "validate", "feature-scaler")
    assert proc.returncode == 0, proc.stderr
    assert "1 exercise(s) valid" in proc.stdout
    used = [line for line in proc.stderr.splitlines() if line.startswith("grading ")]
    assert len(used) >= 5, proc.stderr  # solution, starter, three samples, ...
    assert "in a new container" in used[0]
    assert all("in the spare container" in line for line in used[1:]), used
    assert not owned_by(docker_client, owner), "the spare left after the last grade is removed"


@pytest.mark.docker
def test_fail_under_turns_a_low_score_into_exit_6(runner):
    proc = grade(str(SCALER / "samples" / "weak"), "--fail-under", "90")
    assert proc.returncode == ExitCode.CHECK_FAILED, proc.stderr
    assert "Correctness" in proc.stdout


@pytest.mark.docker
def test_a_grade_replayed_with_its_seed_on_another_installation_is_the_same(tmp_path, runner):
    partial = str(SCALER / "samples" / "partial")
    assert grade(partial, "--json", str(tmp_path / "here.json")).returncode == 0
    here = json.loads((tmp_path / "here.json").read_text())
    elsewhere = {"MLGRADE_SEED_KEY_FILE": str(tmp_path / "other" / "seed.key")}
    proc = grade(partial, "--json", str(tmp_path / "other.json"), env=elsewhere)
    assert proc.returncode == 0, proc.stderr
    other = json.loads((tmp_path / "other.json").read_text())
    assert other["seed"] != here["seed"], "another installation's key gives another seed"
    replay = ("--seed", str(here["seed"]), "--json", str(tmp_path / "replay.json"))
    assert grade(partial, *replay, env=elsewhere).returncode == 0
    replayed = json.loads((tmp_path / "replay.json").read_text())
    assert replayed["seed"] == here["seed"]
    assert replayed["correctness"] == here["correctness"]


@pytest.mark.docker
def test_ctrl_c_mid_grade_removes_the_container(docker_client, runner):
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
        preexec_fn=restore_sigint,  # only signal.signal: safe between fork and exec
    )
    owner = f"{socket.gethostname()}:{proc.pid}"  # the grade's own label, not any container
    deadline = time.monotonic() + 60
    while not owned_by(docker_client, owner) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert owned_by(docker_client, owner), "the grade never started a container"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    assert not owned_by(docker_client, owner)


@pytest.mark.docker
def test_sandbox_clean_removes_containers_left_by_a_crashed_grader(docker_client, sandbox_image):
    from grader.runner.docker_runner import LABEL, OWNER_LABEL

    leftover = docker_client.containers.create(
        sandbox_image,
        labels={LABEL: "1", OWNER_LABEL: "crashed-host:1", "mlgrade.test": "sandbox-clean"},
    )
    proc = grade("sandbox", "clean", "--stale")
    assert proc.returncode == 0, proc.stderr
    assert not docker_client.containers.list(all=True, filters={"id": leftover.id})


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


def test_report_marks_a_damaged_stored_result_instead_of_crashing(tmp_path):
    from grader.batch import BatchItem, RoundStore, ungradable

    store = RoundStore(tmp_path)
    store.save(ungradable(BatchItem("amy", tmp_path / "amy", "tiny-stats"), "broken zip"), "", {})
    store.save(ungradable(BatchItem("bob", tmp_path / "bob", "tiny-stats"), "broken zip"), "", {})
    (tmp_path / "results" / "bob.json").write_text('{"schema": "mlgrade.grade/1", "seed": ' +
                                                   "9" * 309 + "}")  # fmt: skip
    proc = grade("report", str(tmp_path), "--format", "csv")
    # Rendered in full, then the round's status: both candidates are ungradable.
    assert proc.returncode == 7, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = {line.split(",")[0]: line for line in proc.stdout.splitlines()[1:]}
    assert set(rows) == {"amy", "bob"}
    assert "the stored result could not be read" in rows["bob"]


@pytest.mark.docker
def test_a_round_without_an_exercise_flags_a_submission_of_another_one(tmp_path, runner):
    import shutil

    subs = tmp_path / "subs"
    for name in ("amy", "bob"):
        shutil.copytree(FIXTURE_EXERCISES / "tiny-stats" / "solution", subs / name)
        (subs / name / ".mlgrade-exercise").write_text('id = "tiny-stats"\n')
    shutil.copytree(FIXTURE_EXERCISES / "tiny-tested" / "solution", subs / "eve")
    out = tmp_path / "out"
    proc = grade("--exercises-dir", str(FIXTURE_EXERCISES), "batch", str(subs), "-o", str(out),
                 "-j", "1")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "1 submission(s) flagged as another exercise than the round's" in proc.stdout
    eve = json.loads((out / "results" / "eve.json").read_text())
    assert eve["flags"][0].startswith("another exercise: graded as exercise tiny-tested")
    assert 'data-key="exercise"' in (out / "round.html").read_text()


def test_the_ci_example_declares_the_rounds_exercise():
    text = (ROOT / "examples" / "ci" / "grade-round.yml").read_text()
    batch_lines = [line for line in text.splitlines() if "grade batch" in line]
    assert batch_lines and all("--exercise" in line for line in batch_lines)
    declared = re.search(r"^\s*EXERCISE: (\S+)", text, re.MULTILINE)
    assert declared and declared.group(1) in EXERCISE_IDS

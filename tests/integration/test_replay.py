"""``grade replay`` reproduces a stored grade exactly, and names what changed when the image,
the exercise or the submission is not the one graded."""

from __future__ import annotations

import json
import shutil

import pytest

from grader.exitcodes import ExitCode

from .test_batch import ROOT, grade_cli

PARTIAL = ROOT / "exercises" / "feature-scaler" / "samples" / "partial"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("replay") / "grade.json"
    proc = grade_cli(str(PARTIAL), "--json", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.mark.docker
def test_a_stored_grade_replays_exactly(stored):
    data = json.loads(stored.read_text())
    assert data["image_id"].startswith("sha256:") and data["mlgrade_version"]
    assert len(data["exercise_hash"]) == 16
    proc = grade_cli("replay", str(stored), str(PARTIAL))
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    assert "replayed exactly" in proc.stdout and f"seed {data['seed']}" in proc.stdout


@pytest.mark.docker
def test_another_image_or_package_is_named_as_a_difference(stored, tmp_path):
    data = json.loads(stored.read_text())
    data["image_id"] = "sha256:" + "0" * 64
    data["exercise_hash"] = "feedfacefeedface"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    proc = grade_cli("replay", str(edited), str(PARTIAL))
    assert proc.returncode == ExitCode.CHECK_FAILED
    text = " ".join(proc.stdout.split())
    assert "sandbox image" in text and "exercise package" in text
    assert "2 condition(s) and 0 result(s) differ" in proc.stderr


@pytest.mark.docker
def test_an_edited_exercise_changes_the_replayed_scores(stored, tmp_path):
    shutil.copytree(ROOT / "exercises" / "feature-scaler", tmp_path / "feature-scaler")
    toml = tmp_path / "feature-scaler" / "exercise.toml"
    text = toml.read_text()
    # Weigh every weight-2 test ten times more: the partial sample passes some, fails others.
    edited = text.replace("weight = 2", "weight = 20")
    assert edited != text
    toml.write_text(edited)
    proc = grade_cli("--exercises-dir", str(tmp_path), "replay", str(stored), str(PARTIAL))
    assert proc.returncode == ExitCode.CHECK_FAILED
    shown = " ".join(proc.stdout.split())
    assert "exercise package" in shown and "correctness" in shown


def test_a_file_that_is_not_a_grade_is_a_usage_error(tmp_path):
    bogus = tmp_path / "not-a-grade.json"
    bogus.write_text('{"hello": 1}')
    proc = grade_cli("replay", str(bogus), str(PARTIAL))
    assert proc.returncode == ExitCode.USAGE and "is not a stored grade" in proc.stderr

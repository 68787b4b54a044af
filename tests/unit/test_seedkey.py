"""The hidden-data seed is keyed by a secret installation key, and a grade can be replayed."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

import grader.seedkey
from grader.batch import cache_key
from grader.catalog import Catalog, default_exercises_dir
from grader.errors import SeedKeyError
from grader.grading import grade_submission, grade_workspace
from grader.intake import open_workspace
from grader.model import RunRecord, RunStatus, TestOutcome, TestResult
from grader.seedkey import Seeding, load_or_create_key

CATALOG = Catalog(default_exercises_dir())
SCALER = CATALOG.get("feature-scaler")
KEY_A, KEY_B = b"a" * 32, b"b" * 32


class SeedRecorder:
    """A runner that runs nothing: it passes every test and remembers the seeds it was given."""

    def __init__(self) -> None:
        self.seeds: list[int] = []

    def run(self, exercise, workspace, seed):  # type: ignore[no-untyped-def]
        self.seeds.append(seed)
        results = tuple(TestResult(t.id, TestOutcome.PASSED) for t in exercise.tests)
        return RunRecord(RunStatus.COMPLETED, results, seed=seed)


def test_the_key_file_is_created_on_first_use_private_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "mlgrade" / "seed.key"
    first = load_or_create_key(path)
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_or_create_key(path) == first


def test_tests_use_a_throwaway_key_not_the_users(seed_key_dir: Path) -> None:
    assert grader.seedkey.default_key_path().parent == seed_key_dir
    assert os.environ["MLGRADE_SEED_KEY_FILE"].startswith(str(seed_key_dir))


def test_the_seed_changes_with_the_key_and_is_stable_for_one_key() -> None:
    content = "c0ffee" * 10
    seed_a = Seeding(KEY_A).seed_for(content, SCALER)
    assert Seeding(KEY_A).seed_for(content, SCALER) == seed_a
    assert Seeding(KEY_B).seed_for(content, SCALER) != seed_a


def test_the_seed_is_not_the_hash_of_public_facts() -> None:
    content = "c0ffee" * 10
    public = f"{content}:{SCALER.id}:{SCALER.version}".encode()
    old = int(hashlib.sha256(public).hexdigest()[:8], 16)
    assert Seeding(KEY_A).seed_for(content, SCALER) != old


def test_a_given_seed_is_used_as_it_is() -> None:
    assert Seeding(fixed=12345).seed_for("anything", SCALER) == 12345


def test_a_regrade_with_the_recorded_seed_reproduces_the_grades_seed(tmp_path: Path) -> None:
    submission = SCALER.solution_dir
    runner = SeedRecorder()
    first = grade_submission(submission, CATALOG, runner, seeding=Seeding(KEY_A))
    elsewhere = grade_submission(submission, CATALOG, runner, seeding=Seeding(KEY_B))
    replay = grade_submission(submission, CATALOG, runner, seeding=Seeding(fixed=first.seed))
    assert elsewhere.seed != first.seed
    assert replay.seed == first.seed
    assert runner.seeds == [first.seed, elsewhere.seed, first.seed]


def test_without_a_seeding_a_grade_uses_the_installation_key(seed_key_dir: Path) -> None:
    with open_workspace(SCALER.solution_dir) as workspace:
        grade = grade_workspace(SCALER, workspace, SeedRecorder())
        key = load_or_create_key(grader.seedkey.default_key_path())
        assert grade.seed == Seeding(key).seed_for(workspace.content_hash, SCALER)


def test_batch_cache_keys_are_stable_for_a_key_and_differ_between_keys() -> None:
    with open_workspace(SCALER.solution_dir) as workspace:
        keyed = [
            cache_key(workspace, SCALER, "img", "p", Seeding(key).cache_tag)
            for key in (KEY_A, KEY_A, KEY_B)
        ]
        replayed = cache_key(workspace, SCALER, "img", "p", Seeding(fixed=7).cache_tag)
    assert keyed[0] == keyed[1]
    assert keyed[0] != keyed[2]
    assert replayed not in keyed


def test_the_key_never_shows_in_a_repr_or_a_cache_tag() -> None:
    seeding = Seeding(KEY_A)
    assert "aaaa" not in repr(seeding)
    assert KEY_A.hex() not in seeding.cache_tag and "aaaa" not in seeding.cache_tag


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.key"
    path.write_text(os.urandom(32).hex())
    path.chmod(0o644)
    with pytest.raises(SeedKeyError, match="readable by other users"):
        load_or_create_key(path)


def test_a_key_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text(os.urandom(32).hex())
    target.chmod(0o600)
    (tmp_path / "seed.key").symlink_to(target)
    with pytest.raises(SeedKeyError, match="cannot read"):
        load_or_create_key(tmp_path / "seed.key")


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SeedKeyError):
        Seeding.from_text("short")
    with pytest.raises(SeedKeyError):
        Seeding(fixed=2**40)

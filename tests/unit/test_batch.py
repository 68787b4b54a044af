"""Round bookkeeping without Docker: discovery, manifests, shards, storage and merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.batch import (
    BatchItem,
    RoundStore,
    candidate_name,
    discover,
    merge_rounds,
    read_manifest,
    shard,
    ungradable,
)
from grader.errors import GraderError, IntakeError
from grader.model import GradeStatus


def test_candidate_names_drop_archive_suffixes_and_unsafe_characters():
    assert candidate_name(Path("alice.tar.gz")) == "alice"
    assert candidate_name(Path("Bob Smith (final).zip")) == "Bob_Smith_final"
    assert candidate_name(Path("../..")) == "candidate"


def test_discover_lists_every_entry_sorted(tmp_path):
    for name in ("zed", "amy.zip", ".hidden"):
        (tmp_path / name).mkdir() if "." not in name else (tmp_path / name).write_text("x")
    assert [i.candidate for i in discover(tmp_path)] == ["amy", "zed"]


def test_two_submissions_with_one_name_are_refused(tmp_path):
    (tmp_path / "amy").mkdir()
    (tmp_path / "amy.zip").write_text("x")
    with pytest.raises(IntakeError, match="two submissions map to candidate 'amy'"):
        discover(tmp_path)


def test_a_csv_manifest_maps_candidates_to_submissions_and_exercises(tmp_path):
    (tmp_path / "m.csv").write_text("candidate,submission,exercise\nann,subs/a,feature-scaler\n")
    [item] = read_manifest(tmp_path / "m.csv")
    assert item == BatchItem("ann", tmp_path / "subs" / "a", "feature-scaler")


def test_a_toml_manifest_falls_back_to_the_given_exercise(tmp_path):
    (tmp_path / "m.toml").write_text('[[submissions]]\ncandidate = "ben"\nsubmission = "/x/b"\n')
    [item] = read_manifest(tmp_path / "m.toml", "tiny-stats")
    assert (item.source, item.exercise_id) == (Path("/x/b"), "tiny-stats")


def test_a_manifest_row_without_a_submission_is_named(tmp_path):
    (tmp_path / "m.csv").write_text("candidate,submission\nann,\n")
    with pytest.raises(IntakeError, match="entry 1 needs 'candidate' and 'submission'"):
        read_manifest(tmp_path / "m.csv")


def test_shards_partition_the_round_stably():
    items = [BatchItem(f"c{i}", Path(f"/s/{i}")) for i in range(50)]
    parts = [shard(items, k, 3) for k in (1, 2, 3)]
    names = [i.candidate for part in parts for i in part]
    assert sorted(names) == sorted(i.candidate for i in items)
    assert len(set(names)) == 50
    assert shard(list(reversed(items)), 2, 3) == list(reversed(parts[1]))


def test_a_stored_result_round_trips_with_its_key(tmp_path):
    store = RoundStore(tmp_path)
    grade = ungradable(BatchItem("amy", tmp_path / "amy"), "broken zip")
    store.save(grade, "k1", {"a.py": "x = 1\n"})
    assert store.stored_key("amy") == "k1"
    assert store.load("amy") == grade
    assert store.load("amy").status is GradeStatus.UNGRADABLE
    assert store.code("amy") == {"a.py": "x = 1\n"}
    assert store.candidates() == ["amy"]


def test_merge_refuses_a_candidate_in_two_shards(tmp_path):
    for shard_dir in ("s1", "s2"):
        RoundStore(tmp_path / shard_dir).save(ungradable(BatchItem("amy", tmp_path), "x"), "", {})
    with pytest.raises(GraderError, match="candidate 'amy' is in both"):
        merge_rounds([tmp_path / "s1", tmp_path / "s2"], tmp_path / "merged")


def test_merge_refuses_mixed_exercise_versions(tmp_path):
    for shard_dir, name, version in (("s1", "amy", "1"), ("s2", "ben", "2")):
        store = RoundStore(tmp_path / shard_dir)
        store.save(ungradable(BatchItem(name, tmp_path, "ex"), "x"), "", {})
        path = store.results / f"{name}.json"
        data = json.loads(path.read_text())
        data["exercise_version"] = version
        path.write_text(json.dumps(data))
    with pytest.raises(GraderError, match=r"exercise ex is version 1 in .* but 2 in"):
        merge_rounds([tmp_path / "s1", tmp_path / "s2"], tmp_path / "merged")

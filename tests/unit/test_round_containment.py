"""One candidate never stops a round, and a round knows its exercise: exceptions become the
candidate's ungradable row, damaged stored results are marked rows, and a submission of
another exercise is flagged. The engine is replaced by ``ReplayRunner`` (see tests/fakes.py):
these are the grader's own failure paths, after a container has spoken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.batch import BatchGrader, BatchItem, RoundStore, discover, flag_round
from grader.catalog import Catalog
from grader.model import GradeStatus
from grader.reports.columns import round_columns
from grader.reports.html import round_html
from grader.reports.round_files import write_round_reports
from grader.round_flags import OFF_EXERCISE
from grader.round_store import UNREADABLE

from ..conftest import FIXTURE_EXERCISES
from ..fakes import Recording, ReplayRunner, frame, honest_frame

CATALOG = Catalog(FIXTURE_EXERCISES)


def stats_submission(dest: Path) -> Path:
    """tiny-stats' solution, marked as tiny-stats (stats.py alone also fits tiny-debug)."""
    shutil.copytree(FIXTURE_EXERCISES / "tiny-stats" / "solution", dest)
    (dest / ".mlgrade-exercise").write_text('id = "tiny-stats"\n')
    return dest


def clip_submission(dest: Path) -> Path:
    shutil.copytree(FIXTURE_EXERCISES / "tiny-tested" / "solution", dest)
    return dest


def grader(out: Path, recordings: dict[str, Recording] | None = None) -> BatchGrader:
    return BatchGrader(CATALOG, lambda: ReplayRunner(recordings or {}), "img", RoundStore(out))


def by_name(outcomes):  # type: ignore[no-untyped-def]
    return {o.item.candidate: o.grade for o in outcomes}


def test_an_exception_while_grading_is_that_candidates_row_and_the_round_goes_on(tmp_path):
    for name in ("amy", "bob", "cat"):
        stats_submission(tmp_path / "subs" / name)
    recordings: dict[str, Recording] = {"bob": RuntimeError("engine said something odd")}
    outcomes = grader(tmp_path / "out", recordings).run(discover(tmp_path / "subs"), jobs=2)
    grades = by_name(outcomes)
    assert grades["bob"].status is GradeStatus.UNGRADABLE
    assert "RuntimeError: engine said something odd" in grades["bob"].reason
    assert grades["amy"].correctness and grades["amy"].correctness.score == 100
    assert grades["cat"].correctness and grades["cat"].correctness.score == 100
    assert RoundStore(tmp_path / "out").candidates() == ["amy", "bob", "cat"]


def test_an_engine_error_is_retried_once_and_a_second_one_is_the_candidates_row(tmp_path):
    from grader.errors import SandboxError

    for name in ("amy", "bob", "cat"):
        stats_submission(tmp_path / "subs" / name)
    recordings: dict[str, Recording] = {
        # amy: the engine fails once, then the run is fine; bob: it fails twice.
        "amy": [SandboxError("the sandbox engine failed during the run: 502"), b""],
        "bob": SandboxError("the sandbox engine failed during the run: 500"),
    }
    recordings["amy"][1] = honest_frame(CATALOG.get("tiny-stats"))  # type: ignore[index]
    outcomes = grader(tmp_path / "out", recordings).run(discover(tmp_path / "subs"), jobs=1)
    grades = by_name(outcomes)
    assert grades["amy"].status is GradeStatus.GRADED
    assert grades["amy"].correctness and grades["amy"].correctness.score == 100
    assert grades["bob"].status is GradeStatus.UNGRADABLE
    assert "engine failed during the run: 500" in grades["bob"].reason
    assert grades["cat"].correctness and grades["cat"].correctness.score == 100
    # The round is written in full, bob's row included.
    assert RoundStore(tmp_path / "out").candidates() == ["amy", "bob", "cat"]


def test_a_recursion_error_deep_in_grading_is_contained(tmp_path):
    stats_submission(tmp_path / "subs" / "amy")
    recordings: dict[str, Recording] = {"amy": RecursionError("maximum recursion depth")}
    (grade,) = by_name(grader(tmp_path / "out", recordings).run(
        discover(tmp_path / "subs"), jobs=1)).values()  # fmt: skip
    assert grade.status is GradeStatus.UNGRADABLE
    assert grade.reason.endswith("RecursionError: maximum recursion depth")


def test_a_forged_frame_is_graded_from_what_can_be_trusted(tmp_path):
    stats_submission(tmp_path / "subs" / "amy")
    collected = '{\\"kind\\": \\"collected\\"}'
    forged = (
        f'{{"results": "{collected}", "output_dropped": NaN, "own_tests": {{"runs": 1e999}}, '
        f'"quality": {{"findings": {{"a": 1}}}}, "oom_kills": {"9" * 309}}}'
    )
    outcomes = grader(tmp_path / "out", {"amy": frame(forged)}).run(
        discover(tmp_path / "subs"), jobs=1
    )
    (grade,) = by_name(outcomes).values()
    assert grade.status is GradeStatus.GRADED
    assert grade.correctness is not None and grade.correctness.score == 0


def test_a_result_that_cannot_be_stored_is_still_the_candidates_row(tmp_path, monkeypatch):
    stats_submission(tmp_path / "subs" / "amy")
    batch = grader(tmp_path / "out")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch.store, "save", full_disk)
    (grade,) = by_name(batch.run(discover(tmp_path / "subs"), jobs=1)).values()
    assert grade.status is GradeStatus.UNGRADABLE
    assert "OSError" in grade.reason and "No space left" in grade.reason


@pytest.mark.parametrize(
    "damage",
    ["{not json", '{"schema": "mlgrade.grade/1", "cache_key": "k"}', "[" * 100_000, "null"],
    ids=["not-json", "missing-fields", "deep", "not-an-object"],
)
def test_a_damaged_stored_result_is_a_marked_row_and_is_regraded(tmp_path, damage):
    stats_submission(tmp_path / "subs" / "amy")
    stats_submission(tmp_path / "subs" / "bob")
    out = tmp_path / "out"
    grader(out).run(discover(tmp_path / "subs"), jobs=1)
    (out / "results" / "amy.json").write_text(damage)

    store = RoundStore(out)
    grades = {g.candidate: g for g in store.grades()}
    assert grades["amy"].status is GradeStatus.UNGRADABLE
    assert UNREADABLE in grades["amy"].reason
    assert grades["bob"].status is GradeStatus.GRADED
    flag_round(store, CATALOG)
    write_round_reports(out, list(grades.values()), title="t")
    assert (out / "results" / "amy.json").read_text() == damage, "evidence is left as it was"

    again = by_name(grader(out).run(discover(tmp_path / "subs"), jobs=1))
    assert again["amy"].status is GradeStatus.GRADED
    assert RoundStore(out).load("amy").status is GradeStatus.GRADED


def flags_of(out: Path) -> dict[str, tuple[str, ...]]:
    """candidate → their exercise flags, after the round's flags are computed."""
    store = RoundStore(out)
    flag_round(store, CATALOG)
    return {
        g.candidate: tuple(f for f in g.flags if f.startswith(OFF_EXERCISE)) for g in store.grades()
    }


def test_a_submission_of_another_exercise_is_flagged_in_an_undeclared_round(tmp_path):
    for name in ("amy", "bob"):
        stats_submission(tmp_path / "subs" / name)
    clip_submission(tmp_path / "subs" / "eve")
    grader(tmp_path / "out").run(discover(tmp_path / "subs"), jobs=1)
    flags = flags_of(tmp_path / "out")
    assert flags["amy"] == flags["bob"] == ()
    (off,) = flags["eve"]
    assert "graded as exercise tiny-tested" in off and "round's exercise is tiny-stats" in off


def test_in_a_declared_round_another_exercise_is_graded_as_the_declared_one_and_flagged(tmp_path):
    stats_submission(tmp_path / "subs" / "amy")
    clip_submission(tmp_path / "subs" / "eve")
    outcomes = grader(tmp_path / "out").run(discover(tmp_path / "subs", "tiny-stats"), jobs=1)
    assert {g.exercise_id for g in by_name(outcomes).values()} == {"tiny-stats"}
    flags = flags_of(tmp_path / "out")
    assert not flags["amy"]
    (off,) = flags["eve"]
    assert "its files are exercise tiny-tested" in off and "graded as tiny-stats" in off


def test_a_tie_between_exercises_flags_every_undeclared_submission(tmp_path):
    stats_submission(tmp_path / "subs" / "amy")
    clip_submission(tmp_path / "subs" / "eve")
    grader(tmp_path / "out").run(discover(tmp_path / "subs"), jobs=1)
    flags = flags_of(tmp_path / "out")
    assert all(len(f) == 1 for f in flags.values())


def test_a_manifest_that_declares_each_exercise_flags_nothing(tmp_path):
    stats_submission(tmp_path / "amy")
    clip_submission(tmp_path / "eve")
    items = [BatchItem("amy", tmp_path / "amy", "tiny-stats"),
             BatchItem("eve", tmp_path / "eve", "tiny-tested")]  # fmt: skip
    grader(tmp_path / "out").run(items, jobs=1)
    assert flags_of(tmp_path / "out") == {"amy": (), "eve": ()}


def test_the_exercise_column_shows_in_the_table_only_when_the_round_mixes_exercises(tmp_path):
    stats_submission(tmp_path / "subs" / "amy")
    clip_submission(tmp_path / "subs" / "eve")
    outcomes = grader(tmp_path / "out").run(discover(tmp_path / "subs"), jobs=1)
    mixed = [o.grade for o in outcomes]
    same = [o.grade for o in outcomes if o.item.candidate == "amy"]

    def in_table(grades):  # type: ignore[no-untyped-def]
        return [c.key for c in round_columns(grades) if c.in_table]

    assert "exercise" in in_table(mixed)
    assert "exercise" not in in_table(same)
    assert 'data-key="exercise"' in round_html(mixed)
    assert 'data-key="exercise"' not in round_html(same)

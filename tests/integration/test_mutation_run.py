"""Mutants of a small exercise's reference run through its hidden suite in real containers:
the known kills and survivors, a rerun served from the cache, the time budget, an ignored
function and the record of a full run.

The exercise is the tiny-stats fixture with a guard for empty input that its hidden tests never
reach, and a module-level message table, so that some mutants survive and one breaks the import.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.model import Exercise, RunRecord, Workspace
from grader.mutation import IgnoredTally
from grader.mutation_record import read_record, record_of, write_record
from grader.mutation_report import MutantStatus, MutationReport
from grader.mutation_run import run_mutation
from grader.runner.docker_runner import DockerRunner

pytestmark = pytest.mark.docker

GUARDED_STATS = '''"""Tiny statistics, with a guard the hidden tests never reach."""

EMPTY = "need at least one value"
MESSAGES = {"empty": EMPTY}


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    if len(values) == 0:
        raise ValueError(MESSAGES["empty"])
    return sum(values) / len(values)


def variance(values: list[float]) -> float:
    """Population variance (ddof=0)."""
    centre = mean(values)
    return sum((v - centre) ** 2 for v in values) / len(values)
'''


class CountingRunner:
    """A real Docker runner that counts its runs (a wrapper, not a stand-in)."""

    def __init__(self, inner: DockerRunner, counter: list[int], lock: threading.Lock) -> None:
        self.inner, self.counter, self.lock = inner, counter, lock
        self.image = inner.image
        self.image_for = inner.image_for

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        with self.lock:
            self.counter[0] += 1
        return self.inner.run(exercise, workspace, seed)

    def keep_spare(self) -> None:
        self.inner.keep_spare()

    def close(self) -> None:
        self.inner.close()


def counting_factory(runner: DockerRunner) -> tuple[Callable[[], CountingRunner], list[int]]:
    counter, lock = [0], threading.Lock()

    def factory() -> CountingRunner:
        fresh = DockerRunner(runner.client, runner.image, image_for=runner.image_for)
        return CountingRunner(fresh, counter, lock)

    return factory, counter


@pytest.fixture(scope="module")
def guarded_exercise(tmp_path_factory: pytest.TempPathFactory) -> Exercise:
    root = tmp_path_factory.mktemp("mutation-exercises")
    shutil.copytree(Path("tests/exercises/tiny-stats"), root / "tiny-stats")
    (root / "tiny-stats/solution/stats.py").write_text(GUARDED_STATS)
    return Catalog(root).get("tiny-stats")


@pytest.fixture(scope="module")
def first_run(
    guarded_exercise: Exercise, runner: DockerRunner, tmp_path_factory: pytest.TempPathFactory
) -> tuple[MutationReport, int, Path]:
    cache = tmp_path_factory.mktemp("mutation-cache")
    factory, counter = counting_factory(runner)
    report = run_mutation(guarded_exercise, factory, cache, jobs=2)
    return report, counter[0], cache


def _status(report: MutationReport, line: int, description: str) -> MutantStatus:
    (result,) = [
        r
        for r in report.results
        if r.mutant.line == line and r.mutant.description.startswith(description)
    ]
    return result.status


@pytest.mark.usefixtures("no_leftover_containers")
def test_every_mutant_runs_and_the_known_ones_die_or_survive(
    first_run: tuple[MutationReport, int, Path],
) -> None:
    report, runs, _ = first_run
    assert runs == len(report.results) == len(report.generated) == 16
    assert _status(report, 3, "`EMPTY = ") is MutantStatus.CRASHED  # the import fails
    assert _status(report, 4, "`MESSAGES = ") is MutantStatus.SURVIVED
    assert _status(report, 9, "`0` became `1`") is MutantStatus.SURVIVED  # empty never tested
    assert _status(report, 9, "`0` became `-1`") is MutantStatus.SURVIVED
    assert _status(report, 9, "`==` became `!=`") is MutantStatus.KILLED
    assert _status(report, 17, "`**` became `*`") is MutantStatus.KILLED
    assert _status(report, 16, "`centre = ") is MutantStatus.KILLED
    assert report.kill_rate == pytest.approx(100 * 13 / 16, abs=0.1)
    kills = {g.id: g.killed for g in report.group_kills()}
    assert kills == {"mean": 5, "variance": 13}


@pytest.mark.usefixtures("no_leftover_containers")
def test_a_rerun_after_no_change_starts_no_container(
    first_run: tuple[MutationReport, int, Path], guarded_exercise: Exercise, runner: DockerRunner
) -> None:
    report, _, cache = first_run
    factory, counter = counting_factory(runner)
    again = run_mutation(guarded_exercise, factory, cache, jobs=2)
    assert counter[0] == 0
    assert all(r.cached for r in again.results)
    assert [(r.mutant.id, r.status) for r in again.results] == [
        (r.mutant.id, r.status) for r in report.results
    ]


@pytest.mark.usefixtures("no_leftover_containers")
def test_mutants_past_the_budget_are_not_run_and_not_counted(
    guarded_exercise: Exercise, runner: DockerRunner, tmp_path: Path
) -> None:
    factory, counter = counting_factory(runner)
    report = run_mutation(guarded_exercise, factory, tmp_path, jobs=2, budget=1.5)
    not_run = [r for r in report.results if r.status is MutantStatus.NOT_RUN]
    assert not_run and counter[0] + len(not_run) == 16
    assert all(r.reason == "not run: budget" and not r.killed for r in not_run)
    assert report.counted == counter[0]
    assert not list(tmp_path.glob("mutants/*.json"))[counter[0] :]  # only what ran is stored


@pytest.mark.usefixtures("no_leftover_containers")
def test_an_ignored_function_is_left_out_and_the_record_is_rewritten_identically(
    first_run: tuple[MutationReport, int, Path], runner: DockerRunner, tmp_path: Path
) -> None:
    report, _, cache = first_run
    shutil.copytree(Path("tests/exercises/tiny-stats"), tmp_path / "tiny-stats")
    (tmp_path / "tiny-stats/solution/stats.py").write_text(GUARDED_STATS)
    hidden = tmp_path / "tiny-stats/hidden"
    (hidden / "equivalent-mutants.toml").write_text(
        '[[ignore]]\nfunction = "variance"\nreason = "never graded"\n'
    )
    exercise = Catalog(tmp_path).get("tiny-stats")
    factory, counter = counting_factory(runner)
    ignoring = run_mutation(exercise, factory, cache, jobs=2)
    in_variance = [r for r in report.results if r.mutant.line >= 16]
    assert counter[0] == 0  # the other mutants are unchanged, so all come from the cache
    assert ignoring.ignored == (IgnoredTally("variance", "never graded", len(in_variance)),)
    assert len(ignoring.generated) == 16 - len(in_variance)
    first = write_record(hidden, record_of(ignoring), "tiny-stats").read_bytes()
    again = run_mutation(exercise, factory, cache, jobs=2)
    assert write_record(hidden, record_of(again), "tiny-stats").read_bytes() == first
    record = read_record(hidden)
    assert record is not None and record.ignored == len(in_variance)

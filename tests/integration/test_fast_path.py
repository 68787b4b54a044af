"""The fast path with the real engine: a runner that keeps a spare container still grades each
submission in a fresh container of its own, never runs the harness before the job is there,
and leaves no container behind — after close, after a batch, and after a Ctrl-C."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from grader.batch import BatchGrader, RoundStore, discover
from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_workspace
from grader.intake import open_workspace
from grader.model import Grade
from grader.runner.docker_runner import (
    OWNER_LABEL,
    DockerRunner,
    labelled_containers,
    owner_id,
)

from ..rounds import correctness_bands

pytestmark = pytest.mark.docker
LOGGER = "grader.runner.docker_runner"
BANDS = {
    origin: band
    for origin, band in correctness_bands(
        Catalog(default_exercises_dir()).get("feature-scaler")
    ).items()
    if origin in ("solution", "starter", "samples/partial", "samples/weak")
}
"""feature-scaler's sources and the correctness each must score (from exercise.toml)."""


def small_round(catalog: Catalog, dest: Path, size: int) -> dict[str, str]:
    """``size`` feature-scaler submissions in ``dest``; candidate → the source it copies."""
    root = catalog.get("feature-scaler").root
    origins = {f"cand{i}": list(BANDS)[i % len(BANDS)] for i in range(size)}
    for name, origin in origins.items():
        shutil.copytree(root / origin, dest / name, ignore=shutil.ignore_patterns("*.md"))
    return origins


def mine(client: docker.DockerClient) -> list[str]:
    """Ids of the mlgrade containers this test process owns."""
    return [c["Id"] for c in labelled_containers(client, f"{OWNER_LABEL}={owner_id()}")]


def used_containers(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """(how the container was obtained, its short id) for each grade, from the runner's log."""
    return [
        (str(r.args[1]), str(r.args[2]))
        for r in caplog.records
        if r.name == LOGGER and r.msg.startswith("grading ") and isinstance(r.args, tuple)
    ]


def grade(runner: DockerRunner, catalog: Catalog, exercise_id: str, source: Path) -> Grade:
    exercise = catalog.get(exercise_id)
    with open_workspace(source) as workspace:
        return grade_workspace(exercise, workspace, runner)


def score(graded: Grade) -> float:
    assert graded.correctness is not None, graded.reason
    return graded.correctness.score


@pytest.fixture
def spare_runner(
    no_leftover_containers: None,
    docker_client: docker.DockerClient,
    sandbox_image: str,
    caplog: pytest.LogCaptureFixture,
) -> Iterator[DockerRunner]:
    """A runner with the fast path on; closed (and checked clean) after the test."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    runner = DockerRunner(docker_client, sandbox_image)
    runner.keep_spare()
    yield runner
    runner.close()


def test_consecutive_grades_each_get_a_fresh_container_the_second_prepared_during_the_first(
    spare_runner, docker_client, catalog, caplog
):  # type: ignore[no-untyped-def]
    scaler = catalog.get("feature-scaler")
    first = grade(spare_runner, catalog, "feature-scaler", scaler.solution_dir)
    waiting = mine(docker_client)
    assert len(waiting) == 1, "a spare should wait for the next grade"
    top = docker_client.api.top(waiting[0])
    command = top["Titles"].index("CMD")
    commands = [process[command] for process in top["Processes"]]
    assert len(commands) == 1, f"only the supervisor waits, nothing else runs: {commands}"
    assert commands[0].endswith("/harness/supervise.py")
    spare = docker_client.containers.get(waiting[0])
    assert spare.logs() == b""
    assert spare.exec_run(["ls", "-A", "/grader"]).output == b"", "a spare holds no inputs"

    second = grade(spare_runner, catalog, "feature-scaler", scaler.root / "samples" / "partial")

    assert score(first) == 100
    low, high = BANDS["samples/partial"]
    assert low <= score(second) <= high
    (how_first, first_id), (how_second, second_id) = used_containers(caplog)
    assert (how_first, how_second) == ("a new", "the spare")
    assert first_id != second_id
    assert waiting[0].startswith(second_id)
    assert waiting[0] not in mine(docker_client), "a used spare is removed, never reused"
    spare_runner.close()
    assert not mine(docker_client)


def test_a_spare_with_other_limits_is_removed_and_a_new_container_used(
    spare_runner, docker_client, catalog, caplog
):  # type: ignore[no-untyped-def]
    # feature-scaler runs with 512 MB, debug-training with 1024 MB.
    scaler = grade(
        spare_runner, catalog, "feature-scaler", catalog.get("feature-scaler").solution_dir
    )
    (spare,) = mine(docker_client)
    debug = grade(
        spare_runner, catalog, "debug-training", catalog.get("debug-training").solution_dir
    )

    assert score(scaler) == 100 and score(debug) == 100
    assert [how for how, _ in used_containers(caplog)] == ["a new", "a new"]
    assert spare not in mine(docker_client)
    spare_runner.close()
    assert not mine(docker_client)


def test_a_spare_that_died_while_waiting_is_not_used(spare_runner, docker_client, catalog, caplog):  # type: ignore[no-untyped-def]
    solution = catalog.get("feature-scaler").solution_dir
    grade(spare_runner, catalog, "feature-scaler", solution)
    (spare,) = mine(docker_client)
    docker_client.api.kill(spare)

    again = grade(spare_runner, catalog, "feature-scaler", solution)

    assert score(again) == 100
    assert [how for how, _ in used_containers(caplog)] == ["a new", "a new"]
    assert spare not in mine(docker_client)


def test_a_closed_runner_grades_without_a_spare(spare_runner, docker_client, catalog):  # type: ignore[no-untyped-def]
    spare_runner.close()
    graded = grade(
        spare_runner, catalog, "feature-scaler", catalog.get("feature-scaler").solution_dir
    )
    assert score(graded) == 100
    assert not mine(docker_client)


def batch(docker_client, sandbox_image, catalog, out: Path) -> BatchGrader:  # type: ignore[no-untyped-def]
    return BatchGrader(
        catalog, lambda: DockerRunner(docker_client, sandbox_image), sandbox_image, RoundStore(out)
    )


def test_a_batch_grades_correctly_with_spares_and_removes_them_when_it_ends(
    no_leftover_containers, docker_client, sandbox_image, catalog, tmp_path
):  # type: ignore[no-untyped-def]
    origins = small_round(catalog, tmp_path / "subs", 8)
    outcomes = batch(docker_client, sandbox_image, catalog, tmp_path / "out").run(
        discover(tmp_path / "subs", "feature-scaler"), jobs=2
    )
    assert len(outcomes) == 8
    for outcome in outcomes:
        low, high = BANDS[origins[outcome.item.candidate]]
        assert low <= score(outcome.grade) <= high, outcome.item.candidate
    assert not mine(docker_client)


def test_a_batch_interrupted_by_ctrl_c_leaves_no_container(
    no_leftover_containers, docker_client, sandbox_image, catalog, tmp_path
):  # type: ignore[no-untyped-def]
    small_round(catalog, tmp_path / "subs", 8)

    def interrupt(outcome: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch(docker_client, sandbox_image, catalog, tmp_path / "out").run(
            discover(tmp_path / "subs", "feature-scaler"), jobs=2, on_done=interrupt
        )
    assert not mine(docker_client)

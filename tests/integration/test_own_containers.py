"""The candidate's own tests dealt over containers (runner/own_containers.py), in real ones:
any number of containers gives the same score, the others carry the grade's labels and are
gone when it ends, and a grade interrupted by Ctrl-C leaves none of them behind."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.runner.docker_runner import OWNER_LABEL, DockerRunner, labelled_containers, owner_id

CASES = Path(__file__).resolve().parents[1] / "score_cases"
SHARE_LABEL = "mlgrade.own-tests=share"


def mine(docker_client, *more: str) -> list:  # type: ignore[no-untyped-def]
    return labelled_containers(docker_client, f"{OWNER_LABEL}={owner_id()}", *more)


@pytest.mark.docker
@pytest.mark.parametrize("containers", [1, 3])
def test_the_score_does_not_depend_on_how_many_containers_share_the_runs(
    containers, docker_client, sandbox_image, fixture_catalog, no_leftover_containers
):  # type: ignore[no-untyped-def]
    # A wrong test that runs first: every run stops at failures, the reference's included.
    runner = DockerRunner(docker_client, sandbox_image, own_containers=containers)
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(c["Id"] for c in mine(docker_client, SHARE_LABEL))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        grade = grade_submission(
            CASES / "tests-wrong-first" / "submission",
            fixture_catalog,
            runner,
            exercise_id="tiny-tested",
        )
    finally:
        done.set()
        watcher.join()
        runner.close()
    assert grade.own_tests is not None
    assert grade.own_tests.score == 80.0, grade.own_tests.reason
    assert [t.split("::")[-1] for t in grade.own_tests.wrong_tests] == ["test_a_wrong_expectation"]
    assert len(seen) == containers - 1
    assert not mine(docker_client, SHARE_LABEL)


@pytest.mark.docker
def test_a_grade_interrupted_while_its_shares_run_leaves_no_container(
    docker_client, sandbox_image, fixture_catalog, no_leftover_containers
):  # type: ignore[no-untyped-def]
    runner = DockerRunner(docker_client, sandbox_image, own_containers=3)
    main = threading.main_thread().ident
    assert main is not None

    def ctrl_c_once_a_share_runs() -> None:
        # Once the grading container exists too: a Ctrl-C inside the engine's create call
        # can leave the container it was making (the next round's start sweeps it).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            labels = [c["Labels"] for c in mine(docker_client)]
            if len(labels) >= 3 and any("mlgrade.own-tests" not in x for x in labels):
                break
            time.sleep(0.02)
        time.sleep(0.2)
        signal.pthread_kill(main, signal.SIGINT)

    presser = threading.Thread(target=ctrl_c_once_a_share_runs)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            grade_submission(
                CASES / "tests-catch-all" / "submission",
                fixture_catalog,
                runner,
                exercise_id="tiny-tested",
            )
    finally:
        presser.join()
        runner.close()
    assert not mine(docker_client)

"""Stale sandbox containers (their grader process is gone) are swept when a round ends, not
only when it starts: a spare whose creation was in flight when an earlier round was killed
can appear after the first sweep. Real containers, identified by a label this test sets."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import docker
import pytest

from grader.runner.docker_runner import (
    LABEL,
    OWNER_LABEL,
    OWNER_STARTED_LABEL,
    clean_containers,
    labelled_containers,
    process_started,
)

from ..conftest import CASES, FIXTURE_EXERCISES

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
TEST_LABEL = "mlgrade.test"


def dead_owner() -> str:
    """The owner label of a grader process that has exited."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}"


def leftovers(client: docker.DockerClient, sandbox_image: str, tag: str) -> dict[str, str]:
    """Containers a killed round could leave: created only, waiting on stdin, exited; and
    one whose owner PID is alive but belongs to another process now. State → id."""
    labels = {LABEL: "1", OWNER_LABEL: dead_owner(), TEST_LABEL: tag}
    made = {}
    made["created"] = client.containers.create(sandbox_image, labels=labels).id
    waiting = client.containers.create(sandbox_image, labels=labels, stdin_open=True)
    waiting.start()
    made["waiting"] = waiting.id
    exited = client.containers.create(sandbox_image, labels=labels, entrypoint=["true"])
    exited.start()
    exited.wait(timeout=30)
    made["exited"] = exited.id
    reused = {**labels, OWNER_LABEL: f"{socket.gethostname()}:{os.getpid()}",
              OWNER_STARTED_LABEL: "1"}  # fmt: skip
    made["pid-reused"] = client.containers.create(sandbox_image, labels=reused).id
    return made


def tagged(client: docker.DockerClient, tag: str) -> list[str]:
    return [c["Id"] for c in labelled_containers(client, f"{TEST_LABEL}={tag}")]


def test_a_round_sweeps_stale_containers_that_appear_while_it_runs(
    docker_client, sandbox_image, tmp_path
):  # type: ignore[no-untyped-def]
    subs = tmp_path / "subs"
    shutil.copytree(CASES / "loop-at-import" / "submission", subs / "looper")
    command = [sys.executable, "-m", "grader", "--exercises-dir", str(FIXTURE_EXERCISES),
               "batch", str(subs), "-o", str(tmp_path / "out"), "-e", "tiny-stats"]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    owner = f"{socket.gethostname()}:{proc.pid}"
    deadline = time.monotonic() + 120
    while not labelled_containers(docker_client, f"{OWNER_LABEL}={owner}"):
        assert time.monotonic() < deadline and proc.poll() is None, "the round never graded"
        time.sleep(0.2)
    tag = uuid.uuid4().hex
    made = leftovers(docker_client, sandbox_image, tag)  # after the round's start-up sweep
    assert sorted(tagged(docker_client, tag)) == sorted(made.values())

    stdout, stderr = proc.communicate(timeout=180)

    assert proc.returncode == 0, stderr
    assert "1 submission(s)" in stdout
    assert not tagged(docker_client, tag), "stale containers outlived the round"
    assert not labelled_containers(docker_client, f"{OWNER_LABEL}={owner}")


def test_a_container_whose_owner_pid_now_belongs_to_another_process_is_stale(
    docker_client, sandbox_image
):  # type: ignore[no-untyped-def]
    tag = uuid.uuid4().hex
    mine = f"{socket.gethostname()}:{os.getpid()}"
    labels = {LABEL: "1", OWNER_LABEL: mine, TEST_LABEL: tag}
    live = docker_client.containers.create(
        sandbox_image, labels={**labels, OWNER_STARTED_LABEL: process_started(os.getpid())}
    )
    reused = docker_client.containers.create(
        sandbox_image, labels={**labels, OWNER_STARTED_LABEL: "1"}
    )
    try:
        clean_containers(docker_client, stale_only=True)
        assert tagged(docker_client, tag) == [live.id]
        assert reused.id not in tagged(docker_client, tag)
    finally:
        live.remove(force=True)

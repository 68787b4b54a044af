"""The Docker implementation of the runner: one fresh, locked-down container per grade.

Starting a container is the largest fixed cost of a grade (about 0.17 s of CPU on the
development machine, see benchmarks/). So every container is started *before* its job
exists: its supervisor (PID 1) waits, without using CPU, for the inputs on its stdin. The
host sends them through one attach: a header line and one tar of the job, the submission and
the hidden tests, which the supervisor unpacks into a tmpfs where only root may read the job
and the tests. That lets a runner that grades many submissions (``keep_spare``) start the
next run's container in the background while the current one runs; each container still
serves exactly one grade. The container has no network, a read-only root, tmpfs work dirs
and resource limits, and is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import docker
import docker.errors
import requests.exceptions
from docker.models.containers import Container
from docker.types import LogConfig, Ulimit

from grader.errors import EngineUnavailableError, SandboxError
from grader.model import Exercise, Limits, RunRecord, Workspace
from grader.notebooks import plan_notebook
from grader.runner.engine import remove, send_inputs, signal_container, wait, waiting
from grader.runner.inputs import grade_labels, input_archive
from grader.runner.own_containers import OwnTestsContainers, cores
from grader.runner.protocol import ContainerExit, parse_run, phase_budgets
from grader.runner.stale import (  # re-exported: the sweep's names, where callers look
    LABEL,
    OWNER_LABEL,
    OWNER_STARTED_LABEL,
    clean_containers,
    labelled_containers,
    owner_id,
    process_started,
    sweep_stale,
)

__all__ = [
    "LABEL", "OWNER_LABEL", "OWNER_STARTED_LABEL", "DockerRunner", "clean_containers",
    "connect", "labelled_containers", "owner_id", "process_started", "sweep_stale",
]  # fmt: skip

log = logging.getLogger(__name__)

SUPERVISOR_USER = "0:0"
"""Root, but with every capability dropped except SETUID, SETGID (to start the candidate
process as the unprivileged user) and KILL (to stop it)."""
CANDIDATE_UID = 10001
LOG_CAP_BYTES = 8 * 1024 * 1024
INPUTS_MB = 128
"""Size of the ``/grader`` tmpfs the inputs are unpacked into (intake caps a submission at
50 MB); the files count towards the container's memory."""
GO_SIGNAL = "SIGUSR1"
"""Tells the grading container's supervisor that the other own-tests containers have ended."""
WARM_ENV = "MLGRADE_WARM"
"""Tells a spare's supervisor to start a notebook kernel while it waits (harness warm.py)."""


def connect() -> docker.DockerClient:
    """A client for the local engine, or a clear error saying how to start one."""
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise EngineUnavailableError(
            "the Docker engine is not reachable",
            hint="start it (e.g. `sudo systemctl start docker`, or `dockerd &` as root) "
            "and check `docker info`",
        ) from exc
    return client


Shape = tuple[str, int, float, int, int]


def container_shape(image: str, limits: Limits) -> Shape:
    """The image and limits a container is created with; a spare fits any run of that shape."""
    return (image, limits.memory_mb, limits.cpus, limits.pids, limits.workdir_mb)


class DockerRunner:
    """Runs hidden tests in a fresh container per call (implements ``SpareRunner``).

    One runner serves one thread at a time (a batch gives each worker its own).
    """

    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        *,
        runtime: str | None = None,
        image_for: Callable[[Exercise], str] | None = None,
        own_containers: int | None = None,
    ) -> None:
        self.client = client
        self.image = image
        """The sandbox image; an exercise with extra requirements runs on its own layer."""
        self.image_for = image_for
        """The image an exercise runs in (None: always ``image``)."""
        self.runtime = runtime
        """An OCI runtime such as gVisor's ``runsc`` for a stronger boundary, where installed."""
        self._preparer: ThreadPoolExecutor | None = None
        self._spare: tuple[Shape, Future[Container]] | None = None
        self._image_ids: dict[str, str] = {}
        self.own_tests = OwnTestsContainers(self._contain, own_containers or cores())
        """Containers a grade's own-tests runs are dealt over (one CPU each)."""
        self._live: set[Container] = set()
        self._live_lock = threading.Lock()
        self._abandoned = False
        """The grade was given up: an own-tests container created after that goes at once."""

    def share_cores(self, workers: int) -> None:
        """A batch runs ``workers`` grades at once: each deals its own tests over its share
        of the CPUs (one container when every CPU already has a grade)."""
        self.own_tests.use(cores() // max(1, workers))

    def keep_spare(self) -> None:
        """During each run, start a container for the next run in the background."""
        if self._preparer is None:
            self._preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlgrade-spare")

    def close(self) -> None:
        """Stop preparing spares and remove the one that is waiting, if any."""
        preparer, self._preparer = self._preparer, None
        spare, self._spare = self._spare, None
        self.own_tests.close()
        if spare is not None:
            with contextlib.suppress(SandboxError):
                remove(spare[1].result())
        if preparer is not None:
            preparer.shutdown(wait=True)

    def _create(
        self,
        image: str,
        limits: Limits,
        labels: dict[str, str],
        environment: dict[str, str] | None = None,
    ) -> Container:
        """A new locked-down container that will wait for its job once started."""
        size = f"size={limits.workdir_mb}m,nosuid,nodev"
        tmpfs = {
            "/work": f"{size},uid={CANDIDATE_UID},gid={CANDIDATE_UID}",
            "/tmp": f"{size},mode=1777",
            "/judge": "size=64m,mode=0700,nosuid,nodev",
            "/grader": f"size={INPUTS_MB}m,mode=0755,nosuid,nodev",
        }
        try:
            return self.client.containers.create(
                image,
                detach=True,
                network_mode="none",
                user=SUPERVISOR_USER,
                read_only=True,
                tmpfs=tmpfs,
                mem_limit=f"{limits.memory_mb}m",
                memswap_limit=f"{limits.memory_mb}m",
                nano_cpus=int(limits.cpus * 1e9),
                pids_limit=limits.pids,
                cap_drop=["ALL"],
                cap_add=["SETUID", "SETGID", "KILL"],
                security_opt=["no-new-privileges:true"],
                ulimits=[Ulimit(name="core", soft=0, hard=0)],
                log_config=LogConfig(type="json-file", config={"max-size": "8m", "max-file": "1"}),
                labels={
                    LABEL: "1",
                    OWNER_LABEL: owner_id(),
                    OWNER_STARTED_LABEL: process_started(os.getpid()),
                    **labels,
                },
                hostname="sandbox",
                environment=environment,
                # Only the host writes here, once: the inputs. The supervisor then puts
                # stdin on /dev/null for itself and everything it starts.
                stdin_open=True,
                **({"runtime": self.runtime} if self.runtime else {}),
            )
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(
                f"sandbox image {image} is missing", hint="run `grade sandbox build`"
            ) from exc
        except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
            raise SandboxError(f"could not create a sandbox container: {exc}") from exc

    def _start(self, container: Container) -> Container:
        try:
            container.start()
        except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
            remove(container)
            raise SandboxError(f"could not start a sandbox container: {exc}") from exc
        return container

    def _prepare_spare(self, image: str, limits: Limits, warm: bool = False) -> None:
        """Start the next grade's container now; ``warm``: expecting a notebook (the grade
        being run is one), its supervisor starts a kernel while it waits (sandbox/warm.py)."""
        if self._preparer is not None and self._spare is None:
            env = {WARM_ENV: "notebook"} if warm else None
            future = self._preparer.submit(
                lambda: self._start(self._create(image, limits, {}, env))
            )
            self._spare = (container_shape(image, limits), future)

    def _take_spare(self, image: str, limits: Limits) -> Container | None:
        """The waiting spare if it fits these limits and still waits; otherwise remove it."""
        if self._spare is None:
            return None
        shape, future = self._spare
        try:
            container = future.result()  # interrupted here, the spare stays for close()
        except SandboxError as exc:
            log.warning("could not prepare a spare sandbox: %s", exc)
            return None
        finally:
            if future.done():
                self._spare = None
        if shape == container_shape(image, limits) and waiting(container):
            return container
        remove(container)
        return None

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        """Grade in one fresh container; the container is removed even on Ctrl-C."""
        timings: list[tuple[str, float]] = []
        clock = time.monotonic()

        def lap(phase: str) -> None:
            nonlocal clock
            now = time.monotonic()
            timings.append((phase, round(now - clock, 4)))
            clock = now

        image = self._image_of(exercise)
        container = pending = None
        self._abandoned = False
        try:
            # The other own-tests containers start first: they have the most to do.
            pending = self.own_tests.begin(exercise, workspace, seed)
            archive = input_archive(exercise, workspace, seed, pending.first if pending else None)
            lap("archive")
            container = self._take_spare(image, exercise.limits)
            fresh = container is None
            if container is None:
                labels = grade_labels(exercise, workspace)
                container = self._create(image, exercise.limits, labels)
            lap("create" if fresh else "spare")
            log.info(
                "grading %s in %s container %s",
                workspace.content_hash[:16],
                "a new" if fresh else "the spare",
                container.short_id,
            )
            if fresh:
                container.start()
                lap("start")
            started = time.monotonic()
            send_inputs(self.client, container, archive)
            lap("copy_in")
            # A notebook now: the next grade on this worker is likely one too.
            notebook = plan_notebook(exercise, workspace) is not None
            self._prepare_spare(image, exercise.limits, warm=notebook)
            # The harness plans to finish well inside this (see PhaseBudgets); the host's kill
            # only matters if the supervisor itself is stuck.
            bound = started + phase_budgets(exercise).grade
            if pending is not None and pending.others:
                # The own run waits for this word: every other container has ended.
                self.own_tests.others_done(pending, bound - time.monotonic())
                signal_container(container, GO_SIGNAL)
            killed = wait(container, max(0.1, bound - time.monotonic()))
            duration = time.monotonic() - started
            lap("run")
            logs = container.logs(stdout=True, stderr=False)[-LOG_CAP_BYTES:]
            container.reload()
            state = container.attrs.get("State", {})
            lap("copy_out")
        except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
            self._abandon()
            raise SandboxError(f"the sandbox engine failed during the run: {exc}") from exc
        except BaseException:  # Ctrl-C, or no container: the own-tests containers go too
            self._abandon()
            raise
        finally:
            if container is not None:
                remove(container)
        lap("remove")
        exit_info = ContainerExit(
            logs=logs,
            exit_code=state.get("ExitCode"),
            oom_killed=bool(state.get("OOMKilled")),
            killed_at_deadline=killed,
            duration_s=duration,
        )
        record = parse_run(exercise, exit_info, image=image, seed=seed)
        if pending is not None:
            try:
                runs = self.own_tests.finish(exercise, pending, record)
            finally:
                self._abandon()  # only one still running past the grade's bound is left
            record = replace(record, own_test_runs=runs)
            lap("own_tests_settled")
        return replace(record, image_id=self._image_id(image), timings=(*timings, *record.timings))

    def _contain(
        self, exercise: Exercise, archive: bytes, labels: dict[str, str], bound: float
    ) -> bytes:
        """One container for a share of the own-tests runs (in a worker thread): its stdout."""
        container = self._create(self._image_of(exercise), exercise.limits, labels)
        with self._live_lock:  # before it starts: an interrupted grade must find it
            self._live.add(container)
        try:
            if self._abandoned:
                raise SandboxError("the grade was given up")
            self._start(container)
            send_inputs(self.client, container, archive)
            wait(container, bound)
            return bytes(container.logs(stdout=True, stderr=False)[-LOG_CAP_BYTES:])
        except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
            raise SandboxError(f"the sandbox engine failed: {exc}") from exc
        finally:
            remove(container)
            with self._live_lock:
                self._live.discard(container)

    def _image_of(self, exercise: Exercise) -> str:
        return self.image_for(exercise) if self.image_for else self.image

    def _abandon(self) -> None:
        """Remove every own-tests container still running (their threads then end)."""
        with self._live_lock:
            self._abandoned = True
            live = list(self._live)
        for container in live:
            remove(container)

    def _image_id(self, image: str) -> str:
        """The image's content digest, looked up once per tag (a tag can be moved)."""
        if image not in self._image_ids:
            try:
                self._image_ids[image] = str(self.client.images.get(image).id)
            except (docker.errors.APIError, requests.exceptions.RequestException):
                return ""
        return self._image_ids[image]

"""The candidate's own tests over several containers: the shares ``own_shards`` deals, the
grading container's with the grade, every other in a container of its own started with it.

The engine side (create, send, wait, read the logs, remove) is the runner's: this module gets
it as one callable, so it knows shares, never Docker.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from grader.errors import SandboxError
from grader.model import Exercise, OwnTestRun, RunRecord, Workspace
from grader.runner.inputs import grade_labels, input_archive
from grader.runner.own_shards import Share, deal, lost, settle
from grader.runner.protocol import (
    extract_frame,
    own_runs,
    own_tests_spec,
    phase_budgets,
    variant_ids,
    variant_sources,
)

Contain = Callable[[Exercise, bytes, dict[str, str], float], bytes]
"""Run one container for the exercise on these inputs, labels and wall bound; its stdout."""
START_SECONDS = 15.0
"""A share's container may take this long over its budget: start, inputs, zygote, report."""
MOST_CONTAINERS = 4


def cores() -> int:
    """CPUs this process may use (each container gets one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class Pending:
    """A grade's own-tests runs: the grading container's share and the others, under way."""

    first: Share
    others: list[tuple[Share, Future[bytes]]] = field(default_factory=list)


class OwnTestsContainers:
    """Deals a grade's own-tests runs out over ``containers`` containers at once."""

    def __init__(self, contain: Contain, containers: int) -> None:
        self.contain = contain
        self.containers = 1
        self.use(containers)
        self._pool: ThreadPoolExecutor | None = None

    def use(self, containers: int) -> None:
        """Deal over this many containers from the next grade on (at least 1, at most 4)."""
        self.containers = max(1, min(MOST_CONTAINERS, containers))

    def begin(self, exercise: Exercise, workspace: Workspace, seed: int) -> Pending | None:
        """Deal the runs and start every share but the grading container's (None: the grade
        has no own-tests runs)."""
        if own_tests_spec(exercise, workspace) is None:
            return None
        ids = variant_ids(exercise)
        shares = deal(ids, self.containers, budget=phase_budgets(exercise).own_tests)
        pending = Pending(shares[0])
        pending.others = [(s, self._start(exercise, workspace, seed, s)) for s in shares[1:]]
        return pending

    @staticmethod
    def others_done(pending: Pending, timeout: float) -> None:
        """Wait (at most ``timeout``) until every other container has ended."""
        futures.wait([f for _, f in pending.others], timeout=max(0.0, timeout))

    def finish(
        self, exercise: Exercise, pending: Pending, record: RunRecord
    ) -> tuple[OwnTestRun, ...]:
        """Every container's runs settled into one per variant."""
        runs = list(record.own_test_runs)
        for share, future in pending.others:
            runs += self._collect(share, future)
        sources = {v: list(m.values()) for v, m in variant_sources(exercise).items()}
        return settle(runs, sources, ["own", *sources])

    def _start(
        self, exercise: Exercise, workspace: Workspace, seed: int, share: Share
    ) -> Future[bytes]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(MOST_CONTAINERS, thread_name_prefix="mlgrade-own")
        archive = input_archive(exercise, workspace, seed, share)
        labels = {**grade_labels(exercise, workspace), "mlgrade.own-tests": "share"}
        bound = share.budget + START_SECONDS
        return self._pool.submit(self.contain, exercise, archive, labels, bound)

    @staticmethod
    def _collect(share: Share, future: Future[bytes]) -> tuple[OwnTestRun, ...]:
        """A share's runs; errors, never passes, if its container failed."""
        if not future.done():
            return lost(share, "the container running these tests did not end in time")
        try:
            payload = extract_frame(future.result())
        except SandboxError as exc:
            return lost(share, f"the sandbox failed running these tests: {exc.message}")
        if payload is None or payload.get("harness_error"):
            return lost(share, "the container running these tests gave no result")
        return own_runs(payload.get("own_tests"))

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

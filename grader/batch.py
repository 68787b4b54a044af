"""Many grades: grade a round's submissions in parallel, resume, and store each result.

A round's output folder holds one result per candidate (``round_store``), tagged with a key
over the submission's content, the exercise version and the image, so a re-run reuses what
is done and a killed batch loses nothing that had finished. One candidate never stops the
round: intake errors, unknown exercises, engine failures (after one retry) and any other
exception while intaking, grading, reading the container's output or storing the result
become that candidate's ungradable row, with the exception's type and message as the reason.

Each worker's runner, when it can (``SpareRunner``), starts the next submission's container
while the current one runs; the batch closes every runner when it ends, however it ends, so
no spare container outlives it. Who is in a round lives in ``round_items``, the stored
round in ``round_store``, round-level flags in ``round_flags``; their names are re-exported
here for callers of the batch.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

from grader.bundle import package_hash
from grader.catalog import Catalog
from grader.errors import CatalogError, IntakeError, SandboxError
from grader.grading import Profile, grade_workspace
from grader.intake import open_workspace
from grader.model import Exercise, Grade, Workspace
from grader.notebooks import code_lines_text
from grader.round_flags import RoundFlags, flag_round
from grader.round_items import BatchItem, candidate_name, discover, read_manifest, shard
from grader.round_store import RESULTS, RoundStore, describe_error, merge_rounds, ungradable
from grader.runner.interface import Runner, SpareRunner
from grader.seedkey import Seeding

__all__ = [
    "RESULTS", "BatchGrader", "BatchItem", "BatchOutcome", "RoundFlags", "RoundStore",
    "cache_key", "candidate_name", "discover", "flag_round", "merge_rounds", "read_manifest",
    "shard", "ungradable",
]  # fmt: skip

log = logging.getLogger(__name__)

CODE_CAP_BYTES = 200_000
ENGINE_RETRIES = 1


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one item: graded now, reused from a previous run, or failed."""

    item: BatchItem
    grade: Grade
    reused: bool
    code: dict[str, str]
    """The candidate's Python files (capped), for similarity checks across the round."""


def cache_key(
    workspace: Workspace, exercise: Exercise, image: str, profile: str = "", seed_tag: str = ""
) -> str:
    """What makes a grade reusable: same content, exercise version and package (an edit
    without a version bump still regrades), image, profile and seed key (``Seeding.cache_tag``:
    a grade made with another key drew other hidden data)."""
    package = package_hash(exercise)
    text = f"{workspace.content_hash}|{exercise.id}|{exercise.version}|{package}|{image}|{profile}"
    if seed_tag:
        text += f"|{seed_tag}"
    return hashlib.sha256(text.encode()).hexdigest()


def _python_files(workspace: Workspace) -> dict[str, str]:
    """The code kept for similarity: .py files and notebooks' code cells, capped."""
    code, total = {}, 0
    for relative in workspace.files:
        if relative.endswith((".py", ".ipynb")) and total < CODE_CAP_BYTES:
            path = workspace.root / relative
            if relative.endswith(".ipynb"):
                data = code_lines_text(path).encode()
            else:
                data = path.read_bytes()
            text = data[: CODE_CAP_BYTES - total]
            code[relative] = text.decode("utf-8", errors="replace")
            total += len(text)
    return code


class BatchGrader:
    """Grades items with a pool of workers, one runner per worker thread."""

    def __init__(
        self,
        catalog: Catalog,
        runner_factory: Callable[[], Runner],
        image: str,
        store: RoundStore,
        *,
        force: bool = False,
        profile: Profile | None = None,
        seeding: Seeding | None = None,
    ) -> None:
        self.profile = profile or Profile()
        self.seeding = seeding or Seeding.from_key_file()
        self.catalog = catalog
        self.runner_factory = runner_factory
        self.image = image
        self.store = store
        self.force = force
        self.stopping = threading.Event()
        self._local = threading.local()
        self._opened: list[Runner] = []
        self._opened_lock = threading.Lock()
        self._workers = 1

    def _runner(self) -> Runner:
        if not hasattr(self._local, "runner"):
            runner = self.runner_factory()
            if isinstance(runner, SpareRunner):
                runner.keep_spare()
            # Grades running side by side share the CPUs: each deals its own-tests runs over
            # fewer containers (DockerRunner.share_cores; other runners have no such runs).
            share_cores = getattr(runner, "share_cores", None)
            if callable(share_cores):
                share_cores(self._workers)
            with self._opened_lock:
                self._opened.append(runner)
            self._local.runner = runner
        return self._local.runner  # type: ignore[no-any-return]

    def _close_runners(self) -> None:
        """Remove the spares of every runner this batch opened (after its workers stopped)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for runner in opened:
            if isinstance(runner, SpareRunner):
                runner.close()

    def grade_item(self, item: BatchItem) -> BatchOutcome:
        """Grade (or reuse) one item. Never raises but for a stop of the whole batch (Ctrl-C):
        whatever goes wrong with this candidate becomes their ungradable row."""
        try:
            return self._grade_item(item)
        except (IntakeError, CatalogError) as exc:
            return self._failed(item, exc.message)
        except SandboxError as exc:
            return self._failed(item, f"sandbox failed twice: {exc.message}")
        except Exception as exc:  # one candidate never stops the round
            log.warning("grading %s failed", item.candidate, exc_info=True)
            return self._failed(item, f"the grader failed on it: {describe_error(exc)}")

    def _grade_item(self, item: BatchItem) -> BatchOutcome:
        with open_workspace(item.source) as workspace:
            try:
                recognised: Exercise | None = self.catalog.recognise(workspace)
            except CatalogError:
                if not item.exercise_id:
                    raise
                recognised = None
            exercise = self.catalog.get(item.exercise_id) if item.exercise_id else recognised
            assert exercise is not None  # recognise raised otherwise
            code = _python_files(workspace)
            key = cache_key(
                workspace, exercise, self.image, repr(self.profile), self.seeding.cache_tag
            )
            if not self.force and self.store.stored_key(item.candidate) == key:
                try:
                    return BatchOutcome(item, self.store.load(item.candidate), True, code)
                except (OSError, ValueError) as exc:  # a damaged result is graded again
                    log.warning("regrading %s: %s", item.candidate, exc)
            grade = self._grade_with_retry(exercise, workspace)
            grade = replace(grade, candidate=item.candidate)
            if not self.stopping.is_set():
                self.store.save(
                    grade,
                    key,
                    code,
                    declared=item.exercise_id,
                    recognised=recognised.id if recognised else None,
                )
            return BatchOutcome(item, grade, False, code)

    def _grade_with_retry(self, exercise: Exercise, workspace: Workspace) -> Grade:
        for attempt in range(ENGINE_RETRIES + 1):
            try:
                return grade_workspace(
                    exercise, workspace, self._runner(), self.profile, self.seeding
                )
            except SandboxError as exc:
                if attempt == ENGINE_RETRIES or self.stopping.is_set():
                    raise
                log.warning("engine error, retrying once: %s", exc)
                time.sleep(1.0)
        raise AssertionError("unreachable")

    def _failed(self, item: BatchItem, reason: str) -> BatchOutcome:
        grade = ungradable(item, reason)
        if not self.stopping.is_set():
            try:
                self.store.save(grade, "", {}, declared=item.exercise_id)
            except Exception:  # e.g. a full disk: the row is still in this run's outcomes
                log.warning("could not store the result of %s", item.candidate, exc_info=True)
        return BatchOutcome(item, grade, False, {})

    def run(
        self,
        items: list[BatchItem],
        *,
        jobs: int,
        on_start: Callable[[BatchItem], None] = lambda item: None,
        on_done: Callable[[BatchOutcome], None] = lambda outcome: None,
    ) -> list[BatchOutcome]:
        """Grade every item with ``jobs`` workers; results come back in item order."""
        self._workers = max(1, jobs)
        outcomes: dict[str, BatchOutcome] = {}
        pending = list(items)
        try:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                running: dict[Future[BatchOutcome], BatchItem] = {}
                try:
                    while pending or running:
                        while pending and len(running) < max(1, jobs):
                            item = pending.pop(0)
                            on_start(item)
                            running[pool.submit(self.grade_item, item)] = item
                        done, _ = wait(running, return_when=FIRST_COMPLETED)
                        for future in done:
                            item = running.pop(future)
                            outcome = future.result()
                            outcomes[item.candidate] = outcome
                            on_done(outcome)
                except BaseException:
                    self.stopping.set()
                    raise
        finally:
            # The pool has joined its workers: no runner is in use any more.
            self._close_runners()
        return [outcomes[i.candidate] for i in items]

"""Run an exercise's hidden suite on mutants of its reference solution, in the real sandbox.

Each mutant is the solution folder with one module replaced, graded for correctness only
(its own-test phase is switched off; nothing but the hidden tests' outcomes is read). Workers
each hold one runner (with a spare container, like a batch). Results are cached as JSON,
keyed by everything a result depends on (the mutant, the rest of the solution, the hidden
tests, exercise.toml, the seed and the image), so a rerun after no change starts no
container. Mutants not started within the time budget are reported as not run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from grader.errors import GraderError
from grader.intake import open_workspace
from grader.model import Exercise, RunRecord, RunStatus
from grader.mutation import Mutant, exercise_mutants, ignored_tallies
from grader.mutation_listing import load_listing
from grader.mutation_report import MutantResult, MutantStatus, MutationReport
from grader.runner.interface import Runner, SpareRunner
from grader.scoring.correctness import score_correctness

log = logging.getLogger(__name__)

MUTATION_SEED = 0
"""The seed every mutant's hidden data is drawn from: fixed, so runs compare run to run
(and a cached result stays valid)."""
CACHE_VERSION = "1"
CRASH_MARKS = ("CandidateImportError",)
"""A failure reason that says the module never imported (the harness's exception name)."""


def choose_sample(mutants: Sequence[Mutant], size: int | None, seed: int) -> list[Mutant]:
    """A deterministic sample of ``size`` mutants in generation order (all if None or more)."""
    if size is None or size >= len(mutants):
        return list(mutants)
    picked = sorted(random.Random(seed).sample(range(len(mutants)), max(0, size)))
    return [mutants[i] for i in picked]


def _tree_digest(root: Path, skip: Iterable[str] = ()) -> str:
    """A hash of every file under ``root`` (names and bytes), caches excluded."""
    digest = hashlib.sha256()
    skipped = set(skip)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if "__pycache__" in path.parts or relative in skipped:
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def classify(exercise: Exercise, run: RunRecord) -> tuple[MutantStatus, tuple[str, ...], str]:
    """Whether the hidden suite killed a mutant: status, failed test ids and the first reason."""
    if run.status is RunStatus.HARNESS_FAILED:
        return MutantStatus.ERROR, (), run.reason or "the harness failed"
    score = score_correctness(exercise, run)
    failed = tuple(t.id for t in score.tests if not t.passed)
    reasons = [t.reason for t in score.tests if not t.passed and t.reason]
    if run.status is not RunStatus.COMPLETED:
        return MutantStatus.CRASHED, failed, run.reason or run.status.value
    if any(mark in reason for reason in reasons for mark in CRASH_MARKS):
        return MutantStatus.CRASHED, failed, reasons[0]
    if failed:
        return MutantStatus.KILLED, failed, reasons[0] if reasons else "failed"
    return MutantStatus.SURVIVED, (), ""


class MutationRunner:
    """Runs mutants of one exercise's solution through its hidden suite, cached and parallel."""

    def __init__(
        self,
        exercise: Exercise,
        runner_factory: Callable[[], Runner],
        cache_dir: Path,
        *,
        seed: int = MUTATION_SEED,
    ) -> None:
        # Only the hidden tests matter here: no own-tests phase, whatever the exercise asks.
        self.exercise = replace(exercise, own_tests=None, mutants=())
        self.original = exercise
        self.runner_factory = runner_factory
        self.cache_dir = cache_dir / "mutants"
        self.seed = seed
        self.stopping = threading.Event()
        self._free: queue.SimpleQueue[Runner] = queue.SimpleQueue()
        self._opened: list[Runner] = []
        self._lock = threading.Lock()
        self._image: str | None = None
        self._context = ""

    @property
    def image(self) -> str:
        """The image the exercise runs in, asked of a first runner: its ``image_for(exercise)``
        (an exercise with its own requirements has its own image), else its ``image``."""
        if self._image is None:
            runner = self._take()
            image_for = getattr(runner, "image_for", None)
            chosen = image_for(self.exercise) if callable(image_for) else None
            self._image = str(chosen or getattr(runner, "image", ""))
            self._free.put(runner)
        return self._image

    def _take(self) -> Runner:
        """A free runner, or a new one from the factory (one per worker at most)."""
        try:
            return self._free.get_nowait()
        except queue.Empty:
            runner = self.runner_factory()
            if isinstance(runner, SpareRunner):
                runner.keep_spare()
            with self._lock:
                self._opened.append(runner)
            return runner

    def close(self) -> None:
        """Remove the spare of every runner opened (after the workers stopped)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for runner in opened:
            if isinstance(runner, SpareRunner):
                runner.close()

    def _cache_context(self) -> str:
        """What every key shares: the hidden tests, exercise.toml, the solution, seed, image."""
        if not self._context:
            root = self.original.root
            parts = [
                CACHE_VERSION,
                _tree_digest(self.original.hidden_tests_dir),
                hashlib.sha256((root / "exercise.toml").read_bytes()).hexdigest(),
                _tree_digest(self.original.solution_dir),
                str(self.seed),
                self.image,
            ]
            self._context = "|".join(parts)
        return self._context

    def cache_key(self, mutant: Mutant) -> str:
        """The key of one mutant's stored result."""
        text = f"{self._cache_context()}|{mutant.file}|{mutant.source}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _cached(self, mutant: Mutant) -> MutantResult | None:
        path = self.cache_dir / f"{self.cache_key(mutant)}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            status = MutantStatus(data["status"])
            failed = tuple(str(t) for t in data["failed_tests"])
            reason = str(data["reason"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: run it again
        return self._result(mutant, status, failed, reason, cached=True)

    def _store(self, result: MutantResult) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / f"{self.cache_key(result.mutant)}.json"
        data = {
            "mutant": result.mutant.id,
            "status": result.status.value,
            "failed_tests": list(result.failed_tests),
            "reason": result.reason,
        }
        scratch = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        scratch.write_text(json.dumps(data), encoding="utf-8")
        scratch.replace(path)  # atomic: a reader never sees half a result

    def _result(
        self,
        mutant: Mutant,
        status: MutantStatus,
        failed: tuple[str, ...],
        reason: str,
        *,
        cached: bool = False,
        duration: float = 0.0,
    ) -> MutantResult:
        by_id = {t.id: t.group for t in self.exercise.tests}
        groups = tuple(dict.fromkeys(by_id[t] for t in failed if t in by_id))
        return MutantResult(mutant, status, failed, groups, reason[:300], cached, duration)

    def run_one(self, mutant: Mutant, deadline: float | None = None) -> MutantResult:
        """Run the hidden suite on one mutant (unless the budget or a stop says not to)."""
        if self.stopping.is_set() or (deadline is not None and time.monotonic() >= deadline):
            return self._result(mutant, MutantStatus.NOT_RUN, (), "not run: budget")
        started = time.monotonic()
        runner = self._take()
        try:
            with tempfile.TemporaryDirectory(prefix="mlgrade-mutant-") as scratch:
                folder = Path(scratch) / "solution"
                shutil.copytree(
                    self.exercise.solution_dir,
                    folder,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
                (folder / mutant.file).write_text(mutant.source, encoding="utf-8")
                with open_workspace(folder) as workspace:
                    record = runner.run(self.exercise, workspace, self.seed)
        except GraderError as exc:
            log.warning("mutant %s could not be run: %s", mutant.id, exc)
            return self._result(mutant, MutantStatus.ERROR, (), f"not run: {exc.message}")
        finally:
            self._free.put(runner)
        status, failed, reason = classify(self.exercise, record)
        result = self._result(mutant, status, failed, reason, duration=time.monotonic() - started)
        if status is not MutantStatus.ERROR and not self.stopping.is_set():
            self._store(result)
        return result

    def run(
        self,
        mutants: Sequence[Mutant],
        *,
        jobs: int = 1,
        budget: float | None = None,
        on_done: Callable[[MutantResult], None] = lambda result: None,
    ) -> list[MutantResult]:
        """Every mutant's result in the given order; cached ones cost no container and no
        budget, the rest run on ``jobs`` workers until the budget is spent."""
        results: dict[int, MutantResult] = {}
        pending = []
        for index, mutant in enumerate(mutants):
            cached = self._cached(mutant)
            if cached is None:
                pending.append(index)
            else:
                results[index] = cached
                on_done(cached)
        deadline = None if budget is None else time.monotonic() + budget
        try:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                futures: dict[Future[MutantResult], int] = {
                    pool.submit(self.run_one, mutants[i], deadline): i for i in pending
                }
                try:
                    for future, index in futures.items():
                        results[index] = future.result()
                        on_done(results[index])
                except BaseException:
                    self.stopping.set()  # the queued ones return "not run" at once
                    raise
        finally:
            self.close()
        return [results[i] for i in range(len(mutants))]


def run_mutation(
    exercise: Exercise,
    runner_factory: Callable[[], Runner],
    cache_dir: Path,
    *,
    jobs: int = 1,
    budget: float | None = None,
    sample: int | None = None,
    sample_seed: int = 0,
    on_done: Callable[[MutantResult], None] = lambda result: None,
) -> MutationReport:
    """Generate the exercise's mutants, run the chosen ones and tally them."""
    started = time.monotonic()
    listing = load_listing(exercise.root / "hidden")  # a bad file fails before any run
    files = exercise_mutants(exercise, listing=listing)
    every = [m for f in files for m in f.mutants]
    chosen = choose_sample(every, sample, sample_seed)
    engine = MutationRunner(exercise, runner_factory, cache_dir)
    results = engine.run(chosen, jobs=jobs, budget=budget, on_done=on_done)
    solution = exercise.solution_dir
    return MutationReport(
        exercise_id=exercise.id,
        exercise_version=exercise.version,
        seed=engine.seed,
        image=engine.image if results else "",
        generated=tuple(m.id for m in every),
        results=tuple(results),
        groups=tuple((g.id, g.title) for g in exercise.groups),
        originals=tuple((f.file, (solution / f.file).read_text(encoding="utf-8")) for f in files),
        equivalents=listing.equivalents,
        capped=tuple((f.file, f.found, len(f.mutants)) for f in files if f.capped),
        ignored=ignored_tallies(listing, files),
        sampled=len(chosen) < len(every),
        wall_s=time.monotonic() - started,
    )

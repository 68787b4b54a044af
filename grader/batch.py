"""Many grades: discover a round, shard it, grade in parallel, resume, and store results.

A round's output folder holds one result per candidate (``results/<candidate>.json``, written
atomically, tagged with a key over the submission's content, the exercise version and the
image), so a re-run reuses what is done and a killed batch loses nothing that had finished.
One bad submission never stops the round: intake errors, unknown exercises and engine
failures (after one retry) become that candidate's ungradable row.

Each worker's runner, when it can (``SpareRunner``), starts the next submission's container
while the current one runs; the batch closes every runner when it ends, however it ends, so
no spare container outlives it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import threading
import time
import tomllib
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from grader.catalog import Catalog
from grader.errors import CatalogError, GraderError, IntakeError, SandboxError
from grader.grading import Profile, grade_workspace
from grader.intake import open_workspace
from grader.model import Exercise, Grade, GradeStatus, SourceKind, SubmissionInfo, Workspace
from grader.notebooks import code_lines_text
from grader.reports.json_report import grade_to_dict, read_json
from grader.runner.interface import Runner, SpareRunner
from grader.similarity import similarity_flags

log = logging.getLogger(__name__)

RESULTS = "results"
CODE_CAP_BYTES = 200_000
ENGINE_RETRIES = 1
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class BatchItem:
    """One candidate's submission in a round."""

    candidate: str
    source: Path
    exercise_id: str | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one item: graded now, reused from a previous run, or failed."""

    item: BatchItem
    grade: Grade
    reused: bool
    code: dict[str, str]
    """The candidate's Python files (capped), for similarity checks across the round."""


def candidate_name(path: Path) -> str:
    """A stable, file-system-safe candidate name from a submission's file or folder name."""
    name = path.name
    for suffix in (".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".tar", ".ipynb", ".py"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return _SAFE.sub("_", name).strip("._") or "candidate"


def _unique(items: list[BatchItem]) -> list[BatchItem]:
    seen: dict[str, Path] = {}
    for item in items:
        if item.candidate in seen:
            raise IntakeError(
                f"two submissions map to candidate '{item.candidate}': "
                f"{seen[item.candidate]} and {item.source}",
                hint="rename one of them (or use a manifest)",
            )
        seen[item.candidate] = item.source
    return sorted(items, key=lambda i: i.candidate)


def discover(folder: Path, exercise_id: str | None = None) -> list[BatchItem]:
    """Every entry of ``folder`` is one candidate's submission (hidden entries skipped)."""
    if not folder.is_dir():
        raise IntakeError(f"round folder not found: {folder}")
    items = [
        BatchItem(candidate_name(p), p, exercise_id)
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".")
    ]
    if not items:
        raise IntakeError(f"{folder} holds no submissions")
    return _unique(items)


def read_manifest(path: Path, exercise_id: str | None = None) -> list[BatchItem]:
    """A CSV (candidate,submission[,exercise]) or TOML ([[submissions]]) manifest."""
    base = path.parent
    try:
        if path.suffix.lower() == ".toml":
            rows = tomllib.loads(path.read_text(encoding="utf-8")).get("submissions", [])
        else:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, csv.Error) as exc:
        raise IntakeError(f"{path}: cannot read the manifest: {exc}") from exc
    items = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("candidate") or not row.get("submission"):
            raise IntakeError(f"{path}: entry {number} needs 'candidate' and 'submission'")
        source = Path(str(row["submission"]))
        items.append(
            BatchItem(
                _SAFE.sub("_", str(row["candidate"])).strip("._") or f"candidate{number}",
                source if source.is_absolute() else base / source,
                str(row.get("exercise") or "") or exercise_id,
            )
        )
    if not items:
        raise IntakeError(f"{path}: the manifest lists no submissions")
    return _unique(items)


def shard(items: Iterable[BatchItem], index: int, count: int) -> list[BatchItem]:
    """The stable subset for shard ``index`` of ``count`` (1-based): by a hash of the name."""
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count} does not exist")
    return [
        item
        for item in items
        if int(hashlib.sha256(item.candidate.encode()).hexdigest(), 16) % count == index - 1
    ]


def cache_key(workspace: Workspace, exercise: Exercise, image: str, profile: str = "") -> str:
    """What makes a grade reusable: same content, exercise version, image and profile."""
    text = f"{workspace.content_hash}|{exercise.id}|{exercise.version}|{image}|{profile}"
    return hashlib.sha256(text.encode()).hexdigest()


def ungradable(item: BatchItem, reason: str, exercise: Exercise | None = None) -> Grade:
    """A row for a submission that could not be graded; not a zero."""
    kind = SourceKind.FILE if item.source.is_file() else SourceKind.DIRECTORY
    return Grade(
        exercise_id=exercise.id if exercise else (item.exercise_id or ""),
        exercise_version=exercise.version if exercise else "",
        exercise_title=exercise.title if exercise else "",
        submission=SubmissionInfo(str(item.source), kind, "", 0),
        status=GradeStatus.UNGRADABLE,
        correctness=None,
        reason=reason,
        candidate=item.candidate,
    )


class RoundStore:
    """The output folder of a round: one JSON (and the candidate's code) per candidate."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.results = root / RESULTS

    def _path(self, candidate: str, suffix: str) -> Path:
        return self.results / f"{candidate}{suffix}"

    def stored_key(self, candidate: str) -> str | None:
        """The cache key of a stored, gradable result, or None."""
        path = self._path(candidate, ".json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        key = data.get("cache_key") if isinstance(data, dict) else None
        return key if isinstance(key, str) else None

    def save(self, grade: Grade, key: str, code: dict[str, str]) -> None:
        """Write code first, then the result: a result on disk is always complete."""
        _atomic(self._path(grade.candidate, ".code.json"), json.dumps(code, sort_keys=True))
        self._write_result(grade, key)

    def _write_result(self, grade: Grade, key: str) -> None:
        document = {**grade_to_dict(grade), "cache_key": key}
        _atomic(
            self._path(grade.candidate, ".json"), json.dumps(document, indent=2, sort_keys=True)
        )

    def load(self, candidate: str) -> Grade:
        return read_json(self._path(candidate, ".json"))

    def code(self, candidate: str) -> dict[str, str]:
        try:
            data = json.loads(self._path(candidate, ".code.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def candidates(self) -> list[str]:
        """Every candidate with a stored result, sorted."""
        if not self.results.is_dir():
            return []
        return sorted(
            p.name[: -len(".json")]
            for p in self.results.glob("*.json")
            if not p.name.endswith(".code.json")
        )

    def grades(self) -> list[Grade]:
        return [self.load(c) for c in self.candidates()]

    def write_grade(self, grade: Grade) -> None:
        """Rewrite a stored grade (e.g. with round flags), keeping its cache key."""
        self._write_result(grade, self.stored_key(grade.candidate) or "")


def _atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


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
    ) -> None:
        self.profile = profile or Profile()
        self.catalog = catalog
        self.runner_factory = runner_factory
        self.image = image
        self.store = store
        self.force = force
        self.stopping = threading.Event()
        self._local = threading.local()
        self._opened: list[Runner] = []
        self._opened_lock = threading.Lock()

    def _runner(self) -> Runner:
        if not hasattr(self._local, "runner"):
            runner = self.runner_factory()
            if isinstance(runner, SpareRunner):
                runner.keep_spare()
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
        """Grade (or reuse) one item; never raises for the submission's faults."""
        try:
            with open_workspace(item.source) as workspace:
                exercise = (
                    self.catalog.get(item.exercise_id)
                    if item.exercise_id
                    else self.catalog.recognise(workspace)
                )
                code = _python_files(workspace)
                key = cache_key(workspace, exercise, self.image, repr(self.profile))
                if not self.force and self.store.stored_key(item.candidate) == key:
                    return BatchOutcome(item, self.store.load(item.candidate), True, code)
                grade = self._grade_with_retry(exercise, workspace)
                grade = replace(grade, candidate=item.candidate)
                if not self.stopping.is_set():
                    self.store.save(grade, key, code)
                return BatchOutcome(item, grade, False, code)
        except (IntakeError, CatalogError) as exc:
            return self._failed(item, exc.message)
        except SandboxError as exc:
            return self._failed(item, f"sandbox failed twice: {exc.message}")

    def _grade_with_retry(self, exercise: Exercise, workspace: Workspace) -> Grade:
        for attempt in range(ENGINE_RETRIES + 1):
            try:
                return grade_workspace(exercise, workspace, self._runner(), self.profile)
            except SandboxError as exc:
                if attempt == ENGINE_RETRIES or self.stopping.is_set():
                    raise
                log.warning("engine error, retrying once: %s", exc)
                time.sleep(1.0)
        raise AssertionError("unreachable")

    def _failed(self, item: BatchItem, reason: str) -> BatchOutcome:
        grade = ungradable(item, reason)
        if not self.stopping.is_set():
            self.store.save(grade, "", {})
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


def merge_rounds(sources: list[Path], dest: Path) -> list[str]:
    """Combine shard outputs into one round; refuses overlaps and mixed exercise versions."""
    owner: dict[str, Path] = {}
    versions: dict[str, tuple[str, Path]] = {}
    for source in sources:
        store = RoundStore(source)
        if not store.results.is_dir():
            raise GraderError(f"{source} is not a round output folder (no {RESULTS}/)")
        for candidate in store.candidates():
            if candidate in owner:
                raise GraderError(
                    f"candidate '{candidate}' is in both {owner[candidate]} and {source}",
                    hint="shards must not overlap",
                )
            owner[candidate] = source
            grade = store.load(candidate)
            if grade.exercise_id and grade.exercise_version:
                seen = versions.setdefault(grade.exercise_id, (grade.exercise_version, source))
                if seen[0] != grade.exercise_version:
                    raise GraderError(
                        f"exercise {grade.exercise_id} is version {seen[0]} in {seen[1]} "
                        f"but {grade.exercise_version} in {source}",
                        hint="grade every shard with the same exercise catalog",
                    )
    target = RoundStore(dest)
    for candidate, source in sorted(owner.items()):
        store = RoundStore(source)
        for suffix in (".json", ".code.json"):
            path = store.results / f"{candidate}{suffix}"
            if path.exists():
                _atomic(target.results / path.name, path.read_text(encoding="utf-8").rstrip("\n"))
    return sorted(owner)


def _python_sources(folder: Path) -> dict[str, str]:
    """The submission's code for similarity: .py files, and notebooks' code cells (so a
    notebook copy of someone's .py is still compared with it)."""
    sources = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*.py"))
        if "__pycache__" not in p.parts
    }
    for p in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in p.parts:
            sources[p.relative_to(folder).as_posix()] = code_lines_text(p)
    return sources


def flag_round(store: RoundStore, catalog: Catalog) -> int:
    """Recompute similarity flags across the stored round; returns how many were raised.

    Flags are evidence for a human and never change a score; they are rewritten on every
    run so they always describe the whole round (including merged shards).
    """
    grades = {g.candidate: g for g in store.grades()}
    flags: dict[str, list[str]] = {name: [] for name in grades}
    by_exercise: dict[str, list[str]] = {}
    for name, grade in grades.items():
        if grade.status is GradeStatus.GRADED:
            by_exercise.setdefault(grade.exercise_id, []).append(name)
    raised = 0
    for exercise_id, names in sorted(by_exercise.items()):
        try:
            exercise = catalog.get(exercise_id)
        except CatalogError:
            continue
        found = similarity_flags(
            exercise_id,
            {name: store.code(name) for name in names},
            starter=_python_sources(exercise.starter_dir),
            reference=_python_sources(exercise.solution_dir),
        )
        for flag in found:
            raised += 1
            evidence = f" ({flag.evidence[0]})" if flag.evidence else ""
            for name in flag.candidates:
                others = [c for c in flag.candidates if c != name]
                what = (
                    f"very similar to {', '.join(others)}"
                    if flag.kind == "pair"
                    else "nearly identical to the reference solution"
                )
                flags[name].append(f"{what}: {flag.score:.0%} of fingerprints shared{evidence}")
    for name, grade in grades.items():
        if tuple(flags[name]) != grade.flags:
            store.write_grade(replace(grade, flags=tuple(flags[name])))
    return raised

"""A round's output folder: one stored result per candidate, read back safely, and merged.

``results/<candidate>.json`` is the candidate's versioned JSON report plus what the round
needs beside it (``ROUND_KEYS``: the cache key, the exercise the round declared for the
candidate and the one its files were recognised as); ``results/<candidate>.code.json`` holds
their code for similarity checks. Files are written atomically. A stored result that cannot
be read back (damaged, edited, from another version) is a marked, ungradable row, never a
crash: ``grade report`` still renders the round.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.model import Exercise, Grade, GradeStatus, SourceKind, SubmissionInfo
from grader.reports.json_report import grade_from_dict, grade_to_dict
from grader.round_items import BatchItem
from grader.untrusted_json import UntrustedJSONError, loads

log = logging.getLogger(__name__)

RESULTS = "results"
ROUND_KEYS = ("cache_key", "declared_exercise", "recognised_exercise")
"""Keys a stored result holds beside the grade report's own."""
UNREADABLE = "the stored result could not be read"
REASON_CAP = 300
_STORED_DEPTH = 64
_STORED_BYTES = 256 * 1024 * 1024


def describe_error(exc: BaseException) -> str:
    """``Type: first line of the message``, capped, for an ungradable row's reason."""
    try:
        lines = str(exc).strip().splitlines()
    except Exception:  # noqa: BLE001  (str() of a crafted exception can itself fail)
        lines = []
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text[:REASON_CAP]


def ungradable(item: BatchItem, reason: str, exercise: Exercise | None = None) -> Grade:
    """A row for a submission that could not be graded; not a zero."""
    try:
        kind = SourceKind.FILE if item.source.is_file() else SourceKind.DIRECTORY
    except OSError:
        kind = SourceKind.FILE
    return Grade(
        exercise_id=exercise.id if exercise else (item.exercise_id or ""),
        exercise_version=exercise.version if exercise else "",
        exercise_title=exercise.title if exercise else "",
        submission=SubmissionInfo(str(item.source), kind, "", 0),
        status=GradeStatus.UNGRADABLE,
        correctness=None,
        reason=reason[:REASON_CAP],
        candidate=item.candidate,
    )


class RoundStore:
    """The output folder of a round: one JSON (and the candidate's code) per candidate."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.results = root / RESULTS

    def _path(self, candidate: str, suffix: str) -> Path:
        return self.results / f"{candidate}{suffix}"

    def _document(self, candidate: str) -> dict[str, Any]:
        """The stored JSON; OSError or ValueError when it is missing or damaged."""
        data = loads(
            self._path(candidate, ".json").read_bytes(),
            max_depth=_STORED_DEPTH,
            max_bytes=_STORED_BYTES,
        )
        if not isinstance(data, dict):
            raise UntrustedJSONError("a stored result must be a JSON object")
        return data

    def round_fields(self, candidate: str) -> dict[str, str]:
        """The ``ROUND_KEYS`` stored with a result (those that are strings); {} if none."""
        try:
            data = self._document(candidate)
        except (OSError, ValueError):
            return {}
        return {k: data[k] for k in ROUND_KEYS if isinstance(data.get(k), str)}

    def stored_key(self, candidate: str) -> str | None:
        """The cache key of a stored result, or None."""
        return self.round_fields(candidate).get("cache_key")

    def save(
        self,
        grade: Grade,
        key: str,
        code: dict[str, str],
        *,
        declared: str | None = None,
        recognised: str | None = None,
    ) -> None:
        """Write code first, then the result: a result on disk is always complete."""
        _atomic(self._path(grade.candidate, ".code.json"), _dumps(code))
        fields = {
            "cache_key": key,
            "declared_exercise": declared,
            "recognised_exercise": recognised,
        }
        self._write_result(grade, {k: v for k, v in fields.items() if v is not None})

    def _write_result(self, grade: Grade, fields: dict[str, str]) -> None:
        document = {**grade_to_dict(grade), **fields}
        _atomic(self._path(grade.candidate, ".json"), _dumps(document, indent=2))

    def load(self, candidate: str) -> Grade:
        """The stored grade; OSError or ValueError when it cannot be read back."""
        return grade_from_dict(
            {k: v for k, v in self._document(candidate).items() if k not in ROUND_KEYS}
        )

    def code(self, candidate: str) -> dict[str, str]:
        """The candidate's stored code (file → text); {} when missing or damaged."""
        try:
            data = loads(self._path(candidate, ".code.json").read_bytes(), max_depth=4)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def candidates(self) -> list[str]:
        """Every candidate with a stored result, sorted."""
        if not self.results.is_dir():
            return []
        return sorted(
            p.name[: -len(".json")]
            for p in self.results.glob("*.json")
            if not p.name.endswith(".code.json")
        )

    def load_all(self) -> tuple[list[Grade], frozenset[str]]:
        """Every stored grade, and the candidates whose result could not be read (each of
        those is a marked ungradable row in the list, so a report still shows them)."""
        grades, unreadable = [], set()
        for candidate in self.candidates():
            try:
                grades.append(self.load(candidate))
            except (OSError, ValueError) as exc:
                log.warning("stored result of %s unreadable: %s", candidate, exc)
                unreadable.add(candidate)
                item = BatchItem(candidate, self._path(candidate, ".json"))
                reason = f"{UNREADABLE} ({describe_error(exc)}); re-run `grade batch` to regrade"
                grades.append(ungradable(item, reason))
        return grades, frozenset(unreadable)

    def grades(self) -> list[Grade]:
        """Every stored grade; an unreadable one as a marked ungradable row."""
        return self.load_all()[0]

    def write_grade(self, grade: Grade) -> None:
        """Rewrite a stored grade (e.g. with round flags), keeping its round fields."""
        self._write_result(grade, self.round_fields(grade.candidate))


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, indent=indent, sort_keys=True)


def _atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


def merge_rounds(sources: list[Path], dest: Path) -> list[str]:
    """Combine shard outputs into one round; refuses overlaps and mixed exercise versions."""
    owner: dict[str, Path] = {}
    versions: dict[str, tuple[str, Path]] = {}
    for source in sources:
        store = RoundStore(source)
        if not store.results.is_dir():
            raise UsageError(f"{source} is not a round output folder (no {RESULTS}/)")
        for candidate in store.candidates():
            if candidate in owner:
                raise UsageError(
                    f"candidate '{candidate}' is in both {owner[candidate]} and {source}",
                    hint="shards must not overlap",
                )
            owner[candidate] = source
            try:
                grade = store.load(candidate)
            except (OSError, ValueError):
                continue  # copied as it is; the merged round's report marks it
            if grade.exercise_id and grade.exercise_version:
                seen = versions.setdefault(grade.exercise_id, (grade.exercise_version, source))
                if seen[0] != grade.exercise_version:
                    raise UsageError(
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
                data = path.read_text(encoding="utf-8", errors="replace").rstrip("\n")
                _atomic(target.results / path.name, data)
    return sorted(owner)

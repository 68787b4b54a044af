"""Who is in a round: discover submissions in a folder or read a manifest, name candidates
safely, and split a round into stable shards."""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.errors import IntakeError

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class BatchItem:
    """One candidate's submission in a round."""

    candidate: str
    source: Path
    exercise_id: str | None = None
    """The exercise the round declares for it (``--exercise`` or the manifest), if any."""


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
    if not isinstance(rows, list):
        raise IntakeError(f"{path}: 'submissions' must be a list of entries")
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

"""The caps on one submission and the running tally that enforces them while intake copies
or extracts it (headers can lie: the tally counts what is really written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from grader.errors import IntakeError

# __MACOSX: Finder's "Compress" adds it beside the project folder; kept, it would clutter the
# workspace and stop the single top-level folder from being unwrapped.
IGNORED_DIRS = frozenset({
    ".git", "__pycache__", ".venv", "venv", "node_modules", ".ipynb_checkpoints", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".tox", ".idea", ".vscode", "__MACOSX",
})  # fmt: skip
"""Entry names skipped at any depth (with everything under them), noted once per name."""

_CHUNK = 1024 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    """Caps on what one submission may hold; crossing any is an IntakeError."""

    max_bytes: int = 50 * 1024 * 1024
    """Total uncompressed bytes kept (ignored directories do not count)."""
    max_files: int = 5000
    """Regular files kept (ignored directories do not count)."""
    max_name_length: int = 255
    """UTF-8 bytes in any single path component."""
    max_path_length: int = 1024
    """UTF-8 bytes in a full relative path."""


class Tally:
    """Running counts for one intake, raising as soon as a cap is crossed; gathers the notes."""

    def __init__(self, source: Path, limits: IntakeLimits) -> None:
        self.source = source
        self.limits = limits
        self.files = 0
        self.declared = 0
        self.written = 0
        self._ignored: set[str] = set()
        self._notes: list[str] = []

    def ignore(self, name: str) -> None:
        """Record an ignored entry name (noted once, however often it occurs)."""
        self._ignored.add(name)

    def note(self, text: str) -> None:
        """Record something intake skipped or changed, for the recruiter."""
        self._notes.append(text)

    def notes(self) -> tuple[str, ...]:
        """The ignored names, then the other notes in the order they came."""
        ignored = tuple(f"ignored {name}/" for name in sorted(self._ignored))
        return ignored + tuple(self._notes)

    def check_name(self, rel: str) -> None:
        """Refuse a path that is not UTF-8 or is too long for the caps."""
        try:
            encoded = rel.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise IntakeError(
                f"{self.source}: file name '{shown(rel)}' is not valid UTF-8",
                hint="rename the file with a UTF-8 name and resubmit",
            ) from exc
        limit = self.limits.max_path_length
        if len(encoded) > limit:
            raise IntakeError(
                f"{self.source}: path too long ({len(encoded)} bytes; the limit is {limit}):"
                f" '{rel[:60]}...'"
            )
        limit = self.limits.max_name_length
        for part in rel.split("/"):
            if len(part.encode("utf-8")) > limit:
                raise IntakeError(
                    f"{self.source}: name too long ({len(part.encode('utf-8'))} bytes;"
                    f" the limit is {limit}): '{part[:60]}...'"
                )

    def reserve(self, rel: str, size: int) -> None:
        """Count one more file of ``size`` declared bytes, before anything of it is written."""
        self.check_name(rel)
        self.files += 1
        if self.files > self.limits.max_files:
            limit = self.limits.max_files
            raise IntakeError(f"{self.source} has more than {limit} files; the limit is {limit}")
        self.declared += size
        if self.declared > self.limits.max_bytes:
            raise IntakeError(
                f"{self.source} holds at least {mb(self.declared)} of files;"
                f" the limit is {mb(self.limits.max_bytes)}"
            )

    def copy(self, stream: IO[bytes], out: IO[bytes]) -> None:
        """Stream one file, counting the bytes really written: archive headers can lie."""
        while chunk := stream.read(_CHUNK):
            self.written += len(chunk)
            if self.written > self.limits.max_bytes:
                limit = mb(self.limits.max_bytes)
                raise IntakeError(
                    f"{self.source} holds more than {limit} of files; the limit is {limit}"
                )
            out.write(chunk)


def mb(size: int) -> str:
    """A byte count in megabytes, for messages."""
    return f"{size / _MB:.1f} MB"


def shown(name: str) -> str:
    """A name safe to print: undecodable bytes (surrogates) shown as escapes."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")

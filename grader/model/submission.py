"""Where a submission came from and the private copy intake made of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class SourceKind(StrEnum):
    """What shape the submission arrived in."""

    DIRECTORY = "directory"
    GIT = "git"
    ZIP = "zip"
    TAR = "tar"
    FILE = "file"
    NOTEBOOK = "notebook"
    """A single Jupyter notebook (.ipynb)."""


@dataclass(frozen=True)
class Workspace:
    """A clean, size-checked private copy of one submission."""

    root: Path
    """Directory holding the copy; owned by the grader, deleted after grading."""
    source: Path
    """The path the user gave; never modified."""
    kind: SourceKind
    content_hash: str
    """sha256 over the sorted relative paths and bytes of every file kept."""
    files: tuple[str, ...]
    """Relative POSIX paths of every file kept, sorted."""
    total_bytes: int
    git_commit: str | None = None
    git_dirty: bool | None = None
    notes: tuple[str, ...] = ()
    """What intake skipped or changed, for the recruiter (e.g. "ignored .venv/")."""
    broken_notebooks: tuple[tuple[str, str, str], ...] = ()
    """Notebooks that are not valid notebooks, as (path, message, hint): an error only if
    grading picks one to stand for a module."""


@dataclass(frozen=True)
class SubmissionInfo:
    """Where the graded submission came from, for the report."""

    source: str
    kind: SourceKind
    content_hash: str
    files: int
    git_commit: str | None = None
    git_dirty: bool | None = None

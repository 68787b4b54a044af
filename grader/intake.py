"""Submission intake: a path (directory, git repo, zip, tar or one file) → a private Workspace.

The original is never modified. Directories are copied without following symlinks; archives
are extracted safely by ``grader/archives.py``; the caps and their tally live in
``grader/intake_caps.py``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.archives import TAR_MODES, read_tar, read_zip
from grader.errors import IntakeError
from grader.intake_caps import IGNORED_DIRS, IntakeLimits, Tally, shown
from grader.model import SourceKind, Workspace
from grader.notebooks import normalise_notebook

logger = logging.getLogger(__name__)

_Tally = Tally  # the name the intake tests use


@contextmanager
def open_workspace(source: Path, limits: IntakeLimits | None = None) -> Iterator[Workspace]:
    """Copy a submission into a private temp dir, yield its Workspace, always delete the dir."""
    source = Path(source)
    root = Path(tempfile.mkdtemp(prefix="mlgrade-ws-"))
    try:
        yield read_workspace(source, root, limits)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if root.exists():
            logger.warning("could not delete workspace %s", root)


def read_workspace(source: Path, root: Path, limits: IntakeLimits | None = None) -> Workspace:
    """Copy ``source`` into the empty directory ``root`` (owned by the caller) and describe it."""
    source = Path(source)
    kind = detect_kind(source)
    tally = Tally(source, limits or IntakeLimits())
    commit: str | None = None
    dirty: bool | None = None
    if kind is SourceKind.ZIP:
        read_zip(source, root, tally)
    elif kind is SourceKind.TAR:
        read_tar(source, root, tally)
    else:
        try:
            if kind in (SourceKind.FILE, SourceKind.NOTEBOOK):
                _copy_file(source, root, tally)
            else:
                _copy_directory(source, root, tally)
        except OSError as exc:
            raise IntakeError(
                f"{source} could not be copied: {exc.strerror} ({exc.filename})"
            ) from exc
        if kind is SourceKind.GIT:
            commit, dirty = _git_state(source, tally)
    files = _list_files(root)
    if not files:
        raise IntakeError(f"{source} contains no files")
    broken_notebooks = _check_notebooks(root, files, tally)
    return Workspace(
        root=root,
        source=source,
        kind=kind,
        content_hash=content_hash(root, files),
        files=tuple(files),
        total_bytes=sum((root / name).stat().st_size for name in files),
        git_commit=commit,
        git_dirty=dirty,
        notes=tally.notes(),
        broken_notebooks=broken_notebooks,
    )


def detect_kind(source: Path) -> SourceKind:
    """What shape a submission path has; IntakeError when it is missing or a special file."""
    if not source.exists():
        raise IntakeError(f"submission not found: {source}", hint="check the path and retry")
    if source.is_dir():
        return SourceKind.GIT if (source / ".git").exists() else SourceKind.DIRECTORY
    if not source.is_file():
        raise IntakeError(f"{source} is not a regular file, directory, zip or tar archive")
    name = source.name.lower()
    if name.endswith(".ipynb"):
        return SourceKind.NOTEBOOK
    # The suffix catches a broken archive, which must be reported, not graded as one file.
    if zipfile.is_zipfile(source) or name.endswith(".zip"):
        return SourceKind.ZIP
    if name.endswith(tuple(TAR_MODES)) or tarfile.is_tarfile(source):
        return SourceKind.TAR
    return SourceKind.FILE


def content_hash(root: Path, files: Iterable[str]) -> str:
    """sha256 over each sorted relative POSIX path, a NUL, the file's sha256 hex and a newline."""
    digest = hashlib.sha256()
    for name in sorted(files):
        with (root / name).open("rb") as stream:
            file_hex = hashlib.file_digest(stream, "sha256").hexdigest()
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(file_hex.encode("ascii") + b"\n")
    return digest.hexdigest()


def _copy_file(source: Path, root: Path, tally: Tally) -> None:
    tally.reserve(source.name, source.stat().st_size)
    with source.open("rb") as stream, (root / source.name).open("xb") as out:
        tally.copy(stream, out)


def _copy_directory(source: Path, root: Path, tally: Tally) -> None:
    """Copy a tree without following symlinks, stopping at the first cap crossed."""
    workspace = root.stat()  # a source of /tmp must not copy its own copy
    pending: list[tuple[Path, str]] = [(source, "")]
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            rel = prefix + entry.name
            if entry.name in IGNORED_DIRS:
                tally.ignore(entry.name)
                continue
            if entry.is_symlink():
                tally.note(f"skipped symlink {shown(rel)}")
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) != (workspace.st_dev, workspace.st_ino):
                    tally.check_name(rel)
                    (root / rel).mkdir()
                    pending.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(info.st_mode):
                tally.reserve(rel, info.st_size)
                with open(entry.path, "rb") as stream, (root / rel).open("xb") as out:
                    tally.copy(stream, out)
            else:
                raise IntakeError(
                    f"{source}: '{shown(rel)}' is a device, FIFO or socket; remove it and resubmit"
                )


def _git_state(repo: Path, tally: Tally) -> tuple[str | None, bool | None]:
    """HEAD commit and dirtiness of a working tree; a None commit comes with a note."""
    try:
        head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
        status = _git(repo, "status", "--porcelain", "--ignore-submodules=all")
    except FileNotFoundError:
        tally.note("git is not installed; commit not recorded")
        return None, None
    except subprocess.TimeoutExpired:
        tally.note("git did not answer in time; commit not recorded")
        return None, None
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    if head.returncode != 0:
        reason = head.stderr.strip().splitlines()[:1] or ["the repository has no commits yet"]
        tally.note(f"git commit not recorded: {reason[0]}")
        return None, dirty
    return head.stdout.strip(), dirty


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # --no-optional-locks: `status` must not rewrite the candidate's index (originals stay
    # untouched). core.fsmonitor=false: a candidate's .git/config must not make `status` run
    # a command on the host. (Clean filters named in .git/config still could; a cloned repo
    # has no such config, so prefer clones or archives for untrusted submissions.)
    command = ["git", "--no-optional-locks", "-c", "core.fsmonitor=false", "-C", str(repo)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        encoding="utf-8",
        errors="replace",
        timeout=30,
        check=False,
    )


def _check_notebooks(
    root: Path, files: list[str], tally: Tally
) -> tuple[tuple[str, str, str], ...]:
    """Check and normalise every notebook once (see ``normalise_notebook``). A broken one is
    kept with its problem: an error only if grading picks it (an extra notebook may be junk)."""
    broken = []
    for name in files:
        if not name.endswith(".ipynb"):
            continue
        try:
            version = normalise_notebook(root / name, name)
        except IntakeError as exc:
            broken.append((name, exc.message, exc.hint or ""))
            continue
        if version is not None:
            tally.note(f"upgraded {shown(name)} from nbformat {version} to 4")
    return tuple(broken)


def _list_files(root: Path) -> list[str]:
    found: list[str] = []
    for directory, _subdirs, names in os.walk(root):
        base = Path(directory).relative_to(root)
        found.extend((base / name).as_posix() for name in names)
    return sorted(found)

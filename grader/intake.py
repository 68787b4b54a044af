"""Submission intake: a path (directory, git repo, zip, tar or one file) → a private Workspace.

The original is never modified. Archives are read member by member, never with
``extractall``: paths and links that could escape, special files and anything over the caps
are refused before writing where headers tell, and while writing where they lie.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import posixpath
import re
import shutil
import stat
import subprocess
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

from grader.errors import IntakeError, UnsafeArchiveError
from grader.model import SourceKind, Workspace
from grader.notebooks import normalise_notebook

logger = logging.getLogger(__name__)

# __MACOSX: Finder's "Compress" adds it beside the project folder; kept, it would clutter the
# workspace and stop the single top-level folder from being unwrapped.
IGNORED_DIRS = frozenset({
    ".git", "__pycache__", ".venv", "venv", "node_modules", ".ipynb_checkpoints", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".tox", ".idea", ".vscode", "__MACOSX",
})  # fmt: skip
"""Entry names skipped at any depth (with everything under them), noted once per name."""

_CHUNK = 1024 * 1024
_MB = 1024 * 1024
_TarMode = Literal["r:*", "r:", "r:gz", "r:bz2", "r:xz"]
_TAR_MODES: dict[str, _TarMode] = {
    ".tar": "r:", ".tar.gz": "r:gz", ".tgz": "r:gz", ".tar.bz2": "r:bz2", ".tbz2": "r:bz2",
    ".tar.xz": "r:xz", ".txz": "r:xz",
}  # fmt: skip
_DRIVE = re.compile(r"^[A-Za-z]:")
# What zipfile / tarfile and their decompressors raise on a damaged archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
_TAR_ERRORS = (tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, OSError)


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
    tally = _Tally(source, limits or IntakeLimits())
    commit: str | None = None
    dirty: bool | None = None
    if kind is SourceKind.ZIP:
        _read_zip(source, root, tally)
    elif kind is SourceKind.TAR:
        _read_tar(source, root, tally)
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
    if name.endswith(tuple(_TAR_MODES)) or tarfile.is_tarfile(source):
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


class _Tally:
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
        self._ignored.add(name)

    def note(self, text: str) -> None:
        self._notes.append(text)

    def notes(self) -> tuple[str, ...]:
        ignored = tuple(f"ignored {name}/" for name in sorted(self._ignored))
        return ignored + tuple(self._notes)

    def check_name(self, rel: str) -> None:
        """Refuse a path that is not UTF-8 or is too long for the caps."""
        try:
            encoded = rel.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise IntakeError(
                f"{self.source}: file name '{_shown(rel)}' is not valid UTF-8",
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
                f"{self.source} holds at least {_mb(self.declared)} of files;"
                f" the limit is {_mb(self.limits.max_bytes)}"
            )

    def copy(self, stream: IO[bytes], out: IO[bytes]) -> None:
        """Stream one file, counting the bytes really written: archive headers can lie."""
        while chunk := stream.read(_CHUNK):
            self.written += len(chunk)
            if self.written > self.limits.max_bytes:
                limit = _mb(self.limits.max_bytes)
                raise IntakeError(
                    f"{self.source} holds more than {limit} of files; the limit is {limit}"
                )
            out.write(chunk)


def _copy_file(source: Path, root: Path, tally: _Tally) -> None:
    tally.reserve(source.name, source.stat().st_size)
    with source.open("rb") as stream, (root / source.name).open("xb") as out:
        tally.copy(stream, out)


def _copy_directory(source: Path, root: Path, tally: _Tally) -> None:
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
                tally.note(f"skipped symlink {_shown(rel)}")
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
                    f"{source}: '{_shown(rel)}' is a device, FIFO or socket; remove it and resubmit"
                )


def _git_state(repo: Path, tally: _Tally) -> tuple[str | None, bool | None]:
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


@dataclass(frozen=True)
class _Member:
    """One archive member to write: its stored name (for messages) and safe relative path."""

    name: str
    rel: PurePosixPath
    handle: Any
    """The ZipInfo or TarInfo to open it by; None for a directory."""


class _Plan:
    """The archive members to keep, checked against the caps as they are added (early stop)."""

    def __init__(self, archive: Path, tally: _Tally) -> None:
        self.archive = archive
        self.tally = tally
        self.members: dict[str, _Member] = {}

    def admit(self, name: str) -> PurePosixPath | None:
        """The member's safe relative path; None for the archive root or an ignored entry."""
        rel = _safe_relpath(self.archive, name)
        ignored = next((part for part in rel.parts if part in IGNORED_DIRS), None) if rel else None
        if ignored:
            self.tally.ignore(ignored)
            return None
        return rel

    def add(self, name: str, rel: PurePosixPath, handle: Any = None, size: int = 0) -> None:
        key = rel.as_posix()
        if handle is None:
            self.tally.check_name(key)
        else:
            self.tally.reserve(key, size)
        if self.members.pop(key, None) is not None:
            self.tally.note(f"duplicate member {_shown(key)}; kept the last one")
        self.members[key] = _Member(name, rel, handle)

    def skip_link(self, name: str, rel: PurePosixPath, target: str, *, hard: bool) -> None:
        """Note an in-tree link (never created); refuse one that points outside."""
        target = target.replace("\\", "/")
        base = "" if hard else posixpath.dirname(rel.as_posix())  # hardlinks: archive-relative
        resolved = posixpath.normpath(posixpath.join(base, target))
        if target.startswith("/") or _DRIVE.match(target) or resolved.split("/")[0] == "..":
            raise self.refuse(name, "link points outside the submission")
        self.tally.note(f"skipped {'hardlink' if hard else 'symlink'} {_shown(rel.as_posix())}")

    def refuse(self, name: str, problem: str) -> UnsafeArchiveError:
        return UnsafeArchiveError.from_member(self.archive, _shown(name), problem)


def _read_zip(source: Path, root: Path, tally: _Tally) -> None:
    """Plan every member of a zip, then write the kept ones one by one."""
    try:
        with zipfile.ZipFile(source) as archive:
            plan = _Plan(source, tally)
            for info in archive.infolist():
                _plan_zip_member(plan, archive, info)
            _write_members(plan, root, archive.open)
    except _ZIP_ERRORS as exc:
        raise IntakeError(f"{source} is not a readable zip archive: {_one_line(exc)}") from exc


def _plan_zip_member(plan: _Plan, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    rel = plan.admit(info.filename)
    if rel is None:
        return
    mode = info.external_attr >> 16  # Unix mode bits; 0 from tools that do not record them
    if stat.S_ISLNK(mode):
        with archive.open(info) as stream:
            target = stream.read(4096).decode("utf-8", "surrogateescape")
        plan.skip_link(info.filename, rel, target, hard=False)
    elif info.is_dir() or stat.S_ISDIR(mode):
        plan.add(info.filename, rel)
    elif stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise plan.refuse(info.filename, "is a device, FIFO or socket")
    elif info.flag_bits & 0x1:
        raise IntakeError(
            f"{plan.archive}: member '{_shown(info.filename)}' is encrypted",
            hint="submit the archive without a password",
        )
    else:
        plan.add(info.filename, rel, info, info.file_size)


def _read_tar(source: Path, root: Path, tally: _Tally) -> None:
    """Plan every member of a tar (any compression), then write the kept ones one by one."""
    try:
        with tarfile.open(source, _tar_mode(source)) as archive:
            plan = _Plan(source, tally)
            for member in archive:
                _plan_tar_member(plan, member)

            def open_member(member: tarfile.TarInfo) -> IO[bytes]:
                stream = archive.extractfile(member)
                if stream is None:  # only regular members are planned: the header is corrupt
                    raise tarfile.ReadError(f"cannot read member {member.name!r}")
                return stream

            _write_members(plan, root, open_member)
    except _TAR_ERRORS as exc:
        raise IntakeError(f"{source} is not a readable tar archive: {_one_line(exc)}") from exc


def _plan_tar_member(plan: _Plan, member: tarfile.TarInfo) -> None:
    rel = plan.admit(member.name)
    if rel is None:
        return
    if member.isreg():
        plan.add(member.name, rel, member, member.size)
    elif member.isdir():
        plan.add(member.name, rel)
    elif member.issym() or member.islnk():
        plan.skip_link(member.name, rel, member.linkname, hard=member.islnk())
    else:
        raise plan.refuse(member.name, "is a device, FIFO or other special file")


def _tar_mode(source: Path) -> _TarMode:
    """Any compression for a readable tar; for a broken one, the suffix's, so errors are clear."""
    if tarfile.is_tarfile(source):
        return "r:*"
    name = source.name.lower()
    return next((mode for suffix, mode in _TAR_MODES.items() if name.endswith(suffix)), "r:*")


def _write_members(plan: _Plan, root: Path, open_member: Callable[[Any], IO[bytes]]) -> None:
    """Write planned members in archive order, unwrapping a single top-level folder."""
    unwrap = _single_top_dir(plan.members.values())
    real_root = root.resolve()
    for member in plan.members.values():
        parts = member.rel.parts[1:] if unwrap else member.rel.parts
        if not parts:
            continue
        dest = root.joinpath(*parts)
        if not dest.resolve().is_relative_to(real_root):
            raise plan.refuse(member.name, "path escapes the submission")
        try:
            if member.handle is None:
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            out = dest.open("xb")
        except OSError as exc:
            raise plan.refuse(member.name, f"cannot be written ({exc.strerror})") from exc
        with out, open_member(member.handle) as stream:
            plan.tally.copy(stream, out)


def _single_top_dir(members: Iterable[_Member]) -> bool:
    """True when every kept member sits under one top-level directory."""
    tops: set[str] = set()
    for member in members:
        if len(member.rel.parts) == 1 and member.handle is not None:
            return False  # a file at the top level
        tops.add(member.rel.parts[0])
    return len(tops) == 1


def _safe_relpath(archive: Path, name: str) -> PurePosixPath | None:
    """A member name as a relative path inside the workspace; None for the archive root."""
    # Backslashes count as separators: Windows tools write them, and "..\\x" must not pass.
    text = name.replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if text.startswith("/") or _DRIVE.match(text) or ".." in parts:
        raise UnsafeArchiveError.from_member(archive, _shown(name), "path escapes the submission")
    return PurePosixPath(*parts) if parts else None


def _check_notebooks(
    root: Path, files: list[str], tally: _Tally
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
            tally.note(f"upgraded {_shown(name)} from nbformat {version} to 4")
    return tuple(broken)


def _list_files(root: Path) -> list[str]:
    found: list[str] = []
    for directory, _subdirs, names in os.walk(root):
        base = Path(directory).relative_to(root)
        found.extend((base / name).as_posix() for name in names)
    return sorted(found)


def _mb(size: int) -> str:
    return f"{size / _MB:.1f} MB"


def _shown(name: str) -> str:
    """A name safe to print: undecodable bytes (surrogates) shown as escapes."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__

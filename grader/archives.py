"""Safe extraction of zip and tar submissions into a workspace.

Archives are read member by member, never with ``extractall``: paths and links that could
escape, special files and anything over the caps are refused before writing where headers
tell, and while writing where they lie. Every member is planned first, then written.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

from grader.errors import IntakeError, UnsafeArchiveError
from grader.intake_caps import IGNORED_DIRS, Tally, shown

_TarMode = Literal["r:*", "r:", "r:gz", "r:bz2", "r:xz"]
TAR_MODES: dict[str, _TarMode] = {
    ".tar": "r:", ".tar.gz": "r:gz", ".tgz": "r:gz", ".tar.bz2": "r:bz2", ".tbz2": "r:bz2",
    ".tar.xz": "r:xz", ".txz": "r:xz",
}  # fmt: skip
"""Tar suffixes and the mode each opens with (intake also recognises a tar by them)."""
_DRIVE = re.compile(r"^[A-Za-z]:")
# What zipfile / tarfile and their decompressors raise on a damaged archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
_TAR_ERRORS = (tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, OSError)


@dataclass(frozen=True)
class _Member:
    """One archive member to write: its stored name (for messages) and safe relative path."""

    name: str
    rel: PurePosixPath
    handle: Any
    """The ZipInfo or TarInfo to open it by; None for a directory."""


class _Plan:
    """The archive members to keep, checked against the caps as they are added (early stop)."""

    def __init__(self, archive: Path, tally: Tally) -> None:
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
            self.tally.note(f"duplicate member {shown(key)}; kept the last one")
        self.members[key] = _Member(name, rel, handle)

    def skip_link(self, name: str, rel: PurePosixPath, target: str, *, hard: bool) -> None:
        """Note an in-tree link (never created); refuse one that points outside."""
        target = target.replace("\\", "/")
        base = "" if hard else posixpath.dirname(rel.as_posix())  # hardlinks: archive-relative
        resolved = posixpath.normpath(posixpath.join(base, target))
        if target.startswith("/") or _DRIVE.match(target) or resolved.split("/")[0] == "..":
            raise self.refuse(name, "link points outside the submission")
        self.tally.note(f"skipped {'hardlink' if hard else 'symlink'} {shown(rel.as_posix())}")

    def refuse(self, name: str, problem: str) -> UnsafeArchiveError:
        return UnsafeArchiveError.from_member(self.archive, shown(name), problem)


def read_zip(source: Path, root: Path, tally: Tally) -> None:
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
            f"{plan.archive}: member '{shown(info.filename)}' is encrypted",
            hint="submit the archive without a password",
        )
    else:
        plan.add(info.filename, rel, info, info.file_size)


def read_tar(source: Path, root: Path, tally: Tally) -> None:
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
    return next((mode for suffix, mode in TAR_MODES.items() if name.endswith(suffix)), "r:*")


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
        raise UnsafeArchiveError.from_member(archive, shown(name), "path escapes the submission")
    return PurePosixPath(*parts) if parts else None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__

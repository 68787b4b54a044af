"""Work on candidate-writable files without trusting them: as their user, never following links.

Root (the supervisor) never opens a path a candidate's user can write. It forks a child that
drops to that user (no groups, no capabilities left) and does the work there; the answer comes
back on a pipe, capped, within a deadline. ``open_regular`` walks a path one component at a
time with ``O_NOFOLLOW`` (a symlink anywhere in it is refused), opens the file with
``O_NONBLOCK`` (a FIFO cannot block) and reads it only if ``fstat`` says it is a regular file
no bigger than the cap. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import stat
import time
from collections.abc import Callable
from pathlib import PurePosixPath

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class Unsafe(OSError):
    """The path is not a plain regular file within the size cap."""


def open_regular(path: str, cap: int) -> bytes:
    """The bytes of ``path`` if every component is a real folder and the file is regular and
    at most ``cap`` bytes; ``Unsafe`` or ``OSError`` otherwise. Never blocks, never follows."""
    parts = PurePosixPath(path).parts
    if not parts or parts[0] != "/" or ".." in parts:
        raise Unsafe(f"not an absolute, plain path: {path!r}")
    fd = os.open("/", DIR_FLAGS)
    try:
        for name in parts[1:-1]:
            nxt = os.open(name, DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nxt
        file_fd = os.open(parts[-1], FILE_FLAGS, dir_fd=fd)
    finally:
        os.close(fd)
    with contextlib.closing(_Fd(file_fd)):
        info = os.fstat(file_fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unsafe(f"not a regular file: {path!r}")
        if info.st_size > cap:
            raise Unsafe(f"bigger than {cap} bytes: {path!r}")
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(file_fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > cap:
            raise Unsafe(f"grew past {cap} bytes: {path!r}")
        return b"".join(chunks)


class _Fd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


def drop_to(uid: int) -> None:
    """Become ``uid`` (group ``uid``, no supplementary groups); a no-op when not root."""
    if os.geteuid() != 0:
        return
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def run_as(uid: int, work: Callable[[], bytes], cap: int, timeout: float) -> bytes | None:
    """``work()`` in a child forked as ``uid``; its bytes (at most ``cap``), or None if it
    failed, said too much or took longer than ``timeout`` seconds (it is then killed)."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(max(1, int(timeout) + 1))
            drop_to(uid)
            data = work()
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        except BaseException:  # noqa: BLE001 - the child reports by its exit code only
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return _collect(pid, read_end, cap, timeout)


def _collect(pid: int, fd: int, cap: int, timeout: float) -> bytes | None:
    data, deadline, ok = bytearray(), time.monotonic() + timeout, True
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(timeout=left):
                ok = False
                break
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            data += chunk
            if len(data) > cap:
                ok = False
                break
    os.close(fd)
    with contextlib.suppress(ProcessLookupError):
        if not ok:
            os.kill(pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return bytes(data) if ok and os.waitstatus_to_exitcode(status) == 0 else None


def read_as(uid: int, path: str, cap: int, timeout: float = 10.0) -> bytes | None:
    """The regular file at ``path``, read as ``uid`` (see ``open_regular``); None if unsafe,
    missing, unreadable by that user or bigger than ``cap``."""
    return run_as(uid, lambda: open_regular(path, cap), cap, timeout)

"""Clean rooms: every run of candidate code starts with nothing an earlier run left behind.

Before each phase and after every run the supervisor (PID 1) kills every other process and
reaps it, until none is left. Each run of the candidate's own tests gets a user of its own,
drawn at random from a wide range so two containers on one host do not share it (the kernel
counts ``RLIMIT_NPROC`` per user across the host): its processes are limited to fewer than the
container's pids limit, so the harness always has headroom to start its next step. After the
run, a child as that user removes whatever it left in the world-writable places (it can remove
its own files; root, without CAP_FOWNER, could not, and must not follow its links) and its
SysV IPC objects. Standard library only.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import secrets
import signal
import stat
import time
from pathlib import Path

from asuser import DIR_FLAGS, run_as

SHARED_PLACES = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue")
"""World-writable places a run could leave marks in (the read-only root makes most of the
rest unwritable); the work tmpfs is swept as the judging phase's user before own tests."""
UID_RANGE = (1_000_000, 2_000_000_000)
HEADROOM = 48
"""Processes kept free for the harness below the container's pids limit."""
KILL_ROUNDS_SECONDS = 10.0


def random_uid(taken: set[int]) -> int:
    """A user id no earlier run of this container had, unlikely to exist in another one."""
    while True:
        uid = UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])
        if uid not in taken:
            taken.add(uid)
            return uid


def pids_limit(default: int = 256) -> int:
    """The container's pids limit (cgroup v2 or v1), or ``default`` when unknown or 'max'."""
    for path in ("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max"):
        with contextlib.suppress(OSError, ValueError):
            return int(Path(path).read_text().strip())
    return default


def process_cap() -> int:
    """RLIMIT_NPROC for a candidate user: below the pids limit by the harness's headroom."""
    return max(16, pids_limit() - HEADROOM)


def limit_processes(cap: int) -> None:
    """In a child that already is the candidate user: at most ``cap`` processes of theirs."""
    resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))


def others(keep: frozenset[int] = frozenset()) -> list[int]:
    """Every process but this one and ``keep`` (zombies included) in this pid namespace."""
    spared = {os.getpid(), *keep}
    with contextlib.suppress(OSError):
        return [int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) not in spared]
    return []


def others_alive(keep: frozenset[int] = frozenset()) -> bool:
    """Whether any process but this one and ``keep`` exists in this pid namespace."""
    return bool(others(keep))


def reap(keep: frozenset[int] = frozenset()) -> None:
    """Collect every exited child (orphans come to PID 1); ``keep``'s exits are left to
    their owner (it reads their status itself)."""
    if keep:
        for pid in others(keep):
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
        return
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def kill_user(uid: int) -> None:
    """SIGKILL every process of ``uid`` at once: a child becomes ``uid`` and signals -1, which
    the kernel delivers to all of them in one pass that no fork can slip through (killing pid
    by pid, a fork bomb refills what each round killed)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def kill_all_but_me(
    limit_seconds: float = KILL_ROUNDS_SECONDS,
    keep: frozenset[int] = frozenset(),
    user: int | None = None,
) -> bool:
    """As PID 1: SIGKILL every other process and reap it, again until none is left (a fork
    bomb forks while it is being killed); ``user``'s processes first, all at once. Returns
    whether the container is empty; a no-op (True) when this is not PID 1, as in the
    project's own tests."""
    if os.getpid() != 1:
        return True
    if user is not None:
        kill_user(user)
    deadline = time.monotonic() + limit_seconds
    while True:
        if keep:  # one by one, sparing the own-tests zygote (it never ran candidate code)
            for pid in others(keep):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(-1, signal.SIGKILL)
        reap(keep)
        if not others_alive(keep):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def sweep(uid: int, places: tuple[str, ...] = SHARED_PLACES, timeout: float = 30.0) -> bool:
    """As ``uid``, remove every entry it owns at the top of ``places`` and its SysV IPC;
    whether that finished within ``timeout`` seconds."""

    def work() -> bytes:
        for place in places:
            _purge_owned(place, uid)
        _remove_ipc(uid)
        return b"ok"

    return run_as(uid, work, 16, timeout) == b"ok"


def _purge_owned(place: str, uid: int) -> None:
    """Remove what ``uid`` owns at the top of ``place``; raises if any of it is still there
    (the sweep then reports the room unclean, never clean)."""
    try:
        top = os.open(place, DIR_FLAGS)
    except OSError:
        return
    try:
        for name in os.listdir(top):
            with contextlib.suppress(OSError):
                if os.stat(name, dir_fd=top, follow_symlinks=False).st_uid == uid:
                    _remove(top, name)
        left = []
        for name in os.listdir(top):
            with contextlib.suppress(FileNotFoundError):
                if os.stat(name, dir_fd=top, follow_symlinks=False).st_uid == uid:
                    left.append(name)
        if left:
            raise OSError(f"{len(left)} entries of the run could not be removed from {place}")
    finally:
        os.close(top)


def _remove(parent: int, name: str) -> None:
    """Remove ``name`` in the folder ``parent`` and all below it, depth-first without
    recursion (a tree can be deeper than Python's stack), never following a link. One folder
    is open at a time (back up through its ``..``, which is never a link), so a chain deeper
    than the open-file limit goes too; each folder is listed once, so a folder of many
    subfolders costs time in proportion to its size, not to its square."""
    if not stat.S_ISDIR(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode):
        os.unlink(name, dir_fd=parent)
        return
    fd = _open_dir(parent, name)
    stack = [(name, iter(os.listdir(fd)))]
    try:
        while stack:
            entry, pending = stack[-1]
            below = None
            for child in pending:
                if stat.S_ISDIR(os.stat(child, dir_fd=fd, follow_symlinks=False).st_mode):
                    below = child
                    break
                os.unlink(child, dir_fd=fd)
            if below is not None:
                inner = _open_dir(fd, below)
                os.close(fd)
                fd = inner
                stack.append((below, iter(os.listdir(fd))))
                continue
            stack.pop()
            outer = os.open("..", DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = outer
            os.rmdir(entry, dir_fd=fd)
    finally:
        os.close(fd)


def _open_dir(parent: int, name: str) -> int:
    """Open a folder this user may have locked (mode 000), making it searchable first."""
    with contextlib.suppress(OSError):
        os.chmod(name, 0o700, dir_fd=parent)
    return os.open(name, DIR_FLAGS, dir_fd=parent)


def _remove_ipc(uid: int) -> None:
    """Remove the SysV shared memory, semaphores and queues ``uid`` owns (IPC_RMID = 0)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        removers = {
            "shm": lambda i: libc.shmctl(i, 0, None),
            "sem": lambda i: libc.semctl(i, 0, 0),
            "msg": lambda i: libc.msgctl(i, 0, None),
        }
        for kind, remove in removers.items():
            with contextlib.suppress(OSError, ValueError, IndexError):
                lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()
                header = lines[0].split()
                for line in lines[1:]:
                    row = dict(zip(header, line.split(), strict=False))
                    # Creator too: an owner may hand its segment to root with IPC_SET,
                    # but the creator stays, and may still remove it.
                    if uid in (int(row.get("uid", -1)), int(row.get("cuid", -1))):
                        remove(int(row["shmid" if kind == "shm" else f"{kind}id"]))

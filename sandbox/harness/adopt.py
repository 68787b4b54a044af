"""The judge's side of a warm notebook runner (see ``warm``): take it over, or give up on it.

The runner was started by the supervisor before the job existed, so it is not this judge's
child: its end is read from /proc (it stays a zombie until the supervisor reaps it). It says
``R`` on its reply pipe once its kernel is up; the judge then sends the job on the request
pipe (a 4-byte length, then JSON), and from there on speaks the usual protocol over the same
two pipes. A runner that never says it is ready is killed, and the judge starts a cold one as
it always did.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import time
from pathlib import Path
from typing import Any

READY_SECONDS = 60.0
"""A kernel start, at worst (nbclient's own start-up limit)."""


class Adopted:
    """A ``Popen``-like handle on a process this judge did not start."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """0 once the process is gone (its status is the supervisor's to read), else None."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text(encoding="ascii", errors="replace")
            state = stat.rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            state = "X"
        if state in ("Z", "X"):
            self.returncode = 0
        return self.returncode

    def wait(self, limit: float = 5.0) -> int | None:
        deadline = time.monotonic() + limit
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.returncode


def adopt(warm: dict[str, Any], go: dict[str, Any]) -> tuple[int, int, Adopted] | None:
    """(request fd, reply fd, handle) of the warm runner, sent ``go``; None if unusable."""
    try:
        request_fd, reply_fd, pid = (int(warm[k]) for k in ("request_fd", "reply_fd", "pid"))
    except (KeyError, TypeError, ValueError):
        return None
    if _ready(reply_fd, READY_SECONDS):
        with contextlib.suppress(OSError):
            body = json.dumps(go).encode()  # a few hundred bytes: the pipe takes it at once
            os.write(request_fd, len(body).to_bytes(4, "big") + body)
            return request_fd, reply_fd, Adopted(pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    for fd in (request_fd, reply_fd):
        with contextlib.suppress(OSError):
            os.close(fd)
    return None


def _ready(fd: int, timeout: float) -> bool:
    with selectors.DefaultSelector() as sel:
        try:
            sel.register(fd, selectors.EVENT_READ)
        except (OSError, ValueError):
            return False
        if not sel.select(timeout):
            return False
    try:
        return os.read(fd, 1) == b"R"
    except OSError:
        return False

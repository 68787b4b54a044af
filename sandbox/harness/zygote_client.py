"""The supervisor's side of the own-tests zygote (see own_zygote.py): start it, ask it for one
run at a time, enforce the run's timeout, stop it.

The zygote runs as root in a session of its own; it is spared by the clean-room kills between
runs (``keep``) and killed with everything else when the phase ends. Every failure to talk to
it (it died, answered garbage, took too long to fork) ends it for the rest of the phase: the
caller then starts each run in a fresh interpreter, as before the zygote existed. Standard
library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

from rooms import kill_all_but_me

READY_SECONDS = 30.0
"""Importing pytest, coverage and the exercise's libraries once."""
ANSWER_SECONDS = 10.0
"""Forking a child, or reaping it once killed."""
LINE_CAP = 4096


class Zygote:
    """A running zygote and the line-reader over its answers."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.buffer = b""

    @classmethod
    def start(
        cls,
        script: Path,
        env: dict[str, str],
        preload: list[str],
        suite: dict | None = None,
        ready_seconds: float = READY_SECONDS,
    ) -> Zygote | None:
        """Start the zygote and wait until it has imported everything (and, given ``suite``,
        rewritten its test modules once), at most ``ready_seconds``; None if it cannot."""
        command = [sys.executable, "-I", "-B", str(script), json.dumps(preload)]
        if suite is not None:
            command.append(json.dumps(suite))
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd="/",
                start_new_session=True,
            )
        except OSError:
            return None
        zygote = cls(proc)
        if zygote._answer(min(READY_SECONDS, ready_seconds)).get("ready") is not True:
            zygote.stop()
            return None
        return zygote

    @property
    def keep(self) -> frozenset[int]:
        """The pids the clean-room kills must spare (none once it is gone)."""
        return frozenset({self.proc.pid}) if self.proc.poll() is None else frozenset()

    def run(
        self, uid: int, cap: int, env: dict[str, str], request: dict, timeout: float
    ) -> tuple[int, bool] | None:
        """One run as ``uid``: (exit code, timed out); None when the zygote failed (it is then
        stopped, and the caller runs the suite the old way)."""
        modules_file = request.pop("modules_file", None)
        message = {"uid": uid, "cap": cap, "env": env, "request": request}
        if modules_file:
            message["modules_file"] = modules_file
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(message).encode() + b"\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            self.stop()
            request["modules_file"] = modules_file
            return None
        if not isinstance(self._answer(ANSWER_SECONDS).get("pid"), int):
            self.stop()
            request["modules_file"] = modules_file
            return None
        answer = self._answer(timeout)
        timed_out = "exit" not in answer and self.proc.poll() is None
        if timed_out:
            # Every process of the run, its child first among them; the zygote is spared and
            # reaps the child, then says so.
            kill_all_but_me(keep=self.keep)
            answer = self._answer(ANSWER_SECONDS)
        code = answer.get("exit")
        if not isinstance(code, int):
            self.stop()
            return (-1, True) if timed_out else None
        return code, timed_out

    def stop(self) -> None:
        """End the zygote (its own session holds nothing else)."""
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=ANSWER_SECONDS)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def _answer(self, timeout: float) -> dict:
        """The zygote's next JSON line within ``timeout`` seconds, or {} (never raises)."""
        stdout = self.proc.stdout
        if stdout is None:
            return {}
        deadline = time.monotonic() + timeout
        fd = stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self.buffer and len(self.buffer) < LINE_CAP:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(timeout=left):
                    return {}
                chunk = os.read(fd, LINE_CAP)
                if not chunk:
                    return {}
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            answer = json.loads(line)
        except (ValueError, RecursionError):
            return {}
        return answer if isinstance(answer, dict) else {}

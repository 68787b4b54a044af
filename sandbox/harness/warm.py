"""A notebook kernel started before the job arrives, so a notebook grade does not wait for it.

A notebook grade spends most of its time starting the runner and its Jupyter kernel (issue 18:
0.15 s and 0.44 s of a 1 s grade). A spare container waits idle for its job; when the host
created it expecting a notebook (``MLGRADE_WARM=notebook``: the grade before it on that worker
was one), the supervisor starts ``notebook_runner.py --warm`` right away, as the candidate's
user, with the request and reply pipes a ``CandidateProcess`` would give it. It starts the
kernel and waits; nothing of any candidate exists yet, so it runs no candidate code. When
the job is a notebook, the judge is handed the runner's pipe ends and pid and sends it the job
as its first message (``remote.CandidateProcess``, first process only); otherwise the runner
is killed before the judge starts. What it prints is read into the judge's output as the cold
runner's would be. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from candidate_env import candidate_env
from steps import spawn

HERE = Path(__file__).resolve().parent
WARM_ENV = "MLGRADE_WARM"


@dataclass
class Warm:
    """A started warm runner and the supervisor's ends of its pipes."""

    proc: subprocess.Popen
    request_w: int
    reply_r: int
    started: float = field(default_factory=time.monotonic)

    def handoff(self) -> dict[str, int]:
        """What the judge needs to take the runner over (its fds are passed to the judge)."""
        return {"pid": self.proc.pid, "request_fd": self.request_w, "reply_fd": self.reply_r}

    def outputs(self) -> tuple[int, int]:
        """The runner's stdout and stderr, to read with the judge's."""
        assert self.proc.stdout is not None and self.proc.stderr is not None
        return self.proc.stdout.fileno(), self.proc.stderr.fileno()

    def release(self) -> None:
        """Close the supervisor's pipe ends (the judge holds its own copies now)."""
        for fd in (self.request_w, self.reply_r):
            with contextlib.suppress(OSError):
                os.close(fd)

    def stop(self) -> None:
        """Kill the runner and its kernel (its session) and close everything of it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.release()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def start(work: Path, uid: int) -> Warm | None:
    """The warm runner, if this container was created for one and it can be started."""
    if os.environ.get(WARM_ENV) != "notebook":
        return None
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    command = [sys.executable, "-I", "-B", "-u", str(HERE / "notebook_runner.py"), "--warm",
               str(req_r), str(rep_w), str(work)]  # fmt: skip
    try:
        proc = spawn(
            lambda: subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(req_r, rep_w),
                env=candidate_env(work),
                cwd="/",
                start_new_session=True,
                user=uid,
                group=uid,
                extra_groups=[],
            )
        )
    except OSError:
        proc = None
    finally:
        os.close(req_r)
        os.close(rep_w)
    if proc is None:
        os.close(req_w)
        os.close(rep_r)
        return None
    return Warm(proc, req_w, rep_r)

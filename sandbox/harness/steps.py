"""Starting harness steps so the candidate can neither stop them nor crash the supervisor.

A step that cannot be spawned (a fork bomb filled the pids limit) is retried after every
other process is killed; whatever a step prints is parsed defensively, so garbage (deeply
nested JSON, a flood, invalid UTF-8) becomes that step's error, never an exception that would
make the grade ungradable. Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

from rooms import kill_all_but_me

SPAWN_ATTEMPTS = 5
STEP_OUTPUT_CAP = 4 * 1024 * 1024


def spawn(start: Callable[[], subprocess.Popen]) -> subprocess.Popen | None:
    """``start()``, retried after killing every other process when the kernel refuses a new
    process (EAGAIN/ENOMEM from a candidate's fork bomb); None if it never could."""
    for attempt in range(SPAWN_ATTEMPTS):
        try:
            return start()
        except (BlockingIOError, MemoryError, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno not in (11, 12):  # EAGAIN, ENOMEM
                raise
            kill_all_but_me()
            time.sleep(0.05 * (attempt + 1))
    return None


def spawn_as(
    uid: int,
    command: list[str],
    env: dict[str, str],
    *,
    output: int = subprocess.PIPE,
    before: Callable[[], None] | None = None,
) -> subprocess.Popen | None:
    """``command`` as ``uid`` (no other groups, its own session, cwd /), its request to come
    on stdin; spawned as ``spawn`` does, so a full process table is not the harness's end."""
    return spawn(
        lambda: subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=output,
            user=uid,
            group=uid,
            extra_groups=[],
            env=env,
            cwd="/",
            start_new_session=True,
            preexec_fn=before,
        )
    )


def parse_answer(raw: bytes, what: str) -> dict[str, Any]:
    """A step's JSON object, or ``{"error": ...}`` for anything else (never raises)."""
    try:
        answer = json.loads(raw[:STEP_OUTPUT_CAP].decode("utf-8", "strict"))
    except (ValueError, RecursionError, UnicodeDecodeError, MemoryError):
        return {"error": f"{what} answered with something that is not JSON"}
    return answer if isinstance(answer, dict) else {"error": f"{what} answered badly"}


def run_step(
    command: list[str], request: dict, *, uid: int, env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """Run a harness script as ``uid`` with a JSON request on stdin; its answer or an error."""
    what = command[-1].rsplit("/", 1)[-1]
    proc = spawn_as(uid, command, env)
    if proc is None:
        return {"error": f"{what} could not be started: the process limit is exhausted"}
    try:
        out, err = proc.communicate(json.dumps(request).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"error": f"{what} timed out after {timeout:g} s"}
    answer = parse_answer(out, what)
    if "error" in answer and not isinstance(answer["error"], str):
        answer["error"] = str(answer["error"])[:300]
    if not out.strip():
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return {"error": f"{what} failed: {tail[0][:300]}"}
    return answer

"""The judge's side of a warm notebook runner (sandbox/harness/adopt.py), without Docker: a
real process stands in for the runner. A runner that says ``R`` gets the job, length-prefixed;
one that says anything else, or nothing, is killed and its pipes closed, so the judge starts a
cold runner as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

import adopt


def stand_in(says: bytes) -> tuple[subprocess.Popen, dict[str, int], int, int]:
    """A process in a session of its own that writes ``says`` on its reply pipe, then waits."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    code = f"import os, time; os.write({rep_w}, {says!r}); time.sleep(30)"
    proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=(rep_w,), start_new_session=True)
    os.close(rep_w)
    warm = {"pid": proc.pid, "request_fd": req_w, "reply_fd": rep_r}
    return proc, warm, req_r, rep_r


def test_a_ready_runner_gets_the_job_length_prefixed() -> None:
    proc, warm, req_r, _ = stand_in(b"R")
    try:
        adopted = adopt.adopt(warm, {"spec": {"notebook": "a.ipynb"}})
        assert adopted is not None
        request_fd, reply_fd, handle = adopted
        assert (request_fd, reply_fd, handle.pid) == (
            warm["request_fd"],
            warm["reply_fd"],
            proc.pid,
        )
        size = int.from_bytes(os.read(req_r, 4), "big")
        assert json.loads(os.read(req_r, size)) == {"spec": {"notebook": "a.ipynb"}}
        assert handle.poll() is None  # still running
    finally:
        proc.kill()
        proc.wait()
    assert adopt.Adopted(proc.pid).poll() == 0  # reaped: gone


@pytest.mark.parametrize("says", [b"X", b""])
def test_a_runner_that_is_not_ready_is_killed_and_let_go(
    says: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adopt, "READY_SECONDS", 0.5)
    proc, warm, _, _ = stand_in(says)
    started = time.monotonic()
    assert adopt.adopt(warm, {}) is None
    assert proc.wait(timeout=5) == -9  # killed, not left waiting for a job
    assert time.monotonic() - started < 5
    for fd in (warm["request_fd"], warm["reply_fd"]):
        with pytest.raises(OSError):
            os.fstat(fd)  # closed


def test_a_handoff_with_missing_fields_is_refused() -> None:
    assert adopt.adopt({"pid": "x"}, {}) is None

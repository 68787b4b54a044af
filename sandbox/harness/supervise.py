"""Container entry point (PID 1): run the judge under a deadline and report one framed result.

Runs as root with only SETUID, SETGID and KILL. Reads ``/grader/job.json``, starts the judge
(root, files in the 0700 ``/judge`` tmpfs) in its own session with stdin closed, caps what it
and the candidate process print, kills it at the deadline, and writes a single JSON frame on
stdout: the only thing the host reads from this container.
This file must run on a bare Python: it imports nothing outside the standard library.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

GRADER = Path("/grader")
WORK = Path("/work")
JUDGE = Path("/judge")
CANDIDATE_USER = "10001:10001"
HERE = Path(__file__).resolve().parent
FRAME_BEGIN = "MLGRADE-RESULT-BEGIN"
FRAME_END = "MLGRADE-RESULT-END"
RESULT_BYTES_CAP = 4 * 1024 * 1024
GRACE_SECONDS = 1.0


class Capped:
    """Keeps the first ``cap`` bytes of a stream and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        return self.kept.decode("utf-8", errors="replace")


def oom_kills() -> int:
    """OOM kills recorded by this container's memory cgroup (v2 or v1), or -1 if unknown."""
    for path, key in (
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
    ):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return -1


def judge_env() -> dict[str, str]:
    """A minimal environment: nothing inherited, no pytest or Python switches."""
    home = JUDGE / "home"
    home.mkdir(exist_ok=True)
    (JUDGE / "tmp").mkdir(exist_ok=True)
    return {
        "PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(JUDGE / "tmp"),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }


def pump(
    proc: subprocess.Popen,
    results_r: int,
    deadline: float,
    out: Capped,
    err: Capped,
    results: Capped,
) -> bool:
    """Read the judge's streams until they close or the deadline passes; True if timed out."""
    sel = selectors.DefaultSelector()
    sinks = {proc.stdout.fileno(): out, proc.stderr.fileno(): err, results_r: results}
    for fd in sinks:
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    exited_at: float | None = None
    timed_out = False
    while sel.get_map():
        now = time.monotonic()
        if now >= deadline:
            timed_out = proc.poll() is None
            break
        if exited_at is None and proc.poll() is not None:
            exited_at = now
        if exited_at is not None and now - exited_at > GRACE_SECONDS:
            break  # a daemon the judge left behind still holds a pipe open
        for key, _ in sel.select(timeout=min(0.2, deadline - now)):
            try:
                chunk = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if chunk:
                sinks[key.fd].feed(chunk)
            else:
                sel.unregister(key.fd)
    sel.close()
    return timed_out


def run(job: dict) -> dict:
    """Run the judge once and return the frame's payload."""
    job = {
        **job,
        "submission_dir": str(GRADER / "submission"),
        "tests_dir": str(GRADER / "tests"),
        "work_dir": str(WORK),
        "judge_dir": str(JUDGE),
        "candidate_user": CANDIDATE_USER,
    }
    job_path = JUDGE / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    results_r, results_w = os.pipe()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-B", str(HERE / "judge.py"), str(job_path), str(results_w)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(results_w,),
        cwd=JUDGE,
        env=judge_env(),
        start_new_session=True,
    )
    os.close(results_w)
    cap = int(job["output_kb"]) * 1024
    out, err, results = Capped(cap), Capped(cap), Capped(RESULT_BYTES_CAP)
    timed_out = pump(proc, results_r, started + float(job["time_seconds"]), out, err, results)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    returncode = proc.wait()
    return {
        "version": 1,
        "timed_out": timed_out,
        "returncode": returncode,
        "duration": round(time.monotonic() - started, 3),
        "results": results.text(),
        "results_dropped": results.dropped,
        "stdout": out.text(),
        "stderr": err.text(),
        "output_dropped": out.dropped + err.dropped,
        "oom_kills": oom_kills(),
    }


def main() -> int:
    # PID 1 ignores SIGTERM by default; the host kills with SIGKILL at its own deadline.
    job = json.loads((GRADER / "job.json").read_text(encoding="utf-8"))
    try:
        payload = run(job)
    except Exception as exc:  # noqa: BLE001 - reported to the host as a harness failure
        payload = {"version": 1, "harness_error": f"{type(exc).__name__}: {exc}"}
    frame = f"\n{FRAME_BEGIN}\n{json.dumps(payload)}\n{FRAME_END}\n"
    sys.stdout.write(frame)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

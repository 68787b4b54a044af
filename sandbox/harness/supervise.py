"""Container entry point (PID 1): run the judge under a deadline and report one framed result.

Runs as root with only SETUID, SETGID and KILL. The container is started before its job
exists: the supervisor waits on stdin for the host's inputs (one header line, then a tar of
the job, the submission and the hidden tests), unpacks them into the ``/grader`` tmpfs and
puts stdin on /dev/null. It then reads ``/grader/job.json``, starts the judge
(root, files in the 0700 ``/judge`` tmpfs) in its own session with stdin closed, caps what it
and the candidate process print, kills it at the deadline, and writes a single JSON frame on
stdout: the only thing the host reads from this container. Between phases it kills every
other process (``rooms``); the candidate's own tests run in clean rooms (``own_tests``).
This file must run on a bare Python: it imports nothing outside the standard library.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import selectors
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))  # -I leaves the harness off sys.path
from asuser import read_as
from own_tests import listen_for_go, own_tests_phase
from rooms import SHARED_PLACES, kill_all_but_me, sweep
from steps import parse_answer, run_step
from warm import Warm
from warm import start as start_warm

GRADER = Path("/grader")
WORK = Path("/work")
JUDGE = Path("/judge")
PATH = "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin"
CANDIDATE_UID = 10001
CANDIDATE_USER = f"{CANDIDATE_UID}:{CANDIDATE_UID}"
HERE = Path(__file__).resolve().parent
FRAME_BEGIN = "MLGRADE-RESULT-BEGIN"
FRAME_END = "MLGRADE-RESULT-END"
RESULT_BYTES_CAP = 4 * 1024 * 1024
GRACE_SECONDS = 1.0
NOTEBOOK_BYTES_CAP = 1024 * 1024 + 65536
INPUTS_TAG = b"mlgrade-inputs"
WAIT_FOR_INPUTS_SECONDS = 300.0
"""A started container that gets no inputs in this time exits, having run nothing, so a spare
left by a killed grader does not wait forever (`grade sandbox clean --stale` removes it)."""
READ_INPUTS_SECONDS = 120.0
FRAME_SECONDS = 5.0


class NoInputs(Exception):
    """Nothing came on stdin: a spare that was never used."""


class BadInputs(Exception):
    """Something came on stdin that is not a complete, well-formed inputs message."""


def _read(fd: int, most: int, deadline: float) -> bytes:
    """Up to ``most`` bytes from ``fd`` once it is readable; NoInputs at the deadline or EOF."""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            raise NoInputs("no inputs arrived in time")
    chunk = os.read(fd, most)
    if not chunk:
        raise NoInputs("stdin closed")
    return chunk


def read_inputs(fd: int, wait_seconds: float) -> bytes:
    """The tar the host sends on ``fd``: a line ``mlgrade-inputs SIZE``, then SIZE bytes."""
    header = _read(fd, 1, time.monotonic() + wait_seconds)
    deadline = time.monotonic() + READ_INPUTS_SECONDS
    try:
        while not header.endswith(b"\n"):
            if len(header) > 64:
                raise BadInputs("the inputs header is malformed")
            header += _read(fd, 1, deadline)
        tag, _, size_text = header.strip().partition(b" ")
        if tag != INPUTS_TAG or not size_text.isdigit():
            raise BadInputs("the inputs header is malformed")
        size, data = int(size_text), bytearray()
        while len(data) < size:
            data += _read(fd, min(1 << 20, size - len(data)), deadline)
    except NoInputs as exc:
        raise BadInputs(f"the inputs are incomplete ({exc})") from exc
    return bytes(data)


def unpack_inputs(data: bytes, dest: Path) -> None:
    """Write the host's tar into ``dest``: plain files and folders only, with the modes the
    host chose (the job and hidden tests root-only), never outside ``dest``."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for member in tar:
            name = PurePosixPath(member.name)
            if not name.parts or name.is_absolute() or ".." in name.parts:
                raise BadInputs(f"unsafe name in the inputs: {member.name!r}")
            target, mode = dest.joinpath(*name.parts), member.mode & 0o777
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if member.isdir():
                target.mkdir(mode=mode, exist_ok=True)
                os.chmod(target, mode, follow_symlinks=False)
            elif member.isfile():
                source = tar.extractfile(member)
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                with source, os.fdopen(os.open(target, flags, mode), "wb") as sink:
                    while block := source.read(1 << 20):
                        sink.write(block)
            else:
                raise BadInputs(f"unexpected entry in the inputs: {member.name!r}")


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
        "PATH": PATH,
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
    more: dict[int, Capped] | None = None,
) -> tuple[bool, float | None]:
    """Read the judge's streams (and ``more``: a warm runner's) until they close or the
    deadline passes.

    Returns whether it timed out, and when the judge process exited (None if it did not).
    """
    sel = selectors.DefaultSelector()
    sinks = {proc.stdout.fileno(): out, proc.stderr.fileno(): err, results_r: results}
    sinks.update(more or {})
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
    return timed_out, exited_at


def run(job: dict, warm: Warm | None = None) -> dict:
    """Run the judge once and return the frame's payload."""
    if warm is not None and not job.get("notebook"):
        # Nothing to warm for: the runner, and its kernel in a session of its own, must not
        # outlive the wait for the job (nothing else runs yet).
        warm.stop()
        kill_all_but_me()
        warm = None
    job = {
        **job,
        "submission_dir": str(GRADER / "submission"),
        "tests_dir": str(GRADER / "tests"),
        "work_dir": str(WORK),
        "judge_dir": str(JUDGE),
        "candidate_user": CANDIDATE_USER,
    }
    handed = warm.handoff() if warm is not None else None
    if handed is not None:
        job["warm"] = handed
    job_path = JUDGE / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    results_r, results_w = os.pipe()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-B", str(HERE / "judge.py"), str(job_path), str(results_w)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(results_w, *((handed["request_fd"], handed["reply_fd"]) if handed else ())),
        cwd=JUDGE,
        env=judge_env(),
        start_new_session=True,
    )
    os.close(results_w)
    cap = int(job["output_kb"]) * 1024
    out, err, results = Capped(cap), Capped(cap), Capped(RESULT_BYTES_CAP)
    more: dict[int, Capped] = {}
    if warm is not None:
        warm.release()  # the judge's copies only: its close is the runner's end of input
        warm_out, warm_err = warm.outputs()
        more = {warm_out: out, warm_err: err}
    timed_out, exited_at = pump(
        proc, results_r, started + float(job["time_seconds"]), out, err, results, more
    )
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
        "judge_seconds": round((exited_at or time.monotonic()) - started, 3),
    }


def quality_phase(job: dict) -> dict:
    """Lint the candidate's files as the candidate's user (none of its processes is left)."""
    files = job.get("quality_files") or []
    if not files:
        return {}
    # The host gives lint a share of the grade's bound (PhaseBudgets): ruff, then the wrapper.
    budget = float(job.get("quality_seconds", 20))
    request = {"root": str(GRADER / "submission"), "files": files, "timeout": max(1.0, budget - 2)}
    command = [sys.executable, "-I", "-B", str(HERE / "quality.py")]
    env = {"PATH": PATH, "LANG": "C.UTF-8", "HOME": "/tmp"}
    return run_step(command, request, uid=CANDIDATE_UID, env=env, timeout=budget)


def executed_notebook(job: dict) -> str | None:
    """The executed notebook the candidate process left (evidence only), capped; or None.

    Read as the candidate's user, never following a link, never blocking on a FIFO."""
    if not job.get("notebook"):
        return None
    data = read_as(CANDIDATE_UID, str(WORK / "notebook-run" / "executed.ipynb"), NOTEBOOK_BYTES_CAP)
    return None if data is None else data.decode("utf-8", errors="replace")


def receive_job() -> dict | None:
    """Wait for the inputs, unpack them, close stdin; the job, or None if nothing came."""
    try:
        data = read_inputs(0, WAIT_FOR_INPUTS_SECONDS)
    except NoInputs:
        return None  # a spare nobody took: it ran nothing, it reports nothing
    finally:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
    arrived = time.monotonic()
    unpack_inputs(data, GRADER)
    job = parse_answer((GRADER / "job.json").read_bytes(), "the job")
    if "error" in job:
        raise BadInputs(job["error"])
    # The host kills the container grade_seconds after sending; whatever the earlier phases
    # took, the last one must end early enough for the frame to get out.
    job["ends_by"] = arrived + float(job.get("grade_seconds", 1e9)) - FRAME_SECONDS
    return job


def grade(job: dict, warm: Warm | None = None) -> dict:
    """Judge, then lint, then the candidate's own tests; the frame's payload. A container
    the host started for a share of the own-tests runs only does that share."""
    if job.get("only_own_tests"):
        if warm is not None:
            warm.stop()
        return own_tests_only(job)
    try:
        clock = time.monotonic()
        # How long a warm notebook kernel had been starting before the job came (a grade
        # that used one shows it among its phases; issue 18's benchmarks read it).
        ahead = clock - warm.started if warm is not None and job.get("notebook") else None
        payload = run(job, warm)
        kill_all_but_me()
        payload["notebook"] = executed_notebook(job)
        phases = {"judge": time.monotonic() - clock}
        if ahead is not None:
            phases["warm_kernel_ahead"] = ahead
        clock = time.monotonic()
        payload["quality"] = quality_phase(job)
        kill_all_but_me()
        # Nothing of the judging phase's user may reach the candidate's own tests.
        sweep(CANDIDATE_UID, (*SHARED_PLACES, str(WORK)))
        phases["quality"] = time.monotonic() - clock
        clock = time.monotonic()
        payload["own_tests"] = own_tests_phase(job, str(GRADER / "submission"))
        phases["own_tests"] = time.monotonic() - clock
        payload["phases"] = {k: round(v, 3) for k, v in phases.items()}
    except Exception as exc:  # noqa: BLE001 - reported to the host as a harness failure
        payload = {"version": 1, "harness_error": f"{type(exc).__name__}: {exc}"}
    return payload


def own_tests_only(job: dict) -> dict:
    try:
        kill_all_but_me()
        clock = time.monotonic()
        section = own_tests_phase(job, str(GRADER / "submission"))
        phases = {"own_tests": round(time.monotonic() - clock, 3)}
        return {"version": 1, "own_tests": section, "phases": phases}
    except Exception as exc:  # noqa: BLE001 - reported to the host as a harness failure
        return {"version": 1, "harness_error": f"{type(exc).__name__}: {exc}"}


def main() -> int:
    # PID 1 ignores SIGTERM by default; the host kills with SIGKILL at its own deadline.
    listen_for_go()  # before anything else: the host's word may come early
    warm = start_warm(WORK, CANDIDATE_UID)  # before the wait: that is what it is for
    try:
        job = receive_job()
    except (BadInputs, OSError, ValueError, tarfile.TarError) as exc:
        job, payload = None, {"version": 1, "harness_error": f"bad inputs: {exc}"}
    else:
        if job is None:  # a spare nobody took: it ran nothing, it reports nothing
            if warm is not None:
                warm.stop()
            return 0
    if job is not None:
        payload = grade(job, warm)
    elif warm is not None:
        warm.stop()
    frame = f"\n{FRAME_BEGIN}\n{json.dumps(payload)}\n{FRAME_END}\n"
    sys.stdout.write(frame)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

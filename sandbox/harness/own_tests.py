"""Drive the candidate's own test suite: their code, the reference and each mutant, apart.

Runs inside the supervisor (root, out of the tests' reach: they cannot ptrace, signal or
write into it). Each run is a clean room (see ``rooms``): every other process killed first,
a fresh random user, a private 0700 folder, and afterwards its processes killed and whatever
it left in the shared places removed (an unclean room ends the phase). The scored runs come
first, in the order the host drew for this container: the reference (several times) and the
mutants, each started and treated exactly alike (the whole suite, the same pytest arguments,
no tracer), from a copy of the submission without its implementation. The candidate's own
code runs last (with coverage) in the one container that has it: it is the one recognisable
run, and nothing it leaves may reach a scored run. See the design notes, "Own-tests runs
fork from a zygote" and "Own-tests runs are shared out over containers". The run's outcome
file and coverage report are read as the run's user with ``asuser.read_as`` (no links, no
FIFOs, capped). The host keeps only failures of ids the own run collected, and withholds
messages that quote a hidden implementation (``grader.runner.own_shards``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from asuser import read_as
from cells import notebook_as_module
from rooms import (
    SHARED_PLACES,
    kill_all_but_me,
    limit_processes,
    process_cap,
    random_uid,
    sweep,
)
from steps import spawn_as
from zygote_client import Zygote

HERE = Path(__file__).resolve().parent
ENV = {
    "PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "USER": "tester",
    "PYTHONHASHSEED": "0",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}
RESULTS_CAP = 2 * 1024 * 1024
COVERAGE_CAP = 4 * 1024 * 1024
IDS_CAP = 500
ID_LENGTH = 200
MESSAGE_LENGTH = 160
RESERVE_SECONDS = 5.0


def plain(text: str, limit: int) -> str:
    """Printable ASCII only, cut to ``limit`` characters."""
    return "".join(c if " " <= c <= "~" else "?" for c in text[:limit])


def is_plain_id(test_id: str) -> bool:
    return 0 < len(test_id) <= ID_LENGTH and all(" " <= c <= "~" for c in test_id)


def read_outcomes(raw: bytes | None) -> tuple[list[str], dict[str, str]]:
    """Collected ids (plain, capped) and failed id -> message from a run's results file."""
    collected: list[str] = []
    failed: dict[str, str] = {}
    for line in (raw or b"").decode("utf-8", "replace").splitlines()[: 4 * IDS_CAP]:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(record, dict):
            continue
        ids = record.get("collected")
        if isinstance(ids, list):
            collected += [i for i in ids if isinstance(i, str) and is_plain_id(i)]
        test_id, message = record.get("failed"), record.get("message")
        if isinstance(test_id, str) and is_plain_id(test_id) and len(failed) < IDS_CAP:
            text = message.strip().splitlines()[0] if isinstance(message, str) else ""
            failed.setdefault(test_id, plain(text if text.strip() else "", MESSAGE_LENGTH))
    return list(dict.fromkeys(collected))[:IDS_CAP], failed


def read_coverage(raw: bytes | None) -> dict[str, Any]:
    """Branch counts from a coverage JSON report (written by the tests' process: evidence)."""
    try:
        totals = json.loads(raw or b"")["totals"]
        branches, covered = int(totals["num_branches"]), int(totals["covered_branches"])
    except (ValueError, RecursionError, KeyError, TypeError):
        return {}
    if not 0 <= covered <= branches <= 10**6:
        return {}
    return {"branches": branches, "covered_branches": covered}


def one_run(
    request: dict,
    timeout: float,
    taken: set[int],
    zygote: Zygote | None = None,
    clean_by: float = float("inf"),
) -> dict[str, Any]:
    """The suite against one implementation, in a clean room; its summary. Forked from the
    zygote when it is up (no interpreter start, no imports), else a fresh interpreter."""
    keep = zygote.keep if zygote is not None else frozenset()
    kill_all_but_me(keep=keep)
    uid = random_uid(taken)
    private = f"/tmp/mlgrade-run-{secrets.token_hex(8)}"
    env = {**ENV, "HOME": f"{private}/home", "TMPDIR": f"{private}/tmp"}
    outcome = None
    if zygote is not None:
        outcome = zygote.run(uid, process_cap(), env, {**request, "private": private}, timeout)
        keep = zygote.keep  # empty once the zygote is gone
    if outcome is None:
        outcome = _standalone(uid, env, {**request, "private": private}, timeout)
    if outcome is None:
        return {"error": "the run could not be started: the process limit is exhausted"}
    code, timed_out = outcome
    kill_all_but_me(keep=keep, user=uid)
    collected, failed = read_outcomes(read_as(uid, f"{private}/results.jsonl", RESULTS_CAP))
    result: dict[str, Any] = {"exit": code, "timed_out": timed_out, "tests": len(collected)}
    result.update(collected=collected, failed=sorted(failed), messages=failed)
    if request.get("coverage") and not timed_out:
        result["coverage"] = read_coverage(read_as(uid, f"{private}/coverage.json", COVERAGE_CAP))
    # /work is a world-writable tmpfs too: what a run left there must not reach the next.
    # A sweep that does not finish (in its own time, never past the phase's) leaves a room
    # that is not clean: the caller runs nothing more in it.
    if not sweep(uid, (*SHARED_PLACES, "/work"), max(1.0, min(30.0, clean_by - time.monotonic()))):
        result["unclean"] = True
    return result


def _standalone(uid: int, env: dict, request: dict, timeout: float) -> tuple[int, bool] | None:
    """One run in a new interpreter as ``uid``: (exit code, timed out), None if not started."""
    cap = process_cap()
    command = [sys.executable, "-I", "-B", str(HERE / "own_run.py")]
    proc = spawn_as(
        uid, command, env, output=subprocess.DEVNULL, before=lambda: limit_processes(cap)
    )
    if proc is None:
        return None
    modules_file = request.pop("modules_file", None)
    if modules_file:
        request["modules"] = json.loads(Path(modules_file).read_text(encoding="utf-8"))
    try:
        proc.communicate(json.dumps(request).encode(), timeout=timeout)
        return proc.returncode, False
    except subprocess.TimeoutExpired:
        proc.kill()
        return -1, True
    except OSError:  # the run closed its stdin early: its own business
        return proc.wait(), False


_heard = False


def _go(signum: int, frame: object) -> None:
    global _heard
    _heard = True


def listen_for_go() -> None:
    """From now on, note the host's word (SIGUSR1 to PID 1) that every other own-tests
    container has ended. Only the host can send it: the runs' users cannot signal root."""
    signal.signal(signal.SIGUSR1, _go)


def await_go(deadline: float) -> bool:
    """Whether the host's word came (waiting for it until ``deadline``)."""
    while not _heard and time.monotonic() < deadline:
        time.sleep(0.005)
    return _heard


def own_tests_phase(job: dict, submission: str) -> dict:
    """The runs of the candidate's tests this container was given; see ``_runs``."""
    spec = job.get("own_tests")
    if not spec:
        return {}
    deadline = min(time.monotonic() + float(spec["budget"]), float(job.get("ends_by", 1e18)))
    timeout, taken = float(spec["timeout"]), set()
    kill_all_but_me()
    try:
        staged, own_modules = stage(submission, spec)
    except Exception as exc:  # noqa: BLE001 - this candidate's own tests only, never the grade
        error = f"the submission could not be prepared for its own tests: {type(exc).__name__}"
        return {"error": error}
    base = {"submission": staged, "tests": spec["tests"], "measure": spec["measure"]}
    suite = {"submission": staged, "tests": spec["tests"]}
    ready = max(1.0, deadline - time.monotonic() - RESERVE_SECONDS)
    zygote = Zygote.start(HERE / "own_zygote.py", ENV, spec.get("preload") or [], suite, ready)
    try:
        return _runs(spec, base, own_modules, deadline, timeout, taken, zygote)
    finally:
        if zygote is not None:
            zygote.stop()


def _runs(
    spec: dict,
    base: dict,
    own_modules: dict[str, str],
    deadline: float,
    timeout: float,
    taken: set[int],
    zygote: Zygote | None,
) -> dict:
    # The scored runs, in the order the host drew (the reference several times among the
    # planted bugs, shared out over containers), each started and treated exactly alike: same
    # request, same pytest arguments (stopping at the same number of failures), the whole
    # suite, no tracer. What they report goes to the host raw: it alone sees every
    # container's runs. The run on the candidate's own code, when this container has it,
    # comes last, and only once the host says every other container has ended: it is
    # recognisable (traced), and when the code is right it behaves as the reference does, so
    # anything of it that reached a scored run would be an oracle there.
    variants = {v["id"]: v for v in spec["variants"]}
    scored: list[list[Any]] = []
    skipped: list[str] = []
    stuck = False
    own_share = float(spec.get("own_seconds", 0.0)) if spec.get("own_run") else 0.0
    for variant_id in spec["plan"]:
        room = deadline - time.monotonic() - own_share
        if stuck or room <= RESERVE_SECONDS:
            skipped.append(variant_id)
            continue
        request = {**base, "maxfail": int(spec.get("maxfail", 0))}
        request["modules_file"] = write_modules(variants[variant_id])
        run = one_run(request, min(room, timeout), taken, zygote, deadline - own_share)
        run.pop("collected", None)  # only the own run's ids may name tests in a grade
        run["failed"] = run["failed"][:SCORED_IDS_CAP]
        run["messages"] = {t: run["messages"][t] for t in run["failed"] if t in run["messages"]}
        scored.append([variant_id, run])
        # A suite that hangs before it collects a test says nothing about any variant; a
        # room that could not be cleaned may hold a message for the next run: stop there.
        stuck = bool(run.get("timed_out") and not run.get("tests")) or run.get("unclean", False)
    out: dict[str, Any] = {"scored": scored, "skipped": skipped}
    if spec.get("own_run") and spec.get("await_go") and not await_go(deadline - own_share / 2):
        out["own"] = {"error": "the other containers' runs did not end in time", "tests": 0}
        return out
    if spec.get("own_run"):
        left = deadline - time.monotonic()
        request = {**base, "coverage": True}
        request["modules_file"] = write_modules({"modules": own_modules})
        own = one_run(request, max(1.0, min(left, timeout)), taken, zygote, deadline)
        own["messages"] = {}
        out["own"] = own
    return out


SCORED_IDS_CAP = 200
"""Failed ids a scored run reports: the host gets every run of every container raw."""


STAGED = Path("/grader/own-submission")


def stage(submission: str, spec: dict) -> tuple[str, dict[str, str]]:
    """What every run copies: the submission without the implementation (the modules under
    test, and a notebook standing for them), root-owned; and the candidate's implementation,
    which the own run gets as a variant gets its own. The original becomes root-only, so no
    run can load the code handed in as the oracle its tests compare against."""
    root = Path(submission)
    notebook = spec.get("notebook")
    own: dict[str, str] = {}
    if notebook:
        own[notebook["module"]] = notebook_as_module(root / notebook["path"])
    for module in spec["measure"]:
        if module not in own and (root / module).is_file():
            own[module] = (root / module).read_text(encoding="utf-8", errors="replace")
    hidden = {*spec["measure"], *([notebook["path"]] if notebook else [])}

    def implementation(folder: str, names: list[str]) -> list[str]:
        here = Path(folder).relative_to(root)
        return [n for n in names if str(here / n).removeprefix("./") in hidden]

    shutil.rmtree(STAGED, ignore_errors=True)
    shutil.copytree(root, STAGED, symlinks=True, ignore=implementation)
    os.chmod(root, 0o700)
    return str(STAGED), own


VARIANTS = Path("/grader/own-variants")


def write_modules(variant: dict) -> str:
    """The implementation under test, in a root-only file the run's child reads before it
    drops to the run's user (the zygote itself never holds any implementation)."""
    VARIANTS.mkdir(mode=0o700, exist_ok=True)
    path = VARIANTS / f"{secrets.token_hex(8)}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(variant["modules"], handle)
    return str(path)

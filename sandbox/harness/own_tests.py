"""Drive the candidate's own test suite: their code, the reference and each mutant, apart.

Runs inside the supervisor (root, out of the tests' reach: they cannot ptrace, signal or
write into it). Each run is a clean room (see ``rooms``): every other process killed first,
a fresh random user, a private 0700 folder, and afterwards its processes killed and whatever
it left in the shared places removed (an unclean room ends the phase). The scored runs come
first: the reference (five times) and the mutants in a random order, each started and
treated exactly alike (the whole suite, the same pytest arguments, no tracer, never stopped
early), from a copy of the submission without its implementation. The candidate's own code
runs last (with coverage): it is the one recognisable run, and nothing it leaves may reach a
scored run. See the design notes, "Own-tests runs fork from a zygote". The run's outcome
file and coverage report are read as the run's user with ``asuser.read_as`` (no links, no
FIFOs, capped). Only ids the own run collected (capped, plain printable) leave this module:
a suite cannot spell the reference out through the names of tests that only exist there.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
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
    kill_all_but_me(keep=keep)
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


QUOTE_RUN = 20
WITHHELD = "(message withheld: it quotes the implementation under test)"


def quotes(message: str, sources: list[str]) -> bool:
    """Whether ``message`` repeats a run of ``QUOTE_RUN`` characters of any source."""
    windows = {message[i : i + QUOTE_RUN] for i in range(max(0, len(message) - QUOTE_RUN + 1))}
    return any(w in source for w in windows for source in sources)


def only_own_ids(run: dict[str, Any], own: set[str], sources: list[str]) -> dict[str, Any]:
    """A variant's run with failures the own run did not collect dropped (and counted), and
    messages that quote the variant's source (a hidden implementation) withheld."""
    failed = [t for t in run.get("failed", []) if t in own]
    messages = run.get("messages") or {}
    kept = {
        t: WITHHELD if quotes(messages[t], sources) else messages[t]
        for t in failed
        if t in messages
    }
    dropped = len(run.get("failed", [])) - len(failed)
    return {**run, "failed": failed, "messages": kept, "unknown_failed": dropped}


def own_tests_phase(job: dict, submission: str) -> dict:
    """The candidate's tests against their code (with coverage), the reference, each mutant."""
    spec = job.get("own_tests")
    if not spec:
        return {}
    deadline = time.monotonic() + float(spec["budget"])
    timeout, taken = float(spec["timeout"]), set()
    kill_all_but_me()
    try:
        staged, own_modules = stage(submission, spec)
    except Exception as exc:  # noqa: BLE001 - this candidate's own tests only, never the grade
        error = f"the submission could not be prepared for its own tests: {type(exc).__name__}"
        return {"runs": {"reference": {"error": error, "tests": 0}}, "skipped": []}
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
    # The scored runs: the reference among the mutants in a fresh random order each grade,
    # each started and treated exactly alike (same request, same pytest arguments, the whole
    # suite, no tracer, never stopped early), so no run is one a suite can recognise while it
    # runs the reference. A run can still learn its position (the pid and inode counters and
    # the clock survive a clean room), so "fail from the k-th run on" would catch what comes
    # after k: the reference runs REFERENCE_RUNS times, and a copy landing there makes every
    # test that fails in it a wrong test. The run on the candidate's own code comes last: it
    # is recognisable (traced), and when the code is right it behaves as the reference does,
    # so a fingerprint of it carried forward would be an oracle for the scored runs.
    reference = next(v for v in spec["variants"] if v["id"] == "reference")
    variants = [*spec["variants"], *[reference] * (REFERENCE_RUNS - 1)]
    random.SystemRandom().shuffle(variants)
    done: list[tuple[str, dict[str, Any], list[str]]] = []
    skipped: list[str] = []
    stuck = False
    own_share = min(OWN_SECONDS, OWN_SHARE * (deadline - time.monotonic()))
    for variant in variants:
        room = deadline - time.monotonic() - own_share
        if stuck or room <= RESERVE_SECONDS:
            skipped.append(variant["id"])
            continue
        request = {**base, "modules_file": write_modules(variant)}
        run = one_run(request, min(room, timeout), taken, zygote, deadline - own_share)
        done.append((variant["id"], run, list(variant["modules"].values())))
        # A suite that hangs before it collects a test says nothing about any variant; a
        # room that could not be cleaned may hold a message for the next run: stop there.
        stuck = (run.get("timed_out") and not run.get("tests")) or run.get("unclean", False)
    left = deadline - time.monotonic()
    request = {**base, "coverage": True, "modules_file": write_modules({"modules": own_modules})}
    own = one_run(request, max(1.0, min(left, timeout)), taken, zygote, deadline)
    own_ids = set(own.get("collected", []))
    own["messages"] = {}
    runs: dict[str, Any] = {"own": own}
    for variant_id, run, sources in done:
        result = only_own_ids(run, own_ids, sources)
        if variant_id in runs:  # another run of the reference: what failed in any counts
            result = merged(runs[variant_id], result)
        runs[variant_id] = result
    skipped = list(dict.fromkeys(v for v in skipped if v not in runs))
    # The report lists runs in the job's order, whatever order they ran in.
    order = ["own", *(v["id"] for v in spec["variants"])]
    return {"runs": {k: runs[k] for k in order if k in runs}, "skipped": skipped}


OWN_SECONDS = 10.0
OWN_SHARE = 0.2
"""Kept for the run on the candidate's own code, which comes last: this share of the phase,
at most ``OWN_SECONDS``."""
REFERENCE_RUNS = 5
"""Runs of the reference among the scored runs, at random places (see ``_runs``)."""


def merged(first: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    """Two runs of the reference as one: a test that failed in either failed."""
    failed = sorted({*first.get("failed", []), *then.get("failed", [])})
    messages = {**then.get("messages", {}), **first.get("messages", {})}
    return {
        **first,
        "tests": max(first.get("tests", 0), then.get("tests", 0)),
        "timed_out": bool(first.get("timed_out") or then.get("timed_out")),
        "failed": failed,
        "messages": {t: messages[t] for t in failed if t in messages},
        "unknown_failed": first.get("unknown_failed", 0) + then.get("unknown_failed", 0),
    }


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

"""Drive the candidate's own test suite: their code, the reference and each mutant, apart.

Runs inside the supervisor (root, out of the tests' reach: they cannot ptrace, signal or
write into it). Each run is a clean room (see ``rooms``): every other process killed first,
a fresh random user, a private 0700 folder, and afterwards its processes killed and whatever
it left in the shared places removed. The candidate's own code runs first (with coverage),
then the reach run (the reference under a per-test tracer, unscored: which planted bugs no
test reaches). The scored runs, the reference and the mutants, follow in a random order and
are started exactly alike: the whole suite, the same pytest arguments, no tracer. So a suite
cannot tell which it is testing from how it was run, what runs beside it or its position,
and nothing the runs left can tell it either. The run's outcome
file and coverage report are read as the run's user with ``asuser.read_as`` (no links, no
FIFOs, capped). Only ids the own run collected (capped, plain printable) leave this module:
a suite cannot spell the reference out through the names of tests that only exist there.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asuser import read_as
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


def read_json(raw: bytes | None) -> object:
    """A JSON document a run wrote (evidence, capped on read), or None."""
    try:
        return json.loads(raw or b"")
    except (ValueError, RecursionError):
        return None


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
    stop_on: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """The suite against one implementation, in a clean room; its summary. Forked from the
    zygote when it is up (no interpreter start, no imports), else a fresh interpreter; with
    the zygote, the run ends at the first failing id ``stop_on`` accepts."""
    keep = zygote.keep if zygote is not None else frozenset()
    kill_all_but_me(keep=keep)
    uid = random_uid(taken)
    private = f"/tmp/mlgrade-run-{secrets.token_hex(8)}"
    env = {**ENV, "HOME": f"{private}/home", "TMPDIR": f"{private}/tmp"}
    outcome = None
    if zygote is not None:
        outcome = zygote.run(
            uid, process_cap(), env, {**request, "private": private}, timeout, stop_on
        )
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
    if request.get("contexts") and not timed_out:
        result["contexts"] = read_json(read_as(uid, f"{private}/contexts.json", COVERAGE_CAP))
    # /work is a world-writable tmpfs too: what a run left there must not reach the next.
    sweep(uid, (*SHARED_PLACES, "/work"))
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
    base = {"submission": submission, "tests": spec["tests"], "measure": spec["measure"],
            "notebook": spec.get("notebook")}  # fmt: skip
    kill_all_but_me()
    suite = {"submission": submission, "tests": spec["tests"]}
    zygote = Zygote.start(HERE / "own_zygote.py", ENV, spec.get("preload") or [], suite)
    try:
        return _runs(spec, base, deadline, timeout, taken, zygote)
    finally:
        if zygote is not None:
            zygote.stop()


def _runs(
    spec: dict, base: dict, deadline: float, timeout: float, taken: set[int], zygote: Zygote | None
) -> dict:
    own = one_run({**base, "coverage": True}, timeout, taken, zygote)
    own_ids = set(own.get("collected", []))
    own["messages"] = {}
    runs: dict[str, Any] = {"own": own}
    skipped = []
    reference = next(v for v in spec["variants"] if v["id"] == "reference")
    # A suite that cannot finish on the candidate's own code, or on the reference, says
    # nothing about the mutants: stop there, so a looping suite costs one run, not the budget.
    stuck = own["timed_out"]
    reach: Reach | None = None
    expected: set[str] = set()
    left = deadline - time.monotonic()
    if not stuck and left > RESERVE_SECONDS:
        # The reach run: the reference under a per-test line tracer, never scored. It tells
        # which planted bugs no test reaches (they survive without a run) and which tests
        # fail anyway (a planted bug's run goes on past those). A suite that behaves
        # differently when traced can only lose by it.
        request = {**base, "contexts": True, "modules_file": write_modules(reference)}
        traced = one_run(request, min(left, timeout), taken, zygote)
        if traced["timed_out"]:
            stuck = True
            runs["reference"] = only_own_ids(traced, own_ids, list(reference["modules"].values()))
        reach = Reach.read(traced.get("contexts"), own_ids)
        expected = set(traced.get("failed", []))

    def counts(test_id: str) -> bool:
        """A failure that can make a planted bug caught: its run need not go on."""
        return test_id in own_ids and test_id not in expected

    # The scored runs, the reference among the mutants in a fresh random order each grade,
    # each started exactly alike (same request, same pytest arguments, no tracer, the whole
    # suite): a suite cannot tell the reference from a planted bug by how it was run, its
    # options, the tests beside it or its position, so failing on purpose is a wrong test.
    # Only from outside is a planted bug's run ended at its first failure that counts; the
    # reference's always runs to its end (every test that fails on it is a wrong test).
    variants = list(spec["variants"])
    random.SystemRandom().shuffle(variants)
    for variant in variants:
        left = deadline - time.monotonic()
        if stuck or left <= RESERVE_SECONDS:
            if variant["id"] not in runs:
                skipped.append(variant["id"])
            continue
        unreached = reach is not None and not reach.reaches(variant.get("lines"))
        if variant is not reference and unreached:
            runs[variant["id"]] = UNREACHED
            continue
        request = {**base, "modules_file": write_modules(variant)}
        stop_on = None if variant is reference else counts
        run = one_run(request, min(left, timeout), taken, zygote, stop_on)
        runs[variant["id"]] = only_own_ids(run, own_ids, list(variant["modules"].values()))
        if variant is reference and run["timed_out"]:
            stuck = True
    # The report lists runs in the job's order, whatever order they ran in.
    order = ["own", *(v["id"] for v in spec["variants"])]
    return {"runs": {k: runs[k] for k in order if k in runs}, "skipped": skipped}


UNREACHED = {"exit": 0, "timed_out": False, "tests": 0, "collected": [], "failed": [],
             "messages": {}, "unreached": True}  # fmt: skip
"""A mutant no test reaches on the reference: it cannot fail any test, so nothing runs."""


class Reach:
    """Which of the candidate's tests executed which reference line (from the reach run's
    per-test coverage); everything here came from the tests' process, so it is checked and
    can only spare a run (a planted bug it says no test reaches survives), never make one
    count as caught."""

    def __init__(self, lines: dict[str, dict[int, set[str]]]) -> None:
        self.lines = lines

    @classmethod
    def read(cls, raw: object, own_ids: set[str]) -> Reach | None:
        if not isinstance(raw, dict):
            return None
        lines: dict[str, dict[int, set[str]]] = {}
        for module, by_line in raw.items():
            if not isinstance(module, str) or not isinstance(by_line, dict):
                return None
            table = lines.setdefault(module, {})
            for line, tests in by_line.items():
                if not (isinstance(line, str) and line.isdigit() and isinstance(tests, list)):
                    return None
                # '' is code run outside any test's body: at import, in a fixture.
                table[int(line)] = {t for t in tests if t == "" or t in own_ids}
        return cls(lines)

    def reaches(self, changed: object) -> bool:
        """Whether some test may run a changed line: False only when the record shows that
        none of the own run's tests did (no line information, a line run outside a test, an
        unknown module: it may be reached)."""
        if not isinstance(changed, dict) or not changed:
            return True
        for module, numbers in changed.items():
            table = self.lines.get(module)
            if table is None or not isinstance(numbers, list):
                return True
            for number in numbers:
                if not isinstance(number, int) or table.get(number):
                    return True
        return False


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

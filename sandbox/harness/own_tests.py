"""Drive the candidate's own test suite: their code, the reference and each mutant, apart.

Runs inside the supervisor (root, out of the tests' reach: they cannot ptrace, signal or
write into it). Each run is a clean room (see ``rooms``): every other process killed first,
a fresh random user, a private 0700 folder, and afterwards its processes killed and whatever
it left in the shared places removed. The candidate's own code runs first (with coverage);
the reference and the mutants follow in a random order, so a suite cannot tell which it is
testing from its position, and nothing the runs left can tell it either. The run's outcome
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
    request: dict, timeout: float, taken: set[int], zygote: Zygote | None = None
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
    zygote = Zygote.start(HERE / "own_zygote.py", ENV, spec.get("preload") or [])
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
    # The reference first: a suite that cannot finish on it says nothing about any mutant.
    # The mutants after it in a fresh random order each grade.
    variants = [v for v in spec["variants"] if v["id"] == "reference"]
    mutants = [v for v in spec["variants"] if v["id"] != "reference"]
    random.SystemRandom().shuffle(mutants)
    variants += mutants
    # A suite that cannot finish on the candidate's own code, or on the reference, says
    # nothing about the mutants: stop there, so a looping suite costs one run, not the budget.
    stuck = own["timed_out"]
    wrong: list[str] = []
    reach: Reach | None = None
    for variant in variants:
        left = deadline - time.monotonic()
        if stuck or left <= RESERVE_SECONDS:
            skipped.append(variant["id"])
            continue
        request = {**base, "modules_file": write_modules(variant)}
        if variant["id"] == "reference":
            request["contexts"] = True
        else:
            # Any failure of a mutant's run is a catch once the tests that fail on the
            # reference are left out: the first one is enough.
            request.update(first_failure=True, deselect=wrong)
            chosen = reach.tests_for(variant.get("lines")) if reach is not None else None
            if chosen is not None and not (chosen - set(wrong)):
                runs[variant["id"]] = UNREACHED
                continue
            if chosen is not None:
                request["select"] = sorted(chosen - set(wrong))
        run = one_run(request, min(left, timeout), taken, zygote)
        contexts = run.pop("contexts", None)  # read here, never sent to the host
        sources = list(variant["modules"].values())
        runs[variant["id"]] = only_own_ids(run, own_ids, sources)
        if variant["id"] == "reference":
            stuck = run["timed_out"]
            wrong = deselectable(runs["reference"].get("failed", []))
            reach = Reach.read(contexts, own_ids)
    # The report lists runs in the job's order, whatever order they ran in.
    order = ["own", *(v["id"] for v in spec["variants"])]
    return {"runs": {k: runs[k] for k in order if k in runs}, "skipped": skipped}


UNREACHED = {"exit": 0, "timed_out": False, "tests": 0, "collected": [], "failed": [],
             "messages": {}, "unreached": True}  # fmt: skip
"""A mutant no test reaches on the reference: it cannot fail any test, so nothing runs."""
SELECT_CAP = 300
"""Beyond this many tests to select, the run simply takes the whole suite."""


class Reach:
    """Which of the candidate's tests executed which reference line (from the reference run's
    per-test coverage); everything here came from the tests' process, so it is checked and
    only ever narrows the tests a mutant's run takes, never what counts as a catch."""

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

    def tests_for(self, changed: object) -> set[str] | None:
        """The tests that ran a changed line (empty: none can catch it); None: run them all
        (no line information, a line run outside a test, or too many to list)."""
        if not isinstance(changed, dict) or not changed:
            return None
        chosen: set[str] = set()
        for module, numbers in changed.items():
            table = self.lines.get(module)
            if table is None or not isinstance(numbers, list):
                return None
            for number in numbers:
                tests = table.get(number, set()) if isinstance(number, int) else {""}
                if "" in tests:
                    return None
                chosen |= tests
        return chosen if len(chosen) <= SELECT_CAP else None


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


def deselectable(failed: list[str]) -> list[str]:
    """The reference run's failing ids that can be passed to ``--deselect`` as they are."""
    return [t for t in failed if "::" in t and not t.startswith("-")][:IDS_CAP]

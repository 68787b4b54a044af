"""One run of the candidate's own test suite, in the tests' own process, as the run's user.

Started by the supervisor as ``python -I -B own_run.py`` under a fresh user with a JSON
request on stdin. It builds the run's private folder (0700: home, temp, a copy of the
submission with the implementation under test written in), then runs the image's pytest
(and, for the own run, the image's coverage) in this process. ``-I`` keeps the submission off
``sys.path`` and skips any ``sitecustomize``; the tools are imported before the submission's
folder is appended (after site-packages), so a ``pytest.py``, ``_pytest/`` or ``coverage/``
in the submission cannot replace them, while the candidate's module stays importable.
Outcomes go to ``results.jsonl`` in the private folder: the ids pytest collected first, then
one line per failed test. Everything here is reachable by the candidate's tests, so the
supervisor reads it as evidence, capped and checked, never as an instruction.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from pathlib import Path

HARNESS = str(Path(__file__).resolve().parent)
ID_LENGTH = 300


class Outcomes:
    """A pytest plugin writing the collected ids, then every failure, as JSON lines."""

    def __init__(self, path: Path, live: int | None = None) -> None:
        self.out = path.open("w", encoding="utf-8", buffering=1)
        self.failed: set[str] = set()
        self.live = live

    def write(self, record: dict) -> None:
        self.out.write(json.dumps(record) + "\n")

    def pytest_collectreport(self, report) -> None:  # type: ignore[no-untyped-def]
        if report.failed:
            self.write({"collected": [report.nodeid[:ID_LENGTH]]})
            self.fail(report.nodeid, report)

    def pytest_collection_finish(self, session) -> None:  # type: ignore[no-untyped-def]
        self.write({"collected": [item.nodeid[:ID_LENGTH] for item in session.items]})

    def pytest_runtest_logreport(self, report) -> None:  # type: ignore[no-untyped-def]
        if report.failed:
            self.fail(report.nodeid, report)

    def fail(self, nodeid: str, report) -> None:  # type: ignore[no-untyped-def]
        if nodeid in self.failed:
            return
        self.failed.add(nodeid)
        crash = getattr(report.longrepr, "reprcrash", None)
        lines = [line for line in str(report.longrepr or "").splitlines() if line.strip()]
        message = str(crash.message) if crash is not None else (lines or [""])[-1]
        self.write({"failed": nodeid[:ID_LENGTH], "message": message[:400]})
        if self.live is not None:  # after the file has it: the run may be stopped on this
            with contextlib.suppress(OSError):
                os.write(self.live, nodeid[:ID_LENGTH].encode("utf-8", "replace") + b"\n")


class TestContexts:
    """Coverage contexts per test: the test's id while its body runs, '' otherwise (import,
    collection, fixtures), so the supervisor knows which tests reach which line."""

    def __init__(self, cov) -> None:  # type: ignore[no-untyped-def]
        self.cov = cov

    def pytest_runtest_call(self, item) -> None:  # type: ignore[no-untyped-def]
        self.cov.switch_context(item.nodeid[:ID_LENGTH])

    def pytest_runtest_teardown(self, item) -> None:  # type: ignore[no-untyped-def]
        self.cov.switch_context("")


def write_contexts(cov, measured: list[str], work: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    """{module: {line: [test ids, '' for outside a test]}} of the measured modules."""
    data = cov.get_data()
    lines = {}
    for path in measured:
        by_line = data.contexts_by_lineno(path) or {}
        lines[str(Path(path).relative_to(work))] = {str(n): sorted(c) for n, c in by_line.items()}
    out.write_text(json.dumps(lines), encoding="utf-8")


def prepare(request: dict) -> Path:
    """The run's private folder with the submission copy; returns the copy."""
    private = Path(request["private"])
    private.mkdir(mode=0o700)
    for name in ("home", "tmp"):
        (private / name).mkdir(mode=0o700)
    work = private / "submission"
    shutil.copytree(request["submission"], work, symlinks=False)
    notebook = request.get("notebook")
    if notebook:  # the implementation is a notebook: the tests import it as a module
        sys.path.insert(0, HARNESS)
        from cells import notebook_as_module

        sys.path.remove(HARNESS)
        (work / notebook["module"]).write_text(
            notebook_as_module(work / notebook["path"]), encoding="utf-8"
        )
    for relative, source in (request.get("modules") or {}).items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_text(source, encoding="utf-8")
    return work


def run_suite(request: dict) -> int:
    """Prepare the private folder and run the suite in this process (already the run's user);
    pytest's exit code. The tools are imported before the submission joins ``sys.path``."""
    private = Path(request["private"])
    work = prepare(request)
    os.chdir(work)
    import pytest  # the image's: imported before the submission is on sys.path

    cov = None
    contexts = bool(request.get("contexts"))
    if request.get("coverage") or contexts:
        import coverage

        # Branch coverage is evidence of the candidate's own run; the reference run records
        # lines per test instead (which tests can reach a planted bug).
        cov = coverage.Coverage(
            data_file=str(private / ".coverage"), branch=not contexts, config_file=False
        )
    sys.path.append(str(work))
    args = [*request["tests"], "-q", "-p", "no:cacheprovider", "-p", "no:junitxml"]
    live = request.get("live")
    outcomes = Outcomes(private / "results.jsonl", live if isinstance(live, int) else None)
    plugins: list = [outcomes]
    if cov is not None and contexts:
        plugins.append(TestContexts(cov))
    if cov is not None:
        cov.start()
    try:
        code = int(pytest.main(args, plugins=plugins))
    finally:
        if cov is not None:
            cov.stop()
            cov.save()
    if cov is not None:
        measured = [str(work / m) for m in request.get("measure") or []]
        with contextlib.suppress(Exception):  # no data: no coverage evidence
            if contexts:
                write_contexts(cov, measured, work, private / "contexts.json")
            else:
                cov.json_report(outfile=str(private / "coverage.json"), include=measured)
    return code


def main() -> int:
    os.umask(0o077)
    request = json.loads(sys.stdin.read())
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    return run_suite(request)


if __name__ == "__main__":
    os._exit(main())

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

ID_LENGTH = 300


class Outcomes:
    """A pytest plugin writing the collected ids, then every failure, as JSON lines."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("w", encoding="utf-8", buffering=1)
        self.failed: set[str] = set()

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


def prepare(request: dict) -> Path:
    """The run's private folder with the submission copy; returns the copy."""
    private = Path(request["private"])
    private.mkdir(mode=0o700)
    for name in ("home", "tmp"):
        (private / name).mkdir(mode=0o700)
    work = private / "submission"
    shutil.copytree(request["submission"], work, symlinks=False)
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
    if request.get("coverage"):
        import coverage

        # Branch coverage of the candidate's own run: evidence shown beside the score.
        cov = coverage.Coverage(
            data_file=str(private / ".coverage"), branch=True, config_file=False
        )
    sys.path.append(str(work))
    args = [*request["tests"], "-q", "-p", "no:cacheprovider", "-p", "no:junitxml"]
    if request.get("maxfail"):
        args.append(f"--maxfail={int(request['maxfail'])}")  # every scored run alike
    plugins: list = [Outcomes(private / "results.jsonl")]
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

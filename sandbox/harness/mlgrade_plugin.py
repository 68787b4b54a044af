"""pytest plugin loaded by the judge: the ``candidate`` fixture and the per-test result stream.

Hidden tests reach submitted code only through the ``candidate`` fixture, so the way the
candidate's code is hosted (in-process today) can change without rewriting any hidden test.
Results leave as one JSON object per line on a file descriptor the supervisor reads.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REASON_LIMIT = 300


class CandidateImportError(Exception):
    """The candidate's module could not be imported (missing, syntax error, crash at import)."""


class Candidate:
    """Access to the submission from hidden tests: ``candidate.module("train").fit(X, y)``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[str, ModuleType] = {}

    def module(self, name: str) -> ModuleType:
        """Import the candidate's module ``name`` (a ``name.py`` in the submission)."""
        if name in self._modules:
            return self._modules[name]
        if str(self.root) not in sys.path:
            # Appended, not prepended: a candidate file must not shadow an installed library.
            sys.path.append(str(self.root))
        if not (self.root / f"{name}.py").is_file() and not (self.root / name).is_dir():
            raise CandidateImportError(f"the submission has no {name}.py")
        try:
            module = importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - anything at import time is the candidate's
            raise CandidateImportError(
                f"importing {name}.py failed: {type(exc).__name__}: {exc}"
            ) from None
        self._modules[name] = module
        return module

    def file(self, relative: str) -> Path:
        """Path of a file in the submission (for tests that read what the candidate wrote)."""
        return self.root / relative


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mlgrade")
    group.addoption("--mlgrade-submission", default=".", help="submission directory")
    group.addoption("--mlgrade-seed", type=int, default=0, help="seed for hidden test data")
    group.addoption("--mlgrade-results-fd", type=int, default=-1, help="fd for JSON lines")


@pytest.fixture(scope="session")
def candidate(request: pytest.FixtureRequest) -> Candidate:
    """The submission under test."""
    return Candidate(Path(request.config.getoption("--mlgrade-submission")).resolve())


@pytest.fixture(scope="session")
def seed(request: pytest.FixtureRequest) -> int:
    """The grade's seed: derived from the submission by the host, recorded in the grade."""
    return int(request.config.getoption("--mlgrade-seed"))


@pytest.fixture
def case_seed(seed: int, request: pytest.FixtureRequest) -> int:
    """A seed for one test: stable for the grade, different between tests."""
    digest = hashlib.sha256(f"{seed}:{request.node.nodeid}".encode()).hexdigest()
    return int(digest[:8], 16)


def short_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """Exception type and first message line, never the test's source."""
    longrepr = report.longrepr
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        text = str(crash.message)
    elif isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])
    else:
        text = str(longrepr or "")
    line = text.strip().splitlines()[0] if text.strip() else "failed"
    if line.startswith("assert "):
        # A bare assert's first line is the hidden test's source: keep only the type.
        line = "AssertionError"
    return line[:REASON_LIMIT]


class ResultStream:
    """Collects each test's phases and writes one line per finished test."""

    def __init__(self, fd: int) -> None:
        self._out = os.fdopen(fd, "w", buffering=1, encoding="utf-8") if fd >= 0 else None
        self._phases: dict[str, dict[str, Any]] = {}

    def emit(self, record: dict[str, Any]) -> None:
        if self._out is not None:
            self._out.write(json.dumps(record, sort_keys=True) + "\n")
            self._out.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.emit(
                {"kind": "collect_error", "id": report.nodeid, "reason": short_reason(report)}
            )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # Candidate code has not run yet: anything that breaks before this line is ours.
        self.emit({"kind": "collected", "count": len(session.items)})

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        state = self._phases.setdefault(
            report.nodeid, {"outcome": "passed", "reason": "", "duration": 0.0}
        )
        state["duration"] += float(report.duration)
        if state["outcome"] == "passed":
            if report.failed:
                state["outcome"] = "failed" if report.when == "call" else "error"
                state["reason"] = short_reason(report)
            elif report.skipped:
                state["outcome"] = "skipped"
                state["reason"] = short_reason(report)
        if report.when == "teardown":
            self.emit({"kind": "test", "id": report.nodeid, **self._phases.pop(report.nodeid)})

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, exitstatus: int) -> None:
        self.emit({"kind": "finished", "exitstatus": int(exitstatus)})


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # The terminal reporter has bound the judge's devnull stdout by now; candidate prints
    # go to the real stdout, which the supervisor captures and caps.
    sys.stdout = sys.__stdout__
    fd = int(config.getoption("--mlgrade-results-fd"))
    config.pluginmanager.register(ResultStream(fd), "mlgrade-results")

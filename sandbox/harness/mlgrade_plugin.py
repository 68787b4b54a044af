"""pytest plugin loaded by the judge: the ``candidate`` fixture and the per-test result stream.

Hidden tests reach submitted code only through the ``candidate`` fixture, which talks to a
separate candidate process (see remote.py); the judge never imports candidate code.
Results leave as one JSON object per line on a file descriptor the supervisor reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from remote import Candidate

REASON_LIMIT = 300


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mlgrade")
    group.addoption("--mlgrade-submission", default=".", help="submission directory")
    group.addoption("--mlgrade-seed", type=int, default=0, help="seed for hidden test data")
    group.addoption("--mlgrade-results-fd", type=int, default=-1, help="fd for JSON lines")
    group.addoption("--mlgrade-workdir", default="", help="candidate's writable folder")
    group.addoption("--mlgrade-candidate-user", default="", help="uid:gid to run candidate as")
    group.addoption("--mlgrade-notebook", default="", help="JSON: the notebook standing in")
    group.addoption("--mlgrade-requirements", default="", help="JSON: importable distributions")
    group.addoption("--mlgrade-warm", default="", help="JSON: a warm notebook runner's pipes")


CANDIDATE_KEY = pytest.StashKey["Candidate"]()


def make_candidate(config: pytest.Config) -> Candidate:
    option = config.getoption
    user_text = str(option("--mlgrade-candidate-user"))
    user = tuple(int(part) for part in user_text.split(":")) if user_text else None
    work = str(option("--mlgrade-workdir"))
    notebook = str(option("--mlgrade-notebook"))
    requirements = str(option("--mlgrade-requirements"))
    warm = str(option("--mlgrade-warm"))
    return Candidate(
        Path(option("--mlgrade-submission")).resolve(),
        Path(work) if work else None,
        user,  # type: ignore[arg-type]
        json.loads(notebook) if notebook else None,
        json.loads(requirements) if requirements else None,
        json.loads(warm) if warm else None,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """A notebook runs once before the first test, outside the per-test timeout."""
    if session.config.getoption("--mlgrade-notebook") and session.items:
        handle = make_candidate(session.config)
        session.config.stash[CANDIDATE_KEY] = handle
        handle.warm_up()


@pytest.fixture(scope="session")
def candidate(request: pytest.FixtureRequest) -> Iterator[Candidate]:
    """The submission under test, served by a separate, unprivileged process."""
    config = request.config
    handle = config.stash.get(CANDIDATE_KEY, None) or make_candidate(config)
    config.stash[CANDIDATE_KEY] = handle
    yield handle
    handle.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each test asks ``candidate.changed(...)`` about its own calls only."""
    handle = item.config.stash.get(CANDIDATE_KEY, None)
    if handle is not None:
        handle.mutations.clear()


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
        # The ids too: a parametrized hidden test is scored over the cases it collected.
        ids = [item.nodeid[:300] for item in session.items[:10_000]]
        self.emit({"kind": "collected", "count": len(session.items), "ids": ids})

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

"""What the host learned from one sandbox run: test outcomes, lint, the candidate's own tests."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TestOutcome(StrEnum):
    """How one expected hidden test ended, as judged by the host."""

    __test__ = False  # a domain name, not a pytest test class

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    """Setup, collection or import failed around the test."""
    NOT_RUN = "not_run"
    """No result arrived for an expected test (crash, timeout, tampering)."""
    INVALID = "invalid"
    """A result arrived but was malformed or duplicated."""


@dataclass(frozen=True)
class TestResult:
    """One expected test's outcome after the host validated the container's report."""

    __test__ = False  # a domain name, not a pytest test class

    id: str
    outcome: TestOutcome
    reason: str = ""
    """Short, source-free reason: assertion message or exception type and message."""
    duration_s: float = 0.0
    cases_passed: int = 0
    cases_total: int = 0
    """For a parametrized test declared once: its cases that passed, and all it collected
    (0 and 0 for a plain test). Its weight is shared by its cases."""


@dataclass(frozen=True)
class LintFinding:
    """One ruff finding in the candidate's code."""

    file: str
    line: int
    code: str
    message: str
    url: str
    cell: int = 0
    """For a notebook, the 1-based cell (``line`` counts within it); 0 for a .py file."""

    @property
    def where(self) -> str:
        """``file:line``, or ``notebook.ipynb cell N:line`` in a notebook."""
        return (
            f"{self.file} cell {self.cell}:{self.line}" if self.cell else f"{self.file}:{self.line}"
        )


@dataclass(frozen=True)
class LintReport:
    """Ruff's findings with the grader's configuration, as run inside the sandbox."""

    files: tuple[str, ...]
    findings: tuple[LintFinding, ...]
    unformatted: tuple[str, ...]
    """Files ``ruff format`` would change."""
    error: str = ""


@dataclass(frozen=True)
class OwnTestRun:
    """One run of the candidate's test suite against one implementation."""

    variant: str
    """``own`` (their code), ``reference``, or a mutant id."""
    tests: int
    failed: tuple[str, ...]
    exit_code: int
    timed_out: bool = False
    skipped: bool = False
    """Not run: the time budget for the candidate's tests ran out."""
    branch_coverage: float | None = None
    """Branch coverage of the candidate's modules (own run only), percent."""
    error: str = ""
    collected: tuple[str, ...] = ()
    """Ids pytest collected in this run (the own run's are the only ids a grade may show)."""
    messages: tuple[str, ...] = ()
    """The first line of each failure, in the order of ``failed`` (capped, plain)."""
    stopped: bool = False
    """The run stopped at its ``OWN_TESTS_STOP_AFTER``-th failure (a merged one: any did)."""


OWN_TESTS_STOP_AFTER = 5
"""Each scored run of the candidate's suite stops at this many failures. A suite with that
many tests failing on the reference scores 0 (``scoring.own_tests.WRONG_TEST_POINTS`` each),
so below it a stopped mutant run still has a failure that is not a wrong test; see
``runner.own_shards``."""


class RunStatus(StrEnum):
    """How the sandbox run as a whole ended."""

    COMPLETED = "completed"
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"
    CRASHED = "crashed"
    """No valid result, and the submission is the likely cause (it killed or broke the run)."""
    HARNESS_FAILED = "harness_failed"
    """The grader's own harness failed (not the candidate): the grade is ungradable."""


@dataclass(frozen=True)
class RunRecord:
    """Everything the host learned from one sandbox run, already validated."""

    status: RunStatus
    results: tuple[TestResult, ...]
    reason: str = ""
    """Human sentence for a non-completed status, e.g. "timed out after 60 s"."""
    duration_s: float = 0.0
    stdout: str = ""
    """Candidate stdout, capped at the output limit."""
    stderr: str = ""
    output_truncated_bytes: int = 0
    """How many bytes of candidate output were dropped over the cap."""
    limits_hit: tuple[str, ...] = ()
    image: str = ""
    image_id: str = ""
    """The image's content digest (``sha256:...``), which a tag alone does not pin."""
    seed: int = 0
    notes: tuple[str, ...] = ()
    """Anything odd the host noticed, e.g. unexpected test ids in the report."""
    timings: tuple[tuple[str, float], ...] = ()
    """Seconds per phase (create, copy, run, remove) for benchmarks; not scored."""
    notebook: str | None = None
    """The executed notebook the sandbox returned (untrusted JSON text), for notebook runs."""
    lint: LintReport | None = None
    """What ruff found in the candidate's files (None when there was nothing to lint)."""
    own_test_runs: tuple[OwnTestRun, ...] = ()
    """The candidate's own tests against their code, the reference and each mutant."""

"""The scores of one grade with their evidence: correctness, quality, own tests, total."""

from __future__ import annotations

from dataclasses import dataclass

from grader.model.run import LintFinding, TestOutcome


@dataclass(frozen=True)
class Penalty:
    """Points a kind of finding cost, per 100 lines of candidate code, capped."""

    category: str
    findings: int
    points: float
    cap: float


@dataclass(frozen=True)
class QualityScore:
    """Code quality 0–100 from ruff findings per 100 lines, with every finding as evidence."""

    score: float | None
    """None when the candidate wrote too little code to judge (``reason`` says so)."""
    lines: int
    """Logical lines (statements, not docstrings or comments) the candidate wrote or changed."""
    penalties: tuple[Penalty, ...]
    findings: tuple[LintFinding, ...]
    """Findings on the candidate's own lines; findings on unchanged bundle lines are dropped."""
    unformatted: tuple[str, ...]
    noqa_comments: int
    """``# noqa`` comments in the candidate's files (ignored by the grader; information)."""
    files: tuple[str, ...]
    reason: str = ""
    starter_findings: int = 0
    """Findings on lines the candidate did not write (not counted; information)."""
    fmt_directives: int = 0
    """``# fmt: off`` / ``# fmt: skip`` comments (ignored by the format check; information)."""


@dataclass(frozen=True)
class MutantVerdict:
    """Whether the candidate's tests caught one planted bug, and which test did."""

    id: str
    description: str
    caught: bool
    caught_by: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class OwnTestsScore:
    """The candidate's own tests: share of planted mutants caught, with coverage as evidence."""

    score: float
    tests: int
    wrong_tests: tuple[str, ...]
    """The candidate's tests that fail on the (correct) reference implementation."""
    mutants: tuple[MutantVerdict, ...]
    branch_coverage: float | None
    reason: str = ""
    wrong_test_messages: tuple[str, ...] = ()
    """What failed on the reference, one per wrong test in the order of ``wrong_tests``."""


@dataclass(frozen=True)
class TotalScore:
    """The three (or four) scores combined by a role profile's weights."""

    profile: str
    score: float
    weights: tuple[tuple[str, float], ...]
    """The weights actually used (renormalised over the scores this exercise has)."""


@dataclass(frozen=True)
class TestVerdict:
    """One hidden test as a recruiter sees it: description, weight and outcome, no source."""

    __test__ = False  # a domain name, not a pytest test class

    id: str
    group: str
    description: str
    weight: float
    outcome: TestOutcome
    reason: str = ""
    question: str = ""
    cases_passed: int = 0
    cases_total: int = 0
    """For a parametrized test: cases passed and collected (0, 0 for a plain test)."""

    @property
    def passed(self) -> bool:
        return self.outcome is TestOutcome.PASSED

    @property
    def share(self) -> float:
        """The share of the weight earned: all or nothing, or the share of cases passed."""
        if self.passed:
            return 1.0
        return self.cases_passed / self.cases_total if self.cases_total else 0.0


@dataclass(frozen=True)
class GroupScore:
    """Credit earned within one group of hidden tests."""

    id: str
    title: str
    earned: float
    possible: float
    passed: int
    total: int


@dataclass(frozen=True)
class CorrectnessScore:
    """Weighted share of hidden tests passed, 0–100, with the per-test evidence."""

    score: float
    earned: float
    possible: float
    groups: tuple[GroupScore, ...]
    tests: tuple[TestVerdict, ...]
    broken_requirements: tuple[str, ...] = ()
    """Requirements the brief states outright that failed tests check; when any is broken
    the score is capped (``uncapped`` keeps the weighted share)."""
    uncapped: float | None = None

    @property
    def failed(self) -> tuple[TestVerdict, ...]:
        return tuple(t for t in self.tests if not t.passed)

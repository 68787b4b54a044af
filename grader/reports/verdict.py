"""The verdict: one view of a grade that every renderer draws (terminal, Markdown, HTML,
JUnit, candidate feedback), built once by ``summary.verdict_of``.

Each part says what a reader may see about one grade: the scores with their evidence, the
areas, the failed hidden tests, lint findings, mutants, diagnosis rows, limits, notebook
cells, follow-up questions, flags and notes. Texts are cleaned of control characters and put
on one line (``text.one_line``) but not escaped: each renderer escapes for its own format.
Caps (how many findings, how many questions) are decided here, once, so every format shows
the same evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from grader.model import TestOutcome


class Band(StrEnum):
    """How a 0–100 score reads at a glance (the terminal's colours, as words)."""

    STRONG = "strong"
    """80 and over."""
    PARTIAL = "partial"
    """50 to under 80."""
    WEAK = "weak"
    """Under 50."""
    NONE = "none"
    """No score: ungradable, or not enough to judge."""


def band(value: float | None) -> Band:
    """The band a score falls in."""
    if value is None:
        return Band.NONE
    return Band.STRONG if value >= 80 else Band.PARTIAL if value >= 50 else Band.WEAK


@dataclass(frozen=True)
class ScoreLine:
    """One score with the evidence that produced it."""

    key: str
    """``correctness``, ``quality``, ``own_tests``, ``reasoning`` or ``total``."""
    label: str
    value: float | None
    """None when there is no number (e.g. quality: not enough code to judge)."""
    evidence: str

    @property
    def band(self) -> Band:
        """The score's band."""
        return band(self.value)

    @property
    def shown(self) -> str:
        """The value as every report prints it: one decimal, or an em dash."""
        return "—" if self.value is None else f"{self.value:.1f}"


@dataclass(frozen=True)
class AreaRow:
    """Credit earned in one group of hidden tests."""

    title: str
    passed: int
    total: int
    share: float
    """Percent of the group's weight earned, 0–100."""


@dataclass(frozen=True)
class FailedTest:
    """One failed hidden test, or all the tests that never reported folded into one row."""

    test_id: str
    """The hidden test's id ('' for the folded row); recruiter formats only."""
    description: str
    weight: float
    reason: str
    outcome: TestOutcome
    cases_passed: int = 0
    cases_total: int = 0
    """For a parametrized test: cases passed and collected (0, 0 for a plain test)."""
    count: int = 1
    """How many tests the row stands for (more than one only for tests that never ran)."""
    covers: tuple[str, ...] = ()
    """For the folded row: what each test that never reported checks."""

    @property
    def label(self) -> str:
        """What it checks, with the cases passed for a parametrized test."""
        if not self.cases_total:
            return self.description
        return f"{self.description} ({self.cases_passed}/{self.cases_total} cases passed)"


@dataclass(frozen=True)
class LintRow:
    """One ruff finding in the candidate's code, with its rule's documentation."""

    where: str
    code: str
    message: str
    url: str
    """The rule's documentation, or '' when the finding named another address."""

    @property
    def code_md(self) -> str:
        """The rule code as Markdown: code-formatted, linked to its documentation."""
        # Ruff's codes are letters and digits; anything else is dropped, not escaped.
        code = f"`{''.join(c for c in self.code if c.isalnum()) or '?'}`"
        return f"[{code}]({self.url})" if self.url else code


@dataclass(frozen=True)
class PenaltyRow:
    """Points one kind of finding cost (only kinds that cost something are listed)."""

    category: str
    findings: int
    points: float
    cap: float


@dataclass(frozen=True)
class QualityEvidence:
    """The code quality score's evidence."""

    score: float | None
    reason: str
    """Why there is no score or it could not be measured ("not enough code to judge: ...")."""
    lines: int
    penalties: tuple[PenaltyRow, ...]
    findings: tuple[LintRow, ...]
    """The first ``FINDINGS_SHOWN`` findings, most serious first."""
    findings_total: int
    unformatted: tuple[str, ...]
    noqa_comments: int
    starter_findings: int

    @property
    def findings_hidden(self) -> int:
        """Findings left out of ``findings`` by the cap."""
        return self.findings_total - len(self.findings)


@dataclass(frozen=True)
class MutantRow:
    """One planted bug and whether the candidate's tests caught it (recruiter formats only)."""

    id: str
    description: str
    caught: bool
    caught_by: tuple[str, ...]
    note: str

    @property
    def by(self) -> str:
        """The tests that caught it, else why it was not (e.g. "timed out"), else ''."""
        return ", ".join(self.caught_by) or self.note


@dataclass(frozen=True)
class WrongTest:
    """A candidate's test that fails on the correct reference implementation."""

    test: str
    message: str


@dataclass(frozen=True)
class OwnTestsEvidence:
    """The candidate's own tests against the planted mutants."""

    score: float
    tests: int
    caught: int
    mutants: tuple[MutantRow, ...]
    wrong_tests: tuple[WrongTest, ...]
    branch_coverage: float | None
    reason: str


@dataclass(frozen=True)
class DiagnosisRow:
    """One planted problem: the written diagnosis against what the code does."""

    problem_id: str
    title: str
    fixed: bool
    explained: bool
    located: bool
    evidence: str
    """The sentence that best shows it was explained ('' when none)."""
    location: str
    misconceptions: tuple[str, ...]
    """"label: sentence" for each wrong mechanism the diagnosis states."""
    disproved_claim: str
    """A sentence claiming a fix the hidden tests disprove ('' when none)."""
    reason: str


@dataclass(frozen=True)
class DiagnosisEvidence:
    """The reasoning score's evidence: a row per planted problem, and remarks."""

    score: float
    rows: tuple[DiagnosisRow, ...]
    remarks: tuple[str, ...]
    """The rubric's flags on the diagnosis ("misconception: ...")."""
    reason: str
    written_only: bool = False
    """A memo: its rows are areas of the design, with nothing to fix or locate."""

    @property
    def heading(self) -> str:
        """The section's title in every format."""
        return "Coverage by area" if self.written_only else "Diagnosis vs behaviour"

    @property
    def first_column(self) -> str:
        return "Area" if self.written_only else "Problem"

    @property
    def mark_names(self) -> tuple[str, ...]:
        """The yes/no columns each row shows, in order (see ``marks``)."""
        return ("Explained",) if self.written_only else ("Fixed", "Explained", "Located")

    def marks(self, row: DiagnosisRow) -> tuple[bool, ...]:
        """A row's yes/no values under ``mark_names``."""
        if self.written_only:
            return (row.explained,)
        return (row.fixed, row.explained, row.located)


@dataclass(frozen=True)
class Output:
    """The tail of one captured stream of candidate output."""

    name: str
    text: str
    dropped_lines: int


@dataclass(frozen=True)
class Verdict:
    """Everything a report may say about one grade, derived once."""

    candidate: str
    graded: bool
    score: float | None
    """Correctness 0–100, None when ungradable."""
    band: Band
    headline: str
    """One sentence: the score and tests passed, or why there is no score."""
    reason: str
    """Why the grade is ungradable, or why the run did not complete ('' otherwise)."""
    exercise_id: str
    exercise_title: str
    exercise: str
    submission: str
    run: str
    replay: str
    """The one-line command that regrades this submission under the same conditions."""
    scores: tuple[ScoreLine, ...]
    """Correctness first, then the exercise's other scores, then the profile total."""
    areas: tuple[AreaRow, ...]
    failed: tuple[FailedTest, ...]
    quality: QualityEvidence | None
    own_tests: OwnTestsEvidence | None
    diagnosis: DiagnosisEvidence | None
    limits: tuple[str, ...]
    notebook: tuple[str, ...]
    questions: tuple[str, ...]
    code_questions: tuple[str, ...]
    """About what the candidate did (their changes, with file and line): evidence only."""
    flags: tuple[str, ...]
    """Round flags (similarity, another exercise): evidence for a human, never a score."""
    notes: tuple[str, ...]
    outputs: tuple[Output, ...]

    @property
    def score_text(self) -> str:
        """The correctness score as a badge reads it: "73.6", or "ungradable"."""
        return "ungradable" if self.score is None else f"{self.score:.1f}"

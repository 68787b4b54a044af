"""The plain, frozen data that flows through one grade: Exercise → Workspace → RunRecord → Grade."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from grader.notebooks import NotebookReport


class ExerciseKind(StrEnum):
    """What the candidate is asked to do."""

    IMPLEMENT = "implement"
    DEBUG = "debug"
    LEAKAGE = "leakage"
    UTILITIES = "utilities"


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandbox run; exercises override the defaults."""

    time_seconds: float = 120.0
    """Wall time for the whole hidden-test run, measured by the in-container supervisor."""
    test_timeout_seconds: float = 30.0
    """Wall time for one hidden test; a test over it fails, the others still run."""
    memory_mb: int = 1024
    """Memory for the container, swap included (swap is not extra)."""
    cpus: float = 1.0
    pids: int = 256
    """Processes and threads the container may hold at once (stops fork bombs)."""
    output_kb: int = 256
    """Candidate stdout/stderr kept for the recruiter; the rest is counted and dropped."""
    workdir_mb: int = 256
    """Size of the writable tmpfs the submission runs in."""


@dataclass(frozen=True)
class TestSpec:
    """One hidden test as the exercise declares it; the host's list of what must report."""

    __test__ = False  # a domain name, not a pytest test class

    id: str
    """pytest node id relative to ``hidden/tests``, e.g. ``test_fit.py::test_mean``."""
    group: str
    weight: float
    description: str
    """One line a recruiter can read, e.g. "gradient check on W1"."""
    question: str = ""
    """A follow-up interview question for when this test fails."""


@dataclass(frozen=True)
class GroupSpec:
    """A named group of hidden tests: what they check together."""

    id: str
    title: str


@dataclass(frozen=True)
class SampleSpec:
    """A bundled example submission and the score bands it must land in."""

    path: Path
    band: tuple[float, float]
    """Correctness."""
    other_bands: tuple[tuple[str, tuple[float, float] | None], ...] = ()
    """Optional bands for ``quality``, ``tests`` and ``reasoning``; None: the score is absent."""


@dataclass(frozen=True)
class VariantSpec:
    """A calibration variant: the reference with exactly one planted problem left in."""

    path: Path
    fails: tuple[str, ...]
    """Groups that must lose credit; every other group must keep full credit."""
    description: str


@dataclass(frozen=True)
class MutantSpec:
    """A planted buggy version of the module, for scoring the candidate's own tests."""

    id: str
    path: Path
    description: str


@dataclass(frozen=True)
class OwnTestsSpec:
    """Where an exercise asks for the candidate's own tests, how to run them."""

    tests: tuple[str, ...]
    """Paths (files or folders) of the candidate's tests inside the submission."""
    modules: tuple[str, ...]
    """The implementation files the mutants and the reference replace."""
    timeout_seconds: float = 60.0
    """One run of the candidate's suite."""
    budget_seconds: float = 240.0
    """All runs together (own code, reference, every mutant)."""

    def holds(self, relative: str) -> bool:
        """Whether ``relative`` (a submission path) is one of the candidate's test files."""
        prefixes = tuple(t.rstrip("/") for t in self.tests)
        return relative in prefixes or relative.startswith(tuple(p + "/" for p in prefixes))


@dataclass(frozen=True)
class Exercise:
    """An exercise package as loaded and validated from ``exercise.toml``."""

    id: str
    title: str
    kind: ExerciseKind
    version: str
    root: Path
    files: tuple[str, ...]
    """Files the candidate edits; used to recognise a submission and to copy it in."""
    limits: Limits
    requirements: tuple[str, ...]
    """Python distributions the sandbox image must provide; candidate code may import only
    these, their dependencies and the standard library (sandbox/harness/import_guard.py)."""
    groups: tuple[GroupSpec, ...]
    tests: tuple[TestSpec, ...]
    samples: tuple[SampleSpec, ...] = ()
    variants: tuple[VariantSpec, ...] = ()
    mutants: tuple[MutantSpec, ...] = ()
    own_tests: OwnTestsSpec | None = None
    starter_max: float = 50.0
    """The starter must score at most this correctness for the exercise to validate."""
    panel_agreement: float = 0.9
    """The lowest Spearman agreement of the grader's totals with the panel reviewer's marks."""
    panel_band_hits: float = 0.8
    """The lowest share of the panel reviewer's score bands the grades must land in."""

    @property
    def brief(self) -> Path:
        return self.root / "brief.md"

    @property
    def starter_dir(self) -> Path:
        return self.root / "starter"

    @property
    def solution_dir(self) -> Path:
        return self.root / "solution"

    @property
    def public_tests_dir(self) -> Path:
        return self.root / "public_tests"

    @property
    def hidden_tests_dir(self) -> Path:
        return self.root / "hidden" / "tests"

    @property
    def rubric_path(self) -> Path:
        return self.root / "hidden" / "rubric.toml"

    def group(self, group_id: str) -> GroupSpec:
        """The group with this id (validated to exist at load time)."""
        return next(g for g in self.groups if g.id == group_id)


class SourceKind(StrEnum):
    """What shape the submission arrived in."""

    DIRECTORY = "directory"
    GIT = "git"
    ZIP = "zip"
    TAR = "tar"
    FILE = "file"
    NOTEBOOK = "notebook"
    """A single Jupyter notebook (.ipynb)."""


@dataclass(frozen=True)
class Workspace:
    """A clean, size-checked private copy of one submission."""

    root: Path
    """Directory holding the copy; owned by the grader, deleted after grading."""
    source: Path
    """The path the user gave; never modified."""
    kind: SourceKind
    content_hash: str
    """sha256 over the sorted relative paths and bytes of every file kept."""
    files: tuple[str, ...]
    """Relative POSIX paths of every file kept, sorted."""
    total_bytes: int
    git_commit: str | None = None
    git_dirty: bool | None = None
    notes: tuple[str, ...] = ()
    """What intake skipped or changed, for the recruiter (e.g. "ignored .venv/")."""
    broken_notebooks: tuple[tuple[str, str, str], ...] = ()
    """Notebooks that are not valid notebooks, as (path, message, hint): an error only if
    grading picks one to stand for a module."""


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
    seed: int = 0
    notes: tuple[str, ...] = ()
    """Anything odd the host noticed, e.g. unexpected test ids in the report."""
    timings: tuple[tuple[str, float], ...] = ()
    notebook: str | None = None
    """The executed notebook the sandbox returned (untrusted JSON text), for notebook runs."""
    """Seconds per phase (create, copy, run, remove) for benchmarks; not scored."""
    lint: LintReport | None = None
    """What ruff found in the candidate's files (None when there was nothing to lint)."""
    own_test_runs: tuple[OwnTestRun, ...] = ()
    """The candidate's own tests against their code, the reference and each mutant."""


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


class GradeStatus(StrEnum):
    """Whether a number could honestly be given."""

    GRADED = "graded"
    UNGRADABLE = "ungradable"
    """Not a zero: the grader could not judge (e.g. the engine failed)."""


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

    @property
    def passed(self) -> bool:
        return self.outcome is TestOutcome.PASSED


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

    @property
    def failed(self) -> tuple[TestVerdict, ...]:
        return tuple(t for t in self.tests if not t.passed)


@dataclass(frozen=True)
class SubmissionInfo:
    """Where the graded submission came from, for the report."""

    source: str
    kind: SourceKind
    content_hash: str
    files: int
    git_commit: str | None = None
    git_dirty: bool | None = None


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one submission against one exercise."""

    exercise_id: str
    exercise_version: str
    exercise_title: str
    submission: SubmissionInfo
    status: GradeStatus
    correctness: CorrectnessScore | None
    run_status: RunStatus | None = None
    reason: str = ""
    limits_hit: tuple[str, ...] = ()
    seed: int = 0
    image: str = ""
    stdout: str = ""
    stderr: str = ""
    output_truncated_bytes: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    duration_s: float = 0.0
    """Wall time of the grade; informational, kept out of any score."""
    candidate: str = ""
    """Who submitted it, as the batch or the recruiter names them (e.g. the folder name)."""
    flags: tuple[str, ...] = ()
    """Round-level evidence for a human (e.g. "very similar to bob"); never changes a score."""
    quality: QualityScore | None = None
    own_tests: OwnTestsScore | None = None
    reasoning: ReasoningScore | None = None
    total: TotalScore | None = None
    notebook: NotebookReport | None = None
    """The clean run of a notebook submission: cells skipped or failed, stale outputs."""


# --- diagnostic reasoning (scored by grader/scoring/reasoning.py) -------------------------


class ConceptKind(StrEnum):
    """The part of a diagnosis a concept stands for."""

    LOCATION = "location"
    MECHANISM = "mechanism"
    CONSEQUENCE = "consequence"
    FIX = "fix"
    VERIFICATION = "verification"


class FlagKind(StrEnum):
    """Things a recruiter should know about a diagnosis besides its score."""

    EMPTY = "empty"
    NOT_PROSE = "not-prose"
    KEYWORD_STUFFING = "keyword-stuffing"
    UNSUPPORTED_CLAIM = "unsupported-claim"
    UNKNOWN_GROUP = "unknown-group"
    MISCONCEPTION = "misconception"
    TRUNCATED = "truncated"


@dataclass(frozen=True)
class Flag:
    """A remark on the diagnosis, with the sentence it is about."""

    kind: FlagKind
    message: str
    line: int = 0
    sentence: str = ""


@dataclass(frozen=True)
class ConceptMatch:
    """A rubric concept found in a sentence: the evidence behind (or against) credit."""

    concept: int
    """Index of the concept within its problem."""
    kind: ConceptKind
    weight: float
    sentence: str
    line: int
    matched: str
    """The words that matched (a phrase's words joined by ' … ', or a regex's span)."""
    rejected: str = ""
    """Why the match earned nothing ('' when it earned the concept)."""
    phrase: str = ""
    """The rubric phrase (or regex) that matched."""


@dataclass(frozen=True)
class MisconceptionMatch:
    """A sentence that states one of a problem's listed wrong mechanisms."""

    label: str
    sentence: str
    line: int
    matched: str


@dataclass(frozen=True)
class ProblemRow:
    """One planted problem: explained, fixed, located, and the share of its weight earned."""

    id: str
    title: str
    group: str
    weight: float
    fixed: bool
    """The problem's hidden-test group passed fully."""
    explained: bool
    located: bool
    share: float
    """Share of the problem's weight earned: fixed+explained, fixed only, explained only, 0."""
    earned_weight: float
    """Concept weight earned, out of ``possible_weight``."""
    possible_weight: float
    matches: tuple[ConceptMatch, ...]
    """The first earning sentence of each earned concept."""
    rejected: tuple[ConceptMatch, ...]
    """Matches that earned nothing, each with its reason."""
    location: str
    """The sentence or code that cites where the problem is ('' when none)."""
    claim: str
    """A sentence that claims the problem was fixed ('' when none)."""
    reason: str
    misconceptions: tuple[MisconceptionMatch, ...] = ()
    """Sentences that explain the problem with a listed wrong mechanism."""
    penalty: float = 0.0
    """Share of the weight taken off for a fix claim the hidden tests disprove."""

    @property
    def evidence(self) -> str:
        """The sentence that best shows the problem was explained (mechanism, else fix)."""
        for kind in (ConceptKind.MECHANISM, ConceptKind.FIX):
            for match in self.matches:
                if match.kind is kind:
                    return match.sentence
        return ""


@dataclass(frozen=True)
class ReasoningScore:
    """The reasoning score (0–100) with a row per planted problem and flags."""

    score: float
    rows: tuple[ProblemRow, ...]
    flags: tuple[Flag, ...]
    prose_sentences: int
    """Sentences that counted as prose (headings, code and set-aside sentences excluded)."""
    reason: str

    @property
    def explained(self) -> tuple[str, ...]:
        """Ids of the problems the diagnosis explains."""
        return tuple(r.id for r in self.rows if r.explained)

    def flagged(self, kind: FlagKind) -> tuple[Flag, ...]:
        """The flags of one kind."""
        return tuple(f for f in self.flags if f.kind is kind)

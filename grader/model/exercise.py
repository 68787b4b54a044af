"""What an exercise package declares: its kind, limits, hidden tests, samples and mutants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ExerciseKind(StrEnum):
    """What the candidate is asked to do."""

    IMPLEMENT = "implement"
    DEBUG = "debug"
    LEAKAGE = "leakage"
    UTILITIES = "utilities"
    MEMO = "memo"
    """A written answer and nothing to run (a design memo): reasoning is its only score."""


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
    requirement: str = ""
    """A requirement the brief states outright that this test checks ("alerts never exceed
    the capacity"): failing it caps correctness, as a reviewer would not pass such code."""


@dataclass(frozen=True)
class GroupSpec:
    """A named group of hidden tests: what they check together."""

    id: str
    title: str


@dataclass(frozen=True)
class SampleSpec:
    """A bundled example submission and the score bands it must land in."""

    path: Path
    band: tuple[float, float] | None
    """Correctness (None for a memo exercise, which has none)."""
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
    roles: tuple[tuple[str, int], ...] = ()
    """How much each role profile needs this exercise (0-3), for ordering the catalog by role:
    declared in ``[roles]``, else from its kind (see catalog.KIND_ROLES)."""
    writeup: str = "DIAGNOSIS.md"
    """The candidate's written answer that the rubric scores (``writeup`` in exercise.toml):
    a diagnosis, a recommendation for a stakeholder, a design memo."""

    @property
    def diagnoses(self) -> bool:
        """Whether the writeup explains planted problems (debug, leakage) rather than argues
        for choices (a recommendation, a design memo)."""
        return self.kind in (ExerciseKind.DEBUG, ExerciseKind.LEAKAGE)

    @property
    def runs_code(self) -> bool:
        """Whether grading runs anything in the sandbox (a memo exercise has nothing to run)."""
        return self.kind is not ExerciseKind.MEMO

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

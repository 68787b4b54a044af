"""The outcome of grading one submission against one exercise: the Grade and its status."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from grader.model.notebook import NotebookReport
from grader.model.reasoning import ReasoningScore
from grader.model.run import RunStatus
from grader.model.scores import CorrectnessScore, OwnTestsScore, QualityScore, TotalScore
from grader.model.submission import SubmissionInfo


class GradeStatus(StrEnum):
    """Whether a number could honestly be given."""

    GRADED = "graded"
    UNGRADABLE = "ungradable"
    """Not a zero: the grader could not judge (e.g. the engine failed)."""


@dataclass(frozen=True)
class CodeQuestion:
    """An interview question about a change the candidate made, at a file and line."""

    file: str
    line: int
    """1-based; 0 when it is about the submission as a whole (its size)."""
    kind: str
    """``fix`` (a planted problem's lines), ``constant``, ``function`` (one they added) or
    ``size`` (over-engineering: evidence for the interviewer, never a score)."""
    question: str
    cell: int = 0
    """For a notebook, the cell (numbered over all cells) that ``line`` is in; 0 otherwise."""


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
    mlgrade_version: str = ""
    exercise_hash: str = ""
    """A hash of the exercise package as graded (all but its panel and samples)."""
    code_questions: tuple[CodeQuestion, ...] = ()
    """Questions about what the candidate did (their diff from the starter), most telling first."""
    image_id: str = ""
    """The content digest of the sandbox image the hidden tests ran in (``image`` is its tag):
    with the seed, the exercise hash and the version, what ``grade replay`` checks."""

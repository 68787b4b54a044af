"""The plain, frozen data that flows through one grade: Exercise → Workspace → RunRecord → Grade.

The ground floor of the package: these modules import nothing from ``grader`` but each other,
along the flow: ``exercise`` and ``submission`` (what goes in), ``run`` (what the sandbox
reported), ``notebook`` (a notebook's clean run), ``scores`` and ``reasoning`` (what scoring
made of it), ``grade`` (the outcome). Every public name is re-exported here, so callers
write ``from grader.model import Grade``.
"""

from __future__ import annotations

from grader.model.exercise import (
    Exercise,
    ExerciseKind,
    GroupSpec,
    Limits,
    MutantSpec,
    OwnTestsSpec,
    SampleSpec,
    TestSpec,
    VariantSpec,
)
from grader.model.grade import CodeQuestion, Grade, GradeStatus
from grader.model.notebook import CellRun, NotebookReport
from grader.model.reasoning import (
    ConceptKind,
    ConceptMatch,
    Flag,
    FlagKind,
    MisconceptionMatch,
    ProblemRow,
    ReasoningScore,
)
from grader.model.run import (
    OWN_TESTS_STOP_AFTER,
    LintFinding,
    LintReport,
    OwnTestRun,
    RunRecord,
    RunStatus,
    TestOutcome,
    TestResult,
)
from grader.model.scores import (
    CorrectnessScore,
    GroupScore,
    MutantVerdict,
    OwnTestsScore,
    Penalty,
    QualityScore,
    TestVerdict,
    TotalScore,
)
from grader.model.submission import SourceKind, SubmissionInfo, Workspace

__all__ = [
    "OWN_TESTS_STOP_AFTER",
    "CellRun",
    "CodeQuestion",
    "ConceptKind",
    "ConceptMatch",
    "CorrectnessScore",
    "Exercise",
    "ExerciseKind",
    "Flag",
    "FlagKind",
    "Grade",
    "GradeStatus",
    "GroupScore",
    "GroupSpec",
    "Limits",
    "LintFinding",
    "LintReport",
    "MisconceptionMatch",
    "MutantSpec",
    "MutantVerdict",
    "NotebookReport",
    "OwnTestRun",
    "OwnTestsScore",
    "OwnTestsSpec",
    "Penalty",
    "ProblemRow",
    "QualityScore",
    "ReasoningScore",
    "RunRecord",
    "RunStatus",
    "SampleSpec",
    "SourceKind",
    "SubmissionInfo",
    "TestOutcome",
    "TestResult",
    "TestSpec",
    "TestVerdict",
    "TotalScore",
    "VariantSpec",
    "Workspace",
]

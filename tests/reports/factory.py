"""Grades built from plain data for the renderer tests: no exercise, no Docker."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from grader.model import (
    CorrectnessScore,
    Grade,
    GradeStatus,
    GroupScore,
    RunStatus,
    SourceKind,
    SubmissionInfo,
    TestOutcome,
    TestVerdict,
)
from grader.reports.json_report import read_json

# (id, group, description, weight, follow-up question)
TESTS = (
    ("t1", "fit", "learns the column means", 2.0, "How do you compute a mean per column?"),
    ("t2", "fit", "uses the population variance (ddof=0)", 2.0, "What does ddof change?"),
    ("t3", "transform", "scales unseen data with the fitted statistics", 3.0, "Why not refit?"),
    ("t4", "transform", "leaves constant columns finite", 1.0, "What if a std is zero?"),
    ("t5", "api", "raises before fit", 1.0, "How should an unfitted scaler fail?"),
    ("t6", "api", "returns a new array, input untouched", 1.0, ""),
)
TITLES = {"fit": "Learns the right statistics", "transform": "Transforms correctly", "api": "API"}


def make_grade(
    candidate: str = "alice",
    *,
    failed: dict[str, str] | None = None,
    not_run: tuple[str, ...] = (),
    run_status: RunStatus = RunStatus.COMPLETED,
    reason: str = "",
    limits_hit: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    stdout: str = "",
    stderr: str = "",
    exercise_id: str = "feature-scaler",
    duration_s: float = 3.5,
) -> Grade:
    """A graded submission; ``failed`` maps test id to reason, ``not_run`` never reported."""
    failed = failed or {}
    verdicts = tuple(
        TestVerdict(
            id=tid,
            group=group,
            description=description,
            weight=weight,
            outcome=(
                TestOutcome.NOT_RUN
                if tid in not_run
                else TestOutcome.FAILED
                if tid in failed
                else TestOutcome.PASSED
            ),
            reason=failed.get(tid, reason if tid in not_run else ""),
            question=question,
        )
        for tid, group, description, weight, question in TESTS
    )
    groups = tuple(
        GroupScore(
            id=gid,
            title=title,
            earned=sum(v.weight for v in verdicts if v.group == gid and v.passed),
            possible=sum(v.weight for v in verdicts if v.group == gid),
            passed=sum(1 for v in verdicts if v.group == gid and v.passed),
            total=sum(1 for v in verdicts if v.group == gid),
        )
        for gid, title in TITLES.items()
    )
    earned = sum(v.weight for v in verdicts if v.passed)
    possible = sum(v.weight for v in verdicts)
    return Grade(
        exercise_id=exercise_id,
        exercise_version="1",
        exercise_title="Feature scaler",
        submission=_submission(candidate),
        status=GradeStatus.GRADED,
        correctness=CorrectnessScore(
            score=round(100 * earned / possible, 1),
            earned=earned,
            possible=possible,
            groups=groups,
            tests=verdicts,
        ),
        run_status=run_status,
        reason=reason,
        limits_hit=limits_hit,
        seed=1234,
        image="mlgrade-sandbox:abc123",
        stdout=stdout,
        stderr=stderr,
        notes=notes,
        duration_s=duration_s,
        candidate=candidate,
    )


def make_ungradable(candidate: str = "zed", reason: str = "the harness crashed") -> Grade:
    """A grade the grader could not judge: no correctness at all."""
    return Grade(
        exercise_id="feature-scaler",
        exercise_version="1",
        exercise_title="Feature scaler",
        submission=_submission(candidate),
        status=GradeStatus.UNGRADABLE,
        correctness=None,
        run_status=RunStatus.HARNESS_FAILED,
        reason=reason,
        candidate=candidate,
    )


def _submission(candidate: str) -> SubmissionInfo:
    return SubmissionInfo(
        source=f"/submissions/{candidate}",
        kind=SourceKind.DIRECTORY,
        content_hash=hashlib.sha256(candidate.encode()).hexdigest(),
        files=3,
    )


def sample_round() -> list[Grade]:
    """Eight varied candidates: strong, partial, weak, timed out, out of memory, ungradable."""
    long_log = "\n".join(f"epoch {i}: loss {1 / (i + 1):.4f}" for i in range(120))
    return [
        make_grade("Ada Lovelace", stdout="fitting...\ndone\n"),
        make_grade(
            "Grace Hopper",
            failed={"t2": "AssertionError: variance 2.5 != 2.0 (sample variance used)"},
        ),
        make_grade(
            "Alan Turing",
            failed={"t4": "RuntimeWarning: divide by zero; got inf", "t6": "input was modified"},
            notes=("ignored .venv/ (2,431 files)",),
        ),
        make_grade(
            "Katherine Johnson",
            failed={
                "t1": "AssertionError: means differ",
                "t2": "AssertionError: variance differs",
                "t3": "ValueError: shapes (3,) and (4,) not aligned",
            },
            stdout=long_log,
        ),
        make_grade(
            "Edsger Dijkstra",
            not_run=("t3", "t4", "t5", "t6"),
            run_status=RunStatus.TIMED_OUT,
            reason="timed out after 60 s",
            limits_hit=("wall time 60 s",),
            stderr="Traceback (most recent call last):\n  ...\nKeyboardInterrupt",
        ),
        make_grade(
            "Barbara Liskov",
            not_run=("t1", "t2", "t3", "t4", "t5", "t6"),
            run_status=RunStatus.OUT_OF_MEMORY,
            reason="ran out of memory (limit 512 MB)",
            limits_hit=("memory 512 MB", "output cut"),
            stdout="x" * 300,
        ),
        make_grade("Donald Knuth", failed={"t5": "DID NOT RAISE <class 'RuntimeError'>"}),
        make_ungradable("Linus <b>Torvalds</b>", "the sandbox harness failed: no result frame"),
    ]


GOLDEN = Path(__file__).parent / "golden"


def golden_grade(case: str) -> Grade:
    """The input grade of one golden case (``golden/<case>/grade.json``)."""
    return read_json(GOLDEN / case / "grade.json")


LONG_FLAG = (
    "very similar to Grace Hopper, Alan Turing, Katherine Johnson: 91% of fingerprints shared "
    "(scaler.py lines 12-80 and 14-82: the same helper names, the same comments, the same order)"
)


def flagged_round() -> list[Grade]:
    """Nine candidates as a bundle-based round shows them: several carry long similarity
    flags, two have every kind of evidence (lint, mutants, diagnosis)."""
    flagged = [
        replace(g, flags=(LONG_FLAG, "nearly identical to the reference solution: 97% shared"))
        if i % 2 == 0
        else g
        for i, g in enumerate(sample_round()[:7])
    ]
    return [*flagged, golden_grade("debug-full"), golden_grade("utilities-mutants")]

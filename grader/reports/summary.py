"""What every round renderer says about one grade, derived once: verdict, areas, failed
tests, questions, notes. Texts here are cleaned of control characters but not escaped;
each renderer escapes them for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from grader.model import Grade, GradeStatus, RunStatus, TestOutcome

from .text import one_line

QUESTIONS_SHOWN = 5


class Band(StrEnum):
    """How a correctness score reads at a glance (the terminal's colours, as words)."""

    STRONG = "strong"
    """80 and over."""
    PARTIAL = "partial"
    """50 to under 80."""
    WEAK = "weak"
    """Under 50."""
    NONE = "none"
    """No score: the grade is ungradable."""


@dataclass(frozen=True)
class AreaRow:
    """Credit earned in one group of hidden tests."""

    title: str
    passed: int
    total: int
    share: float
    """Percent of the group's weight earned, 0–100."""


@dataclass(frozen=True)
class FailedRow:
    """One failed hidden test, or all the tests that never reported folded into one row."""

    description: str
    weight: float
    reason: str
    outcome: TestOutcome
    count: int = 1
    """How many tests the row stands for (more than one only for tests that never ran)."""


def candidate_name(grade: Grade) -> str:
    """Who submitted it, on one line; the submission path when the batch gave no name."""
    return one_line(grade.candidate or grade.submission.source, 200) or "(unnamed)"


def is_graded(grade: Grade) -> bool:
    """Whether the grade carries a score (an ungradable grade is not a zero)."""
    return grade.status is GradeStatus.GRADED and grade.correctness is not None


def score(grade: Grade) -> float | None:
    """Correctness 0–100, or None when ungradable."""
    return grade.correctness.score if is_graded(grade) and grade.correctness else None


def tests_passed(grade: Grade) -> tuple[int, int] | None:
    """(passed, total) hidden tests, or None when ungradable."""
    if not is_graded(grade) or grade.correctness is None:
        return None
    tests = grade.correctness.tests
    return sum(1 for t in tests if t.passed), len(tests)


def band(value: float | None) -> Band:
    """The band a score falls in."""
    if value is None:
        return Band.NONE
    return Band.STRONG if value >= 80 else Band.PARTIAL if value >= 50 else Band.WEAK


def run_outcome(grade: Grade) -> str:
    """Why the run did not complete ("timed out after 60 s"), or "" when it did."""
    status = grade.run_status
    if status is None or status is RunStatus.COMPLETED:
        return ""
    return one_line(grade.reason) or status.value.replace("_", " ")


def verdict_line(grade: Grade) -> str:
    """One sentence: the score and tests passed, or why there is no score."""
    counts = tests_passed(grade)
    value = score(grade)
    if value is None or counts is None:
        return f"Ungradable: {one_line(grade.reason) or 'no reason recorded'}"
    line = f"Correctness {value:.1f} / 100 · {counts[0]} of {counts[1]} hidden tests passed"
    outcome = run_outcome(grade)
    return f"{line} · {outcome}" if outcome else line


def run_line(grade: Grade) -> str:
    """How the sandbox run went, with what makes it reproducible (seed, image)."""
    status = grade.run_status.value.replace("_", " ") if grade.run_status else "not run"
    parts = [f"{status} in {grade.duration_s:.1f} s", f"seed {grade.seed}"]
    if grade.image:
        parts.append(f"image {one_line(grade.image, 80)}")
    return " · ".join(parts)


def submission_line(grade: Grade) -> str:
    """Where the submission came from: path, shape, file count, content hash, commit."""
    sub = grade.submission
    files = f"{sub.files} file" + ("" if sub.files == 1 else "s")
    line = (
        f"{one_line(sub.source, 200)} ({sub.kind.value}, {files}, sha256 {sub.content_hash[:12]})"
    )
    if sub.git_commit:
        line += f", commit {one_line(sub.git_commit, 40)[:10]}" + (
            " (dirty)" if sub.git_dirty else ""
        )
    return line


def exercise_line(grade: Grade) -> str:
    """The exercise as a person names it: title, id and version."""
    return f"{one_line(grade.exercise_title, 120)} ({grade.exercise_id} v{grade.exercise_version})"


def area_rows(grade: Grade) -> tuple[AreaRow, ...]:
    """Credit per group of hidden tests, in the exercise's order; empty when ungradable."""
    if not is_graded(grade) or grade.correctness is None:
        return ()
    return tuple(
        AreaRow(
            title=one_line(g.title, 120),
            passed=g.passed,
            total=g.total,
            share=100 * g.earned / g.possible if g.possible else 0.0,
        )
        for g in grade.correctness.groups
    )


def failed_rows(grade: Grade) -> tuple[FailedRow, ...]:
    """Each failed hidden test with its reason; tests that never reported share one row,
    since they all share the run's fate (timeout, crash, out of memory)."""
    if not is_graded(grade) or grade.correctness is None:
        return ()
    failed = grade.correctness.failed
    rows = [
        FailedRow(one_line(t.description, 200), t.weight, one_line(t.reason), t.outcome)
        for t in failed
        if t.outcome is not TestOutcome.NOT_RUN
    ]
    not_run = [t for t in failed if t.outcome is TestOutcome.NOT_RUN]
    if not_run:
        rows.append(
            FailedRow(
                description=f"{len(not_run)} test(s) that never reported",
                weight=sum(t.weight for t in not_run),
                reason=one_line(not_run[0].reason) or run_outcome(grade),
                outcome=TestOutcome.NOT_RUN,
                count=len(not_run),
            )
        )
    return tuple(rows)


def follow_up_questions(grade: Grade, limit: int = QUESTIONS_SHOWN) -> tuple[str, ...]:
    """Interview questions for what the candidate missed, without repeats."""
    if not is_graded(grade) or grade.correctness is None:
        return ()
    asked = (one_line(t.question, 300) for t in grade.correctness.failed if t.question)
    return tuple(dict.fromkeys(q for q in asked if q))[:limit]


def limits_hit(grade: Grade) -> tuple[str, ...]:
    """The sandbox limits the submission ran into, cleaned."""
    return tuple(one_line(limit, 120) for limit in grade.limits_hit if limit.strip())


def notes(grade: Grade) -> tuple[str, ...]:
    """Round flags first (evidence for a human), then what intake and the host noticed, plus
    how much candidate output was cut."""
    lines = [f"flag: {one_line(flag)}" for flag in grade.flags if flag.strip()]
    lines += [one_line(note) for note in grade.notes if note.strip()]
    if grade.output_truncated_bytes:
        lines.append(f"candidate output cut: {grade.output_truncated_bytes:,} bytes dropped")
    return tuple(lines)


def notebook_lines(grade: Grade) -> tuple[str, ...]:
    """What the clean run of a notebook submission showed (empty for .py submissions)."""
    if grade.notebook is None:
        return ()
    return tuple(one_line(line) for line in grade.notebook.summary_lines())

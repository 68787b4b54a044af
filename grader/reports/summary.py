"""The verdict builder: ``verdict_of(grade)`` derives, once, everything a report says about
a grade, and the one-line facts the round's columns read. Texts here are cleaned of control
characters but not escaped; each renderer escapes them for its own format.
"""

from __future__ import annotations

import shlex

from grader.model import Grade, GradeStatus, RunStatus, TestOutcome

from .evidence import diagnosis_evidence, own_tests_evidence, quality_evidence, score_lines
from .questions import follow_up_questions
from .text import one_line, tail
from .verdict import AreaRow, Band, FailedTest, Output, Verdict, band

__all__ = ["Band", "band", "verdict_of"]

OUTPUT_LINES = 30
OUTPUT_CHARS = 4000


def candidate_name(grade: Grade) -> str:
    """Who submitted it, on one line; the submission path when the batch gave no name."""
    return one_line(grade.candidate or grade.submission.source, 200) or "(unnamed)"


def is_graded(grade: Grade) -> bool:
    """Whether the grade carries a score (an ungradable grade is not a zero)."""
    return grade.status is GradeStatus.GRADED and (
        grade.correctness is not None or grade.reasoning is not None
    )


def written_only(grade: Grade) -> bool:
    """A written exercise (a memo): no hidden tests, the writing's reasoning is the score."""
    return grade.correctness is None and grade.reasoning is not None


def score(grade: Grade) -> float | None:
    """The headline score 0–100: correctness, or a memo's reasoning; None when ungradable."""
    if not is_graded(grade):
        return None
    if grade.correctness is not None:
        return grade.correctness.score
    return grade.reasoning.score if grade.reasoning is not None else None


def tests_passed(grade: Grade) -> tuple[int, int] | None:
    """(passed, total) hidden tests, or None when ungradable."""
    if not is_graded(grade) or grade.correctness is None:
        return None
    tests = grade.correctness.tests
    return sum(1 for t in tests if t.passed), len(tests)


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
    if value is not None and grade.reasoning is not None and written_only(grade):
        rows = grade.reasoning.rows
        covered = sum(1 for r in rows if r.explained)
        return f"Reasoning {value:.1f} / 100 · {covered} of {len(rows)} areas explained"
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


def replay_line(grade: Grade) -> str:
    """``grade replay`` for this grade: its stored JSON (``--json`` file, or the round's
    ``results/<candidate>.json``) and the submission; replay checks image and package too."""
    stored = f"results/{grade.candidate}.json" if grade.candidate else "GRADE.json"
    return (
        f"grade replay {shlex.quote(stored)} {shlex.quote(one_line(grade.submission.source, 200))}"
    )


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
    """Credit per group of hidden tests, in the exercise's order; empty when ungradable and
    for a memo (its areas are the diagnosis evidence, each with its sentence)."""
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


def failed_tests(grade: Grade) -> tuple[FailedTest, ...]:
    """Each failed hidden test with its reason; tests that never reported share one row,
    since they all share the run's fate (timeout, crash, out of memory)."""
    if not is_graded(grade) or grade.correctness is None:
        return ()
    failed = grade.correctness.failed
    rows = [
        FailedTest(
            test_id=one_line(t.id, 200),
            description=one_line(t.description, 200),
            weight=t.weight,
            reason=one_line(t.reason),
            outcome=t.outcome,
            cases_passed=t.cases_passed,
            cases_total=t.cases_total,
        )
        for t in failed
        if t.outcome is not TestOutcome.NOT_RUN
    ]
    not_run = [t for t in failed if t.outcome is TestOutcome.NOT_RUN]
    if not_run:
        rows.append(
            FailedTest(
                test_id="",
                description=f"{len(not_run)} test(s) that never reported",
                weight=sum(t.weight for t in not_run),
                reason=one_line(not_run[0].reason) or run_outcome(grade),
                outcome=TestOutcome.NOT_RUN,
                count=len(not_run),
                covers=tuple(one_line(t.description, 200) for t in not_run),
            )
        )
    return tuple(rows)


def limits_hit(grade: Grade) -> tuple[str, ...]:
    """The sandbox limits the submission ran into, cleaned."""
    return tuple(one_line(limit, 120) for limit in grade.limits_hit if limit.strip())


def flags(grade: Grade) -> tuple[str, ...]:
    """The round's flags on this grade (similarity, another exercise), cleaned."""
    return tuple(one_line(flag) for flag in grade.flags if flag.strip())


def notes(grade: Grade) -> tuple[str, ...]:
    """What intake and the host noticed, plus how much candidate output was cut."""
    lines = [one_line(note) for note in grade.notes if note.strip()]
    if grade.output_truncated_bytes:
        lines.append(f"candidate output cut: {grade.output_truncated_bytes:,} bytes dropped")
    return tuple(lines)


def notebook_lines(grade: Grade) -> tuple[str, ...]:
    """What the clean run of a notebook submission showed (empty for .py submissions)."""
    if grade.notebook is None:
        return ()
    return tuple(one_line(line) for line in grade.notebook.summary_lines())


def outputs(grade: Grade) -> tuple[Output, ...]:
    """The last lines of the candidate's stdout and stderr (empty streams left out)."""
    shown = []
    for name, stream in (("stdout", grade.stdout), ("stderr", grade.stderr)):
        if stream.strip():
            text, dropped = tail(stream, lines=OUTPUT_LINES, chars=OUTPUT_CHARS)
            shown.append(Output(name, text, dropped))
    return tuple(shown)


def verdict_of(grade: Grade) -> Verdict:
    """The one view of a grade that every renderer draws."""
    value = score(grade)
    graded = value is not None
    reason = one_line(grade.reason or "no reason recorded") if not graded else run_outcome(grade)
    return Verdict(
        candidate=candidate_name(grade),
        graded=graded,
        score=value,
        band=band(value),
        headline=verdict_line(grade),
        reason=reason,
        exercise_id=one_line(grade.exercise_id, 120),
        exercise_title=one_line(grade.exercise_title or grade.exercise_id, 120),
        exercise=exercise_line(grade),
        submission=submission_line(grade),
        run=run_line(grade),
        replay=replay_line(grade),
        scores=score_lines(grade) if graded else (),
        areas=area_rows(grade),
        failed=failed_tests(grade),
        quality=quality_evidence(grade.quality) if graded else None,
        own_tests=own_tests_evidence(grade.own_tests) if graded else None,
        diagnosis=diagnosis_evidence(grade.reasoning, written_only(grade)) if graded else None,
        limits=limits_hit(grade),
        notebook=notebook_lines(grade),
        questions=follow_up_questions(grade),
        code_questions=tuple(one_line(q.question, 300) for q in grade.code_questions[:8]),
        flags=flags(grade),
        notes=notes(grade),
        outputs=outputs(grade),
    )

"""Follow-up interview questions: one policy for every report.

Questions come from what the candidate missed. Each kind of weakness beyond the hidden tests
keeps a slot (up to two unexplained problems of the diagnosis, the first planted bug their
tests missed, the first lint finding); the failed hidden tests' own questions fill the rest,
in the exercise's order. A written exercise (a memo, no hidden tests) is asked about each
area it leaves out, with the rubric's question for it. At most ``QUESTIONS_SHOWN``, without
repeats; none for an ungradable grade (there is nothing to ask about yet).
"""

from __future__ import annotations

from grader.model import Grade, GradeStatus

from .text import one_line

QUESTIONS_SHOWN = 8
UNEXPLAINED_ASKED = 2
MUTANTS_ASKED = 1
FINDINGS_ASKED = 1


def _weak_areas(grade: Grade) -> list[str]:
    asked: list[str] = []
    if grade.reasoning is not None:
        unexplained = [row for row in grade.reasoning.rows if not row.explained]
        asked += [
            one_line(row.question) or f"Ask them to explain, in their own words: {row.title}."
            for row in unexplained[:UNEXPLAINED_ASKED]
        ]
    if grade.own_tests is not None:
        missed = [m for m in grade.own_tests.mutants if not m.caught]
        asked += [
            f"Ask which test would catch this bug: {m.description}." for m in missed[:MUTANTS_ASKED]
        ]
    if grade.quality is not None:
        asked += [
            f"Walk through {f.where} ({f.code}: {f.message})."
            for f in grade.quality.findings[:FINDINGS_ASKED]
        ]
    return asked


def _written_only(grade: Grade) -> tuple[str, ...]:
    """A memo's questions: each area it leaves unexplained, with the rubric's question for
    it (else the area asked about by name), heaviest areas first."""
    assert grade.reasoning is not None
    missed = sorted((r for r in grade.reasoning.rows if not r.explained), key=lambda r: -r.weight)
    asked = [
        one_line(r.question) or f"Ask how their design handles: {one_line(r.title)}."
        for r in missed
    ]
    return tuple(dict.fromkeys(q for q in asked if q))[:QUESTIONS_SHOWN]


def follow_up_questions(grade: Grade) -> tuple[str, ...]:
    """The questions to ask this candidate, cleaned, in the order a panel should ask them."""
    if grade.status is not GradeStatus.GRADED:
        return ()
    if grade.correctness is None:
        return _written_only(grade) if grade.reasoning is not None else ()
    weak = [one_line(q) for q in _weak_areas(grade)]
    failed = [one_line(t.question) for t in grade.correctness.failed if t.question.strip()]
    failed = list(dict.fromkeys(q for q in failed if q and q not in weak))
    room = max(QUESTIONS_SHOWN - len(weak), 0)
    return tuple(dict.fromkeys([*failed[:room], *weak]))[:QUESTIONS_SHOWN]

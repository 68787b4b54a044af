"""Correctness: the weighted share of hidden tests passed, per group, with per-test evidence."""

from __future__ import annotations

from grader.model import (
    CorrectnessScore,
    Exercise,
    GroupScore,
    RunRecord,
    TestOutcome,
    TestResult,
    TestVerdict,
)

REQUIREMENT_CAP = 65.0
"""The most correctness can be when a test of a requirement the brief states outright fails
(the capacity a decision must respect, ties that must be alerted together): below the pass
mark most teams use, whatever else passes, because a reviewer would not ship such code."""


def score_correctness(exercise: Exercise, run: RunRecord) -> CorrectnessScore:
    """Partial credit by test weight; a test without a valid passing result earns nothing,
    a parametrized one the share of its cases that passed."""
    by_id: dict[str, TestResult] = {r.id: r for r in run.results}
    verdicts = []
    for spec in exercise.tests:
        result = by_id.get(spec.id, TestResult(spec.id, TestOutcome.NOT_RUN, "no result"))
        verdicts.append(
            TestVerdict(
                id=spec.id,
                group=spec.group,
                description=spec.description,
                weight=spec.weight,
                outcome=result.outcome,
                reason="" if result.outcome is TestOutcome.PASSED else result.reason,
                question=spec.question,
                cases_passed=result.cases_passed,
                cases_total=result.cases_total,
            )
        )
    groups = []
    for group in exercise.groups:
        members = [v for v in verdicts if v.group == group.id]
        groups.append(
            GroupScore(
                id=group.id,
                title=group.title,
                earned=sum(v.weight * v.share for v in members),
                possible=sum(v.weight for v in members),
                passed=sum(1 for v in members if v.passed),
                total=len(members),
            )
        )
    earned = sum(v.weight * v.share for v in verdicts)
    possible = sum(v.weight for v in verdicts)
    score = round(100.0 * earned / possible, 2) if possible else 0.0
    requirements = {s.id: s.requirement for s in exercise.tests if s.requirement}
    broken = tuple(
        dict.fromkeys(requirements[v.id] for v in verdicts if v.id in requirements and not v.passed)
    )
    return CorrectnessScore(
        score=min(score, REQUIREMENT_CAP) if broken else score,
        earned=earned,
        possible=possible,
        groups=tuple(groups),
        tests=tuple(verdicts),
        broken_requirements=broken,
        uncapped=score if broken and score > REQUIREMENT_CAP else None,
    )

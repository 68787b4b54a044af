"""The evidence behind each score, as verdict parts: score lines, lint findings, mutants,
diagnosis rows. Pure functions of a Grade; texts cleaned, not escaped."""

from __future__ import annotations

from grader.model import Grade, OwnTestsScore, QualityScore, ReasoningScore

from .text import one_line
from .verdict import (
    DiagnosisEvidence,
    DiagnosisRow,
    LintRow,
    MutantRow,
    OwnTestsEvidence,
    PenaltyRow,
    QualityEvidence,
    ScoreLine,
    WrongTest,
)

FINDINGS_SHOWN = 10
"""Lint findings every format lists (most serious first); the rest are counted."""
WRONG_TESTS_SHOWN = 10
RULE_DOCS = "https://docs.astral.sh/ruff/rules/"
"""The only links a lint finding may carry (the finding itself comes from the container)."""


def score_lines(grade: Grade) -> tuple[ScoreLine, ...]:
    """One line per score with its evidence, then the profile total with its weights."""
    lines: list[ScoreLine] = []
    c = grade.correctness
    if c is not None:
        passed = sum(1 for t in c.tests if t.passed)
        evidence = f"{passed}/{len(c.tests)} hidden tests, by weight"
        if c.broken_requirements:
            shown = "; ".join(one_line(r, 80) for r in c.broken_requirements[:2])
            capped = f" (capped from {c.uncapped:g})" if c.uncapped is not None else ""
            evidence += f"; breaks a requirement of the brief{capped}: {shown}"
        lines.append(ScoreLine("correctness", "Correctness", c.score, evidence))
    q = grade.quality
    if q is not None:
        lost = ", ".join(f"{p.category} -{p.points:g}" for p in q.penalties if p.points) or "none"
        evidence = one_line(q.reason) or f"{q.lines} lines linted; lost: {lost}"
        lines.append(ScoreLine("quality", "Code quality", q.score, evidence))
    o = grade.own_tests
    if o is not None:
        caught = sum(1 for m in o.mutants if m.caught)
        cover = (
            f", branch coverage {o.branch_coverage:.0f}%" if o.branch_coverage is not None else ""
        )
        evidence = f"caught {caught}/{len(o.mutants)} planted bugs{cover}"
        if o.reason:
            evidence += f"; {one_line(o.reason)}"
        lines.append(ScoreLine("own_tests", "Own tests", o.score, evidence))
    r = grade.reasoning
    if r is not None:
        both = sum(1 for row in r.rows if row.fixed and row.explained)
        evidence = one_line(r.reason) or f"{both}/{len(r.rows)} problems fixed and explained"
        lines.append(ScoreLine("reasoning", "Reasoning", r.score, evidence))
    t = grade.total
    if t is not None:
        weights = ", ".join(f"{k} {w:.0%}" for k, w in t.weights)
        lines.append(ScoreLine("total", f"Total ({one_line(t.profile, 40)})", t.score, weights))
    return tuple(lines)


def quality_evidence(q: QualityScore | None) -> QualityEvidence | None:
    """Penalties and the first findings with their rule links; the reason when unjudged."""
    if q is None:
        return None
    return QualityEvidence(
        score=q.score,
        reason=one_line(q.reason),
        lines=q.lines,
        penalties=tuple(
            PenaltyRow(one_line(p.category, 60), p.findings, p.points, p.cap)
            for p in q.penalties
            if p.points
        ),
        findings=tuple(
            LintRow(one_line(f.where, 200), one_line(f.code, 20), one_line(f.message), _url(f.url))
            for f in q.findings[:FINDINGS_SHOWN]
        ),
        findings_total=len(q.findings),
        unformatted=tuple(one_line(name, 200) for name in q.unformatted),
        noqa_comments=q.noqa_comments,
        starter_findings=q.starter_findings,
    )


def _url(url: str) -> str:
    clean = one_line(url, 200)
    safe = clean.startswith(RULE_DOCS) and all(c.isalnum() or c in "-/:._" for c in clean)
    return clean if safe else ""


def own_tests_evidence(o: OwnTestsScore | None) -> OwnTestsEvidence | None:
    """Every planted mutant, caught or missed and by which test; the wrong tests."""
    if o is None:
        return None
    messages = o.wrong_test_messages + ("",) * len(o.wrong_tests)
    return OwnTestsEvidence(
        score=o.score,
        tests=o.tests,
        caught=sum(1 for m in o.mutants if m.caught),
        mutants=tuple(
            MutantRow(
                one_line(m.id, 80),
                one_line(m.description),
                m.caught,
                tuple(one_line(t, 200) for t in m.caught_by),
                one_line(m.note, 200),
            )
            for m in o.mutants
        ),
        wrong_tests=tuple(
            WrongTest(one_line(test, 200), one_line(message))
            for test, message in zip(o.wrong_tests, messages, strict=False)
        )[:WRONG_TESTS_SHOWN],
        branch_coverage=o.branch_coverage,
        reason=one_line(o.reason),
    )


def diagnosis_evidence(
    r: ReasoningScore | None, written_only: bool = False
) -> DiagnosisEvidence | None:
    """Per planted problem: fixed, explained (with the sentence), misconceptions, claims; for
    a memo (``written_only``), per area: explained, with the sentence that earned it."""
    if r is None:
        return None
    rows = tuple(
        DiagnosisRow(
            problem_id=one_line(row.id, 80),
            title=one_line(row.title, 200),
            fixed=row.fixed,
            explained=row.explained,
            located=row.located,
            evidence=one_line(row.evidence),
            location=one_line(row.location),
            misconceptions=tuple(
                one_line(f"{m.label}: “{m.sentence}”") for m in row.misconceptions
            ),
            disproved_claim=one_line(row.claim) if row.claim and not row.fixed else "",
            reason=one_line(row.reason),
        )
        for row in r.rows
    )
    remarks = tuple(one_line(f"{f.kind.value}: {f.message}") for f in r.flags)
    return DiagnosisEvidence(r.score, rows, remarks, one_line(r.reason), written_only)

"""Diagnostic reasoning: score a candidate's ``DIAGNOSIS.md`` against an exercise's rubric.

Pure and deterministic. The Markdown is split into sentences (sentences.py), set aside where
it is not prose (prose.py), and matched against each planted problem's concepts and
misconceptions (matching.py, lexicon.py, negation.py). Words are then tied to behaviour: a
problem earns its weight when its hidden-test group passed *and* the diagnosis explains it
with a right mechanism or consequence; a fix alone earns a small share (it is paid in
correctness), and a claimed fix the hidden tests disprove costs credit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from grader.model import ConceptKind, ConceptMatch, Flag, FlagKind, ProblemRow, ReasoningScore
from grader.scoring.matching import (
    Analysed,
    analyse,
    claim,
    foreign_sentences,
    match_concept,
    misconceptions,
    names,
)
from grader.scoring.prose import prose_flags, rubric_keywords, set_aside
from grader.scoring.rubric import EXPLAINING_KINDS, Problem, Rubric
from grader.scoring.sentences import SentenceKind, split_sentences

__all__ = ["MAX_DIAGNOSIS_CHARS", "ConceptKind", "CreditPolicy", "FlagKind", "score_reasoning"]

MAX_DIAGNOSIS_CHARS = 65_536
"""Only this much of DIAGNOSIS.md is read (the cut is flagged): scoring runs on the host."""
MAX_SENTENCES = 600
"""And only this many of its sentences, headings and code blocks (a real diagnosis has
tens; the cap bounds the time a crafted one of tiny bullets can take)."""


@dataclass(frozen=True)
class CreditPolicy:
    """Shares of a problem's weight and the bar for "explained"."""

    fixed_and_explained: float = 1.0
    """For a fixed problem explained with every concept (where, why, what it does, the fix,
    the check); one explained with fewer gets between ``explained_floor`` and this."""
    explained_floor: float = 0.6
    fixed_and_named: float = 0.25
    """Fixed, and its mechanism or consequence named (in a term list, or too thinly to
    explain it): a little more than silence, far less than an explanation."""
    fixed_only: float = 0.15
    """Small: the fix is already paid in correctness; naming it shows no understanding."""
    explained_only: float = 0.25
    explained_weight: float = 0.5
    """Share of the problem's concept weight that must be earned to count as explained."""
    disproved_claim: float = 0.35
    """Taken off a problem's weight when the diagnosis claims a fix its tests disprove; the
    explanation of that problem then earns nothing either (the code says otherwise), so a
    false claim costs more than saying nothing."""


DEFAULT_POLICY = CreditPolicy()


def _share(
    fixed: bool,
    explained: bool,
    named: bool,
    coverage: float,
    policy: CreditPolicy,
    misled: bool = False,
) -> tuple[float, str]:
    if fixed and explained and misled:
        # The right cause stated beside a wrong one: a reviewer cannot tell which the
        # candidate believes, so it counts as named, not explained.
        return policy.fixed_and_named, "fixed; explained, but contradicted by a misconception"
    if fixed and explained:
        floor = policy.explained_floor
        share = floor + (policy.fixed_and_explained - floor) * min(1.0, coverage)
        return round(share, 4), "fixed and explained"
    if fixed and named:
        return policy.fixed_and_named, "fixed, its cause named but not explained"
    if fixed:
        return policy.fixed_only, "fixed but not explained"
    if explained:
        return policy.explained_only, "explained but not fixed"
    return 0.0, "neither fixed nor explained"


def _memo_share(
    explained: bool, named: bool, coverage: float, policy: CreditPolicy, misled: bool = False
) -> tuple[float, str]:
    """A memo's area: nothing to fix, so only the writing earns (a fixed-only share would pay
    for silence). An area argued both right and with a misconception contradicts itself: a
    reviewer cannot tell which the candidate would build, so it earns the named share at
    most."""
    if explained and misled:
        return policy.fixed_and_named, "explained, but contradicted by a misconception"
    if explained:
        floor = policy.explained_floor
        share = floor + (policy.fixed_and_explained - floor) * min(1.0, coverage)
        return round(share, 4), "covered and explained"
    if named:
        return policy.fixed_and_named, "its reasons named but not explained"
    return 0.0, "not covered"


def _row(
    problem: Problem,
    analysed: Sequence[Analysed],
    fixed: bool,
    policy: CreditPolicy,
    rubric: Rubric,
    stuffed: bool = False,
    memo: bool = False,
    praise_refused: bool = True,
) -> ProblemRow:
    others = [p for p in rubric.problems if p.id != problem.id]
    wrong = misconceptions(problem, others, analysed)
    misled = {number: f"'{m.label}' ({m.matched})" for number, m in wrong}
    earned: list[ConceptMatch] = []
    rejected: list[ConceptMatch] = []
    # Only a diagnosis's locations are code names; a memo's or a recommendation's are topics
    # its areas share (a timeout is serving and fallbacks at once).
    foreign = foreign_sentences(problem, others, analysed) if praise_refused else frozenset()
    for index, concept in enumerate(problem.concepts):
        found, refused = match_concept(concept, index, analysed, misled, praise_refused, foreign)
        rejected += refused
        if found is not None:
            earned.append(found)
    weight = sum(m.weight for m in earned)
    kinds = {m.kind for m in earned}
    # A stated wrong mechanism is the candidate's explanation: a right consequence elsewhere
    # does not make it right; only the right mechanism does.
    explaining = ConceptKind.MECHANISM in kinds or (not wrong and bool(kinds & EXPLAINING_KINDS))
    explained = (
        weight >= policy.explained_weight * problem.concept_weight and explaining and not stuffed
    )
    # Named: a right mechanism or consequence said without enough around it to explain the
    # problem, or only in a term list. A misconception takes even that away.
    listed_cause = any(
        m.kind in EXPLAINING_KINDS and m.rejected.startswith("not prose") for m in rejected
    )
    named = not wrong and (bool(kinds & EXPLAINING_KINDS) or listed_cause)
    location = next((m.sentence for m in earned if m.kind is ConceptKind.LOCATION), "")
    if not location:
        cited = (
            a.sentence.text
            for a in analysed
            if a.sentence.kind is not SentenceKind.PROSE or not a.aside
        )
        location = next((text for text in cited if names(problem, text)), "")
    claimed = None if memo else claim(problem, others, analysed, rubric)
    disproved = claimed is not None and not fixed
    coverage = weight / problem.concept_weight
    # Explained right and also with a misconception: in a memo or a diagnosis that is a
    # contradiction (named, not explained); a recommendation's points are exempt.
    contradicted = bool(wrong) and (memo or praise_refused)
    share, reason = (
        _memo_share(explained, named, coverage, policy, contradicted)
        if memo
        else _share(fixed, explained and not disproved, named, coverage, policy, contradicted)
    )
    listed = ", ".join(sorted(k.value for k in kinds)) or "none"
    reason += (
        f" (concepts: {listed}; weight {earned_text(weight)}/{earned_text(problem.concept_weight)})"
    )
    if wrong:
        reason += "; " + "; ".join(f"explains it as {m.label}" for _, m in wrong)
    penalty = policy.disproved_claim if disproved else 0.0
    if penalty:
        reason += (
            f"; claims a fix the hidden tests disprove (-{penalty:g} of its weight"
            + (", and its explanation earns nothing" if explained else "")
            + ")"
        )
    return ProblemRow(
        id=problem.id,
        title=problem.title,
        group=problem.group,
        weight=problem.weight,
        fixed=fixed,
        explained=explained and not disproved and not contradicted,
        located=bool(location),
        share=share,
        earned_weight=weight,
        possible_weight=problem.concept_weight,
        matches=tuple(earned),
        rejected=tuple(rejected),
        location=location,
        claim=claimed.text if claimed else "",
        reason=reason,
        misconceptions=tuple(m for _, m in wrong),
        penalty=penalty,
        question=problem.question,
    )


def earned_text(value: float) -> str:
    """A weight for messages: '3', '2.5'."""
    return f"{value:g}"


def _row_flags(row: ProblemRow, analysed: Sequence[Analysed], total: float) -> list[Flag]:
    flags = [
        Flag(
            FlagKind.MISCONCEPTION,
            f"explains '{row.id}' as {m.label} (matched: {m.matched}); the sentence earns "
            "nothing for it",
            m.line,
            m.sentence,
        )
        for m in row.misconceptions
    ]
    if row.claim and not row.fixed:
        points = 100.0 * row.weight * row.penalty / total
        flags.append(
            Flag(
                FlagKind.UNSUPPORTED_CLAIM,
                f"claims a fix for '{row.id}', but hidden-test group '{row.group}' did not "
                f"pass: -{points:.1f} points",
                next(a.sentence.line for a in analysed if a.sentence.text == row.claim),
                row.claim,
            )
        )
    return flags


def _void(text: str | None, flags: list[Flag], prose: int, name: str) -> str:
    """Why the whole diagnosis earns nothing ('' when it is scored)."""
    if prose:
        return ""
    if text is None:
        void = f"no {name}: nothing to score (0)"
    elif not text.strip():
        void = f"{name} is empty: nothing to score (0)"
    else:
        void = f"{name} has no explanatory prose: nothing to score (0)"
    flags.insert(0, Flag(FlagKind.EMPTY, void))
    return void


def score_reasoning(
    rubric: Rubric,
    text: str | None,
    fixed_groups: Mapping[str, bool] | None,
    policy: CreditPolicy = DEFAULT_POLICY,
    name: str = "DIAGNOSIS.md",
    diagnosis: bool = True,
) -> ReasoningScore:
    """Score a diagnosis (``None`` when the file ``name`` is missing) against a rubric.

    ``fixed_groups`` says per hidden-test group whether it passed fully; None for a memo,
    which has no code: each problem is then an area the writing covers or not, with no fix
    to pay for or claim. The score is the weighted mean over problems of the shares in
    ``policy`` less the penalties for disproved fix claims (never below 0); every share
    comes with evidence. ``diagnosis``: the writing explains problems (debug, leakage), so a
    cause presented as good earns nothing; a recommendation or a memo argues for choices.
    """
    memo = fixed_groups is None
    flags: list[Flag] = []
    if text is not None and len(text) > MAX_DIAGNOSIS_CHARS:
        flags.append(
            Flag(
                FlagKind.TRUNCATED,
                f"{name} is longer than {MAX_DIAGNOSIS_CHARS} characters; only the first "
                f"{MAX_DIAGNOSIS_CHARS} were read",
            )
        )
        text = text[:MAX_DIAGNOSIS_CHARS]
    sentences = split_sentences(text or "")
    if len(sentences) > MAX_SENTENCES:
        flags.append(
            Flag(
                FlagKind.TRUNCATED,
                f"{name} has {len(sentences)} sentences; only the first {MAX_SENTENCES} were read",
            )
        )
        sentences = sentences[:MAX_SENTENCES]
    keywords = rubric_keywords(rubric)
    aside = set_aside(sentences, keywords)
    flags += prose_flags(sentences, aside, keywords)
    analysed = analyse(sentences, aside, rubric)
    prose = sum(1 for r in aside if not r)
    total = sum(p.weight for p in rubric.problems)
    # Keyword stuffing explains nothing: a fixed problem whose cause it names earns the
    # "named" share, as a reviewer gives a little for naming the right places, no more.
    stuffed = any(f.kind is FlagKind.KEYWORD_STUFFING for f in flags)
    rows = []
    for problem in rubric.problems:
        if fixed_groups is not None and problem.group and problem.group not in fixed_groups:
            flags.append(
                Flag(
                    FlagKind.UNKNOWN_GROUP,
                    f"no hidden-test result for group '{problem.group}' of problem "
                    f"'{problem.id}'; counted as not fixed",
                )
            )
        # A point no test backs ('' group) stands on the writing alone.
        fixed = not memo and (
            not problem.group or bool(fixed_groups and fixed_groups.get(problem.group))
        )
        row = _row(problem, analysed, fixed, policy, rubric, stuffed, memo, diagnosis and not memo)
        flags += _row_flags(row, analysed, total)
        rows.append(row)
    void = _void(text, flags, prose, name)
    if void:  # no credit, not even for fixed problems: writing nothing must not beat this
        rows = [replace(r, share=0.0, penalty=0.0, reason=f"{void}; {r.reason}") for r in rows]
    earned = sum(r.weight * (r.share - r.penalty) for r in rows)
    score = round(max(0.0, 100.0 * earned / total), 2)
    explained = sum(r.explained for r in rows)
    fixed_count = sum(r.fixed for r in rows)
    counted = f"{fixed_count} fixed; " if not memo else ""
    what = "areas" if memo else "problems"
    reason = void or (
        f"{explained} of {len(rows)} {what} explained, {counted}"
        f"{prose} prose sentences"
        + ("; keyword stuffing: nothing counts as explained" if stuffed else "")
    )
    misled = sum(len(r.misconceptions) > 0 for r in rows)
    disproved = sum(r.penalty > 0 for r in rows)
    if not void and (misled or disproved):
        reason += f"; {misled} explained with a misconception, {disproved} fix claims disproved"
    return ReasoningScore(score, tuple(rows), tuple(flags), prose, reason)

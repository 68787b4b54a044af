"""Item analysis of a round: how each hidden test and group behaved across the candidates.

A round's grades say how candidates did; read the other way they say how the exercise did.
Per hidden test and per group of one exercise version this computes the pass rate, the mean
share of the weight earned and the *discrimination*: the correlation between the item's score
and the rest of the candidate's correctness score (the corrected item-total correlation, so
an item never correlates with itself). For a plain test the item score is 0 or 1, which makes
it the point-biserial correlation; a parametrized test scores the share of its cases passed
and a group the share of its weight earned, where the same formula is Pearson's r.

Flags point a human at items worth reading: a test every candidate fails (a brief that
misleads, or a test that is wrong), one every candidate passes (it measures nothing here),
and one that correlates negatively with the rest (strong candidates fail it, weak ones pass).
Correlations over fewer than ``MIN_CANDIDATES`` are noise: such items are flagged "too few
candidates" instead, and never "negative discrimination".

Pure: plain grades in, plain data out. The standard library's ``statistics`` computes the
correlation because numpy is not a runtime dependency of the grader.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from grader.model import Grade, GradeStatus, TestVerdict

MIN_CANDIDATES = 5
"""Below this many analysed candidates a correlation is not worth a flag."""
NEGATIVE_DISCRIMINATION = -0.1
"""An item whose discrimination is below this is flagged: it rewards the weaker candidates.
A little below zero is common noise in a small round; -0.1 is the usual cut in classical
test theory for an item that works against the rest of the test."""
_TOLERANCE = 1e-9
"""Scores are sums of float weights: differences below this are rounding, not variance."""


class ItemFlag(StrEnum):
    """Why an item deserves a human's look."""

    EVERYONE_FAILS = "everyone fails"
    EVERYONE_PASSES = "everyone passes"
    NEGATIVE_DISCRIMINATION = "negative discrimination"
    TOO_FEW_CANDIDATES = "too few candidates"


class ItemKind(StrEnum):
    """What an analysed item is."""

    TEST = "test"
    GROUP = "group"


@dataclass(frozen=True)
class ItemStats:
    """One hidden test or group across the candidates of one exercise version."""

    kind: ItemKind
    id: str
    title: str
    """The test's description, or the group's title."""
    group: str
    """The group the test belongs to (a group's own id for a group)."""
    weight: float
    """The test's weight, or the sum of the group's weights."""
    candidates: int
    passed: int
    """Candidates who passed it fully (every case; for a group, every test)."""
    pass_rate: float
    """Mean over candidates of the share passed: a parametrized test counts by the share of
    its cases, a group by the unweighted mean of its tests' shares."""
    mean_share: float
    """Mean share of the weight earned (for a test the same as ``pass_rate``; for a group
    weighted by its tests' weights)."""
    discrimination: float | None
    """Correlation of the item's score with the rest of the correctness score; None when the
    item or the rest has no variance (or fewer than two candidates)."""
    flags: tuple[ItemFlag, ...] = ()

    @property
    def flagged(self) -> bool:
        """Whether anything about this item needs a human's look."""
        return bool(self.flags)


@dataclass(frozen=True)
class ExerciseItems:
    """The item analysis of one exercise version in a round."""

    exercise_id: str
    exercise_version: str
    exercise_title: str
    candidates: int
    """Graded candidates analysed."""
    groups: tuple[ItemStats, ...]
    tests: tuple[ItemStats, ...]


@dataclass(frozen=True)
class RoundItems:
    """The item analysis of a round: one section per (exercise, version)."""

    sections: tuple[ExerciseItems, ...]
    skipped: int = 0
    """Grades left out because they have no correctness to analyse (ungradable)."""


@dataclass(frozen=True)
class _Score:
    """One candidate's result on one item: share passed, share of weight, points earned."""

    share: float
    weighted: float
    earned: float
    full: bool


def analyse_round(grades: Sequence[Grade]) -> RoundItems:
    """Item analysis per (exercise id, version) over the graded grades; the rest are skipped."""
    by_exercise: dict[tuple[str, str], list[Grade]] = {}
    skipped = 0
    for grade in grades:
        if grade.status is not GradeStatus.GRADED or grade.correctness is None:
            skipped += 1
            continue
        by_exercise.setdefault((grade.exercise_id, grade.exercise_version), []).append(grade)
    keys = sorted(by_exercise, key=lambda key: (key[0], _natural(key[1])))
    return RoundItems(tuple(_section(by_exercise[key]) for key in keys), skipped)


def _natural(version: str) -> tuple[tuple[int, int | str], ...]:
    # "10" after "9": numbers compare as numbers, the rest as text.
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", version)
        if part
    )


def _section(grades: list[Grade]) -> ExerciseItems:
    first = grades[0]
    # Each candidate's verdicts by test id and total points, computed from the verdicts
    # themselves so that "total minus item" is exact.
    verdicts = [{v.id: v for v in _tests(g)} for g in grades]
    totals = [sum(v.weight * v.share for v in by_id.values()) for by_id in verdicts]
    test_ids = _ordered(v.id for g in grades for v in _tests(g))
    group_ids = _ordered(
        [gs.id for g in grades if g.correctness for gs in g.correctness.groups]
        + [v.group for g in grades for v in _tests(g)]
    )
    titles = {gs.id: gs.title for g in grades if g.correctness for gs in g.correctness.groups}
    tests = []
    for test_id in test_ids:
        members = [by_id[test_id] for by_id in verdicts if test_id in by_id]
        scores = [
            (_test_score(by_id[test_id]), total)
            for by_id, total in zip(verdicts, totals, strict=True)
            if test_id in by_id
        ]
        tests.append(
            _stats(
                ItemKind.TEST,
                test_id,
                members[0].description,
                members[0].group,
                members[0].weight,
                scores,
            )
        )
    groups = []
    for group_id in group_ids:
        scores = []
        weight = 0.0
        for by_id, total in zip(verdicts, totals, strict=True):
            members = [v for v in by_id.values() if v.group == group_id]
            if members:
                scores.append((_group_score(members), total))
                weight = max(weight, sum(v.weight for v in members))
        if scores:
            groups.append(
                _stats(
                    ItemKind.GROUP,
                    group_id,
                    titles.get(group_id, group_id),
                    group_id,
                    weight,
                    scores,
                )
            )
    return ExerciseItems(
        exercise_id=first.exercise_id,
        exercise_version=first.exercise_version,
        exercise_title=first.exercise_title,
        candidates=len(grades),
        groups=tuple(groups),
        tests=tuple(tests),
    )


def _tests(grade: Grade) -> tuple[TestVerdict, ...]:
    return grade.correctness.tests if grade.correctness else ()


def _ordered(ids: Iterable[str]) -> list[str]:
    # First appearance keeps the exercise's declared order.
    return list(dict.fromkeys(ids))


def _test_score(verdict: TestVerdict) -> _Score:
    return _Score(
        share=verdict.share,
        weighted=verdict.share,
        earned=verdict.weight * verdict.share,
        full=verdict.passed,
    )


def _group_score(members: list[TestVerdict]) -> _Score:
    share = statistics.fmean(v.share for v in members)
    possible = sum(v.weight for v in members)
    earned = sum(v.weight * v.share for v in members)
    return _Score(
        share=share,
        # A group of weightless tests has no weighted share: fall back to the plain one.
        weighted=earned / possible if possible else share,
        earned=earned,
        full=all(v.passed for v in members),
    )


def _stats(
    kind: ItemKind,
    item_id: str,
    title: str,
    group: str,
    weight: float,
    scores: list[tuple[_Score, float]],
) -> ItemStats:
    items = [score.weighted for score, _ in scores]
    rests = [total - score.earned for score, total in scores]
    discrimination = _correlation(items, rests)
    flags = []
    if all(score.share <= _TOLERANCE for score, _ in scores):
        flags.append(ItemFlag.EVERYONE_FAILS)
    if all(score.full for score, _ in scores):
        flags.append(ItemFlag.EVERYONE_PASSES)
    if len(scores) < MIN_CANDIDATES:
        flags.append(ItemFlag.TOO_FEW_CANDIDATES)
    elif discrimination is not None and discrimination < NEGATIVE_DISCRIMINATION:
        flags.append(ItemFlag.NEGATIVE_DISCRIMINATION)
    return ItemStats(
        kind=kind,
        id=item_id,
        title=title,
        group=group,
        weight=weight,
        candidates=len(scores),
        passed=sum(1 for score, _ in scores if score.full),
        pass_rate=statistics.fmean(score.share for score, _ in scores),
        mean_share=statistics.fmean(items),
        discrimination=discrimination,
        flags=tuple(flags),
    )


def _correlation(items: list[float], rests: list[float]) -> float | None:
    """Pearson's r of item and rest scores (point-biserial for 0/1 items); None without
    variance on either side."""
    if len(items) < 2 or _constant(items) or _constant(rests):
        return None
    r = statistics.correlation(items, rests)
    return max(-1.0, min(1.0, r))


def _constant(values: list[float]) -> bool:
    return max(values) - min(values) <= _TOLERANCE

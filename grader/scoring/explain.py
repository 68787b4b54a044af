"""The rubric workbench: why a diagnosis earned what it did, sentence by sentence.

An author debugging a rubric (or a reviewer doubting a reasoning score) needs to see, without
grading a whole submission, how each sentence was read: prose or set aside (and why), which
concept of which problem it earned, which matches were rejected and why (negation, an
anti-pattern, a misconception), and the score that follows. It reuses the scorer itself, so
what it shows is what a grade would give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from grader.model import ReasoningScore
from grader.scoring.prose import rubric_keywords, set_aside
from grader.scoring.reasoning import MAX_DIAGNOSIS_CHARS, MAX_SENTENCES, score_reasoning
from grader.scoring.rubric import Rubric
from grader.scoring.sentences import split_sentences


@dataclass(frozen=True)
class SentenceReading:
    """How one sentence of the diagnosis was read."""

    line: int
    text: str
    kind: str
    """'prose', 'heading' or 'code'."""
    aside: str
    """Why the sentence is not counted as prose ('' when it is)."""
    earned: tuple[str, ...] = ()
    """'problem: kind (matched words)' for each concept this sentence earned."""
    rejected: tuple[str, ...] = ()
    """'problem: kind (matched words): why not' for each match that earned nothing."""
    misconceptions: tuple[str, ...] = ()
    """'problem: label (matched words)' for each wrong mechanism this sentence states."""


@dataclass(frozen=True)
class Explanation:
    """Every sentence's reading and the reasoning score they add up to."""

    sentences: tuple[SentenceReading, ...]
    score: ReasoningScore


def fixed_groups(rubric: Rubric, chosen: Iterable[str] | None) -> dict[str, bool]:
    """Which groups count as fixed: all of the rubric's (None), or only those chosen."""
    if chosen is None:
        return dict.fromkeys(rubric.groups, True)
    wanted = set(chosen)
    return {group: group in wanted for group in rubric.groups}


def explain_diagnosis(rubric: Rubric, text: str, fixed: Mapping[str, bool]) -> Explanation:
    """Read ``text`` as the grader would against ``rubric``, with ``fixed`` groups passing."""
    score = score_reasoning(rubric, text, fixed)
    sentences = split_sentences(text[:MAX_DIAGNOSIS_CHARS])[:MAX_SENTENCES]
    aside = set_aside(sentences, rubric_keywords(rubric))
    notes: dict[tuple[int, str], dict[str, list[str]]] = {}

    def note(line: int, sentence: str, kind: str, entry: str) -> None:
        notes.setdefault((line, sentence), {}).setdefault(kind, []).append(entry)

    for row in score.rows:
        for match in row.matches:
            note(
                match.line,
                match.sentence,
                "earned",
                f"{row.id}: {match.kind.value} ({match.matched})",
            )
        for match in row.rejected:
            note(
                match.line,
                match.sentence,
                "rejected",
                f"{row.id}: {match.kind.value} ({match.matched}): {match.rejected}",
            )
        for wrong in row.misconceptions:
            note(wrong.line, wrong.sentence, "wrong", f"{row.id}: {wrong.label} ({wrong.matched})")
    readings = []
    for sentence, why in zip(sentences, aside, strict=True):
        found = notes.get((sentence.line, sentence.text), {})
        readings.append(
            SentenceReading(
                sentence.line,
                sentence.text,
                sentence.kind.value,
                why,
                tuple(found.get("earned", ())),
                tuple(found.get("rejected", ())),
                tuple(found.get("wrong", ())),
            )
        )
    return Explanation(tuple(readings), score)

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
from grader.scoring.matching import Analysed, analyse
from grader.scoring.prose import rubric_keywords, set_aside
from grader.scoring.reasoning import MAX_DIAGNOSIS_CHARS, MAX_SENTENCES, score_reasoning
from grader.scoring.rubric import EXPLAINING_KINDS, Rubric
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
    near_miss: str = ""
    """For prose that earned and lost nothing: the rubric phrase it came closest to, and the
    word it lacks ('' when no phrase came within one word)."""


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


def explain_diagnosis(
    rubric: Rubric, text: str, fixed: Mapping[str, bool] | None, diagnosis: bool = True
) -> Explanation:
    """Read ``text`` as the grader would against ``rubric``, with ``fixed`` groups passing
    (None: a memo, whose areas have nothing to fix); ``diagnosis`` as in score_reasoning."""
    score = score_reasoning(rubric, text, fixed, diagnosis=diagnosis)
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
    analysed = analyse(sentences, aside, rubric)
    readings = []
    for sentence, why, item in zip(sentences, aside, analysed, strict=True):
        found = notes.get((sentence.line, sentence.text), {})
        explained = {e.split(":", 1)[0] for e in found.get("earned", []) if _explaining(e)}
        near = "" if why or found.get("wrong") else _near_miss(rubric, item, explained)
        readings.append(
            SentenceReading(
                sentence.line,
                sentence.text,
                sentence.kind.value,
                why,
                tuple(found.get("earned", ())),
                tuple(found.get("rejected", ())),
                tuple(found.get("wrong", ())),
                near,
            )
        )
    return Explanation(tuple(readings), score)


def _word_for(text: str, slot: frozenset[str]) -> str:
    """The phrase's own word for a slot (slots hold stems and synonyms), else its shortest key."""
    for word in text.replace("|", " ").split():
        plain = word.strip("=.,;:()").lower()
        if any(plain.startswith(key) for key in slot if key):
            return plain
    return min(slot, key=lambda k: (len(k), k))


def _explaining(entry: str) -> bool:
    kind = entry.split(": ", 1)[1].split(" ", 1)[0] if ": " in entry else ""
    return kind in {k.value for k in EXPLAINING_KINDS}


def _near_miss(rubric: Rubric, item: Analysed, explained: set[str]) -> str:
    """The mechanism or consequence phrase (two or more words) that a prose sentence holds
    all but one word of, said with the word it lacks: where a rubric author sees that a
    candidate's wording just missed what would explain a problem. Problems this sentence
    already explains are skipped."""
    keys = item.index.keys()
    if not keys:
        return ""
    best: tuple[int, str] | None = None
    for problem in rubric.problems:
        if problem.id in explained:
            continue
        for concept in (c for c in problem.concepts if c.kind in EXPLAINING_KINDS):
            for phrase in concept.phrases:
                lacking = [slot for slot in phrase.slots if keys.isdisjoint(slot)]
                held = len(phrase.slots) - len(lacking)
                if len(phrase.slots) < 2 or len(lacking) != 1 or (best and held <= best[0]):
                    continue
                word = _word_for(phrase.text, lacking[0])
                best = (
                    held,
                    f"{problem.id}: {concept.kind.value} '{phrase.text}' (lacks '{word}')",
                )
    return best[1] if best else ""

"""Matching a rubric against the sentences of a diagnosis: concepts, misconceptions, claims.

Each sentence is tokenized once with the rubric's lexicon and indexed by key, so a phrase is
found with set lookups and one sliding window; an old-style regex runs only on sentences of
bounded length. A match earns nothing when its sentence is not prose, asks a question, trips
an anti-phrase, states a misconception of the same problem, or negates it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from grader.model import ConceptKind, ConceptMatch, MisconceptionMatch
from grader.scoring.claims import claims_fix, global_claim, in_fix_section
from grader.scoring.lexicon import Phrase, Token, find_phrase, key_index
from grader.scoring.negation import endorsement, negation_cue
from grader.scoring.rubric import EXPLAINING_KINDS, Concept, Misconception, Problem, Rubric
from grader.scoring.sentences import Sentence, SentenceKind

MAX_REGEX_CHARS = 1200
"""Old-style regexes run only on sentences up to this long (longer ones are run-ons)."""
MAX_CODE_CHARS = 4000
"""Only the head of a code block is searched for concepts (names are found anywhere)."""
MAX_REJECTED = 4
"""Rejected matches kept as evidence per concept."""


@dataclass(frozen=True)
class Analysed:
    """A sentence with its prose verdict, tokens and key index."""

    sentence: Sentence
    aside: str
    """Why it is not prose ('' for prose)."""
    tokens: tuple[Token, ...] = ()
    index: dict[str, list[int]] = field(default_factory=dict, compare=False)
    claims: bool = False
    """The sentence claims a fix was made ('I fixed', 'I now ...', under a 'Fix' heading)."""
    widths: tuple[int, ...] = ()
    """Per token, how many words it stands for (see lexicon.Token.width)."""
    candidates: frozenset[int] = frozenset()
    """ids of the rubric phrases one of whose slots this sentence holds: only these can
    match, so a sentence costs set lookups for the few phrases its words point to."""

    @property
    def searchable(self) -> bool:
        """Run-ons and repeats are never searched: they earn nothing and cost time."""
        return bool(self.tokens)


def triggers(rubric: Rubric) -> dict[str, list[int]]:
    """Key -> ids of the phrases whose narrowest slot answers to it."""
    phrases: list[Phrase] = []
    for problem in rubric.problems:
        for concept in problem.concepts:
            phrases += [*concept.phrases, *concept.anti_phrases]
        for wrong in problem.misconceptions:
            phrases += wrong.phrases
    table: dict[str, list[int]] = {}
    for phrase in phrases:
        for key in min(phrase.slots, key=len, default=()):
            table.setdefault(key, []).append(id(phrase))
    return table


def analyse(sentences: Sequence[Sentence], aside: Sequence[str], rubric: Rubric) -> list[Analysed]:
    """Tokenize every sentence worth searching, once, and note which phrases may match."""
    lexicon = rubric.lexicon
    table = triggers(rubric)
    out = []
    for sentence, reason in zip(sentences, aside, strict=True):
        if reason.startswith(("a run-on", "repeats", "no words")):
            out.append(Analysed(sentence, reason))
            continue
        text = sentence.text
        if sentence.kind is SentenceKind.CODE:
            text = text[:MAX_CODE_CHARS]  # code only cites locations; its head is enough
        elif len(text) > MAX_REGEX_CHARS * 4:
            out.append(Analysed(sentence, reason))  # words hidden in punctuation: a run-on
            continue
        tokens = lexicon.tokenize(text)
        index = key_index(tokens)
        candidates = frozenset(i for key in index for i in table.get(key, ()))
        widths = tuple(t.width for t in tokens)
        item = Analysed(sentence, reason, tokens, index, widths=widths, candidates=candidates)
        claims = sentence.kind is SentenceKind.PROSE and not text.rstrip().endswith("?")
        if claims and (claims_fix(tokens) or in_fix_section(sentence, tokens)):
            item = replace(item, claims=True)
        out.append(item)
    return out


@dataclass(frozen=True)
class Hit:
    """Where a phrase or regex matched in one sentence."""

    first: int
    last: int
    words: str
    source: str
    required: Callable[[int], bool]


def _phrase_hits(phrases: Sequence[Phrase], item: Analysed) -> Iterator[Hit]:
    for phrase in phrases:
        if id(phrase) not in item.candidates:
            continue
        positions = find_phrase(phrase, item.index, widths=item.widths)
        if positions is None:
            continue
        chosen = frozenset(positions)
        words = " … ".join(item.tokens[p].surface for p in positions)
        yield Hit(positions[0], positions[-1], words, phrase.text, chosen.__contains__)


def _regex_hits(patterns: Sequence[re.Pattern[str]], item: Analysed) -> Iterator[Hit]:
    text = item.sentence.text
    if len(text) > MAX_REGEX_CHARS or not item.tokens:
        return
    tokens = item.tokens
    for pattern in patterns:
        found = pattern.search(text)
        if found is None:
            continue
        inside = [
            i for i, t in enumerate(tokens) if t.end > found.start() and t.start < found.end()
        ]
        if not inside:
            inside = [min(len(tokens) - 1, sum(t.end <= found.start() for t in tokens))]

        def required(position: int, pattern: re.Pattern[str] = pattern) -> bool:
            cue = tokens[position]
            return pattern.search(text[: cue.start] + text[cue.end :]) is None

        yield Hit(inside[0], inside[-1], found.group(), pattern.pattern, required)


def hits(
    phrases: Sequence[Phrase], patterns: Sequence[re.Pattern[str]], item: Analysed
) -> Iterator[Hit]:
    """Every phrase and regex match in a sentence, phrases first."""
    if not item.searchable:
        return
    yield from _phrase_hits(phrases, item)
    yield from _regex_hits(patterns, item)


def negated(item: Analysed, hit: Hit, set_aside: bool = False) -> str | None:
    """The cue that negates a hit, or None."""
    return negation_cue(item.tokens, hit.first, hit.last, hit.required, set_aside)


def misconceptions(
    problem: Problem, others: Sequence[Problem], analysed: Sequence[Analysed]
) -> list[tuple[int, MisconceptionMatch]]:
    """(sentence number, match) for each prose sentence that states a wrong mechanism."""
    out = []
    mechanisms = [c for c in problem.concepts if c.kind is ConceptKind.MECHANISM]
    for number, item in enumerate(analysed):
        if item.aside or item.sentence.text.rstrip().endswith("?"):
            continue
        label, found = next(
            ((w.label, f) for w in problem.misconceptions if (f := _stated(w, item))), ("", "")
        )
        if not found:
            continue
        text = item.sentence.text
        if _elsewhere(problem, others, text) or (
            not names(problem, text) and _elsewhere(problem, others, item.sentence.section)
        ):
            continue  # a sentence about another problem's code
        if any(_stated_concept(c, item) for c in mechanisms):
            continue  # a sentence with the right mechanism is not a misconception
        out.append((number, MisconceptionMatch(label, text, item.sentence.line, found)))
    return out


def _stated_concept(concept: Concept, item: Analysed) -> bool:
    # Read as the misconception is: "outliers rather than the fit" does not state the fit.
    return any(
        negated(item, hit, set_aside=True) is None
        for hit in hits(concept.phrases, concept.patterns, item)
    )


_STRONG_BREAKS = frozenset({";", ":", "\u2013", "\u2014", "?"})


def _stated(wrong: Misconception, item: Analysed) -> str:
    for hit in hits(wrong.phrases, wrong.patterns, item):
        # A wrong claim is made in one clause: words picked from both sides of a ";" or ":"
        # ("a deep model: ...; no evidence we need it") state nothing.
        across = any(t.stem in _STRONG_BREAKS for t in item.tokens[hit.first : hit.last + 1])
        if not across and negated(item, hit, set_aside=True) is None:
            return hit.words
    return ""


def _rejection(
    concept: Concept, item: Analysed, hit: Hit, misled: str, praise_refused: bool = True
) -> str:
    if item.sentence.kind is SentenceKind.CODE:
        return ""
    if item.sentence.text.rstrip().endswith("?"):
        return "a question, not a claim"
    if misled:
        return f"states a misconception: {misled}"
    for anti in concept.anti_patterns:
        if len(item.sentence.text) <= MAX_REGEX_CHARS and anti.search(item.sentence.text):
            return f"anti-pattern {anti.pattern!r} matched"
    for anti_hit in _phrase_hits(concept.anti_phrases, item):
        # A denied wrong idea ("the ETA was not noisy; ...") is no reason to refuse the right one.
        if negated(item, anti_hit) is None:
            return f"anti-phrase '{anti_hit.source}' matched ({anti_hit.words})"
    cue = negated(item, hit)
    if cue:
        return f"negated by '{cue}'"
    if not praise_refused:
        return ""
    if concept.kind in EXPLAINING_KINDS and (praise := endorsement(item.tokens, hit.last)):
        return f"presented as good ('{praise}'), not as a problem"
    return ""


def match_concept(
    concept: Concept,
    number: int,
    analysed: Sequence[Analysed],
    misled: dict[int, str],
    praise_refused: bool = True,
    foreign: frozenset[int] = frozenset(),
) -> tuple[ConceptMatch | None, list[ConceptMatch]]:
    """The first earning match of a concept, and the rejected matches before it (capped).

    ``misled`` maps a sentence number to the misconception it states for this problem.
    ``praise_refused``: a cause presented as good earns nothing (a diagnosis must call it a
    problem); a memo's reasons argue for choices, so there it is off. ``foreign``: sentences
    about another problem's code (``foreign_sentences``), which explain nothing of this one.
    """
    code_ok = concept.kind is ConceptKind.LOCATION
    explaining = concept.kind in EXPLAINING_KINDS
    rejected: list[ConceptMatch] = []
    for position, item in enumerate(analysed):
        if item.sentence.kind is not SentenceKind.PROSE and not code_ok:
            continue
        first_refusal: ConceptMatch | None = None
        for hit in hits(concept.phrases, concept.patterns, item):
            if item.aside and item.sentence.kind is SentenceKind.PROSE:
                reason = f"not prose: {item.aside}"
            elif explaining and position in foreign:
                reason = "about another problem's code"
            else:
                reason = _rejection(concept, item, hit, misled.get(position, ""), praise_refused)
            result = ConceptMatch(
                number,
                concept.kind,
                concept.weight,
                item.sentence.text,
                item.sentence.line,
                hit.words,
                reason,
                hit.source,
            )
            if not reason:
                # Any clean phrase earns the sentence: one phrase whose span holds a
                # negation-like word ("no events after the cutoff") must not hide another
                # that says the same thing cleanly. Sentence-wide refusals (not prose, a
                # misconception, an anti-phrase) refuse every hit alike.
                return result, rejected
            first_refusal = first_refusal or result
        if first_refusal is not None and len(rejected) < MAX_REJECTED:
            rejected.append(first_refusal)  # one refusal shown per sentence
    return None, rejected


def foreign_sentences(
    problem: Problem, others: Sequence[Problem], analysed: Sequence[Analysed]
) -> frozenset[int]:
    """Sentences that name another problem's code and none of this one's: "is_peak has a
    large weight, which produced the huge predictions" explains is_peak, not the store
    averages, whatever consequence words it shares with them."""
    return frozenset(
        number
        for number, item in enumerate(analysed)
        if _elsewhere(problem, others, item.sentence.text)
        # Under a heading that names only another problem's code, a sentence that names none
        # of this one's is about that problem ("### 4. fit on all rows: ... trains on later
        # months" explains nothing of the time split).
        or (
            not names(problem, item.sentence.text)
            and (
                _elsewhere(problem, others, item.sentence.section)
                or _elsewhere(problem, others, item.sentence.heading)
            )
        )
    )


def names(problem: Problem, text: str) -> bool:
    """Whether a text names one of the problem's code locations."""
    lowered = text.lower()
    for name in problem.locations:
        start = lowered.find(name.lower())
        while start != -1:
            end = start + len(name)
            before = lowered[start - 1] if start else " "
            after = lowered[end] if end < len(lowered) else " "
            if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                return True
            start = lowered.find(name.lower(), start + 1)
    return False


def _elsewhere(problem: Problem, others: Sequence[Problem], text: str) -> bool:
    """Whether a text names another problem's code location and none of this one's."""
    return not names(problem, text) and any(names(o, text) for o in others)


def _own_name(problem: Problem, others: Sequence[Problem], text: str) -> bool:
    """Whether a text names a code location only this problem lists."""
    shared = {name for other in others for name in other.locations}
    own = tuple(n for n in problem.locations if n not in shared)
    return bool(own) and names(Problem(problem.id, problem.group, "", own, ()), text)


def _about(problem: Problem, others: Sequence[Problem], item: Analysed) -> bool:
    """Whether a sentence is about a problem: it names a location only this problem has,
    or says one of its explaining or fix concepts without naming another problem's code."""
    if _own_name(problem, others, item.sentence.text):
        return True
    if _elsewhere(problem, others, item.sentence.text):
        return False
    return any(
        next(hits(c.phrases, c.patterns, item), None)
        for c in problem.concepts
        if c.kind is not ConceptKind.LOCATION
    )


def claim(
    problem: Problem, others: Sequence[Problem], analysed: Sequence[Analysed], rubric: Rubric
) -> Sentence | None:
    """The first prose sentence that claims this problem was fixed (in its own words or
    under a heading about the problem)."""
    sections: dict[str, Analysed] = {}
    every = next(
        (a.sentence for a in analysed if a.tokens and global_claim(a.sentence, a.tokens, a.claims)),
        None,
    )
    for item in analysed:
        if item.sentence.kind is not SentenceKind.PROSE or not item.tokens:
            continue
        if not item.claims:
            continue
        if _about(problem, others, item):
            return item.sentence
        section = item.sentence.section
        if not section or _elsewhere(problem, others, item.sentence.text):
            continue
        if section not in sections:
            heading = Sentence(section, 0, SentenceKind.HEADING)
            sections[section] = analyse([heading], [""], rubric)[0]
        if _about(problem, others, sections[section]):
            return item.sentence
    return every

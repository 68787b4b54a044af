"""The prose check: which sentences of a diagnosis can earn credit at all.

Any honest writing style counts: a sentence, a bullet or a short clause with a verb is
prose. Set aside are bare term lists ("leakage, softmax axis, permutation, scaler"),
fragments without a verb that are mostly rubric terms, run-ons and repeats. A diagnosis
that is mostly such lists is keyword stuffing and earns nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from grader.model import Flag, FlagKind
from grader.scoring.lexicon import stem, word_list
from grader.scoring.rubric import Rubric
from grader.scoring.sentences import Sentence, SentenceKind

_WORD = re.compile(r"[A-Za-z0-9_]+(?:'[A-Za-z]+)?")
_ITEM_SEPARATOR = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[;|\u00b7\u2022]|\s/|/\s")
"""Separators of list items. A slash between two words ("X/y", "mean/std") joins them into
one compound term, as a writer means it; only a spaced slash separates items. The comma of a
thousands separator ("1,200") separates nothing."""


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


FUNCTION_WORDS = _wordset(
    "a an the of to in on at by for from with into onto over under as is are was were be been "
    "being am it its it's this that these those there their they them we i you he she our my "
    "and or but so because if then than not no which who what when while do does did has have "
    "had can could will would should may might must each every all any some one only also "
    "instead"
)
_AUXILIARIES = _wordset(
    "is are was were be been being am has have had do does did can could will would should "
    "may might must it's that's there's isn't wasn't aren't weren't doesn't didn't don't"
)
_VERBS = word_list(
    "make use take get go fix shuffle mix leak break cause mean need sum learn train fit "
    "return see show match apply call change move swap divide run find check keep let put "
    "give become depend produce scale compute normalise normalize stay sit pair lose draw "
    "add belong end come reuse equal subtract multiply count average reduce shift "
    "collapse shrink grow explode overshoot diverge stall freeze stop drop fall rise jump "
    "bounce wander predict score remember memorise memorize recognise recognize know tell "
    "leave appear look seem line align correspond split group sort order permute reorder "
    "scramble jumble pick choose decay multiply raise hide inflate dilute overestimate "
    "report print log agree differ ignore contain include hold carry mark write fill read "
    "happen work behave pass feed treat turn update step converge stabilise stabilize "
    "estimate learn sees shares share advance repeat draw gives pays remove exclude tie "
    "compare verify test assert confirm measure rerun rank flip "
    # Verbs rarely used as nouns in a diagnosis or a design memo (plural nouns such as
    # "labels", "weights", "costs" would make a bag of terms look like a clause).
    "remain arrive wait serve decline approve retry edit hit miss catch send receive "
    "respond fail succeed degrade recover restart deploy ship monitor detect notice "
    "trigger spend allow prevent avoid protect expose require handle build create "
    "generate merge aggregate rebalance calibrate replace retire promote revert backfill "
    "refresh expire mislead hurt beat outperform exceed breach meet halve explain argue "
    "assume expect decide prefer recommend suggest propose begin finish think believe"
)
_IRREGULAR_PAST = word_list(
    "took taken fell kept ran went gone drew drawn saw seen made got gave given lost found "
    "came became broke broken chose chosen did done held meant sent shown grew grown knew "
    "known wrote written rose shrank shrunk left fed led built spent learnt put set split"
)


def _forms(verb: str) -> set[str]:
    """A verb's finite forms: base, -s/-es, -d/-ed (no -ing: gerunds head term lists)."""
    stem_e = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "es", stem_e + "ed", verb + "d"}
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if (
        len(verb) >= 3
        and verb[-1] in "bdgmnprt"
        and verb[-2] in "aeiou"
        and verb[-3] not in "aeiou"
    ):
        forms.add(verb + verb[-1] + "ed")
    return forms


_VERB_FORMS = frozenset(f for v in _VERBS for f in _forms(v)) | frozenset(_IRREGULAR_PAST)
MIN_WORDS = 5
MAX_WORDS = 120
MIN_FUNCTION_SHARE = 0.15
MAX_KEYWORD_SHARE = 0.5
LIST_MIN_ITEMS = 4
LIST_MAX_ITEM_WORDS = 3.0
LIST_MAX_FUNCTION_SHARE = 0.2
TERMS_MAX_FUNCTION_SHARE = 0.34
TERMS_MIN_KEYWORD_SHARE = 0.3
STUFFING_SHARE = 0.5
"""A diagnosis is keyword stuffing when at least this share of its sentences that use rubric
terms are set aside as not prose (and at least ``STUFFING_MIN_SENTENCES`` of them)."""
STUFFING_MIN_SENTENCES = 2


def words(text: str) -> list[str]:
    """Lower-case words of a sentence."""
    return [w.lower() for w in _WORD.findall(text)]


def rubric_keywords(rubric: Rubric) -> frozenset[str]:
    """Stems of the content words in the rubric's titles, locations, phrases and regexes."""
    texts = []
    for problem in rubric.problems:
        texts += [problem.title, *problem.locations]
        for concept in problem.concepts:
            texts += [p.text for p in concept.phrases]
            texts += [re.sub(r"\\.", " ", p.pattern) for p in concept.patterns]
    found = {w for t in texts for w in re.findall(r"[a-z_]{4,}", t.lower())}
    return frozenset(stem(w) for w in found if w not in FUNCTION_WORDS)


def is_keyword(word: str, keywords: frozenset[str]) -> bool:
    """Whether a (lower-case) word is a content word the rubric uses."""
    return len(word) >= 4 and word not in FUNCTION_WORDS and stem(word) in keywords


def _is_verb(word: str) -> bool:
    if word in _AUXILIARIES or word.endswith("n't"):
        return True
    return word in _VERB_FORMS or (len(word) > 4 and word.endswith("ed"))


_AFTER_NOTATION = re.compile(r"\s*(?:$|[,;:/|)\]=>+&\u2192]|-+>|-\s)")
"""What follows a word that ends a term ("target leak -> dropped", "split: ...")."""


_BEFORE_NOTATION = re.compile(r"(?:^|[,;:/|(\[=>+&\u2192-])\s*$")
"""What precedes a word that starts a term: the sentence's start, a separator, an arrow."""


def has_clause(text: str) -> bool:
    """Whether a finite verb joins words into a clause: it follows a word (not the start, a
    separator or an arrow) and more of the sentence follows it (not a separator or the end)."""
    return any(
        _is_finite(m.group().lower())
        and not _BEFORE_NOTATION.search(text, 0, m.start())
        and not _AFTER_NOTATION.match(text, m.end())
        for m in _WORD.finditer(text)
    )


_RELATION = re.compile(r"\s*(?:-+>|=>|[\u2192\u21d2\u2260\u2248]|(?<=\s)=(?=\s))\s*")
"""Engineers' verbs: an arrow ("leads to"), a spaced "=" ("is"), "≠", "≈"."""
_SIDE_BREAK = re.compile(r"[,;:()\[\]|]")


def has_relation(text: str) -> bool:
    """Whether an arrow or an equals sign relates two phrases of two or more words each
    ("same card on both sides -> inflated offline metrics"): shorthand for a clause. A
    pipeline ("Kafka -> stream job -> Redis") or a fix log ("leak -> dropped") has a
    one-word side and stays notation."""
    parts = _RELATION.split(text)
    for left, right in pairwise(parts):
        before = _SIDE_BREAK.split(left)[-1]
        after = _SIDE_BREAK.split(right)[0]
        if _named(before) >= 2 and _named(after) >= 2:
            return True
    return False


def _named(text: str) -> int:
    """Words with letters in it (numbers and units alone do not make a side)."""
    return sum(1 for w in _WORD.findall(text) if any(c.isalpha() for c in w) and len(w) > 1)


def _is_finite(word: str) -> bool:
    """A verb that makes a clause on its own: an auxiliary, or a known verb's base, -s or
    irregular past form. A bare "-ed" word is not enough: "shuffled labels", "averaged
    gradient" are how a bag of terms reads."""
    if word in _AUXILIARIES or word.endswith("n't") or word in _IRREGULAR_PAST:
        return True
    return word in _VERB_FORMS and not word.endswith("ed")


def _is_term_list(
    items: Sequence[str], count: int, function_share: float, keyword_share: float
) -> bool:
    """Terms split by separators: 4+ short items with few function words, or 3+ short items
    of rubric terms most of which are not clauses ("softmax, axis=0, wrong axis")."""
    if len(items) < LIST_MIN_ITEMS - 1 or count / len(items) > LIST_MAX_ITEM_WORDS + 0.5:
        return False
    short = len(items) >= LIST_MIN_ITEMS and count / len(items) <= LIST_MAX_ITEM_WORDS
    # A list that holds a whole clause ("no online learning: labels don't exist yet;
    # instability; poisoning") gives its reason in that clause: a terse bullet, not terms.
    reasoned = any(len(words(i)) >= 3 and has_clause(i) for i in items)
    if short and function_share < LIST_MAX_FUNCTION_SHARE and not reasoned:
        return True
    clauses = sum(1 for i in items if len(words(i)) >= 2 and any(_is_verb(w) for w in words(i)))
    return (
        2 * clauses < len(items)
        and function_share < TERMS_MAX_FUNCTION_SHARE
        and keyword_share >= TERMS_MIN_KEYWORD_SHARE
    )


def prose_problem(text: str, keywords: frozenset[str]) -> str:
    """Why a sentence is not explanatory prose ('' when it is).

    A run-on: over 120 words without a sentence end. A list of terms: 4+ items split by
    , ; / | averaging at most 3 words, with under 20% function words; or 3+ short items of
    rubric terms, most of them not clauses, with under 34% function words. A bag of terms: 4+
    words, under 15% function words, half rubric keywords, no finite verb. Telegraphic: no verb
    and at least one of under 5 words, under 15% function words, half rubric keywords. A
    short clause with a verb ("softmax sums over the batch") is prose.
    """
    found = words(text)
    if not found:
        return "no words"
    if len(found) > MAX_WORDS:
        return f"a run-on of {len(found)} words with no sentence end"
    function_share = sum(w in FUNCTION_WORDS for w in found) / len(found)
    items = [i for i in (p.strip(" .") for p in _ITEM_SEPARATOR.split(text)) if i]
    keyword_share = sum(is_keyword(w, keywords) for w in found) / len(found)
    if _is_term_list(items, len(found), function_share, keyword_share):
        return f"a list of {len(items)} terms, not an explanation"
    # Terse engineering clauses ("random split leaks card history") have few function words
    # and, against a large rubric, many of its terms: a finite verb makes them prose.
    if (
        len(found) >= LIST_MIN_ITEMS
        and function_share < MIN_FUNCTION_SHARE
        and keyword_share >= MAX_KEYWORD_SHARE
        and not has_clause(text)
        and not has_relation(text)
    ):
        return f"a bag of rubric terms: {keyword_share:.0%} rubric keywords, no grammar"
    if any(_is_verb(w) for w in found) or has_relation(text):
        return ""
    signals = ["no verb"]
    if len(found) < MIN_WORDS:
        signals.append(f"only {len(found)} word{'s' if len(found) > 1 else ''}")
    if function_share < MIN_FUNCTION_SHARE:
        signals.append(f"{function_share:.0%} function words")
    if keyword_share >= MAX_KEYWORD_SHARE:
        signals.append(f"{keyword_share:.0%} rubric keywords")
    return "telegraphic: " + ", ".join(signals) if len(signals) >= 2 else ""


def set_aside(sentences: Sequence[Sentence], keywords: frozenset[str]) -> list[str]:
    """Per sentence, why it is not prose ('' for prose; headings and code are never prose)."""
    seen: dict[str, int] = {}
    reasons = []
    for sentence in sentences:
        if sentence.kind is not SentenceKind.PROSE:
            reasons.append(f"a {sentence.kind.value}")
            continue
        key = " ".join(words(sentence.text))
        if key in seen:
            reasons.append(f"repeats the sentence on line {seen[key]}")
            continue
        seen[key] = sentence.line
        reasons.append(prose_problem(sentence.text, keywords))
    return reasons


def prose_flags(
    sentences: Sequence[Sentence], aside: Sequence[str], keywords: frozenset[str]
) -> list[Flag]:
    """A not-prose flag per set-aside sentence that uses rubric terms, and a summary flag."""
    flags = []
    using_terms = 0
    for sentence, reason in zip(sentences, aside, strict=True):
        if sentence.kind is not SentenceKind.PROSE:
            continue
        if not any(is_keyword(w, keywords) for w in words(sentence.text)):
            continue
        using_terms += 1
        if reason:
            flags.append(
                Flag(FlagKind.NOT_PROSE, f"earns nothing: {reason}", sentence.line, sentence.text)
            )
    if len(flags) >= STUFFING_MIN_SENTENCES and len(flags) / using_terms >= STUFFING_SHARE:
        flags.append(
            Flag(
                FlagKind.KEYWORD_STUFFING,
                f"{len(flags)} of {using_terms} sentences that use rubric terms are lists, "
                "fragments or repeats, not explanation",
            )
        )
    return flags

"""Fix claims: does a sentence of a diagnosis say a fix was made?

"I fixed ...", "Fixed ...", "... is now fixed", "I now divide ...", any change described under
a 'Fix' heading, and claims about every problem at once ("I fixed all five defects"). Plans,
conditions and negations are not claims. Token walks only (grader.scoring.lexicon).
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.scoring.lexicon import Token, stem, word_list
from grader.scoring.negation import negation_cue
from grader.scoring.sentences import Sentence, SentenceKind

__all__ = ["claims_fix", "global_claim", "in_fix_section"]


_CLAIM_VERBS = frozenset(
    stem(w)
    for w in ["fix", "correct", "repair", "resolve", "patch", "change", "replace", "rewrite"]
)
_PASSIVE = frozenset(stem(w) for w in ["fix", "correct", "resolve"])
_BETWEEN = frozenset(stem(w) for w in ["have", "now", "also", "then", "finally", "just"])
_UNDONE = frozenset({"nothing", "none", "no"})


_FIX_SECTIONS = frozenset(stem(w) for w in ["fix", "fixes", "change", "changes", "solution"])


def _changes_now(tokens: Sequence[Token]) -> bool:
    """'I now divide ...', 'we now draw ...': a change described as done."""
    words = [t.surface.lower() for t in tokens if not t.is_break]
    for number, word in enumerate(words[:-2]):
        if word in ("i", "we") and words[number + 1] == "now":
            return negation_cue(tokens, 0, len(tokens) - 1) is None
    return False


_NOT_DONE = frozenset(
    word_list(
        "should would could will shall need needs must might may if unless until once todo "
        "plan planned want wanted try tried"
    )
)
"""Words that make a sentence under a 'Fix' heading a plan or a wish, not a change made."""


def in_fix_section(sentence: Sentence, tokens: Sequence[Token]) -> bool:
    """A sentence under a 'Fix' heading or lead-in describes a change made ("Changed to
    axis=1", "`standardize` now computes ...", "I divide ..."), unless it is negated or
    only a plan ("should divide ...", "ran out of time")."""
    section = [w for w in sentence.section.lower().replace(":", " ").split() if w]
    if len(section) != 1 or stem(section[0]) not in _FIX_SECTIONS:
        return False
    if any(t.surface.lower() in _NOT_DONE for t in tokens):
        return False
    return negation_cue(tokens, 0, len(tokens) - 1) is None


_EVERY = frozenset(word_list("all every each both"))
_PROBLEM_NOUNS = frozenset(
    stem(w) for w in word_list("defect bug problem issue leak leakage source mistake error")
)


def global_claim(sentence: Sentence, tokens: Sequence[Token], claims: bool) -> bool:
    """'I found and fixed all five defects', 'every problem is fixed': a claim about every
    problem at once (not a plan or a condition: 'once all bugs are fixed ...'). ``claims``:
    the sentence was already read as a fix claim."""
    if sentence.kind is not SentenceKind.PROSE or sentence.text.rstrip().endswith("?"):
        return False
    surfaces = {t.surface.lower() for t in tokens}
    if not surfaces & _EVERY or surfaces & _NOT_DONE or surfaces & {"when", "after"}:
        return False
    if not any(t.stem in _PROBLEM_NOUNS for t in tokens):
        return False
    if not any(t.stem in _PASSIVE for t in tokens):
        return False
    person = claims or bool(surfaces & {"i", "we"}) or stem("be") in {t.stem for t in tokens}
    return person and negation_cue(tokens, 0, len(tokens) - 1) is None


def claims_fix(tokens: Sequence[Token]) -> bool:
    """'I fixed ...', 'Fixed ...', '... is now fixed': a claim that something was fixed."""
    if _changes_now(tokens):
        return True
    words = [i for i, t in enumerate(tokens) if not t.is_break]
    for number, position in enumerate(words):
        token = tokens[position]
        if token.stem not in _CLAIM_VERBS:
            continue
        back = number - 1
        while back >= 0 and tokens[words[back]].stem in _BETWEEN:
            back -= 1
        before = tokens[words[back]] if back >= 0 else None
        active = before is None or before.surface.lower() in ("i", "we")
        passive = before is not None and before.stem == "be" and token.stem in _PASSIVE
        if not (active or passive):
            continue
        following = {tokens[w].surface.lower() for w in words[number + 1 : number + 3]}
        if following & _UNDONE:
            continue
        if negation_cue(tokens, position, position) is None:
            return True
    return False

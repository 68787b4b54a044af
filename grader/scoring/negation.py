"""Negation: does a sentence deny the claim a phrase matched in it?

Works on the sentence's tokens (grader.scoring.lexicon), so every rule is a walk over a
bounded number of tokens or a set lookup. Scope is the clause where the match starts and the
clause where it ends; clauses break at , ; : ( ) dashes and at conjunctions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from grader.scoring.lexicon import Token, stem, word_list

CUES = frozenset({"not", "never", "no", "without", "nothing", "neither", "nor", "none", "cannot"})
HEDGES = frozenset({"whether"})
"""Words that leave a claim open ("I checked whether ..."): they negate like a cue."""
_NOT_A_CUE = frozenset(
    {
        ("not", "only"),
        ("not", "just"),
        ("not", "merely"),
        ("not", "least"),
        ("not", "surprisingly"),
        ("no", "doubt"),
        ("whether", "or"),
    }
)
_OPENERS = frozenset({("or", "not"), ("why", "not")})
_SET_ASIDE = frozenset({("rather", "than"), ("instead", "of")})
"""Two words that set aside what follows: "by cost rather than accuracy" does not state that
accuracy decides. Only for misconceptions: for a right explanation they mostly compare ("the
same day rather than a month later" still says labels take a month). What comes before them
("X rather than Y") is never negated: a cue counts only before or inside a match."""
_CONJUNCTIONS = frozenset(
    word_list(
        "and but so because since which who whereas although though while hence therefore "
        "thus however yet"
    )
)
_BE = frozenset(stem(w) for w in ("be", "look", "seem", "appear"))
_HAVE = stem("have")
_DO = stem("do")
_FINE = frozenset(
    word_list("fine correct ok okay right innocent irrelevant unrelated harmless correctly")
)
_SUBJECTS = frozenset({"it", "this", "that", "they", "which"})
_ARTICLES = frozenset(word_list("a an the very really clearly simply"))
_MISTAKE = frozenset(
    stem(w)
    for w in word_list("mistake wrong error bad pointless useless harmful dangerous unnecessary")
)
"""What a sentence calls a practice it rejects ("retraining every night would be a mistake"):
only a misconception's match is denied this way; "the axis is wrong" states a right cause."""
_DENIAL_WINDOW = 5
"""A denial after the match must start within this many tokens of its end."""


def _breaks(tokens: Sequence[Token]) -> list[int]:
    """Positions that end a clause: punctuation, and conjunctions not right after 'not'."""
    out = []
    for position, token in enumerate(tokens):
        word = token.surface.lower()
        if token.is_break:
            out.append(position)
        elif word in _CONJUNCTIONS:
            before = tokens[position - 1].surface.lower() if position else ""
            if before != "not":
                out.append(position)
    return out


def _clause(breaks: Sequence[int], position: int, length: int) -> tuple[int, int]:
    """[start, end) token range of the clause holding ``position``."""
    start = max((b + 1 for b in breaks if b < position), default=0)
    end = min((b for b in breaks if b > position), default=length)
    return start, end


def _is_cue(tokens: Sequence[Token], position: int, set_aside: bool = False) -> bool:
    word = tokens[position].surface.lower()
    after = tokens[position + 1].surface.lower() if position + 1 < len(tokens) else ""
    if set_aside and (word, after) in _SET_ASIDE:
        return True
    if word not in CUES and word not in HEDGES:
        return False
    before = tokens[position - 1].surface.lower() if position else ""
    # "or not" leaves a choice open; "why not X: reason" rejects X and asserts the reason.
    return (word, after) not in _NOT_A_CUE and (before, word) not in _OPENERS


def _denial_after(
    tokens: Sequence[Token], start: int, end: int, rejecting: bool = False
) -> str | None:
    """'... was not the problem', '... is fine', '... had nothing to do with it'; with
    ``rejecting`` (a misconception's match) also '... would be a mistake'."""
    for position in range(start, min(end, start + _DENIAL_WINDOW)):
        token = tokens[position]
        following = tokens[position + 1] if position + 1 < end else None
        if rejecting and token.stem in _BE:
            verdict = _verdict(tokens, position + 1, end)
            if verdict is not None:
                return f"{token.surface} … {verdict}"
        if token.stem in _BE and following is not None:
            # A merged synonym ("not useful") starts with its own "not".
            nxt = following.surface.lower()
            if nxt.split()[0] in ("not", "never") or nxt in _FINE:
                return f"{token.surface} {following.surface}"
        if token.stem == _HAVE and following is not None and following.surface == "nothing":
            return f"{token.surface} nothing"
    return None


def _verdict(tokens: Sequence[Token], start: int, end: int) -> str | None:
    """The word that calls what came before a mistake ("[would be] a mistake", "wrong")."""
    for token in tokens[start : min(end, start + 3)]:
        if token.surface.lower() in _ARTICLES:
            continue
        return token.surface if token.stem in _MISTAKE else None
    return None


def _denial_at_end(tokens: Sequence[Token], after: int) -> str | None:
    """A trailing 'but it wasn't' / 'which is not the case' at the end of the sentence."""
    words = [t for t in tokens[after:] if not t.is_break]
    if [w.surface.lower() for w in words[-2:]] == ["the", "case"]:
        words = words[:-2]
    if (
        len(words) >= 3
        and words[-1].surface.lower() == "not"
        and words[-2].stem in (*_BE, _DO)
        and words[-3].surface.lower() in _SUBJECTS
    ):
        return " ".join(w.surface for w in words[-3:])
    return None


def negation_cue(
    tokens: Sequence[Token],
    first: int,
    last: int,
    required: Callable[[int], bool] = lambda position: False,
    set_aside: bool = False,
) -> str | None:
    """The words that negate a claim matched at tokens ``first..last``, or None.

    A cue in the clause where the match starts or ends, before its end, negates, unless
    ``required(position)`` says the matched phrase itself needs that cue ("rows do not sum
    to one"). "Not only ... but" is no negation, nor is a clause opened by "but not Y"
    after the match started. After the match only a denial negates. ``set_aside`` also takes
    "rather than" and "instead of" as cues (for misconceptions).
    """
    breaks = _breaks(tokens)
    head = _clause(breaks, first, len(tokens))
    tail = _clause(breaks, last, len(tokens))
    # When the match runs over several clauses, a cue after its last word in the first clause
    # negates something else: "at scoring time the customer has not cancelled, and the field
    # is empty" still says the field is empty.
    head_last = max((p for p in range(first, min(head[1], last + 1)) if required(p)), default=-1)
    spans = head[1] <= last
    for position in range(head[0], last + 1):
        in_scope = head[0] <= position < head[1] or tail[0] <= position < tail[1]
        if not in_scope or not _is_cue(tokens, position, set_aside):
            continue
        if spans and head_last >= first and head_last < position < head[1]:
            continue
        if position >= head[1] and position == tail[0]:
            continue  # "X but not Y" opens a clause that negates only Y
        if first <= position and required(position):
            continue
        return tokens[position].surface
    denial = _denial_after(tokens, last + 1, tail[1], rejecting=set_aside)
    return denial or _denial_at_end(tokens, last + 1)


_PRAISE = frozenset(
    stem(w)
    for w in word_list(
        "good great useful desirable desired welcome strength strengths fair fairest sound "
        "best ideal intended intentional deliberate benefit beneficial advantage "
        "advantageous helpful valuable sensible reasonable appropriate legitimate harmless "
        "trustworthy nice excellent perfect proper wise smart positive"
    )
)
"""Words that call what was just described good or meant: "... which is the fairest way"."""
_PRAISE_IF_MORE = frozenset(stem(w) for w in word_list("stable robust reliable efficient"))
"""Praise only after "most", "more" or "very" ("the most stable statistics"): alone they
describe ("the loss stays stable at 8")."""
_MORE = frozenset(word_list("most more very really"))
_PROBLEM = frozenset(
    stem(w)
    for w in word_list(
        "wrong bug bugs buggy leak leaks leaking leaky leakage inflate inflates inflated "
        "optimistic overoptimistic problem problems issue issues mistake mistakes broken flaw "
        "flawed defect defects harm harmful bad cheat cheating misleading invalid incorrect "
        "unfair fail fails failure error errors instead rather unrealistic overestimate "
        "overestimates biased fake spurious nonsense meaningless garbage but however "
        "although though whereas unfortunately"
    )
)
"""Words that frame a statement as a problem: a sentence with one is never an endorsement."""


def endorsement(tokens: Sequence[Token], last: int) -> str | None:
    """The praise after a match that presents it as good ("..., which gives the most stable
    statistics", "... and that is intended"), or None.

    Only words after the match count, not negated ("not a good idea"), and only when the
    sentence frames nothing as a problem: an explanation says what is wrong, praise of the
    same mechanism is its opposite.
    """
    if any(t.stem in _PROBLEM or t.surface.lower() in _PROBLEM for t in tokens):
        return None
    for position in range(last + 1, len(tokens)):
        token = tokens[position]
        before = {t.surface.lower() for t in tokens[max(last + 1, position - 3) : position]}
        praise = token.stem in _PRAISE or token.surface.lower() in _PRAISE
        if not praise and not (token.stem in _PRAISE_IF_MORE and before & _MORE):
            continue
        if before & CUES:
            continue
        return token.surface
    return None

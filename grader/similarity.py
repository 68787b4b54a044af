"""Similarity flags for a round: winnowed token fingerprints, evidence for a human, never a score.

MOSS-style (Schleimer, Wilkerson & Aiken 2003, "Winnowing"). Python source is tokenized and
normalised so that renaming, comments, docstrings and formatting do not hide copying: every
identifier becomes one token class, literals keep only their kind, keywords and operators stay.
Hashes of k consecutive tokens are winnowed (the minimum of every window of w hashes is kept),
each with the lines it covers. Fingerprints of the exercise's starter files are removed before
comparing, and candidates are paired through an inverted index (fingerprint → candidates), so
a round of thousands is not compared pair by pair. Pure, deterministic, standard library only.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import re
import tokenize
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

KGRAM = 12
"""Tokens per hashed k-gram: long enough that independent code rarely shares one."""
WINDOW = 8
"""Winnowing window: any shared run of KGRAM + WINDOW - 1 = 19 tokens is always detected."""
MIN_FINGERPRINTS = 15
"""Own fingerprints (after the starter is removed) below which a submission is never flagged."""
BOILERPLATE_SHARE = 0.5
"""A fingerprint held by more than this share of the round is boilerplate and not compared..."""
BOILERPLATE_MIN_COUNT = 10
"""...provided it is also held by more than this many candidates (a small round is all copies)."""
MAX_EVIDENCE = 5
"""Line-range pairs kept per flag, largest first."""

_NAME, _NUMBER, _STRING = "N", "#", "S"
_KEYWORDS = frozenset(keyword.kwlist)
_MODULUS = (1 << 61) - 1
_BASE = 1_000_003
# Python 3.12+ splits f-strings into several tokens; 3.11 has one STRING token (and no names).
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_FALLBACK_TOKEN = re.compile(
    r"""\s*(?:
      (?P<comment>\#.*)
    | (?P<triple>[rRbBuUfF]{0,2}(?:'''|\"\"\"))
    | (?P<string>[rRbBuUfF]{0,2}(?:'(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?))
    | (?P<number>\.?\d[\w.]*(?:(?<=[eE])[-+][\w.]+)?)
    | (?P<name>\w+)
    | (?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|[-+*/%&|^@<>=!]=|\S)
    )""",
    re.VERBOSE,
)

# --- what flows ------------------------------------------------------------------------------


class FlagKind(StrEnum):
    """What a flag compares a candidate with."""

    PAIR = "pair"
    REFERENCE = "reference"


@dataclass(frozen=True, order=True)
class Span:
    """Lines of one file that a fingerprint (or a run of them) covers."""

    path: str
    first_line: int
    last_line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.first_line}-{self.last_line}"


@dataclass(frozen=True)
class Fingerprint:
    """The winnowed k-gram hashes of one submission's Python code."""

    entries: tuple[tuple[int, Span], ...]
    """``(hash, where it first occurs)``, one per distinct hash, sorted by hash."""

    @cached_property
    def locations(self) -> Mapping[int, Span]:
        """Where each hash first occurs."""
        return dict(self.entries)

    @cached_property
    def hashes(self) -> frozenset[int]:
        """The distinct hashes."""
        return frozenset(h for h, _ in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def without(self, hashes: Container[int]) -> Fingerprint:
        """This fingerprint minus ``hashes`` (the starter's, or the round's boilerplate)."""
        return Fingerprint(tuple(e for e in self.entries if e[0] not in hashes))


@dataclass(frozen=True)
class SimilarityFlag:
    """Evidence that code is shared: for a human to read, never a change to anyone's score."""

    kind: FlagKind
    """``pair``: two candidates share code; ``reference``: one candidate matches the solution."""
    candidates: tuple[str, ...]
    """Two names (sorted) for a pair, one for a reference match."""
    exercise_id: str
    score: float
    """Shared fingerprints over the smaller side's own fingerprints (containment), 0-1."""
    evidence: tuple[str, ...]
    """``"a.py:12-30 ~ b.py:40-58"``: the first candidate's lines ~ the other's (or the
    reference's), largest shared runs first."""


# --- fingerprinting --------------------------------------------------------------------------


_Token = tuple[str, int, int]
"""A normalised token: its text, its first line and its last line."""


def fingerprint_files(files: Mapping[str, str]) -> Fingerprint:
    """Winnowed fingerprint of the ``.py`` files in ``files`` (path → text), and of notebooks
    given as their code cells' text; never raises."""
    first: dict[int, Span] = {}
    for path, text in sorted(files.items()):
        if not path.endswith((".py", ".ipynb")):
            continue
        tokens = _normalised_tokens(text)
        for h, start, end in _winnow(_kgram_hashes(tokens)):
            first.setdefault(h, Span(path, tokens[start][1], tokens[end][2]))
    return Fingerprint(tuple(sorted(first.items())))


def _normalised_tokens(text: str) -> list[_Token]:
    """The code tokens of ``text`` with identifiers and literals reduced to their kind.

    Comments, docstrings (any statement that is only a string), blank lines and layout are
    dropped. Text that ``tokenize`` rejects is lexed line by line with a regular expression
    into the same vocabulary, so a copy with a syntax error still matches its original.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return _python_tokens(text)
    except (tokenize.TokenError, SyntaxError, ValueError):
        return list(_fallback_tokens(text))


def _python_tokens(text: str) -> list[_Token]:
    """Tokens from the ``tokenize`` module, one logical line at a time (to drop docstrings)."""
    tokens: list[_Token] = []
    statement: list[_Token] = []
    only_strings = True
    fstring_depth = 0
    for kind, word, (first, _), (last, _), _ in tokenize.generate_tokens(
        io.StringIO(text).readline
    ):
        if kind == tokenize.NEWLINE or kind == tokenize.ENDMARKER:
            if not only_strings:
                tokens += statement
            statement, only_strings = [], True
        elif fstring_depth:  # the inside of an f-string is part of one string literal
            fstring_depth += (kind == _FSTRING_START) - (kind == _FSTRING_END)
        elif kind == tokenize.NAME:
            only_strings = False
            statement.append((word if word in _KEYWORDS else _NAME, first, last))
        elif kind == tokenize.OP:
            only_strings = False
            statement.append((word, first, last))
        elif kind == tokenize.NUMBER:
            only_strings = False
            statement.append((_NUMBER, first, last))
        elif kind == tokenize.STRING or kind == _FSTRING_START:
            fstring_depth = int(kind == _FSTRING_START)
            statement.append((_STRING, first, last))
        elif kind == tokenize.ERRORTOKEN and not word.isspace():
            raise tokenize.TokenError(f"cannot tokenize {word!r}", (first, 0))
        # Anything else is layout: comments, NL, INDENT, DEDENT, ENCODING.
    return tokens


def _fallback_tokens(text: str) -> Iterator[_Token]:
    """A forgiving line-by-line lexer for text that is not valid Python tokens."""
    open_quote = ""
    for lineno, line in enumerate(text.split("\n"), start=1):
        pos = 0
        if open_quote:
            close = line.find(open_quote)
            if close < 0:
                continue
            pos, open_quote = close + 3, ""
        words: list[str] = []
        while match := _FALLBACK_TOKEN.match(line, pos):
            if match.end() == pos or match.lastgroup == "comment":
                break
            pos = match.end()
            kind, word = match.lastgroup or "op", match.group(match.lastgroup or 0)
            if kind == "triple":
                close = line.find(word[-3:], pos)
                if close < 0:
                    open_quote, pos = word[-3:], len(line)
                else:
                    pos = close + 3
            words.append(_fallback_word(kind, word))
        if any(word != _STRING for word in words):
            yield from ((word, lineno, lineno) for word in words)


def _fallback_word(kind: str, word: str) -> str:
    """The normalised text of a token the fallback lexer matched as ``kind``."""
    if kind in ("triple", "string"):
        return _STRING
    if kind == "number":
        return _NUMBER
    if kind == "name" and word not in _KEYWORDS:
        return _NAME
    return word


@lru_cache(maxsize=4096)
def _token_id(text: str) -> int:
    """A stable 60-bit id per token text (``hash()`` is randomised per process)."""
    digest = hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 4


def _kgram_hashes(tokens: list[_Token]) -> list[int]:
    """Rolling (Karp-Rabin) hash of every run of KGRAM tokens, in order."""
    if len(tokens) < KGRAM:
        return []
    ids = [_token_id(word) for word, _, _ in tokens]
    top = pow(_BASE, KGRAM - 1, _MODULUS)
    h = 0
    for i in range(KGRAM):
        h = (h * _BASE + ids[i]) % _MODULUS
    hashes = [h]
    for i in range(KGRAM, len(ids)):
        h = ((h - ids[i - KGRAM] * top) * _BASE + ids[i]) % _MODULUS
        hashes.append(h)
    return hashes


def _winnow(hashes: list[int]) -> Iterator[tuple[int, int, int]]:
    """``(hash, first token, last token)`` of each window's minimum (robust winnowing).

    A tie keeps the minimum already chosen; after it leaves the window, the rightmost
    minimum is taken, as in Schleimer, Wilkerson & Aiken (2003).
    """
    width = min(WINDOW, len(hashes))
    chosen = -1
    for end in range(max(width - 1, 0), len(hashes)):
        start = end - width + 1
        if chosen < start:
            chosen = start
            for i in range(start + 1, end + 1):
                if hashes[i] <= hashes[chosen]:
                    chosen = i
        elif hashes[end] < hashes[chosen]:
            chosen = end
        else:
            continue
        yield hashes[chosen], chosen, chosen + KGRAM - 1


def _all_kgram_hashes(files: Mapping[str, str]) -> frozenset[int]:
    """Every k-gram hash (not only the winnowed ones), so starter code is removed entirely."""
    found: set[int] = set()
    for path, text in files.items():
        if path.endswith(".py"):
            found.update(_kgram_hashes(_normalised_tokens(text)))
    return frozenset(found)


# --- comparing -------------------------------------------------------------------------------


def similarity_flags(
    exercise_id: str,
    submissions: Mapping[str, Mapping[str, str]],
    *,
    starter: Mapping[str, str],
    reference: Mapping[str, str],
    pair_threshold: float = 0.6,
    reference_threshold: float = 0.8,
) -> tuple[SimilarityFlag, ...]:
    """Flag candidate pairs (and reference matches) whose own code overlaps at the thresholds.

    ``submissions`` maps candidate → (path → text). Sorted by score, highest first, then names.
    """
    starter_hashes = _all_kgram_hashes(starter)
    own = {
        name: fingerprint_files(files).without(starter_hashes)
        for name, files in sorted(submissions.items())
    }
    eligible = {name: fp for name, fp in own.items() if len(fp) >= MIN_FINGERPRINTS}
    flags = [
        *_pair_flags(exercise_id, eligible, pair_threshold),
        *_reference_flags(
            exercise_id,
            eligible,
            fingerprint_files(reference).without(starter_hashes),
            reference_threshold,
        ),
    ]
    return tuple(sorted(flags, key=lambda f: (-f.score, f.kind, f.candidates)))


def _pair_flags(
    exercise_id: str, fingerprints: Mapping[str, Fingerprint], threshold: float
) -> Iterator[SimilarityFlag]:
    """Pairs over ``threshold``, counted through an inverted index, boilerplate skipped."""
    names = sorted(fingerprints)
    index: dict[int, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for h in fingerprints[name].hashes:
            index[h].append(i)
    limit = max(BOILERPLATE_SHARE * len(names), BOILERPLATE_MIN_COUNT)
    boilerplate = {h for h, holders in index.items() if len(holders) > limit}
    own = [fingerprints[name].without(boilerplate) for name in names]
    shared: Counter[int] = Counter()
    for h, holders in index.items():
        if len(holders) > 1 and h not in boilerplate:
            for k, a in enumerate(holders):
                shared.update(a * len(names) + b for b in holders[k + 1 :])
    for key, count in shared.items():
        a, b = divmod(key, len(names))
        smaller = min(len(own[a]), len(own[b]))
        if smaller >= MIN_FINGERPRINTS and count / smaller >= threshold:
            yield SimilarityFlag(
                kind=FlagKind.PAIR,
                candidates=(names[a], names[b]),
                exercise_id=exercise_id,
                score=count / smaller,
                evidence=_evidence(own[a], own[b]),
            )


def _reference_flags(
    exercise_id: str,
    fingerprints: Mapping[str, Fingerprint],
    reference: Fingerprint,
    threshold: float,
) -> Iterator[SimilarityFlag]:
    """Candidates whose own code matches the reference solution's (no boilerplate filter:
    a leaked solution copied by most of the round must still show)."""
    if len(reference) < MIN_FINGERPRINTS:
        return
    for name, fp in fingerprints.items():
        score = len(fp.hashes & reference.hashes) / min(len(fp), len(reference))
        if score >= threshold:
            yield SimilarityFlag(
                kind=FlagKind.REFERENCE,
                candidates=(name,),
                exercise_id=exercise_id,
                score=score,
                evidence=_evidence(fp, reference),
            )


def _evidence(left: Fingerprint, right: Fingerprint) -> tuple[str, ...]:
    """The largest runs of shared fingerprints as ``"left lines ~ right lines"``."""
    pairs = [(left.locations[h], right.locations[h]) for h in left.hashes & right.hashes]
    runs = sorted(_merge(pairs), key=lambda run: (-run[2], run[0], run[1]))
    return tuple(f"{a} ~ {b}" for a, b, _ in runs[:MAX_EVIDENCE])


def _merge(pairs: Iterable[tuple[Span, Span]]) -> Iterator[tuple[Span, Span, int]]:
    """Join matches that overlap or touch on both sides into ``(left, right, matches)`` runs."""
    current: tuple[Span, Span, int] | None = None
    for a, b in sorted(pairs, key=lambda pair: (pair[0].path, pair[1].path, *pair)):
        if current is not None and _touches(current[0], a) and _touches(current[1], b):
            current = (_join(current[0], a), _join(current[1], b), current[2] + 1)
            continue
        if current is not None:
            yield current
        current = (a, b, 1)
    if current is not None:
        yield current


def _touches(run: Span, span: Span) -> bool:
    return (
        run.path == span.path
        and span.first_line <= run.last_line + 1
        and span.last_line >= run.first_line - 1
    )


def _join(run: Span, span: Span) -> Span:
    return Span(run.path, min(run.first_line, span.first_line), max(run.last_line, span.last_line))

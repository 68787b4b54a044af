"""Words for the reasoning scorer: tokens, stems, synonym sets and rubric phrases.

A rubric concept is written as example phrases ("labels shuffled separately"). Each phrase
becomes slots, one per content word; a slot matches a sentence token whose stem, or one of
whose synonym sets, it shares. Stems come from a small suffix stripper plus a table of
irregular forms, synonyms from a built-in list plus the rubric's own. Everything here is a
dictionary or set lookup over tokens found by one linear regex: no backtracking, no model,
no network, the same answer every time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def word_list(text: str) -> tuple[str, ...]:
    """The space-separated words of a literal (keeps long word tables readable)."""
    return tuple(text.split())


_TOKEN = re.compile(
    r"(?<![\w,])\d{1,3}(?:,\d{3})+(?![\w,])(?:\.[0-9]+)?"  # "1,200" is one number
    r"|[A-Za-z0-9_]+(?:'[A-Za-z]+)?(?:\.[0-9]+)*|[,;:()\u2013\u2014?\u2192\u21d2\u2260]"
    r"|(?<=\s)-(?=\s)|-+>|=>"
)
_ARROWS = frozenset({"\u2192", "\u21d2", "=>"})
"""An arrow ends a clause ("labels lag -> recall unknown" is two); "->" is spelled out below."""
_NOTATION = {"\u2260": ("differs", "from")}
"""Symbols engineers write for words: "new scale ≠ old" says the scale differs."""
_COUNTS = frozenset(word_list("one two three single 1 2 3"))
"""Words whose synonym sets are about counting or sameness ("one" is "same")."""
BREAKS = frozenset({",", ";", ":", "(", ")", "\u2013", "\u2014", "-", "?", "->", *_ARROWS})
"""Punctuation tokens: they end a clause for negation scope and match no slot."""

STOP_WORDS = frozenset(
    word_list(
        "a an the of to in on at by for from with into onto as is are was were be been being "
        "am it its it's this that these those there their they them we i you he she our "
        "my and or but so if then than which who what do does did has have had can could "
        "will would should may might must also just very really here some any"
    )
)
"""Words a phrase may contain for readability; they never become slots."""

_IRREGULAR = {
    "took": "take", "taken": "take", "fell": "fall", "fallen": "fall", "kept": "keep",
    "ran": "run", "went": "go", "gone": "go", "drew": "draw", "drawn": "draw", "saw": "see",
    "seen": "see", "made": "make", "got": "get", "gotten": "get", "gave": "give",
    "given": "give", "lost": "lose", "found": "find", "came": "come", "became": "become",
    "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose", "did": "do",
    "done": "do", "does": "do", "was": "be", "were": "be", "is": "be", "are": "be",
    "been": "be", "being": "be", "am": "be", "has": "have", "had": "have", "held": "hold",
    "meant": "mean", "sent": "send", "shown": "show", "grew": "grow", "grown": "grow",
    "knew": "know", "known": "know", "wrote": "write", "written": "write", "rose": "rise",
    "risen": "rise", "shrank": "shrink", "shrunk": "shrink", "fitted": "fit", "left": "leave",
    "fed": "feed", "led": "lead", "built": "build", "spent": "spend", "learnt": "learn",
    "children": "child", "data": "data", "indices": "index", "matrices": "matrix",
    "axes": "axis", "this": "this", "always": "always", "less": "less", "bias": "bias",
    "across": "across", "thus": "thus", "previous": "previous", "various": "various",
    "used": "use", "uses": "use", "using": "use", "labelled": "label", "labelling": "label",
    "modelled": "model", "modelling": "model", "cancelled": "cancel", "cancelling": "cancel",
    "cancellation": "cancel", "cancellations": "cancel", "early": "earli",
}  # fmt: skip
_BRITISH = re.compile(r"is(e|ed|es|ing|ation|ations)$")
_DOUBLE = frozenset("bdgkmnprt")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, deterministic stem: 'shuffled', 'shuffles', 'shuffling' -> 'shuffl'."""
    word = word.lower()
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _BRITISH.sub(r"iz\1", word)
    for suffix, keep in (("ations", 0), ("ation", 0), ("ities", 0), ("ity", 0), ("ies", 1)):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if keep else "")
            break
    else:
        for suffix in ("ingly", "edly", "ing", "ed", "ly", "es", "s"):
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)]
            undouble = suffix in ("ing", "ed", "ingly", "edly") and len(word) > 3
            if undouble and word[-1] == word[-2] and word[-1] in _DOUBLE:
                word = word[:-1]  # 'stopped' -> 'stop', 'running' -> 'run'
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # 'shuffle' and 'shuffled' meet at 'shuffl'
    return word


BASE_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("one", "1", "single", "same", "shared", "common", "identical", "unique"),
    ("separate", "independent", "different", "distinct", "another", "second", "two", "2",
     "twice", "fresh", "unrelated"),
    ("sum", "total", "add", "add up", "accumulate"),
    ("mean", "average", "avg"),
    ("statistics", "stats", "statistic"),
    ("divide", "division", "divisor", "denominator"),
    ("zero", "0", "zeros", "zeroes", "nil"),
    ("wrong", "incorrect", "bad", "mistaken", "broken", "bogus", "garbage", "meaningless"),
    ("large", "big", "huge", "high", "larger", "bigger", "higher", "too big", "too large",
     "too high", "massive", "inflated"),
    ("small", "tiny", "low", "smaller", "lower", "little"),
    ("learning rate", "lr", "step size", "rate"),
    ("each", "every", "per"),
    ("whole", "entire", "full", "all"),
    ("only", "exclusively", "solely", "just"),
    ("instead", "rather"),
    ("model", "classifier", "network", "net"),
    ("depend", "rely", "vary", "hinge"),
    ("match", "line up", "correspond", "align", "belong", "pair", "agree"),
    ("stop", "stall", "freeze", "plateau", "stuck", "flat", "stagnate"),
    ("grow", "increase", "rise", "explode", "blow up", "scale up"),
    ("use", "apply", "reuse", "utilize", "employ", "pass"),
    ("compute", "calculate", "estimate", "work out", "derive", "measure", "take", "get"),
    ("leak", "leakage", "leaky", "seep", "bleed", "sneak", "contaminate", "contamination"),
    ("remove", "drop", "delete", "exclude", "take out", "get rid of", "strip", "discard"),
    ("probability", "probabilities", "prob", "likelihood", "confidence"),
    ("batch", "minibatch", "mini batch"),
    ("gradient", "grad", "derivative", "slope"),
    ("step", "update", "iteration"),
    ("fix", "correct", "repair", "resolve", "patch"),
    ("validation", "val", "valid", "holdout", "hold out", "held out", "evaluation", "eval"),
    ("before", "prior", "ahead", "earlier"),
    ("after", "later", "afterwards", "subsequent"),
    ("random", "randomly", "arbitrary", "shuffled"),
    ("noise", "garbage", "nonsense", "chance", "guess", "guessing", "coin flip"),
)  # fmt: skip
"""General synonym sets every rubric gets; a rubric adds its own domain sets."""


@dataclass(frozen=True)
class Token:
    """One word (or clause-breaking mark) of a sentence, with the keys it answers to."""

    surface: str
    stem: str
    keys: frozenset[str]
    start: int
    end: int
    width: int = 1
    """How many words it stands for ("train and validation" is 3): as many phrase slots
    may fall on it."""

    @property
    def is_break(self) -> bool:
        """Punctuation that ends a clause; it matches no slot."""
        return self.stem in BREAKS


def _words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every token; "didn't" becomes "did" + "not"."""
    out = []
    for found in _TOKEN.finditer(text):
        word, start, end = found.group(), found.start(), found.end()
        lower = word.lower()
        if word in _NOTATION:
            out += [(spelled, start, end) for spelled in _NOTATION[word]]
        elif word.startswith("-") and word.endswith(">"):
            out.append(("->", start, end))
        elif lower.endswith("n't"):
            base = {"can't": "can", "won't": "will", "shan't": "shall"}.get(lower, word[:-3])
            out += [(base, start, end - 3), ("not", end - 3, end)]
        elif "'" in word:
            out.append((word[: word.index("'")], start, start + word.index("'")))
        else:
            out.append((word, start, end))
    return out


class Lexicon:
    """Stems plus synonym sets (single words and short multi-word entries)."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._single: dict[str, set[str]] = {}
        self._multi: dict[tuple[str, ...], set[str]] = {}
        for number, group in enumerate((*BASE_SYNONYMS, *groups)):
            key = f"~{number}"
            for entry in group:
                stems = tuple(stem(w) for w, _, _ in _words(entry))
                if len(stems) == 1:
                    self._single.setdefault(stems[0], set()).add(key)
                elif stems:
                    self._multi.setdefault(stems, set()).add(key)
        self._longest = max((len(k) for k in self._multi), default=1)

    def keys(self, word_stem: str) -> frozenset[str]:
        """The stem itself and the ids of every synonym set it belongs to."""
        return frozenset({word_stem, *self._single.get(word_stem, ())})

    def tokenize(self, text: str, *, inner: bool = True) -> tuple[Token, ...]:
        """Tokens of ``text``; a multi-word synonym ("learning rate") becomes one token.

        With ``inner`` the merged token also answers to its words' own keys (a sentence
        token), without it only to the entry and its sets (a phrase slot).
        """
        raw = [(w, stem(w) if w not in BREAKS else w, s, e) for w, s, e in _words(text)]
        tokens: list[Token] = []
        i = 0
        while i < len(raw):
            for n in range(min(self._longest, len(raw) - i), 1, -1):
                groups = self._multi.get(tuple(r[1] for r in raw[i : i + n]))
                if groups:
                    part = raw[i : i + n]
                    joined = "_".join(r[1] for r in part)
                    merged = {joined, *groups}
                    if inner:
                        merged.update(k for r in part for k in self.keys(r[1]))
                    surface = text[part[0][2] : part[-1][3]]
                    tokens.append(
                        Token(surface, joined, frozenset(merged), part[0][2], part[-1][3], n)
                    )
                    i += n
                    break
            else:
                word, word_stem, start, end = raw[i]
                keys = frozenset() if word_stem in BREAKS else self.keys(word_stem)
                if (
                    word.lower() in _COUNTS
                    and text[end : end + 1] == "-"
                    and text[end + 1 : end + 2].isalpha()
                ):
                    # A count that opens a compound ("one-hot", "two-sided") names the
                    # compound, not a count or a sameness: only the word, none of its sets.
                    keys = frozenset({word_stem})
                tokens.append(Token(word, word_stem, keys, start, end))
                i += 1
        return tuple(tokens)


@dataclass(frozen=True)
class Phrase:
    """An example phrase compiled to slots: each slot is the set of keys it accepts."""

    text: str
    slots: tuple[frozenset[str], ...]


def compile_phrase(text: str, lexicon: Lexicon) -> Phrase:
    """Phrase text -> slots. ``a|b`` offers alternatives for one slot, ``=word`` takes the
    word without its synonym sets; stop words drop out.

    Runs of plain words are tokenized together, so multi-word synonyms ("learning rate")
    become one slot, as they become one token in a sentence.
    """
    slots: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        for token in lexicon.tokenize(" ".join(run), inner=False):
            if not token.is_break and token.surface.lower() not in STOP_WORDS:
                slots.append(token.keys)
        run.clear()

    for part in text.split():
        if "|" in part:
            # Alternatives for one slot; "=word" among them takes that word's stem only
            # ("=200|=per" is one slot that accepts either word, not two exact slots).
            flush()
            keys: set[str] = set()
            for option in part.split("|"):
                exact = option.startswith("=") and len(option) > 1
                for t in lexicon.tokenize(option.removeprefix("="), inner=False):
                    if not t.is_break:
                        keys.update({t.stem} if exact else t.keys)
            if keys:
                slots.append(frozenset(keys))
            continue
        if part.startswith("=") and len(part) > 1:
            flush()  # "=word": this word's stem only, no synonym sets
            slots += [frozenset({t.stem}) for t in lexicon.tokenize(part[1:]) if not t.is_break]
            continue
        run.append(part)
    flush()
    return Phrase(text, tuple(slots))


MAX_SPAN_BASE = 4
MAX_SPAN_PER_SLOT = 3
"""A phrase of k slots matches when all its slots fall within 4 + 3k tokens."""


def _assign(
    window: Sequence[tuple[int, int]], need: int, widths: Sequence[int] | None
) -> dict[int, int] | None:
    """Slot -> token position, every slot on a token of its own, or None if the window
    cannot give each slot one (one word must not stand for two words of a phrase: "larger"
    is not "bigger batch, bigger step"; a merged token of n words holds up to n slots).
    Augmenting paths; windows are small."""
    options: dict[int, list[int]] = {}
    for position, number in window:
        options.setdefault(number, []).append(position)
    owners: dict[int, list[int]] = {}
    chosen: dict[int, int] = {}

    def place(number: int, seen: set[int]) -> bool:
        for position in options.get(number, ()):
            if position in seen:
                continue
            seen.add(position)
            held = owners.setdefault(position, [])
            room = widths[position] if widths is not None and position < len(widths) else 1
            if len(held) < room:
                held.append(number)
                chosen[number] = position
                return True
            for index, other in enumerate(held):
                if place(other, seen):
                    held[index] = number
                    chosen[number] = position
                    return True
        return False

    for number in range(need):
        if not place(number, set()):
            return None
    return chosen


def find_phrase(
    phrase: Phrase,
    index: dict[str, list[int]],
    span_limit: int | None = None,
    widths: Sequence[int] | None = None,
) -> tuple[int, ...] | None:
    """The token positions (one per slot, all different) of the tightest match of
    ``phrase``, else None.

    ``index`` maps each key to the sorted positions of the sentence tokens that answer to
    it. The slots may come in any order; the window is the smallest that holds them all,
    each on a token of its own (``widths``: how many slots each token may hold, 1 when
    not given).
    """
    keys = index.keys()
    if not phrase.slots or any(keys.isdisjoint(slot) for slot in phrase.slots):
        return None
    hits: list[tuple[int, int]] = []
    for number, slot in enumerate(phrase.slots):
        positions = {p for key in slot for p in index.get(key, ())}
        hits.extend((p, number) for p in positions)
    hits.sort()
    need = len(phrase.slots)
    limit = span_limit if span_limit is not None else MAX_SPAN_BASE + MAX_SPAN_PER_SLOT * need
    counts = [0] * need
    covered = 0
    best: tuple[int, dict[int, int]] | None = None  # (span, slot -> position)
    left = 0
    for right, (_, number) in enumerate(hits):
        counts[number] += 1
        covered += counts[number] == 1
        while covered == need:
            span = hits[right][0] - hits[left][0]
            if span <= limit and (best is None or span < best[0]):
                chosen = _assign(hits[left : right + 1], need, widths)
                if chosen is None:
                    # Every slot answers, but not each on a token of its own (a phrase that
                    # repeats a word: "offline win, live win"): widen to the right instead.
                    break
                best = (span, chosen)
            counts[hits[left][1]] -= 1
            covered -= counts[hits[left][1]] == 0
            left += 1
    if best is None:
        return None
    return tuple(sorted(set(best[1].values())))


def key_index(tokens: Sequence[Token]) -> dict[str, list[int]]:
    """Key -> sorted positions of the tokens answering to it."""
    index: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        for key in token.keys:
            index.setdefault(key, []).append(position)
    return index

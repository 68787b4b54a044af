"""Diagnostic reasoning: score a candidate's ``DIAGNOSIS.md`` against an exercise's rubric.

Pure and deterministic. The Markdown is split into sentences; each concept of each planted
problem is matched one sentence at a time. A match earns nothing when its sentence negates it,
trips an anti-pattern, asks a question, or is not prose (a list of terms, a telegraphic
fragment, a repeat). Words are then tied to behaviour: a problem's share depends on whether
it is explained *and* whether its hidden-test group passed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from grader.model import ConceptKind, ConceptMatch, Flag, FlagKind, ProblemRow, ReasoningScore
from grader.scoring.rubric import EXPLAINING_KINDS, Concept, Problem, Rubric

# --- outcome ---------------------------------------------------------------------------------


class SentenceKind(StrEnum):
    """Where a sentence came from: prose explains; headings and code only cite locations."""

    PROSE = "prose"
    HEADING = "heading"
    CODE = "code"


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading, or code block) of the diagnosis."""

    text: str
    line: int
    """1-based line where its paragraph, list item, heading or code block starts."""
    kind: SentenceKind
    section: str = ""
    """The nearest heading above it ('' before the first heading)."""


@dataclass(frozen=True)
class CreditPolicy:
    """Shares of a problem's weight and the bar for "explained"."""

    fixed_and_explained: float = 1.0
    fixed_only: float = 0.4
    explained_only: float = 0.2
    explained_weight: float = 0.5
    """Share of the problem's concept weight that must be earned to count as explained."""


DEFAULT_POLICY = CreditPolicy()


# --- Markdown → sentences --------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_RULE = re.compile(r"^([-*_])(?:\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?$")
_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_LEAD_IN = re.compile(r"^(\*\*|__)([^*_]{1,80}?)(?:[.:]\1|\1[.:])\s*")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRUCK = re.compile(r"~~.*?~~")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]+|[*_]+(?![\w*_])")
_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "fig.", "eq.", "no."})
_PROTECT = str.maketrans({".": "\x01", "!": "\x02", "?": "\x03"})
_RESTORE = str.maketrans({"\x01": ".", "\x02": "!", "\x03": "?"})


def _inline(text: str) -> str:
    """Markdown inline markup → plain text; code spans keep their content, unsplittable."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = _STRUCK.sub(" ", text.replace("\u201d", '"'))  # struck-out text was retracted
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(2).strip().translate(_PROTECT))
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE_SPAN.sub(hold, text)
    text = _EMPHASIS.sub("", _TAG.sub(" ", _LINK.sub(r"\1", text)))
    text = re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))


def _split(text: str) -> list[str]:
    """Split plain text at . ! ? followed by space, except after common abbreviations."""
    pieces, start = [], 0
    for end in _END.finditer(text):
        piece = text[start : end.start()]
        if piece.split()[-1].lower() in _ABBREVIATIONS:
            continue
        pieces.append(text[start : end.end()].strip())
        start = end.end()
    pieces.append(text[start:].strip())
    return [p.translate(_RESTORE) for p in pieces if p]


def _blocks(markdown: str) -> list[tuple[SentenceKind, str, int]]:
    """Markdown → (kind, raw text, first line) for paragraphs, list items, headings, code."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)  # hidden from readers
    blocks: list[tuple[SentenceKind, str, int]] = []
    para: list[tuple[int, str]] = []
    code: list[str] = []
    fence, fence_line, in_list = "", 0, False

    def flush() -> None:
        if para:
            blocks.append((SentenceKind.PROSE, " ".join(t for _, t in para), para[0][0]))
            para.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        if fence:
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                blocks.append((SentenceKind.CODE, "\n".join(code), fence_line))
                fence = ""
                code.clear()
            else:
                code.append(raw)
            continue
        opened = _FENCE.match(raw)
        line = raw.strip()
        while line.startswith(">"):
            line = line[1:].strip()
        if opened:
            flush()
            fence, fence_line = opened.group(1), number
        elif not line:
            flush()
        elif raw.startswith(("    ", "\t")) and not para and not in_list:
            blocks.append((SentenceKind.CODE, line, number))
        elif heading := _HEADING.match(line):
            flush()
            in_list = False
            blocks.append((SentenceKind.HEADING, heading.group(1) or "", number))
        elif para and _SETEXT.match(line):
            blocks.append((SentenceKind.HEADING, " ".join(t for _, t in para), para[0][0]))
            para.clear()
        elif _RULE.match(line) or _TABLE_RULE.match(line):
            flush()
        elif line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            blocks.append((SentenceKind.PROSE, "; ".join(c for c in cells if c), number))
        elif item := _ITEM.match(line):
            flush()
            in_list = True
            para.append((number, line[item.end() :]))
        else:
            if not para and not raw.startswith((" ", "\t")):
                in_list = False
            para.append((number, line))
    flush()
    if fence:  # an unclosed fence still hides code, never prose
        blocks.append((SentenceKind.CODE, "\n".join(code), fence_line))
    return blocks


def split_sentences(markdown: str) -> tuple[Sentence, ...]:
    """Markdown → sentences; headings and code blocks come back whole, marked by kind."""
    sentences: list[Sentence] = []
    section = ""
    for kind, raw, line in _blocks(markdown):
        if kind is SentenceKind.CODE:
            if raw.strip():
                sentences.append(Sentence(raw, line, kind, section))
        elif kind is SentenceKind.HEADING:
            section = _inline(raw).translate(_RESTORE)
            if section:
                sentences.append(Sentence(section, line, kind, section))
        else:
            lead_in = _LEAD_IN.match(raw)
            if lead_in:  # "**Batching.** The batch generator ..." names a topic, like a heading
                section = _inline(lead_in.group(2)).translate(_RESTORE)
                sentences.append(Sentence(section, line, SentenceKind.HEADING, section))
                raw = raw[lead_in.end() :]
            sentences.extend(Sentence(s, line, kind, section) for s in _split(_inline(raw)))
    return tuple(sentences)


# --- prose check -----------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9_]+(?:'[A-Za-z]+)?")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FUNCTION_WORDS = _wordset(
    "a an the of to in on at by for from with into onto over under as is are was were be been "
    "being am it its it's this that these those there their they them we i you he she our my "
    "and or but so because if then than not no which who what when while do does did has have "
    "had can could will would should may might must each every all any some one only also "
    "instead"
)
_AUXILIARIES = _wordset(
    "is are was were be been being am has have had do does did can could will would should "
    "may might must it's that's there's"
)
_COMMON_VERBS = _wordset(
    "make makes made use uses take takes took get gets got go goes went fix fixes shuffle "
    "shuffles mix mixes leak leaks break breaks cause causes mean means need needs sum sums "
    "learn learns learnt train trains fit fits return returns see saw seen show shows match "
    "matches apply applies call calls change changes move moves swap swaps divide divides run "
    "runs ran find finds found check checks keep keeps kept let lets put puts give gives gave "
    "become becomes became depend depends produce produces scale scales compute computes "
    "normalise normalises normalize normalizes stay stays sit sits pair pairs lose loses lost "
    "draw draws drew add adds belong belongs end ends come comes came reuse reuses"
)
_VERB_ENDING = re.compile(r"(?:[a-z]{2}ed|i[sz]es?|n't)$")
_ITEM_SEPARATOR = re.compile(r"\s*[,;/|·•]\s*")
MIN_WORDS = 5
MAX_WORDS = 120
MIN_FUNCTION_SHARE = 0.15
MAX_KEYWORD_SHARE = 0.5
LIST_MIN_ITEMS = 4
LIST_MAX_ITEM_WORDS = 3.0
STUFFING_SHARE = 0.5
"""A diagnosis is keyword stuffing when at least this share of its sentences that use rubric
terms are set aside as not prose (and at least ``STUFFING_MIN_SENTENCES`` of them)."""
STUFFING_MIN_SENTENCES = 2


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _stem(word: str) -> str:
    return word.lower()[:5]


def rubric_keywords(rubric: Rubric) -> frozenset[str]:
    """Five-letter stems of the content words in the rubric's titles, locations and regexes."""
    texts = []
    for problem in rubric.problems:
        texts += [problem.title, *problem.locations]
        for concept in problem.concepts:
            texts += [re.sub(r"\\.", " ", p.pattern) for p in concept.patterns]
    words = {w for t in texts for w in re.findall(r"[a-z_]{4,}", t.lower())}
    return frozenset(_stem(w) for w in words if w not in _FUNCTION_WORDS)


def _is_keyword(word: str, keywords: frozenset[str]) -> bool:
    return len(word) >= 4 and word not in _FUNCTION_WORDS and _stem(word) in keywords


def _is_verb(word: str) -> bool:
    return word in _AUXILIARIES or word in _COMMON_VERBS or bool(_VERB_ENDING.search(word))


def prose_problem(text: str, keywords: frozenset[str]) -> str:
    """Why a sentence is not explanatory prose ('' when it is).

    A run-on: over 120 words without a sentence end. A list of terms: 4+ items split by
    , ; / | averaging at most 3 words, with under 20% function words. Telegraphic: two or
    more of — under 5 words, no verb, under 15% function words, at least half rubric keywords.
    """
    words = _words(text)
    if not words:
        return "no words"
    if len(words) > MAX_WORDS:
        return f"a run-on of {len(words)} words with no sentence end"
    function_share = sum(w in _FUNCTION_WORDS for w in words) / len(words)
    items = [i for i in _ITEM_SEPARATOR.split(text.strip(" .")) if i]
    if (
        len(items) >= LIST_MIN_ITEMS
        and len(words) / len(items) <= LIST_MAX_ITEM_WORDS
        and function_share < 0.2
    ):
        return f"a list of {len(items)} terms, not an explanation"
    signals = []
    if len(words) < MIN_WORDS:
        signals.append(f"only {len(words)} word{'s' if len(words) > 1 else ''}")
    if not any(_is_verb(w) for w in words):
        signals.append("no verb")
    if function_share < MIN_FUNCTION_SHARE:
        signals.append(f"{function_share:.0%} function words")
    keyword_share = sum(_is_keyword(w, keywords) for w in words) / len(words)
    if keyword_share >= MAX_KEYWORD_SHARE:
        signals.append(f"{keyword_share:.0%} rubric keywords")
    return "telegraphic: " + ", ".join(signals) if len(signals) >= 2 else ""


def _set_aside(sentences: Sequence[Sentence], keywords: frozenset[str]) -> list[str]:
    """Per sentence, why it is not prose ('' for prose; headings and code are never prose)."""
    seen: dict[str, int] = {}
    reasons = []
    for sentence in sentences:
        if sentence.kind is not SentenceKind.PROSE:
            reasons.append(f"a {sentence.kind.value}")
            continue
        key = " ".join(_words(sentence.text))
        if key in seen:
            reasons.append(f"repeats the sentence on line {seen[key]}")
            continue
        seen[key] = sentence.line
        reasons.append(prose_problem(sentence.text, keywords))
    return reasons


# --- negation --------------------------------------------------------------------------------

_CUE = re.compile(
    r"n't\b|\b(?:not|never|no|without|nothing|neither|nor|none|cannot|whether)\b", re.IGNORECASE
)
_NOT_A_CUE = re.compile(
    r"\b(?:not only|not just|not merely|not least|not surprisingly|no doubt|whether or not)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|(?<!\bnot )(?<!n't )\b(?:and|but|so|because|since|which|who|"
    r"whereas|although|though|while|hence|therefore|thus|however|yet)\b",
    re.IGNORECASE,
)
_DENIAL_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:(?:is|was|are|were|been)(?:n't\b|\s+(?:not|never)\b)"
    r"|(?:is|was|are|were|looks?|looked|seems?|seemed)\s+(?:fine|correct|ok|okay|right|"
    r"innocent|irrelevant|unrelated|harmless)\b|had nothing to do)",
    re.IGNORECASE,
)
_DENIAL_AT_END = re.compile(
    r"\b(?:it|this|that|they)\s+(?:(?:is|was|are|were)(?:n't|\s+not)|did(?:n't|\s+not))"
    r"(?:\s+the case)?\W*$|\bwhich\s+(?:is|was)(?:n't|\s+not)\s+the\s+case\W*$",
    re.IGNORECASE,
)


def _clause(breaks: Sequence[re.Match[str]], position: int, length: int) -> tuple[int, int]:
    start = max((b.end() for b in breaks if b.end() <= position), default=0)
    end = min((b.start() for b in breaks if b.start() >= position), default=length)
    return start, end


def negation_cue(text: str, match: re.Match[str]) -> str | None:
    """The words that negate a matched claim in ``text``, or None when the claim stands.

    Scope: the clause(s) where the match starts and ends. A cue before the match, or inside it
    unless the pattern needs it (it stops matching without the cue), negates; after the match
    only a denial does ("... was not the problem", "... is fine"), or a trailing "but it
    wasn't". "Not only ... but" is not a negation, nor is a clause opened by "but not Y".
    """
    breaks = list(_CLAUSE_BREAK.finditer(text))
    first = _clause(breaks, match.start(), len(text))
    last = _clause(breaks, match.end(), len(text))
    excluded = [(m.start(), m.end()) for m in _NOT_A_CUE.finditer(text)]
    for cue in _CUE.finditer(text):
        in_scope = first[0] <= cue.start() < first[1] or last[0] <= cue.start() < last[1]
        if not in_scope or cue.start() >= match.end():
            continue
        if any(a <= cue.start() < b for a, b in excluded):
            continue
        if cue.start() >= first[1] and not text[last[0] : cue.start()].strip():
            continue  # "X but not Y" opens a clause that negates only Y
        if cue.start() >= match.start() and not match.re.search(
            text[: cue.start()] + text[cue.end() :]
        ):
            continue  # the pattern itself needs the cue: "rows do not sum to one"
        return cue.group()
    denial = _DENIAL_AFTER.match(text[match.end() : last[1]])
    if denial:
        return denial.group().strip()
    trailing = _DENIAL_AT_END.search(text, match.end())
    return trailing.group().strip() if trailing else None


# --- matching --------------------------------------------------------------------------------

_CLAIM = re.compile(
    r"(?:^|\b(?:i|we)(?:'ve|\s+have)?\s+(?:now\s+|also\s+|then\s+|finally\s+)?)"
    r"(?:fixed|corrected|repaired|resolved|patched|changed|replaced|rewrote)\b"
    r"|\b(?:is|are|was|were|has been|have been)\s+(?:now\s+)?(?:fixed|corrected|resolved)\b",
    re.IGNORECASE,
)
_UNDONE = re.compile(r"\s+(?:\w+\s+)?(?:nothing|none|no)\b", re.IGNORECASE)  # "changed nothing"


def _match(concept: Concept, index: int, sentence: Sentence, aside: str) -> ConceptMatch | None:
    """The earning match of a concept in a sentence, else its first rejected match."""
    code_ok = concept.kind is ConceptKind.LOCATION and sentence.kind is not SentenceKind.PROSE
    rejected = None
    for pattern in concept.patterns:
        for found in pattern.finditer(sentence.text):
            if code_ok or not aside:
                reason = _rejection(concept, sentence, found)
            else:
                reason = f"not prose: {aside}"
            result = ConceptMatch(
                index,
                concept.kind,
                concept.weight,
                sentence.text,
                sentence.line,
                found.group(),
                reason,
            )
            if not reason:
                return result
            rejected = rejected or result
    return rejected


def _rejection(concept: Concept, sentence: Sentence, found: re.Match[str]) -> str:
    if sentence.kind is SentenceKind.CODE:
        return ""
    if sentence.text.rstrip().endswith("?"):
        return "a question, not a claim"
    for anti in concept.anti_patterns:
        if anti.search(sentence.text):
            return f"anti-pattern {anti.pattern!r} matched"
    cue = negation_cue(sentence.text, found)
    return f"negated by '{cue}'" if cue else ""


def _names(problem: Problem, text: str) -> bool:
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
        for name in problem.locations
    )


def _about(problem: Problem, text: str) -> bool:
    """Whether a sentence is about a problem: a location, a concept, or two title words."""
    if _names(problem, text) or any(p.search(text) for c in problem.concepts for p in c.patterns):
        return True
    title = {_stem(w) for w in _words(problem.title) if len(w) >= 4 and w not in _FUNCTION_WORDS}
    return len(title & {_stem(w) for w in _words(text) if len(w) >= 4}) >= 2


def _claim(problem: Problem, sentences: Sequence[Sentence]) -> Sentence | None:
    """The first prose sentence that claims this problem was fixed."""
    for sentence in sentences:
        if sentence.kind is not SentenceKind.PROSE:
            continue
        found = _CLAIM.search(sentence.text)
        if (
            found is None
            or negation_cue(sentence.text, found)
            or _UNDONE.match(sentence.text, found.end())
        ):
            continue
        if _about(problem, sentence.text) or (
            sentence.section and _about(problem, sentence.section)
        ):
            return sentence
    return None


# --- scoring ---------------------------------------------------------------------------------


def _row(
    problem: Problem,
    sentences: Sequence[Sentence],
    aside: Sequence[str],
    fixed: bool,
    policy: CreditPolicy,
) -> ProblemRow:
    earned: list[ConceptMatch] = []
    rejected: list[ConceptMatch] = []
    for index, concept in enumerate(problem.concepts):
        for sentence, reason in zip(sentences, aside, strict=True):
            found = _match(concept, index, sentence, reason)
            if found is None:
                continue
            if not found.rejected:
                earned.append(found)
                break
            rejected.append(found)
    weight = sum(m.weight for m in earned)
    explained = weight >= policy.explained_weight * problem.concept_weight and any(
        m.kind in EXPLAINING_KINDS for m in earned
    )
    location = next((m.sentence for m in earned if m.kind is ConceptKind.LOCATION), "")
    if not location:
        cited = (
            s
            for s, r in zip(sentences, aside, strict=True)
            if s.kind is not SentenceKind.PROSE or not r
        )
        location = next((s.text for s in cited if _names(problem, s.text)), "")
    if fixed and explained:
        share, reason = policy.fixed_and_explained, "fixed and explained"
    elif fixed:
        share, reason = policy.fixed_only, "fixed but not explained"
    elif explained:
        share, reason = policy.explained_only, "explained but not fixed"
    else:
        share, reason = 0.0, "neither fixed nor explained"
    kinds = ", ".join(sorted({m.kind.value for m in earned})) or "none"
    reason += f" (concepts: {kinds}; weight {weight:g}/{problem.concept_weight:g})"
    claim = _claim(problem, sentences)
    return ProblemRow(
        id=problem.id,
        title=problem.title,
        group=problem.group,
        weight=problem.weight,
        fixed=fixed,
        explained=explained,
        located=bool(location),
        share=share,
        earned_weight=weight,
        possible_weight=problem.concept_weight,
        matches=tuple(earned),
        rejected=tuple(rejected),
        location=location,
        claim=claim.text if claim else "",
        reason=reason,
    )


def _prose_flags(
    sentences: Sequence[Sentence], aside: Sequence[str], keywords: frozenset[str]
) -> list[Flag]:
    """A not-prose flag per set-aside sentence that uses rubric terms, and a summary flag."""
    flags = []
    using_terms = 0
    for sentence, reason in zip(sentences, aside, strict=True):
        if sentence.kind is not SentenceKind.PROSE:
            continue
        if not any(_is_keyword(w, keywords) for w in _words(sentence.text)):
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


def score_reasoning(
    rubric: Rubric,
    text: str | None,
    fixed_groups: Mapping[str, bool],
    policy: CreditPolicy = DEFAULT_POLICY,
) -> ReasoningScore:
    """Score a diagnosis (``None`` when DIAGNOSIS.md is missing) against a rubric.

    ``fixed_groups`` says per hidden-test group whether it passed fully. The score is the
    weighted mean over problems of the shares in ``policy``; every share comes with evidence.
    """
    sentences = split_sentences(text or "")
    keywords = rubric_keywords(rubric)
    aside = _set_aside(sentences, keywords)
    flags = _prose_flags(sentences, aside, keywords)
    prose = sum(1 for r in aside if not r)
    rows = []
    for problem in rubric.problems:
        if problem.group not in fixed_groups:
            flags.append(
                Flag(
                    FlagKind.UNKNOWN_GROUP,
                    f"no hidden-test result for group '{problem.group}' of problem "
                    f"'{problem.id}'; counted as not fixed",
                )
            )
        row = _row(problem, sentences, aside, bool(fixed_groups.get(problem.group)), policy)
        if row.claim and not row.fixed:
            flags.append(
                Flag(
                    FlagKind.UNSUPPORTED_CLAIM,
                    f"claims a fix for '{problem.id}', but hidden-test group '{problem.group}' "
                    "did not pass",
                    next(s.line for s in sentences if s.text == row.claim),
                    row.claim,
                )
            )
        rows.append(row)
    void = ""
    if any(f.kind is FlagKind.KEYWORD_STUFFING for f in flags):
        void = "DIAGNOSIS.md is keyword stuffing, not explanation: scored 0"
    elif not prose:
        if text is None:
            void = "no DIAGNOSIS.md: nothing to score (0)"
        elif not text.strip():
            void = "DIAGNOSIS.md is empty: nothing to score (0)"
        else:
            void = "DIAGNOSIS.md has no explanatory prose: nothing to score (0)"
        flags.insert(0, Flag(FlagKind.EMPTY, void))
    if void:  # no credit, not even for fixed problems: writing nothing must not beat this
        rows = [replace(r, share=0.0, reason=f"{void}; {r.reason}") for r in rows]
    total = sum(r.weight for r in rows)
    score = round(100.0 * sum(r.weight * r.share for r in rows) / total, 2)
    explained = sum(r.explained for r in rows)
    fixed_count = sum(r.fixed for r in rows)
    reason = void or (
        f"{explained} of {len(rows)} problems explained, {fixed_count} fixed; "
        f"{prose} prose sentences"
    )
    return ReasoningScore(score, tuple(rows), tuple(flags), prose, reason)

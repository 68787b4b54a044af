"""Markdown -> sentences for the reasoning scorer, in time linear in the text.

Headings and code blocks come back whole and marked by kind; paragraphs, list items and
table rows are split at sentence ends. Every scan here is a single pass or a regex whose
repeats are bounded, because the text is the candidate's and runs on the host: nested
emphasis, unclosed code spans or comments and runs of spaces must not cost quadratic time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum


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
    """The nearest heading above it ('' before the first heading), a bold lead-in included."""
    heading: str = ""
    """The nearest Markdown heading above it (lead-ins such as "**Fix:**" do not count)."""


_FENCE = re.compile(r"^[ \t]{0,12}(`{3,}|~{3,})")
_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_LEAD_IN = re.compile(r"^(\*\*|__)([^*_]{1,80}?)(?:[.:]\1|\1[.:])[ \t]*")
_LINK = re.compile(r"!?\[([^\[\]\n]{0,300})\]\([^()\n]{0,500}\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,300}>")
_MARKS = re.compile(r"[*_]+")
_HOLD = re.compile(r"\x00(\d{1,6})\x00")
_SPACE_BEFORE_MARK = re.compile(r" ([.,;:!?])")
_END = re.compile(r"(?<=[.!?])[\"')\]]{0,8} ")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})([^<>]{0,1000})>")
_HIDING_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title"})
_HIDING_ATTRIBUTE = re.compile(
    r"(?:^|[\s\"'])hidden(?:[\s=/\"']|$)|display\s{0,4}:\s{0,4}none|visibility\s{0,4}:\s{0,4}hidden"
    r"|font-size\s{0,4}:\s{0,4}0(?![.0-9]{0,4}[1-9])|opacity\s{0,4}:\s{0,4}0(?![.0-9]{0,4}[1-9])",
    re.IGNORECASE,
)
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"})
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:(?:[ \t]|$)")
_CONTROL = str.maketrans({c: " " for c in "\x00\x01\x02\x03"})
_ABBREVIATIONS = frozenset({
    "e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "fig.", "eq.", "no.", "incl.", "esp.",
    "resp.", "w.r.t.", "a.k.a.", "al.", "avg.", "n.b.", "viz.",
})  # fmt: skip
"""Words ending in a full stop that do not end a sentence (an opening bracket or quote
before them is ignored: "(e.g. over the batch)" stays one sentence)."""
_PROTECT = str.maketrans({".": "\x01", "!": "\x02", "?": "\x03"})
_RESTORE = str.maketrans({"\x01": ".", "\x02": "!", "\x03": "?"})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _drop_between(text: str, opener: str, closer: str, *, unclosed_hides: bool) -> str:
    """Remove every ``opener ... closer`` span in one pass (no regex backtracking)."""
    out, start = [], 0
    while (found := text.find(opener, start)) != -1:
        close = text.find(closer, found + len(opener))
        if close == -1:
            if unclosed_hides:
                out.append(text[start:found])
                start = len(text)
            break
        out.append(text[start:found])
        out.append("\n" * text.count("\n", found, close) if opener == "<!--" else " ")
        start = close + len(closer)
    out.append(text[start:])
    return "".join(out)


def _drop_hidden_html(text: str) -> str:
    """Remove HTML elements a reader never sees: ``hidden`` or ``display:none`` (and the like)
    elements and script/style/template blocks, nested tags of the same name included.

    One pass over the tags (each found once by a bounded regex); an unclosed hidden element
    hides the rest of the text, as a browser hides the rest of its parent.
    """
    out, position = [], 0
    hiding, depth, start = "", 0, 0
    for found in _HTML_TAG.finditer(text):
        closing, name, attributes = found.group(1), found.group(2).lower(), found.group(3)
        if hiding:
            if name != hiding or name in _VOID_TAGS or attributes.rstrip().endswith("/"):
                continue
            depth += -1 if closing else 1
            if depth == 0:
                out.append("\n" * text.count("\n", start, found.end()))
                position = found.end()
                hiding = ""
            continue
        if closing or name in _VOID_TAGS or attributes.rstrip().endswith("/"):
            continue
        if name in _HIDING_TAGS or _HIDING_ATTRIBUTE.search(attributes):
            out.append(text[position : found.start()])
            hiding, depth, start = name, 1, found.start()
    if hiding:
        return "".join(out)
    out.append(text[position:])
    return "".join(out)


def _title_open(rest: str) -> str:
    """The mark that closes a link definition's title, if the title runs on past this line
    ('' when there is no title or it closes here). ``rest`` follows the ``]:``."""
    parts = rest.split(None, 1)
    title = parts[1].strip() if len(parts) == 2 else ""
    closer = {'"': '"', "'": "'", "(": ")"}.get(title[:1], "")
    if closer and (len(title) == 1 or not title.endswith(closer)):
        return closer
    return ""


def _hold_code_spans(text: str, spans: list[str]) -> str:
    """Replace `code` spans by placeholders: a run of n backticks closes at the next run of
    exactly n. Runs are indexed once, so unmatched openers cost no rescans."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    by_length: dict[int, list[int]] = {}
    for number, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(number)
    out, position, number = [], 0, 0
    while number < len(runs):
        start, end = runs[number]
        same = by_length[end - start]
        after = bisect.bisect_right(same, number)
        if after == len(same):
            number += 1
            continue
        closing = same[after]
        spans.append(text[end : runs[closing][0]].strip().translate(_PROTECT))
        out.append(text[position:start])
        out.append(f"\x00{len(spans) - 1}\x00")
        position = runs[closing][1]
        number = closing + 1
    out.append(text[position:])
    return "".join(out)


def _strip_emphasis(text: str) -> str:
    """Drop runs of * and _ unless they sit inside a word (snake_case names keep theirs)."""
    out, position = [], 0
    for found in _MARKS.finditer(text):
        before = text[found.start() - 1] if found.start() else " "
        after = text[found.end()] if found.end() < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue
        out.append(text[position : found.start()])
        position = found.end()
    out.append(text[position:])
    return "".join(out)


def _inline(text: str) -> str:
    """Markdown inline markup -> plain text; code spans keep their content, unsplittable."""
    text = _drop_between(text.translate(_QUOTES), "~~", "~~", unclosed_hides=False)
    spans: list[str] = []
    text = _hold_code_spans(text, spans)
    text = _strip_emphasis(_TAG.sub(" ", _LINK.sub(r"\1", text)))
    text = _HOLD.sub(lambda m: spans[int(m.group(1))] if int(m.group(1)) < len(spans) else "", text)
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.split()))


def _split(text: str) -> list[str]:
    """Split plain text at . ! ? followed by space, except after common abbreviations."""
    pieces, start = [], 0
    for end in _END.finditer(text):
        words = text[start : end.start()].rsplit(" ", 1)
        if words[-1].lstrip("([{\"'").lower() in _ABBREVIATIONS:
            continue
        pieces.append(text[start : end.end()].strip())
        start = end.end()
    pieces.append(text[start:].strip())
    return [p.translate(_RESTORE) for p in pieces if p]


def _heading(line: str) -> str | None:
    """The text of an ATX heading line ('# Title ##'), else None."""
    hashes = len(line) - len(line.lstrip("#"))
    if not 1 <= hashes <= 6 or (len(line) > hashes and line[hashes] not in " \t"):
        return None
    body = line[hashes:].strip()
    closing = body.rstrip("#")
    if not closing or closing[-1] in " \t":
        body = closing.rstrip()
    return body


def _is_rule(line: str) -> bool:
    """A thematic break (--- *** ___) or a table's header rule (|---|:--:|)."""
    compact = line.replace(" ", "").replace("\t", "")
    if len(compact) >= 3 and len(set(compact)) == 1 and compact[0] in "-*_":
        return True
    return "-" in compact and "|" in compact and not set(compact) - set("|-:")


def _is_setext(line: str) -> bool:
    compact = line.rstrip()
    return bool(compact) and len(set(compact)) == 1 and compact[0] in "=-"


def _blocks(markdown: str) -> list[tuple[SentenceKind, str, int]]:
    """Markdown -> (kind, raw text, first line) for paragraphs, list items, headings, code."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    text = _drop_between(text, "<!--", "-->", unclosed_hides=True)  # hidden from readers
    text = _drop_hidden_html(text)
    blocks: list[tuple[SentenceKind, str, int]] = []
    para: list[tuple[int, str]] = []
    code: list[str] = []
    fence, fence_line, in_list = "", 0, False
    title_closer = ""  # a link definition's title running over several lines

    def flush() -> None:
        if para:
            blocks.append((SentenceKind.PROSE, " ".join(t for _, t in para), para[0][0]))
            para.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        if fence:
            stripped = raw.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                blocks.append((SentenceKind.CODE, "\n".join(code), fence_line))
                fence = ""
                code.clear()
            else:
                code.append(raw)
            continue
        if title_closer:  # the rest of an invisible link definition
            if not raw.strip() or raw.rstrip().endswith(title_closer):
                title_closer = ""
            continue
        if not para and (definition := _LINK_DEFINITION.match(raw)):
            # "[label]: url 'title'" (and the "[//]: # (comment)" idiom) renders to nothing
            title_closer = _title_open(raw[definition.end() :])
            continue
        opened = _FENCE.match(raw)
        line = raw.strip().lstrip("> \t")  # block quotes read as their content
        heading = _heading(line) if line.startswith("#") else None
        if opened:
            flush()
            fence, fence_line = opened.group(1), number
        elif not line:
            flush()
        elif raw.startswith(("    ", "\t")) and not para and not in_list:
            blocks.append((SentenceKind.CODE, line, number))
        elif heading is not None:
            flush()
            in_list = False
            blocks.append((SentenceKind.HEADING, heading, number))
        elif para and _is_setext(line):
            blocks.append((SentenceKind.HEADING, " ".join(t for _, t in para), para[0][0]))
            para.clear()
        elif _is_rule(line):
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
    """Markdown -> sentences; headings and code blocks come back whole, marked by kind."""
    sentences: list[Sentence] = []
    section = heading = ""
    for kind, raw, line in _blocks(markdown):
        if kind is SentenceKind.CODE:
            if raw.strip():
                sentences.append(Sentence(raw, line, kind, section, heading))
        elif kind is SentenceKind.HEADING:
            section = heading = _inline(raw).translate(_RESTORE)
            if section:
                sentences.append(Sentence(section, line, kind, section, heading))
        else:
            lead_in = _LEAD_IN.match(raw)
            if lead_in:  # "**Batching.** The batch generator ..." names a topic, like a heading
                section = _inline(lead_in.group(2)).translate(_RESTORE)
                sentences.append(Sentence(section, line, SentenceKind.HEADING, section, heading))
                raw = raw[lead_in.end() :]
            sentences.extend(
                Sentence(s, line, kind, section, heading) for s in _split(_inline(raw))
            )
    return tuple(sentences)

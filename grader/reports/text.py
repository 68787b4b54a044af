"""Candidate-controlled text made harmless before any renderer escapes it for its format.

Every renderer first strips what no reader should ever receive (terminal escape sequences,
control characters, bidirectional overrides, lone surrogates), then escapes for its own
syntax: Markdown, CSV, XML or HTML.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
# C0 except tab and newline, DEL, C1, bidi marks and overrides (they reorder what a reader
# sees, "Trojan Source"), lone surrogates (not encodable) and the two XML non-characters.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"\s+")
ELLIPSIS = " …"


def strip_control(value: str) -> str:
    """The text without escape sequences and control characters; newlines and tabs kept."""
    return _CONTROL.sub("", _ANSI.sub("", value.replace("\r\n", "\n")))


def clip(value: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when something was cut."""
    if len(value) <= limit:
        return value
    return value[: max(limit - len(ELLIPSIS), 0)].rstrip() + ELLIPSIS


def one_line(value: str, limit: int = 300) -> str:
    """Cleaned text on one line (runs of whitespace become one space), clipped to ``limit``."""
    return clip(_SPACES.sub(" ", strip_control(value)).strip(), limit)


def xml_safe(value: str) -> str:
    """Cleaned text without any character XML 1.0 forbids (ElementTree escapes the rest)."""
    return _XML_FORBIDDEN.sub("", strip_control(value))


def tail(value: str, *, lines: int, chars: int) -> tuple[str, int]:
    """The last ``lines`` lines of cleaned text, at most ``chars`` long, and how many lines
    were left out before them."""
    kept = strip_control(value).rstrip().splitlines()
    dropped = max(len(kept) - lines, 0)
    text = "\n".join(kept[dropped:])
    if len(text) > chars:
        text = "…" + text[-(chars - 1) :]
    return text, dropped

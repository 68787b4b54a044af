"""Copy-pasted code in the candidate's own lines: runs of statements that repeat elsewhere.

Linters judge one line at a time; a reviewer also sees the same five lines pasted into three
functions. A run of ``WINDOW`` meaningful lines (compared with their whitespace collapsed)
that occurs again, where the later copy holds a line the candidate wrote, is one duplicated
block; each is reported as a finding that points at both places. Linear in the code's size.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from grader.model import LintFinding

DUPLICATE_CODE = "DUP"
WINDOW = 3
"""Consecutive meaningful lines that must repeat to count as a pasted block."""
MIN_CHARS = 12
"""Shorter lines (``else:``, ``return x``) repeat naturally and are not evidence."""


def _meaningful(text: str) -> list[tuple[int, str]]:
    strings = _string_lines(text)
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if (
            len(line) >= MIN_CHARS
            and number not in strings
            and not line.startswith(("#", "import ", "from ", "@"))
        ):
            lines.append((number, line))
    return lines


def _string_lines(text: str) -> set[int]:
    """Lines inside docstrings and other bare strings: prose repeats, code should not."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def duplicated_blocks(
    texts: Mapping[str, str], own: Mapping[str, frozenset[int] | None]
) -> tuple[LintFinding, ...]:
    """One finding per pasted block in the candidate's code (at the later copy)."""
    first_seen: dict[tuple[str, ...], tuple[str, int, int]] = {}
    found: list[LintFinding] = []
    for file, text in texts.items():
        lines = _meaningful(text)
        mine = own.get(file)
        last_repeat = -2
        for start in range(len(lines) - WINDOW + 1):
            window = lines[start : start + WINDOW]
            key = tuple(line for _, line in window)
            where = (file, window[0][0], window[-1][0])
            earlier = first_seen.setdefault(key, where)
            if earlier is where:
                continue
            if earlier[0] == file and earlier[2] >= window[0][0]:
                continue  # overlapping repeats (a run of identical lines) are not a paste
            if mine is not None and not any(n in mine for n, _ in window):
                continue
            continues = start == last_repeat + 1
            last_repeat = start
            if continues:
                continue  # the same pasted block, one line further
            found.append(
                LintFinding(
                    file=file,
                    line=window[0][0],
                    code=DUPLICATE_CODE,
                    message=(
                        f"lines {window[0][0]}-{window[-1][0]} repeat "
                        f"{earlier[0]} lines {earlier[1]}-{earlier[2]}"
                    ),
                    url="",
                )
            )
    return tuple(found)

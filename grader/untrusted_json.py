"""JSON from outside the grader (a container's frame, a candidate's notebook, a stored result),
parsed with bounds so that no input can crash or stall the host.

``loads`` raises only ``UntrustedJSONError`` (a ``ValueError``) and returns plain JSON data in
which every number is in range: a number that is not finite (``NaN``, ``Infinity``,
``1e999``) or whose magnitude exceeds ``NUMBER_LIMIT`` (a 309-digit coverage figure) becomes
``None``, so each reader's own type checks turn it into "missing" rather than "huge". Nesting
deeper than ``max_depth`` and text over ``max_bytes`` are refused outright. Standard library
only; it sits beside ``model`` and ``errors`` at the bottom of the import graph.
"""

from __future__ import annotations

import json
import math
from typing import Any

NUMBER_LIMIT = 10**15
"""Largest magnitude kept for an int or a float; bigger numbers read as None."""
_DIGITS = len(str(NUMBER_LIMIT))


class UntrustedJSONError(ValueError):
    """The text is not JSON, or it is deeper or bigger than the reader allows."""


def _int(text: str) -> int | None:
    # Checked on the digits before converting: int() of thousands of digits is slow (and
    # capped by Python), and a huge number is never a count the grader needs.
    if len(text.lstrip("-")) > _DIGITS:
        return None
    value = int(text)
    return value if abs(value) <= NUMBER_LIMIT else None


def _float(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) and abs(value) <= NUMBER_LIMIT else None


def _constant(_name: str) -> None:
    return None  # NaN, Infinity, -Infinity


def depth(value: Any, limit: int) -> int:
    """How deep ``value`` nests lists and dicts, counting no further than ``limit + 1``.

    Iterative, so it cannot hit the interpreter's recursion limit itself.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, (list, dict)):
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text: str | bytes, *, max_depth: int = 32, max_bytes: int = 16 * 1024 * 1024) -> Any:
    """Parse untrusted JSON with bounded numbers, depth and size (see the module docstring)."""
    if len(text) > max_bytes:
        raise UntrustedJSONError(f"over {max_bytes:,} bytes")
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise UntrustedJSONError(f"nested deeper than {max_depth} levels") from None
    except (ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        raise UntrustedJSONError(f"not valid JSON ({_first_line(exc)})") from None
    if depth(value, max_depth) > max_depth:
        raise UntrustedJSONError(f"nested deeper than {max_depth} levels")
    return value


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:200]

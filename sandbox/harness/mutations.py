"""What candidate code did to the arguments a hidden test passed it, kept apart from them.

Candidate code works on its own copies of the judge's arguments (they cross the wire as plain
data). When it changes one in place, its server reports the new value; the judge never writes
that value back into the test's object, because a test that reads its own data after the call
would then compare the candidate with itself (issue 14). Instead the change is recorded here,
and tests ask ``candidate.changed(X)`` ("must not modify its input") or ``candidate.left(X)``
(for an API that is meant to work in place).
"""

from __future__ import annotations

from typing import Any

import numpy as np

MUTABLE = (np.ndarray, list, dict, np.random.Generator)
"""The kinds of argument a call can change in place (the candidate server reports these)."""


def same_value(first: Any, second: Any) -> bool:
    """True when two plain values are equal in type, shape and content (NaN equals NaN)."""
    if isinstance(first, np.ndarray) or isinstance(second, np.ndarray):
        if not (isinstance(first, np.ndarray) and isinstance(second, np.ndarray)):
            return False
        if first.shape != second.shape or first.dtype != second.dtype:
            return False
        try:
            return bool(np.array_equal(first, second, equal_nan=first.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(first, second))
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return first.keys() == second.keys() and all(same_value(first[k], second[k]) for k in first)
    if isinstance(first, (list, tuple)):
        return len(first) == len(second) and all(
            same_value(a, b) for a, b in zip(first, second, strict=True)
        )
    if isinstance(first, np.random.Generator):
        return bool(first.bit_generator.state == second.bit_generator.state)
    try:
        return bool(first == second) or (first != first and second != second)
    except Exception:  # noqa: BLE001 - an object without a usable == is not "the same"
        return first is second


class MutationLog:
    """The judge's objects that candidate calls changed, each with the value it was left at.

    Objects are kept by identity (and held, so an id is never reused while it is recorded);
    the plugin clears the log before every test.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[Any, Any]] = []

    def record(self, original: Any, left: Any) -> None:
        """``original`` (the test's object) was left as ``left`` by candidate code."""
        self._forget(original)
        self._entries.append((original, left))
        # Name the changed parts too, so ``changed(params["W1"])`` answers for a nested array.
        # Only mutable parts: a changed 1 in a list must not make every 1 "changed".
        if isinstance(original, dict) and isinstance(left, dict):
            pairs = [(value, left[key]) for key, value in original.items() if key in left]
        elif isinstance(original, list) and isinstance(left, list):
            pairs = list(zip(original, left, strict=False))
        else:
            pairs = []
        for value, new in pairs:
            if isinstance(value, MUTABLE) and not same_value(value, new):
                self.record(value, new)

    def _forget(self, original: Any) -> None:
        self._entries = [entry for entry in self._entries if entry[0] is not original]

    def changed(self, value: Any) -> bool:
        """True when candidate code changed ``value`` in place since the test began."""
        return any(original is value for original, _ in self._entries)

    def left(self, value: Any) -> Any:
        """``value`` as candidate code last left it (a separate object), or ``value`` itself."""
        for original, new in reversed(self._entries):
            if original is value:
                return new
        return value

    def clear(self) -> None:
        """Forget every record (a new test starts)."""
        self._entries.clear()

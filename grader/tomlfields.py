"""Typed reading of TOML tables for the exercise package files (exercise.toml, rubric.toml).

Every error names the file and the field path (``tests[2].weight``), so a malformed package
says exactly what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from grader.errors import CatalogError

_MISSING: Any = ...


class TomlTable:
    """One TOML table with checked getters; nested tables keep the field path."""

    def __init__(self, source: object, table: Mapping[str, Any], prefix: str = "") -> None:
        self.source, self.table, self.prefix = source, table, prefix

    def fail(self, name: str, problem: str) -> CatalogError:
        """An error about field ``name`` of this table."""
        return CatalogError.from_field(self.source, self.prefix + name, problem)

    def only(self, known: Iterable[str]) -> None:
        """Refuse fields outside ``known`` (typos would otherwise be silently ignored)."""
        allowed = tuple(known)
        for name in sorted(set(self.table) - set(allowed)):
            raise self.fail(name, f"is not a known field (known: {', '.join(allowed)})")

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
        """The value of ``name`` if it has type ``kind`` (booleans never count as numbers)."""
        if name not in self.table:
            if default is _MISSING:
                raise self.fail(name, "is missing")
            return default
        value = self.table[name]
        if isinstance(value, bool) or not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else "a number"
            raise self.fail(name, f"must be {expected}, not {type(value).__name__}")
        return value

    def text(self, name: str, default: Any = _MISSING) -> str:
        """A string; empty only where a default is given."""
        value = self.get(name, str, default)
        if isinstance(value, str) and not value.strip() and default is _MISSING:
            raise self.fail(name, "must not be empty")
        return value  # type: ignore[no-any-return]

    def number(self, name: str, default: Any = _MISSING) -> float:
        """A number that is not negative."""
        value = self.get(name, (int, float), default)
        if value is not None and value < 0:
            raise self.fail(name, "must not be negative")
        return value  # type: ignore[no-any-return]

    def positive(self, name: str, default: Any = _MISSING) -> float:
        """A number above zero."""
        value = self.get(name, (int, float), default)
        if value <= 0:
            raise self.fail(name, "must be positive")
        return float(value)

    def band(self, name: str) -> tuple[float, float]:
        """A ``[low, high]`` score band with 0 <= low <= high <= 100."""
        band = self.get(name, list)
        if len(band) != 2 or not all(
            isinstance(b, (int, float)) and not isinstance(b, bool) for b in band
        ):
            raise self.fail(name, "must be [low, high] percentages")
        if not 0 <= band[0] <= band[1] <= 100:
            raise self.fail(name, "must satisfy 0 <= low <= high <= 100")
        return float(band[0]), float(band[1])

    def optional_band(self, name: str) -> tuple[float, float] | None:
        """A score band, or None where the file says ``"none"``: the score must be absent
        (e.g. quality when the candidate wrote too little code to judge)."""
        if self.table.get(name) == "none":
            return None
        return self.band(name)

    def strings(self, name: str, *, required: bool) -> tuple[str, ...]:
        """A list of non-empty strings (at least one when ``required``)."""
        value = self.get(name, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{name}[{i}]", "must be a non-empty string")
        if required and not value:
            raise self.fail(name, "must list at least one entry")
        return tuple(value)

    def tables(self, name: str, *, required: bool = False) -> list[TomlTable]:
        """An array of tables, each readable with the same checks."""
        items = self.get(name, list, [])
        if required and not items:
            raise self.fail(name, "must list at least one table")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{i}]", "must be a table")
            out.append(TomlTable(self.source, item, f"{self.prefix}{name}[{i}]."))
        return out

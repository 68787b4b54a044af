"""The per-candidate JSON report: a versioned, documented, plain-data view of a Grade."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from grader.model import Grade
from grader.untrusted_json import loads

SCHEMA = "mlgrade.grade/1"
INT_LIMIT = 2**63
"""Largest magnitude of an int field read back (a stored result may have been edited)."""


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def grade_to_dict(grade: Grade) -> dict[str, Any]:
    """The grade as JSON-ready data, tagged with its schema version."""
    return {"schema": SCHEMA, **_plain(grade)}


def _build(kind: Any, value: Any) -> Any:
    """Rebuild a value of the annotated type from JSON data, strictly."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return value
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _build(inner[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(value, list):
            raise ValueError(f"expected a list for {kind}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        hints = typing.get_type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind) if f.init}
        return kind(**{k: _build(hints[k], v) for k, v in value.items() if k in known})
    if kind in (int, float) and isinstance(value, bool):
        raise ValueError(f"expected {kind.__name__}, got bool")
    if kind is float and isinstance(value, int):
        value = float(value)
    if kind in (str, int, float, bool) and not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
    if kind is int and abs(value) > INT_LIMIT:
        raise ValueError("an int field is out of range")
    if kind is float and not math.isfinite(value):
        raise ValueError("a float field is not finite")
    return value


def grade_from_dict(data: Any) -> Grade:
    """Rebuild a Grade from its JSON report, strictly: ValueError, and only that, for other
    schemas, missing fields, wrong types and numbers out of range."""
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != SCHEMA:
        shown = repr(schema)[:80] if isinstance(schema, str) else type(schema).__name__
        raise ValueError(f"not a {SCHEMA} document (schema: {shown})")
    try:
        return _build(Grade, {k: v for k, v in data.items() if k != "schema"})  # type: ignore[no-any-return]
    except (TypeError, KeyError, AttributeError, IndexError, RecursionError, OverflowError) as exc:
        # A required field missing, an unhashable enum value, ...: all one "invalid document".
        raise ValueError(f"not a valid {SCHEMA} document ({type(exc).__name__})") from None


def read_json(path: Path) -> Grade:
    """Load a grade written by ``write_json``: OSError, or ValueError for a damaged file."""
    return grade_from_dict(loads(path.read_bytes(), max_depth=64, max_bytes=256 * 1024 * 1024))


def write_json(grade: Grade, path: Path) -> None:
    """Write the grade atomically (a reader never sees half a file)."""
    text = json.dumps(grade_to_dict(grade), indent=2, sort_keys=True, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(tmp, path)

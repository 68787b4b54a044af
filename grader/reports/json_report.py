"""The per-candidate JSON report: a versioned, documented, plain-data view of a Grade."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from enum import Enum
from pathlib import Path
from typing import Any

from grader.model import Grade

SCHEMA = "mlgrade.grade/1"


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


def write_json(grade: Grade, path: Path) -> None:
    """Write the grade atomically (a reader never sees half a file)."""
    text = json.dumps(grade_to_dict(grade), indent=2, sort_keys=True, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(tmp, path)

"""A round as CSV for spreadsheets: one row per candidate, columns from ``columns.COLUMNS``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from grader.model import Grade

from .columns import Cell, format_cell, round_columns
from .text import one_line

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@")
CELL_LIMIT = 1000


def neutralize(text: str) -> str:
    """The cell text on one line, with a leading apostrophe if a spreadsheet would run it."""
    cleaned = one_line(text, CELL_LIMIT)
    return "'" + cleaned if cleaned.startswith(_FORMULA_STARTS) else cleaned


def _cell(value: Cell) -> str:
    # Numbers we formatted ourselves cannot be formulas; only text is neutralized.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_cell(value)
    return neutralize(format_cell(value))


def round_csv(grades: Sequence[Grade]) -> str:
    """The round as CSV text with a header row, in a stable column order."""
    columns = round_columns(grades)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralize(c.key) for c in columns])
    for grade in grades:
        writer.writerow([_cell(c.value(grade)) for c in columns])
    return buffer.getvalue()

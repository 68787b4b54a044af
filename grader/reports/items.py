"""The item analysis of a round (`grader.item_analysis`) as a terminal table, Markdown or HTML.

All three formats show the same rows with the same formatted values (``row_views``): per
exercise version its groups, then its hidden tests, each with the number of candidates, the
pass rate, the mean share earned, the discrimination and the flags; flagged rows are marked.
Self-contained on purpose: it shares no helper with the per-grade report modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from grader.item_analysis import (
    MIN_CANDIDATES,
    NEGATIVE_DISCRIMINATION,
    ExerciseItems,
    ItemFlag,
    ItemKind,
    ItemStats,
    RoundItems,
)
from grader.reports.templating import environment

MARK = "⚠"
"""Marks a flagged row in every format (beside the colour in the terminal and the HTML)."""
HEADERS = ("Item", "Description", "n", "Pass rate", "Mean share", "Discrimination", "Flags")
LEGEND = (
    "Pass rate: the mean share passed (a parametrized test counts by its share of cases). "
    "Discrimination: the correlation of an item's score with the rest of the candidate's "
    "correctness score (this item left out); below "
    f"{NEGATIVE_DISCRIMINATION:+.2f} is flagged, but not with fewer than {MIN_CANDIDATES} "
    "candidates (too few to tell); n/a when the item or the rest does not vary."
)
_TONES = {
    ItemFlag.EVERYONE_FAILS: "weak",
    ItemFlag.NEGATIVE_DISCRIMINATION: "weak",
    ItemFlag.EVERYONE_PASSES: "partial",
    ItemFlag.TOO_FEW_CANDIDATES: "none",
}
_RICH_STYLES = {"weak": "red", "partial": "yellow", "none": "dim", "": ""}


@dataclass(frozen=True)
class RowView:
    """One item as every format shows it: plain text, formatted, not yet escaped."""

    kind: str
    item: str
    description: str
    candidates: str
    pass_rate: str
    mean_share: str
    discrimination: str
    flags: tuple[str, ...]
    tone: str
    """``weak``, ``partial`` or ``none`` (the round page's pill colours); empty if unflagged."""

    @property
    def flagged(self) -> bool:
        """Whether the row carries a flag (and so the mark)."""
        return bool(self.flags)

    @property
    def flag_text(self) -> str:
        """The flags after the mark, or empty."""
        return f"{MARK} {', '.join(self.flags)}" if self.flags else ""


@dataclass(frozen=True)
class SectionView:
    """One exercise version's heading and rows."""

    heading: str
    candidates: str
    rows: tuple[RowView, ...]


def format_rate(value: float) -> str:
    """A share as a whole percentage, e.g. ``60%``."""
    return f"{100 * value:.0f}%"


def format_discrimination(value: float | None) -> str:
    """A correlation with its sign and two decimals, or ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:+.2f}"


def row_view(stats: ItemStats) -> RowView:
    """The formatted row of one item."""
    flags = tuple(str(flag) for flag in stats.flags)
    tones = [_TONES[flag] for flag in stats.flags]
    # The most serious flag colours the row.
    tone = next((t for t in ("weak", "partial", "none") if t in tones), "")
    return RowView(
        kind=str(stats.kind),
        item=f"group {stats.id}" if stats.kind is ItemKind.GROUP else stats.id,
        description=stats.title,
        candidates=str(stats.candidates),
        pass_rate=format_rate(stats.pass_rate),
        mean_share=format_rate(stats.mean_share),
        discrimination=format_discrimination(stats.discrimination),
        flags=flags,
        tone=tone,
    )


def section_view(section: ExerciseItems) -> SectionView:
    """The heading and the rows (groups first, then tests) of one exercise version."""
    plural = "" if section.candidates == 1 else "s"
    return SectionView(
        heading=(
            f"{section.exercise_title} ({section.exercise_id}, version {section.exercise_version})"
        ),
        candidates=f"{section.candidates} graded candidate{plural}",
        rows=tuple(row_view(s) for s in (*section.groups, *section.tests)),
    )


def _skipped_line(items: RoundItems) -> str:
    if not items.skipped:
        return ""
    plural = "grade" if items.skipped == 1 else "grades"
    return f"{items.skipped} ungradable {plural} left out."


# --- terminal -------------------------------------------------------------------------


def items_table(section: ExerciseItems) -> Table:
    """One exercise version as a rich Table; flagged rows coloured and marked."""
    view = section_view(section)
    table = Table(
        title=f"Item analysis: {view.heading}, {view.candidates}",
        title_justify="left",
        expand=False,
    )
    for header in HEADERS:
        numeric = header in ("n", "Pass rate", "Mean share", "Discrimination")
        table.add_column(header, justify="right" if numeric else "left")
    groups = len(section.groups)
    for index, row in enumerate(view.rows):
        # Text, never markup: descriptions come from exercise packages.
        table.add_row(
            Text(row.item),
            Text(row.description),
            row.candidates,
            row.pass_rate,
            row.mean_share,
            row.discrimination,
            Text(row.flag_text),
            style=_RICH_STYLES[row.tone],
            end_section=index == groups - 1,
        )
    return table


def items_terminal(items: RoundItems) -> RenderableType:
    """Every exercise version's table, then the legend (and what was left out)."""
    if not items.sections:
        return Text("No graded candidates: nothing to analyse.")
    parts: list[RenderableType] = [items_table(section) for section in items.sections]
    parts.append(Text(LEGEND, style="dim"))
    skipped = _skipped_line(items)
    if skipped:
        parts.append(Text(skipped, style="dim"))
    return Group(*parts)


# --- Markdown -------------------------------------------------------------------------

_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~#])")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md(value: str) -> str:
    # One line, Markdown syntax escaped, HTML as entities: the text renders literally.
    flat = " ".join(value.split())
    escaped = _MARKDOWN_SYNTAX.sub(r"\\\1", flat)
    return "".join(_HTML_ENTITIES.get(ch, ch) for ch in escaped)


def items_markdown(items: RoundItems) -> str:
    """The item analysis as Markdown: a table per exercise version, flagged rows marked."""
    lines = ["## Item analysis", ""]
    if not items.sections:
        lines.append("No graded candidates: nothing to analyse.")
    for section in items.sections:
        view = section_view(section)
        lines += [f"### {_md(view.heading)}", "", f"{view.candidates}.", ""]
        lines.append("| " + " | ".join(HEADERS) + " |")
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | --- |")
        for row in view.rows:
            item = f"**{_md(row.item)}**" if row.flagged else _md(row.item)
            cells = (
                item,
                _md(row.description),
                row.candidates,
                row.pass_rate,
                row.mean_share,
                row.discrimination,
                _md(row.flag_text),
            )
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(_md(LEGEND))
    skipped = _skipped_line(items)
    if skipped:
        lines += ["", skipped]
    return "\n".join(lines) + "\n"


# --- HTML -----------------------------------------------------------------------------


def items_html(items: RoundItems) -> Markup:
    """An autoescaped HTML fragment (a ``<section>``) to place inside the round page."""
    template = environment().get_template("items.html.j2")
    return Markup(
        template.render(
            sections=[section_view(section) for section in items.sections],
            headers=HEADERS,
            legend=LEGEND,
            skipped=_skipped_line(items),
        )
    )

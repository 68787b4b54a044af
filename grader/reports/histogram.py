"""The score distribution of a round as an inline SVG bar chart (10-point bins, no scripts)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from . import summary

BIN_WIDTH = 10
BINS = 100 // BIN_WIDTH
_WIDTH, _HEIGHT = 640, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 36, 8, 22, 34


def bin_counts(scores: Sequence[float]) -> tuple[int, ...]:
    """How many scores fall in each bin [0, 10), [10, 20), …, [90, 100] (100 in the last)."""
    counts = [0] * BINS
    for value in scores:
        index = min(max(int(value // BIN_WIDTH), 0), BINS - 1)
        counts[index] += 1
    return tuple(counts)


def _label(index: int) -> str:
    low = index * BIN_WIDTH
    return f"{low}–{low + BIN_WIDTH}" if index == BINS - 1 else f"{low}–{low + BIN_WIDTH - 1}"


def _element(
    parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str
) -> ET.Element:
    """An SVG element; attribute names use ``_`` for ``-`` and ``class_`` for ``class``."""
    attrib = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    element = ET.Element(tag, attrib) if parent is None else ET.SubElement(parent, tag, attrib)
    element.text = text
    return element


def histogram_svg(scores: Sequence[float]) -> str:
    """An accessible SVG element (markup string) with one bar per bin, coloured by band."""
    counts = bin_counts(scores)
    peak = max(max(counts), 1)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / BINS
    described = ", ".join(f"{_label(i)}: {n}" for i, n in enumerate(counts))
    svg = _element(
        None,
        "svg",
        viewBox=f"0 0 {_WIDTH} {_HEIGHT}",
        role="img",
        class_="histogram",
        aria_label=f"Correctness scores per 10-point bin. {described}",
    )
    baseline = _TOP + plot_h
    for step in range(peak + 1) if peak <= 5 else (0, peak // 2, peak):
        y = f"{baseline - plot_h * step / peak:.1f}"
        _element(svg, "line", x1=str(_LEFT), x2=str(_WIDTH - _RIGHT), y1=y, y2=y, class_="grid")
        label_y = f"{float(y) + 4:.1f}"
        _element(
            svg, "text", str(step), x=str(_LEFT - 8), y=label_y, class_="axis", text_anchor="end"
        )
    for index, count in enumerate(counts):
        x = _LEFT + index * slot
        middle = f"{x + slot / 2:.1f}"
        height = plot_h * count / peak
        bar = _element(
            svg,
            "rect",
            x=f"{x + 4:.1f}",
            y=f"{baseline - height:.1f}",
            width=f"{slot - 8:.1f}",
            height=f"{height:.1f}",
            rx="3",
            class_=f"bar {summary.band(index * BIN_WIDTH + BIN_WIDTH / 2).value}",
        )
        noun = "candidate" if count == 1 else "candidates"
        _element(bar, "title", f"{_label(index)}: {count} {noun}")
        if count:
            count_y = f"{baseline - height - 6:.1f}"
            _element(
                svg, "text", str(count), x=middle, y=count_y, class_="count", text_anchor="middle"
            )
        label_y = f"{baseline + 18:.1f}"
        _element(
            svg, "text", _label(index), x=middle, y=label_y, class_="axis", text_anchor="middle"
        )
    return ET.tostring(svg, encoding="unicode")

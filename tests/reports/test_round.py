"""Every round renderer copes with the awkward rounds: empty, all ungradable, mixed."""

from __future__ import annotations

import pytest

from grader.reports.csv_report import round_csv
from grader.reports.html import round_html
from grader.reports.junit import round_junit
from grader.reports.markdown import grade_markdown

from .factory import make_grade, make_ungradable

RENDERERS = {
    "csv": round_csv,
    "junit": round_junit,
    "html": round_html,
    "markdown": lambda grades: "".join(grade_markdown(g) for g in grades),
}
ROUNDS = {
    "empty": [],
    "all-ungradable": [make_ungradable("a"), make_ungradable("b", reason="")],
    "unnamed": [make_grade(""), make_grade("  ")],
}


@pytest.mark.parametrize("round_name", ROUNDS)
@pytest.mark.parametrize("renderer", RENDERERS)
def test_renders_awkward_rounds_without_crashing(renderer, round_name):
    assert isinstance(RENDERERS[renderer](ROUNDS[round_name]), str)

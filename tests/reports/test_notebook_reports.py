"""A notebook's clean run reaches every report a person reads, escaped like other candidate
text, and the round keeps the executed notebook beside the candidate's verdict."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.console import Console

from grader.notebooks import CellRun, NotebookReport
from grader.reports.feedback import candidate_feedback
from grader.reports.html import round_html
from grader.reports.markdown import grade_markdown
from grader.reports.round_files import write_round_reports
from grader.reports.terminal import render_grade

from .factory import make_grade

REPORT = NotebookReport(
    path="scaler.ipynb",
    modules=("scaler",),
    cells=(
        CellRun(2, "ok", skipped=("!pip install numpy",)),
        CellRun(3, "error", "ValueError: bad | <b>input</b>"),
        CellRun(5, "timeout", "interrupted after 10 s"),
        CellRun(7, "not_run"),
    ),
    stale_cells=(3,),
    out_of_order=True,
    executed='{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
)


def notebook_grade():  # type: ignore[no-untyped-def]
    return replace(make_grade("alice"), notebook=REPORT)


def test_the_terminal_verdict_lists_the_cells_that_did_not_run_cleanly() -> None:
    console = Console(width=200, record=True)
    render_grade(notebook_grade(), console)
    text = console.export_text()
    assert "1 of 4 code cells ran cleanly" in text
    assert "cell 3 error: ValueError: bad | <b>input</b>" in text
    assert "cell 5 timeout: interrupted after 10 s" in text
    assert "cell(s) 7 not run" in text
    assert "cell 2 skipped (no shell or network in the grader): !pip install numpy" in text
    assert "saved outputs of cell(s) 3 differ from a clean run" in text
    assert "execution counts are out of order" in text


def test_markdown_html_and_candidate_feedback_carry_the_notebook_escaped() -> None:
    grade = notebook_grade()
    markdown = grade_markdown(grade)
    assert "## Notebook" in markdown
    assert r"ValueError: bad \| &lt;b&gt;input&lt;/b&gt;" in markdown
    html = round_html([grade])
    assert "cell 5 timeout" in html and "<b>input</b>" not in html
    feedback = candidate_feedback(grade)
    assert "## Your notebook, run top to bottom on a fresh kernel" in feedback
    assert "cell 5 timeout: interrupted after 10 s" in feedback


def test_a_round_keeps_each_executed_notebook(tmp_path: Path) -> None:
    write_round_reports(tmp_path, [notebook_grade(), make_grade("bob")], title="round")
    assert (tmp_path / "results" / "alice.executed.ipynb").read_text() == REPORT.executed
    assert not (tmp_path / "results" / "bob.executed.ipynb").exists()

"""Golden renderings: each folder under ``golden/`` holds an input grade (``grade.json``, the
stored result format) and what every format says about it. A change to what a report says
shows as a diff of these files.

Regenerate after an intended change, then read the diff before committing it:

    MLGRADE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reports -k golden

A new case is a new folder with a ``grade.json`` (e.g. a round's ``results/NAME.json``),
filled in by the same command.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import escape
from rich.console import Console

from grader.model import Grade
from grader.reports.feedback import candidate_feedback
from grader.reports.html import candidate_html
from grader.reports.json_report import read_json
from grader.reports.junit import round_junit
from grader.reports.markdown import grade_markdown, md_escape
from grader.reports.summary import verdict_of
from grader.reports.terminal import render_grade

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "grade.json").is_file())
UPDATE = os.environ.get("MLGRADE_UPDATE_GOLDEN") == "1"
TERMINAL_WIDTH = 100


def terminal_text(grade: Grade, width: int = TERMINAL_WIDTH) -> str:
    """The terminal verdict at a fixed width, colours off, captured output shown."""
    console = Console(
        file=io.StringIO(), width=width, color_system=None, record=True, force_terminal=False
    )
    render_grade(grade, console, show_output=True)
    return console.export_text()


FORMATS: dict[str, Callable[[Grade], str]] = {
    "terminal.txt": terminal_text,
    "report.md": grade_markdown,
    "drilldown.html": candidate_html,
    "junit.xml": lambda grade: round_junit([grade], fail_under=70),
    "feedback.md": candidate_feedback,
}


def _grade(case: str) -> Grade:
    return read_json(GOLDEN / case / "grade.json")


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_golden_rendering_matches_the_stored_file(case: str, name: str) -> None:
    rendered = FORMATS[name](_grade(case))
    path = GOLDEN / case / name
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with MLGRADE_UPDATE_GOLDEN=1 to write it"
    assert rendered == path.read_text(encoding="utf-8"), (
        f"{case}/{name} changed; if intended, regenerate with MLGRADE_UPDATE_GOLDEN=1"
    )


def test_golden_cases_cover_every_kind_of_evidence() -> None:
    verdicts = [verdict_of(_grade(case)) for case in CASES]
    assert any(v.diagnosis and v.quality and v.quality.findings for v in verdicts)
    assert any(v.own_tests and v.own_tests.wrong_tests for v in verdicts)
    assert any(v.notebook for v in verdicts)
    assert any(not v.graded for v in verdicts)
    assert any(f.cases_total for v in verdicts for f in v.failed)
    assert any(r.disproved_claim for v in verdicts if v.diagnosis for r in v.diagnosis.rows)


# What each format shows, as a function from a piece of evidence to the text to look for.
RECRUITER: dict[str, Callable[[Grade], str]] = {
    "terminal": lambda g: terminal_text(g, width=2000),  # wide: no cell wraps a sentence
    "markdown": grade_markdown,
    "html": candidate_html,
    "junit": lambda g: html.unescape(round_junit([g])),
}
ESCAPE: dict[str, Callable[[str], str]] = {
    "terminal": str,
    "markdown": md_escape,
    "html": lambda text: str(escape(text)),
    "junit": str,
    "feedback": md_escape,
}


def _evidence(grade: Grade) -> tuple[list[str], list[str]]:
    """(evidence every format shows, evidence only the recruiter formats may show)."""
    v = verdict_of(grade)
    shared = [f.description for f in v.failed if f.count == 1]
    private = [f.reason for f in v.failed if f.reason] + list(v.questions) + list(v.flags)
    private += list(v.code_questions)
    if v.quality:
        shared += [f.code for f in v.quality.findings] + [f.where for f in v.quality.findings]
    if v.own_tests:
        private += [text for m in v.own_tests.mutants for text in (m.id, m.description)]
        private += [w.test for w in v.own_tests.wrong_tests]
    if v.diagnosis:
        for row in v.diagnosis.rows:
            private += [row.title, *row.misconceptions]
            private += [text for text in (row.evidence, row.disproved_claim) if text]
    return shared, private


@pytest.mark.parametrize("case", CASES)
def test_the_same_evidence_appears_in_every_format_allowed_to_show_it(case: str) -> None:
    grade = _grade(case)
    shared, private = _evidence(grade)
    for fmt, render in RECRUITER.items():
        text = render(grade)
        missing = [item for item in shared + private if ESCAPE[fmt](item) not in text]
        assert missing == [], f"{fmt} lacks evidence the verdict holds"
    feedback = candidate_feedback(grade)
    assert [item for item in shared if md_escape(item) not in feedback] == []
    leaked = [item for item in private if len(item) > 3 and md_escape(item) in feedback]
    assert leaked == [], "candidate feedback shows what only recruiters may see"


def test_feedback_never_names_a_hidden_test_or_its_reason() -> None:
    for case in CASES:
        grade = _grade(case)
        feedback = candidate_feedback(grade)
        tests = grade.correctness.tests if grade.correctness else ()
        assert [t.id for t in tests if t.id in feedback] == []
        assert [t.reason for t in tests if t.reason and md_escape(t.reason) in feedback] == []

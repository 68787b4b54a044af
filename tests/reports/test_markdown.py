"""The per-candidate Markdown verdict renders candidate text literally, whatever it holds."""

from __future__ import annotations

import re

from grader.reports.markdown import grade_markdown

from .factory import make_grade, make_ungradable

HOSTILE = "eve | `rm -rf` <script>alert(1)</script>"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_candidate_pipes_backticks_and_html_are_escaped():
    text = grade_markdown(make_grade(HOSTILE))
    heading = text.splitlines()[0]
    assert heading == r"# eve \| \`rm -rf\` &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in text


def test_a_pipe_in_a_failure_reason_keeps_the_table_to_three_columns():
    text = grade_markdown(make_grade(failed={"t1": "expected a | b, got `c`"}))
    row = next(line for line in text.splitlines() if "learns the column means" in line)
    assert len(UNESCAPED_PIPE.findall(row)) == 4
    assert r"expected a \| b, got \`c\`" in row


def test_control_characters_and_terminal_escapes_are_stripped():
    text = grade_markdown(make_grade("mal\x1b[31mlory\x07\u202e"))
    assert text.startswith("# mallory\n")


def test_report_has_verdict_areas_failures_limits_questions_and_notes():
    grade = make_grade(
        failed={"t2": "ddof=1 used"},
        limits_hit=("memory 512 MB",),
        notes=("ignored .venv/",),
    )
    text = grade_markdown(grade)
    for heading in (
        "## By area",
        "## Failed hidden tests",
        "## Limits hit",
        "## Ask in the follow-up interview",
        "## Notes",
    ):
        assert heading in text
    assert "**Verdict:** Correctness 80.0 / 100" in text
    assert "1. What does ddof change?" in text


def test_ungradable_grade_says_so_instead_of_scoring_zero():
    text = grade_markdown(make_ungradable(reason="harness died"))
    assert "**Ungradable** — harness died" in text
    assert "0.0 / 100" not in text
    assert "## By area" not in text

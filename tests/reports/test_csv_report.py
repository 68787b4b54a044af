"""The round CSV: one row per candidate, a stable header, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from grader.reports.columns import COLUMNS
from grader.reports.csv_report import round_csv

from .factory import make_grade, make_ungradable, sample_round


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_candidate_under_the_documented_header():
    grades = sample_round()
    text = round_csv(grades)
    header = next(csv.reader(io.StringIO(text)))
    assert header == [c.key for c in COLUMNS] + ["area:fit", "area:transform", "area:api"]
    assert [r["candidate"] for r in rows(text)] == [g.candidate for g in grades]


def test_formula_in_a_candidate_string_is_neutralized():
    text = round_csv([make_grade("=cmd()"), make_grade("@SUM(A1)", notes=("+1",))])
    assert [r["candidate"] for r in rows(text)] == ["'=cmd()", "'@SUM(A1)"]
    assert rows(text)[0]["source"] == "/submissions/=cmd()"


def test_scores_and_evidence_are_in_the_row():
    grade = make_grade(failed={"t2": "ddof"}, limits_hit=("memory 512 MB", "output cut"))
    row = rows(round_csv([grade]))[0]
    assert (row["correctness"], row["tests_passed"], row["tests_total"]) == ("80", "5", "6")
    assert (row["area:fit"], row["status"], row["run_status"]) == ("50", "graded", "completed")
    assert row["limits_hit"] == "memory 512 MB; output cut"
    assert (row["seed"], row["content_hash"]) == ("1234", grade.submission.content_hash)


def test_ungradable_row_has_empty_scores_not_zeros():
    row = rows(round_csv([make_ungradable(reason="harness died")]))[0]
    assert (row["status"], row["correctness"], row["reason"]) == ("ungradable", "", "harness died")

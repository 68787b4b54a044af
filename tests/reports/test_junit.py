"""The round as JUnit XML: suites per exercise, failures below the bar, errors when ungradable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.reports.junit import round_junit

from .factory import make_grade, make_ungradable


def test_counts_tests_failures_and_errors_per_suite_and_in_total():
    grades = [
        make_grade("strong"),
        make_grade("weak", failed={"t1": "x", "t2": "y", "t3": "z"}),
        make_ungradable("broken"),
        make_grade("other", exercise_id="debug-training", failed={"t3": "z"}),
    ]
    root = ET.fromstring(round_junit(grades, fail_under=60))
    counts = {
        s.get("name"): (s.get("tests"), s.get("failures"), s.get("errors"))
        for s in root.iter("testsuite")
    }
    assert counts == {"feature-scaler": ("3", "1", "1"), "debug-training": ("1", "0", "0")}
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    assert len(root.findall(".//testcase/failure")) == 1
    assert len(root.findall(".//testcase/error")) == 1


def test_each_candidate_is_a_case_named_after_them_with_the_verdict_as_output():
    root = ET.fromstring(round_junit([make_grade("ada", failed={"t2": "ddof"})]))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert (case.get("classname"), case.get("name")) == ("feature-scaler", "ada")
    assert (case.findtext("system-out") or "").startswith("Correctness 80.0 / 100")


def test_without_fail_under_no_candidate_fails():
    root = ET.fromstring(round_junit([make_grade(failed={"t1": "x", "t3": "y"})]))
    assert root.get("failures") == "0"


def test_characters_xml_forbids_are_stripped():
    text = round_junit([make_grade("nul\x00\x0bbell\x07", stdout="\x1b[1m", notes=("\ufffe",))])
    case = ET.fromstring(text).find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "nulbell"

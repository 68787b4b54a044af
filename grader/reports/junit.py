"""A round as JUnit XML for CI dashboards: one suite per exercise, one case per candidate.

A candidate below ``fail_under`` is a ``<failure>``; an ungradable grade is an ``<error>``
(the grader could not judge, which is not the candidate failing).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from grader.model import Grade

from . import summary
from .text import xml_safe


def _system_out(grade: Grade) -> str:
    lines = [summary.verdict_line(grade), f"Run: {summary.run_line(grade)}"]
    lines += [
        f"  {a.title}: {a.passed}/{a.total} tests, {a.share:.0f}%" for a in summary.area_rows(grade)
    ]
    failed = summary.failed_rows(grade)
    if failed:
        lines.append("Failed hidden tests:")
        lines += [f"  - {f.description} (weight {f.weight:g}): {f.reason or '—'}" for f in failed]
    if grade.limits_hit:
        lines.append("Limits hit: " + ", ".join(summary.limits_hit(grade)))
    lines += [f"Note: {note}" for note in summary.notes(grade)]
    return "\n".join(lines)


def _testcase(suite: ET.Element, grade: Grade, fail_under: float | None) -> str:
    """Add one candidate's case; returns "error", "failure" or "" for the suite's counts."""
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_safe(grade.exercise_id),
        name=xml_safe(summary.candidate_name(grade)),
        time=f"{grade.duration_s:.3f}",
    )
    value = summary.score(grade)
    kind = ""
    if value is None:
        kind = "error"
        reason = xml_safe(grade.reason) or "no reason recorded"
        error = ET.SubElement(case, "error", message=f"ungradable: {reason}", type="ungradable")
        error.text = reason
    elif fail_under is not None and value < fail_under:
        kind = "failure"
        failure = ET.SubElement(
            case,
            "failure",
            message=f"correctness {value:.1f} is below {fail_under:g}",
            type="below_threshold",
        )
        failure.text = xml_safe(
            "\n".join(f"{f.description}: {f.reason or '—'}" for f in summary.failed_rows(grade))
        )
    ET.SubElement(case, "system-out").text = xml_safe(_system_out(grade))
    return kind


def _by_exercise(grades: Sequence[Grade]) -> dict[str, list[Grade]]:
    groups: dict[str, list[Grade]] = {}
    for grade in grades:
        groups.setdefault(grade.exercise_id, []).append(grade)
    return groups


def round_junit(grades: Sequence[Grade], *, fail_under: float | None = None) -> str:
    """The round as a JUnit XML document (UTF-8 declared), counts on every suite."""
    root = ET.Element("testsuites", name="mlgrade")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for exercise_id, members in _by_exercise(grades).items():
        suite = ET.SubElement(root, "testsuite", name=xml_safe(exercise_id))
        kinds = [_testcase(suite, grade, fail_under) for grade in members]
        counts = {
            "tests": len(members),
            "failures": kinds.count("failure"),
            "errors": kinds.count("error"),
        }
        for key, count in counts.items():
            suite.set(key, str(count))
            totals[key] += count
        suite.set("skipped", "0")
        suite.set("time", f"{sum(g.duration_s for g in members):.3f}")
    for key, count in totals.items():
        root.set(key, str(count))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"

"""A round as JUnit XML for CI dashboards: one suite per exercise, one case per candidate.

A candidate below ``fail_under`` is a ``<failure>``; an ungradable grade is an ``<error>``
(the grader could not judge, which is not the candidate failing).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from grader.model import Grade

from .summary import verdict_of
from .text import xml_safe
from .verdict import Verdict


def verdict_text(v: Verdict) -> str:
    """The verdict as plain text: JUnit's ``system-out``, which CI dashboards show as is."""
    lines = [v.headline, f"Run: {v.run}", f"Replay: {v.replay}"]
    lines += [f"{s.label}: {s.shown} ({s.evidence})" for s in v.scores]
    lines += [f"  {a.title}: {a.passed}/{a.total} tests, {a.share:.0f}%" for a in v.areas]
    if v.failed:
        lines.append("Failed hidden tests:")
        lines += [f"  - {f.label} (weight {f.weight:g}): {f.reason or '—'}" for f in v.failed]
    lines += _section("Notebook:", v.notebook)
    if v.quality is not None:
        q = v.quality
        lines += [f"Code quality: {q.reason}"] if q.reason else []
        lines += _section(
            f"Lint findings ({q.findings_total}):",
            [f"{f.where} {f.code} {f.message} {f.url}".rstrip() for f in q.findings]
            + ([f"… and {q.findings_hidden} more"] if q.findings_hidden else []),
        )
    if v.own_tests is not None:
        o = v.own_tests
        lines.append(f"Planted bugs caught by the candidate's tests: {o.caught}/{len(o.mutants)}")
        lines += [
            f"  - {m.id} {'caught' if m.caught else 'missed'}: {m.description}"
            + (f" (by {m.by})" if m.by else "")
            for m in o.mutants
        ]
        lines += [f"  - wrong test {w.test}: {w.message or '—'}" for w in o.wrong_tests]
    if v.diagnosis is not None:
        d = v.diagnosis
        lines.append(f"{d.heading}:")
        for r in d.rows:
            marks = ", ".join(
                f"{word.lower()} {'yes' if value else 'no'}"
                for word, value in zip(d.mark_names, d.marks(r), strict=True)
            )
            lines.append(f"  - {r.title} ({marks}): {r.evidence or r.reason}")
            lines += [f"    misconception: {m}" for m in r.misconceptions]
            lines += [f"    claim disproved: {r.disproved_claim}"] if r.disproved_claim else []
        lines += [f"  remark: {remark}" for remark in v.diagnosis.remarks]
    if v.limits:
        lines.append("Limits hit: " + ", ".join(v.limits))
    lines += _section("Ask in the follow-up interview:", v.questions)
    lines += _section("Ask about their own work:", v.code_questions)
    lines += [f"Flag: {flag}" for flag in v.flags]
    lines += [f"Note: {note}" for note in v.notes]
    return "\n".join(lines)


def _section(title: str, items: Sequence[str]) -> list[str]:
    return [title, *(f"  - {item}" for item in items)] if items else []


def _testcase(suite: ET.Element, grade: Grade, fail_under: float | None) -> str:
    """Add one candidate's case; returns "error", "failure" or "" for the suite's counts."""
    v = verdict_of(grade)
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_safe(grade.exercise_id),
        name=xml_safe(v.candidate),
        time=f"{grade.duration_s:.3f}",
    )
    kind = ""
    if v.score is None:
        kind = "error"
        reason = xml_safe(v.reason)
        error = ET.SubElement(case, "error", message=f"ungradable: {reason}", type="ungradable")
        error.text = reason
    elif fail_under is not None and v.score < fail_under:
        kind = "failure"
        failure = ET.SubElement(
            case,
            "failure",
            message=f"correctness {v.score:.1f} is below {fail_under:g}",
            type="below_threshold",
        )
        failure.text = xml_safe("\n".join(f"{f.label}: {f.reason or '—'}" for f in v.failed))
    ET.SubElement(case, "system-out").text = xml_safe(verdict_text(v))
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

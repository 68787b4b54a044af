"""The judge's test results, matched onto the exercise's declared hidden tests.

Everything here reads data the container wrote, so it fails closed: an unknown id is noted
and ignored, a duplicate is invalid, a missing result is not run. A test declared once and
parametrized in the hidden suite is scored over the cases pytest collected.
"""

from __future__ import annotations

from typing import Any

from grader.model import Exercise, TestOutcome, TestResult
from grader.untrusted_json import UntrustedJSONError, loads

REASON_CAP = 300
UNKNOWN_ID_NOTE = "ignored a result for unknown test id"
COLLECTED_CAP = 10_000
"""Most collected ids read from the judge's report (a parametrized suite's cases)."""
FRAME_DEPTH = 16
"""Deepest nesting a well-formed frame has is 6 (frame, own_tests, scored, pair, run, failed)."""
_OUTCOMES = {
    "passed": TestOutcome.PASSED,
    "failed": TestOutcome.FAILED,
    "error": TestOutcome.ERROR,
    "skipped": TestOutcome.FAILED,
}


def text_field(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key, "")
    return value if isinstance(value, str) else ""


def number_field(payload: dict[str, Any], key: str) -> float:
    """A finite number (the loader already bounded it), else 0."""
    value = payload.get(key, 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def list_field(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def dict_field(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def result_lines(raw: str) -> tuple[list[dict[str, Any]], int]:
    """Parse the judge's JSON lines; returns the records and the count of malformed lines."""
    records, malformed = [], 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            record = loads(line, max_depth=FRAME_DEPTH)
        except UntrustedJSONError:
            malformed += 1
            continue
        if isinstance(record, dict):
            records.append(record)
        else:
            malformed += 1
    return records, malformed


def match_results(
    exercise: Exercise, records: list[dict[str, Any]], notes: list[str]
) -> tuple[TestResult, ...]:
    """Map reported records onto the declared tests, failing closed."""
    expected = {t.id for t in exercise.tests}
    seen: dict[str, list[dict[str, Any]]] = {}
    cases: dict[str, dict[str, list[dict[str, Any]]]] = {}
    collected: list[str] = []
    collect_errors: list[str] = []
    for record in records:
        kind = record.get("kind")
        test_id = record.get("id")
        if kind == "collect_error":
            collect_errors.append(text_field(record, "reason")[:REASON_CAP])
        elif kind == "collected" and isinstance(record.get("ids"), list):
            collected = [i for i in record["ids"][:COLLECTED_CAP] if isinstance(i, str)]
        elif kind == "test" and isinstance(test_id, str):
            if test_id in expected:
                seen.setdefault(test_id, []).append(record)
            elif function_of(test_id) in expected:
                cases.setdefault(function_of(test_id), {}).setdefault(test_id, []).append(record)
            else:
                notes.append(f"{UNKNOWN_ID_NOTE} {test_id[:120]!r}")
    for test_id in collected:
        if test_id not in expected and function_of(test_id) not in expected:
            notes.append(f"{UNKNOWN_ID_NOTE} {test_id[:120]!r} (collected)")
    missing_reason = "no result reported"
    if collect_errors:
        missing_reason = f"hidden tests could not be collected: {collect_errors[0]}"
    results = []
    for spec in exercise.tests:
        reports = seen.get(spec.id, [])
        if spec.id in cases and not reports:
            planned = [i for i in collected if function_of(i) == spec.id and i not in expected]
            results.append(_cases_result(spec.id, cases[spec.id], planned, missing_reason))
            continue
        if not reports:
            results.append(TestResult(spec.id, TestOutcome.NOT_RUN, missing_reason))
            continue
        if len(reports) > 1:
            results.append(TestResult(spec.id, TestOutcome.INVALID, "reported more than once"))
            continue
        results.append(one_result(spec.id, reports[0]))
    return tuple(results)


def function_of(test_id: str) -> str:
    """The test function a parametrized case belongs to (``f.py::test[a-1]`` -> ``f.py::test``)."""
    return test_id.split("[", 1)[0] if test_id.endswith("]") else test_id


def _cases_result(
    test_id: str,
    reported: dict[str, list[dict[str, Any]]],
    planned: list[str],
    missing_reason: str,
) -> TestResult:
    """One declared parametrized test from its cases: the share of cases that passed.

    The cases pytest collected are the denominator (a run cut short cannot shrink it); a case
    reported twice makes the whole test invalid, as a duplicated plain test is."""
    if any(len(r) > 1 for r in reported.values()):
        return TestResult(test_id, TestOutcome.INVALID, "a case was reported more than once")
    ids = list(dict.fromkeys([*planned, *reported]))
    results = {i: one_result(i, reported[i][0]) for i in ids if i in reported}
    passed = sum(1 for r in results.values() if r.outcome is TestOutcome.PASSED)
    duration = round(sum(r.duration_s for r in results.values()), 3)
    if passed == len(ids):
        return TestResult(test_id, TestOutcome.PASSED, "", duration, passed, len(ids))
    first = next(i for i in ids if i not in results or results[i].outcome is not TestOutcome.PASSED)
    why = results[first].reason if first in results else missing_reason
    case = first[len(test_id) :]
    reason = f"{len(ids) - passed} of {len(ids)} cases failed; {case}: {why}"[:REASON_CAP]
    outcome = TestOutcome.FAILED if results else TestOutcome.NOT_RUN
    return TestResult(test_id, outcome, reason, duration, passed, len(ids))


def one_result(test_id: str, record: dict[str, Any]) -> TestResult:
    raw = record.get("outcome")
    outcome = _OUTCOMES.get(raw) if isinstance(raw, str) else None
    if outcome is None:
        return TestResult(test_id, TestOutcome.INVALID, "malformed result")
    reason = text_field(record, "reason")[:REASON_CAP]
    if record.get("outcome") == "skipped":
        reason = f"skipped: {reason}" if reason else "skipped"
    return TestResult(test_id, outcome, reason, round(number_field(record, "duration"), 3))

"""Every host reader of container or submission data fails closed: crafted inputs from the
attack classes (a 309-digit coverage figure, NaN, wrong types, deep nesting, a forged
executed notebook) and fuzzed ones never make a reader raise anything but its documented
error, and what it returns is well typed and in range."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook

from grader.catalog import load_exercise
from grader.errors import IntakeError
from grader.model import Grade, OwnTestRun, RunRecord, RunStatus, TestResult
from grader.notebooks import (
    MISMATCHED,
    NOTEBOOK_CAP,
    NotebookPlan,
    NotebookReport,
    normalise_notebook,
    read_run,
)
from grader.reports.json_report import grade_from_dict, grade_to_dict
from grader.round_items import BatchItem
from grader.round_store import ungradable
from grader.runner.protocol import FRAME_BEGIN, FRAME_END, ContainerExit, parse_run
from grader.untrusted_json import NUMBER_LIMIT, UntrustedJSONError, loads

from ..conftest import FIXTURE_EXERCISES

EXERCISE = load_exercise(FIXTURE_EXERCISES / "tiny-stats")
IDS = [t.id for t in EXERCISE.tests]
FUZZ = settings(
    max_examples=60,
    database=None,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
"""Bounded, so the whole file runs in seconds in CI; no example database in the tree."""

HUGE = int("9" * 309)
DEEP = 100_000

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.just(HUGE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
FRAME_KEYS = [
    *("results", "stdout", "stderr", "timed_out", "oom_kills", "output_dropped"),
    *("results_dropped", "quality", "own_tests", "notebook", "phases", "harness_error"),
]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def frame_text(payload_text: str) -> bytes:
    return f"noise\n{FRAME_BEGIN}\n{payload_text}\n{FRAME_END}\n".encode()


def exit_with(logs: bytes) -> ContainerExit:
    return ContainerExit(logs, 0, oom_killed=False, killed_at_deadline=False, duration_s=1.0)


def assert_well_typed_run(record: RunRecord) -> None:
    assert isinstance(record, RunRecord)
    assert isinstance(record.status, RunStatus)
    assert [r.id for r in record.results] == IDS
    assert all(isinstance(r, TestResult) and math.isfinite(r.duration_s) for r in record.results)
    assert record.output_truncated_bytes >= 0
    for run in record.own_test_runs:
        assert isinstance(run, OwnTestRun) and 0 <= run.tests <= NUMBER_LIMIT
        assert run.branch_coverage is None or 0 <= run.branch_coverage <= 100
    for finding in record.lint.findings if record.lint else ():
        assert isinstance(finding.line, int) and isinstance(finding.message, str)
    assert all(math.isfinite(seconds) for _, seconds in record.timings)


def own_tests_frame(coverage: Any) -> bytes:
    run = {"tests": 3, "failed": [], "exit": 0, "coverage": coverage}
    results = "\n".join(json.dumps(r) for r in [{"kind": "collected"}])
    body = json.dumps({"results": results, "own_tests": {"own": run, "scored": []}})
    return frame_text(body.replace('"COVERAGE"', str(HUGE)))


# -- the container's frame -------------------------------------------------------------


def test_a_309_digit_coverage_figure_reads_as_missing_not_a_crash():
    logs = own_tests_frame({"branches": 7, "covered_branches": "COVERAGE"})
    record = parse_run(EXERCISE, exit_with(logs), image="x", seed=1)
    assert_well_typed_run(record)
    (run,) = record.own_test_runs
    assert run.branch_coverage == 0.0, "no credible count of covered branches, no coverage"


@pytest.mark.parametrize(
    "body",
    [
        '{"results": "", "output_dropped": NaN, "oom_kills": Infinity}',
        '{"results": "", "output_dropped": 1e999, "phases": {"judge": -Infinity}}',
        '{"results": "", "quality": {"findings": {"a": 1}, "unformatted": 7}}',
        '{"results": "", "own_tests": {"own": {"failed": 3, "coverage": []}, "scored": [[1, 2]]}}',
        '{"results": "{\\"kind\\": \\"test\\", \\"id\\": \\"x\\", \\"outcome\\": [1]}"}',
        '{"results": "' + nested(50_000) + '"}',
        '{"results": [], "stdout": ' + nested(50_000) + "}",
    ],
    ids=[
        "nan",
        "overflow",
        "wrong-types",
        "own-tests-types",
        "unhashable-outcome",
        "deep-result-line",
        "deep-frame",
    ],
)
def test_a_forged_frame_is_read_without_raising(body: str):
    record = parse_run(EXERCISE, exit_with(frame_text(body)), image="x", seed=1)
    assert_well_typed_run(record)


@FUZZ
@given(st.dictionaries(st.sampled_from(FRAME_KEYS), json_values, max_size=8))
def test_any_frame_yields_a_well_typed_run_record(payload: dict[str, Any]):
    body = json.dumps(payload)  # NaN, Infinity and HUGE are written as literals
    record = parse_run(EXERCISE, exit_with(frame_text(body)), image="x", seed=1)
    assert_well_typed_run(record)


@FUZZ
@given(st.binary(max_size=400))
def test_any_log_bytes_yield_a_well_typed_run_record(noise: bytes):
    record = parse_run(EXERCISE, exit_with(noise + frame_text("{") + noise), image="x", seed=1)
    assert_well_typed_run(record)


# -- the executed notebook ---------------------------------------------------------------

PLAN = NotebookPlan("stats.ipynb", ("stats",))


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "stats.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("print(x)")]), path)
    return path


def assert_well_typed_notebook(report: NotebookReport) -> None:
    assert isinstance(report, NotebookReport)
    for cell in report.cells:
        assert isinstance(cell.status, str) and isinstance(cell.detail, str)
        assert isinstance(cell.output_dropped, int) and cell.output_dropped >= 0
        assert all(isinstance(s, str) for s in cell.skipped)
    assert all(isinstance(n, int) for n in report.stale_cells)


def executed_with(meta: Any) -> str:
    cell = new_code_cell("x = 1")
    cell.metadata["mlgrade"] = meta
    return nbformat.writes(new_notebook(cells=[cell, new_code_cell("print(x)")]))


@pytest.mark.parametrize(
    "meta",
    [
        {"status": "ok", "output_dropped": "lots"},
        {"status": ["ok"], "output_dropped": [1], "skipped": "all", "detail": {"a": 1}},
        {"status": "ok", "output_dropped": 1e300},
        "not a dict",
    ],
    ids=["non-numeric", "wrong-types", "huge-float", "not-a-dict"],
)
def test_a_forged_executed_notebook_field_is_distrusted(saved: Path, meta: Any):
    report = read_run(PLAN, saved, executed_with(meta))
    assert_well_typed_notebook(report)
    assert not report.problem
    assert report.cells[0].output_dropped == 0


@pytest.mark.parametrize(
    "executed",
    [
        '{"cells": ' + nested(100_000) + "}",
        '{"cells": [{"cell_type": "code", "outputs": NaN, "metadata": []}], "nbformat": 4}',
        '{"cells": {"a": 1}}',
        "x" * (2 * 1024 * 1024),
        '{"cells": [], "nbformat": ' + str(HUGE) + "}",
    ],
    ids=["deep", "nan-outputs", "cells-not-a-list", "huge", "huge-version"],
)
def test_an_unreadable_executed_notebook_is_a_problem_not_a_crash(saved: Path, executed: str):
    report = read_run(PLAN, saved, executed)
    assert_well_typed_notebook(report)


@FUZZ
@given(json_values)
def test_any_executed_notebook_yields_a_well_typed_report(saved: Path, cells: Any):
    text = json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    assert_well_typed_notebook(read_run(PLAN, saved, text))


@FUZZ
@given(json_values)
def test_any_cell_metadata_yields_a_well_typed_report(saved: Path, meta: Any):
    assert_well_typed_notebook(read_run(PLAN, saved, executed_with(meta)))


# -- notebooks at intake -----------------------------------------------------------------


def test_a_notebook_nested_deep_enough_for_recursion_error_is_refused(tmp_path: Path):
    path = tmp_path / "stats.ipynb"
    path.write_text('{"cells": [], "metadata": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}")
    with pytest.raises(IntakeError, match="nested deeper than"):
        normalise_notebook(path, "stats.ipynb")


def test_a_huge_notebook_is_refused_without_parsing(tmp_path: Path):
    path = tmp_path / "stats.ipynb"
    with path.open("w") as handle:
        handle.write('{"cells": [], "pad": "')
        handle.write("x" * (NOTEBOOK_CAP + 1024))
        handle.write('"}')
    with pytest.raises(IntakeError, match="notebook cap"):
        normalise_notebook(path, "stats.ipynb")


@FUZZ
@given(st.one_of(json_values.map(json.dumps), st.text(max_size=200)))
def test_any_file_is_a_notebook_or_an_intake_error(tmp_path: Path, text: str):
    path = tmp_path / "fuzz.ipynb"
    document = {"cells": text, "metadata": text, "nbformat": 4, "nbformat_minor": 5}
    for content in (text, json.dumps(document)):
        path.write_text(content)
        try:
            version = normalise_notebook(path, "fuzz.ipynb")
        except IntakeError:
            continue
        assert version is None or isinstance(version, int)


# -- stored round results ----------------------------------------------------------------

VALID = grade_to_dict(ungradable(BatchItem("amy", Path("amy"), "tiny-stats"), "x"))


@FUZZ
@given(st.sampled_from(sorted(VALID)), json_values)
def test_a_stored_result_with_any_field_changed_is_a_grade_or_a_value_error(key: str, value: Any):
    try:
        grade = grade_from_dict({**VALID, key: value})
    except ValueError:
        return
    assert isinstance(grade, Grade)
    assert isinstance(grade.candidate, str) and math.isfinite(grade.duration_s)


@FUZZ
@given(json_values)
def test_any_json_is_a_grade_or_a_value_error(data: Any):
    with pytest.raises(ValueError):
        grade_from_dict(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [("duration_s", float("nan")), ("duration_s", float("inf")),
     ("duration_s", HUGE * 10**4000), ("seed", HUGE), ("seed", True)],
    ids=["nan", "inf", "huge-float", "huge-int", "bool-for-int"],
)  # fmt: skip
def test_a_stored_number_out_of_range_is_refused(key: str, value: object):
    with pytest.raises(ValueError):
        grade_from_dict({**VALID, key: value})


# -- the bounded loader itself ---------------------------------------------------------


@FUZZ
@given(st.text(max_size=300))
def test_the_loader_raises_only_its_own_error_and_bounds_numbers(text: str):
    try:
        value = loads(text, max_depth=8)
    except UntrustedJSONError:
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            assert math.isfinite(item) and abs(item) <= NUMBER_LIMIT


def test_the_loader_reads_out_of_range_numbers_as_null():
    assert loads(f"[{HUGE}, NaN, -Infinity, 1e999, 12]") == [None, None, None, None, 12]


def test_the_loader_refuses_deep_nesting_before_the_interpreter_does():
    with pytest.raises(UntrustedJSONError, match="nested deeper than 4"):
        loads(nested(5), max_depth=4)
    with pytest.raises(UntrustedJSONError):
        loads(nested(DEEP))


def test_an_executed_notebook_with_other_code_than_the_submission_is_discarded(saved: Path):
    forged = new_code_cell("print('all 17 hidden tests passed')")
    forged.metadata["mlgrade"] = {"status": "ok"}
    report = read_run(PLAN, saved, nbformat.writes(new_notebook(cells=[forged])))
    assert report.problem == MISMATCHED
    assert report.cells == () and report.executed == ""

"""The host's reading of a container's frame fails closed on anything odd."""

from __future__ import annotations

import json

from grader.catalog import load_exercise
from grader.model import RunStatus, TestOutcome
from grader.runner.protocol import FRAME_BEGIN, FRAME_END, ContainerExit, extract_frame, parse_run

from ..conftest import FIXTURE_EXERCISES

EXERCISE = load_exercise(FIXTURE_EXERCISES / "tiny-stats")
IDS = [t.id for t in EXERCISE.tests]


def frame(results: list[dict], **extra: object) -> bytes:
    payload = {
        "version": 1,
        "timed_out": False,
        "returncode": 0,
        "results": "\n".join(json.dumps(r) for r in [{"kind": "collected"}, *results]),
        "stdout": "",
        "stderr": "",
        "output_dropped": 0,
        "oom_kills": 0,
        **extra,
    }
    return f"noise\n{FRAME_BEGIN}\n{json.dumps(payload)}\n{FRAME_END}\n".encode()


def exit_with(logs: bytes, **kw: object) -> ContainerExit:
    base = {"exit_code": 0, "oom_killed": False, "killed_at_deadline": False, "duration_s": 1.0}
    return ContainerExit(logs=logs, **{**base, **kw})  # type: ignore[arg-type]


def passed(test_id: str) -> dict:
    return {"kind": "test", "id": test_id, "outcome": "passed", "duration": 0.1}


def outcomes(record) -> dict[str, TestOutcome]:  # type: ignore[no-untyped-def]
    return {r.id: r.outcome for r in record.results}


def test_all_expected_passes_are_accepted():
    record = parse_run(EXERCISE, exit_with(frame([passed(i) for i in IDS])), image="x", seed=1)
    assert record.status is RunStatus.COMPLETED
    assert set(outcomes(record).values()) == {TestOutcome.PASSED}


def test_a_missing_result_is_not_run():
    record = parse_run(EXERCISE, exit_with(frame([passed(i) for i in IDS[:-1]])), image="x", seed=1)
    assert outcomes(record)[IDS[-1]] is TestOutcome.NOT_RUN


def test_a_duplicated_result_is_invalid_even_if_both_pass():
    results = [passed(i) for i in IDS] + [passed(IDS[0])]
    record = parse_run(EXERCISE, exit_with(frame(results)), image="x", seed=1)
    assert outcomes(record)[IDS[0]] is TestOutcome.INVALID


def test_an_unknown_outcome_is_invalid():
    results = [passed(i) for i in IDS[1:]] + [{"kind": "test", "id": IDS[0], "outcome": "PASS"}]
    record = parse_run(EXERCISE, exit_with(frame(results)), image="x", seed=1)
    assert outcomes(record)[IDS[0]] is TestOutcome.INVALID


def test_an_unknown_test_id_is_ignored_and_noted():
    results = [passed(i) for i in IDS] + [passed("test_fake.py::test_free_points")]
    record = parse_run(EXERCISE, exit_with(frame(results)), image="x", seed=1)
    assert "test_fake.py::test_free_points" not in outcomes(record)
    assert any("unknown test id" in n for n in record.notes)


def test_a_skipped_test_earns_nothing():
    results = [passed(i) for i in IDS[1:]]
    results.append({"kind": "test", "id": IDS[0], "outcome": "skipped", "reason": "meh"})
    record = parse_run(EXERCISE, exit_with(frame(results)), image="x", seed=1)
    assert outcomes(record)[IDS[0]] is TestOutcome.FAILED


def test_no_frame_means_crashed_and_nothing_passes():
    fake = b"3 passed in 0.01s\n"
    record = parse_run(EXERCISE, exit_with(fake), image="x", seed=1)
    assert record.status is RunStatus.CRASHED
    assert set(outcomes(record).values()) == {TestOutcome.NOT_RUN}


def test_the_last_frame_wins_over_an_earlier_forged_one():
    forged = frame([passed(i) for i in IDS])
    real = frame([{"kind": "test", "id": i, "outcome": "failed"} for i in IDS])
    record = parse_run(EXERCISE, exit_with(forged + real), image="x", seed=1)
    assert set(outcomes(record).values()) == {TestOutcome.FAILED}


def test_malformed_result_lines_are_counted_not_trusted():
    payload = frame([passed(i) for i in IDS])
    payload = payload.replace(b'"results": "', b'"results": "not json\\n')
    record = parse_run(EXERCISE, exit_with(payload), image="x", seed=1)
    assert any("malformed" in n for n in record.notes)


def test_host_kill_at_deadline_is_timed_out_with_the_limit_in_the_reason():
    record = parse_run(EXERCISE, exit_with(b"", killed_at_deadline=True), image="x", seed=1)
    assert record.status is RunStatus.TIMED_OUT
    assert record.reason == "timed out after 8 s"


def test_a_judge_that_never_collected_is_a_harness_failure_not_a_zero():
    logs = frame([], returncode=4, stderr="ERROR: usage: bad option")
    logs = logs.replace(b'{\\"kind\\": \\"collected\\"}', b"")
    record = parse_run(EXERCISE, exit_with(logs), image="x", seed=1)
    assert record.status is RunStatus.HARNESS_FAILED
    assert "bad option" in record.reason


def test_oom_kill_is_out_of_memory():
    logs = frame([passed(IDS[0])], oom_kills=1, returncode=-9)
    record = parse_run(EXERCISE, exit_with(logs), image="x", seed=1)
    assert record.status is RunStatus.OUT_OF_MEMORY
    assert "256 MB" in record.reason
    assert outcomes(record)[IDS[1]] is TestOutcome.NOT_RUN


def test_dropped_output_is_a_limit_hit():
    record = parse_run(
        EXERCISE, exit_with(frame([passed(i) for i in IDS], output_dropped=10)), image="x", seed=1
    )
    assert record.output_truncated_bytes == 10
    assert any(hit.startswith("output") for hit in record.limits_hit)


def test_a_marker_inside_candidate_text_does_not_hide_the_frame():
    marker_text = f"x\n{FRAME_BEGIN}\n{{not json\n{FRAME_END}\n y"
    payload = {"version": 1, "stdout": marker_text, "stderr": FRAME_BEGIN}
    logs = f"noise {FRAME_BEGIN}\n{FRAME_BEGIN}\n{json.dumps(payload)}\n{FRAME_END}\n".encode()
    assert extract_frame(logs) == payload


# --- parametrized hidden tests: declared once, scored over the cases pytest collected -------

PARAM = IDS[0]
CASES = [f"{PARAM}[a]", f"{PARAM}[b-2]", f"{PARAM}[c]", f"{PARAM}[d]"]


def param_frame(results: list[dict], collected: list[str]) -> bytes:
    ids = [*CASES, *IDS[1:]] if collected is CASES else collected
    return frame([{"kind": "collected", "count": len(ids), "ids": ids}, *results])


def failed(test_id: str, reason: str = "boom") -> dict:
    return {"kind": "test", "id": test_id, "outcome": "failed", "reason": reason}


def result_of(record, test_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in record.results if r.id == test_id)


def test_a_parametrized_test_earns_the_share_of_its_cases_that_passed():
    results = [passed(CASES[0]), failed(CASES[1], "want 3"), passed(CASES[2]), passed(CASES[3])]
    record = parse_run(
        EXERCISE, exit_with(param_frame(results + [passed(i) for i in IDS[1:]], CASES)),
        image="x", seed=1,
    )  # fmt: skip
    param = result_of(record, PARAM)
    assert param.outcome is TestOutcome.FAILED
    assert (param.cases_passed, param.cases_total) == (3, 4)
    assert param.reason.startswith("1 of 4 cases failed; [b-2]: want 3")
    assert not any("unknown test id" in n for n in record.notes)
    from grader.scoring.correctness import score_correctness

    score = score_correctness(EXERCISE, record)
    weights = {t.id: t.weight for t in EXERCISE.tests}
    assert score.earned == sum(weights.values()) - weights[PARAM] / 4


def test_all_cases_passing_is_a_pass():
    results = [passed(c) for c in CASES] + [passed(i) for i in IDS[1:]]
    record = parse_run(EXERCISE, exit_with(param_frame(results, CASES)), image="x", seed=1)
    param = result_of(record, PARAM)
    assert param.outcome is TestOutcome.PASSED and param.cases_total == 4


def test_cases_collected_but_never_reported_count_as_failed():
    # A run cut short after two cases cannot shrink the denominator.
    results = [passed(CASES[0]), passed(CASES[1])] + [passed(i) for i in IDS[1:]]
    record = parse_run(EXERCISE, exit_with(param_frame(results, CASES)), image="x", seed=1)
    param = result_of(record, PARAM)
    assert (param.cases_passed, param.cases_total) == (2, 4)
    assert "no result reported" in param.reason


def test_a_case_reported_twice_makes_the_test_invalid():
    results = [passed(c) for c in CASES] + [passed(CASES[0])] + [passed(i) for i in IDS[1:]]
    record = parse_run(EXERCISE, exit_with(param_frame(results, CASES)), image="x", seed=1)
    assert result_of(record, PARAM).outcome is TestOutcome.INVALID


def test_a_collected_id_no_declared_test_covers_is_noted():
    ids = [*IDS, "test_stats.py::test_undeclared"]
    record = parse_run(
        EXERCISE, exit_with(param_frame([passed(i) for i in IDS], ids)), image="x", seed=1
    )
    assert any("test_undeclared" in n and "unknown test id" in n for n in record.notes)

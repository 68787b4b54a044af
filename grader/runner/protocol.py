"""The host↔harness contract: the job we send, and validation of the frame we get back.

Everything the container says is untrusted. The frame is JSON only (never unpickled), capped
in size and depth (numbers out of range read as missing, see ``grader.untrusted_json``),
checked field by field, and test results are matched against the ids the exercise declares:
anything missing, duplicated, unknown or malformed counts against the submission. No frame,
however forged, makes ``parse_run`` raise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.candidate_files import quality_files, wrote_own_tests
from grader.model import (
    Exercise,
    LintFinding,
    LintReport,
    OwnTestRun,
    RunRecord,
    RunStatus,
    TestOutcome,
    TestResult,
    Workspace,
)
from grader.notebooks import plan_notebook
from grader.untrusted_json import UntrustedJSONError, loads

FRAME_BEGIN = "MLGRADE-RESULT-BEGIN"
FRAME_END = "MLGRADE-RESULT-END"
JOB_VERSION = 1
REASON_CAP = 300
FRAME_DEPTH = 16
"""Deepest nesting a well-formed frame has is 5 (frame, own_tests, runs, run, failed)."""
FINDINGS_CAP = 2000
UNKNOWN_ID_NOTE = "ignored a result for unknown test id"
_OUTCOMES = {
    "passed": TestOutcome.PASSED,
    "failed": TestOutcome.FAILED,
    "error": TestOutcome.ERROR,
    "skipped": TestOutcome.FAILED,
}


def _own_tests_job(exercise: Exercise, workspace: Workspace) -> dict[str, Any] | None:
    spec = exercise.own_tests
    if spec is None or not wrote_own_tests(exercise, workspace):
        return None

    def sources(folder: Path) -> dict[str, str]:
        return {m: (folder / m).read_text(encoding="utf-8") for m in spec.modules}

    variants = [{"id": "reference", "modules": sources(exercise.solution_dir)}]
    variants += [{"id": m.id, "modules": sources(m.path)} for m in exercise.mutants]
    plan = plan_notebook(exercise, workspace)
    stands_for = [m for m in spec.modules if plan and m.removesuffix(".py") in plan.modules]
    return {
        "tests": list(spec.tests),
        "notebook": {"path": plan.path, "module": stands_for[0]} if plan and stands_for else None,
        "measure": list(spec.modules),
        "timeout": spec.timeout_seconds,
        "budget": spec.budget_seconds,
        "variants": variants,
    }


def job_payload(exercise: Exercise, workspace: Workspace, seed: int) -> dict[str, Any]:
    """What the supervisor reads from ``/grader/job.json`` (root-only inside the container)."""
    limits = exercise.limits
    plan = plan_notebook(exercise, workspace)
    return {
        "version": JOB_VERSION,
        "seed": seed,
        "time_seconds": limits.time_seconds,
        "test_timeout_seconds": limits.test_timeout_seconds,
        "output_kb": limits.output_kb,
        "quality_files": quality_files(exercise, workspace),
        "own_tests": _own_tests_job(exercise, workspace),
        "notebook": plan.job(limits.test_timeout_seconds) if plan else None,
        # What candidate code may import besides the standard library (import_guard.py).
        "requirements": [str(r) for r in exercise.requirements],
    }


def extra_seconds(exercise: Exercise) -> float:
    """Wall time the phases after the hidden tests may take (lint, the candidate's tests)."""
    quality = 120.0
    own = exercise.own_tests.budget_seconds + 120.0 if exercise.own_tests else 0.0
    return quality + own


@dataclass(frozen=True)
class ContainerExit:
    """What the engine (not the container) tells us about how the run ended."""

    logs: bytes
    exit_code: int | None
    oom_killed: bool
    killed_at_deadline: bool
    duration_s: float


def extract_frame(logs: bytes) -> dict[str, Any] | None:
    """The last well-formed result frame in the container's stdout, or None."""
    # The supervisor writes the markers on lines of their own around one line of JSON, and
    # JSON escapes newlines: a marker inside a candidate string can never stand alone on a line.
    lines = logs.decode("utf-8", errors="replace").split("\n")
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r") == FRAME_END and i >= 2]
    framed = [i for i in ends if lines[i - 2].rstrip("\r") == FRAME_BEGIN]
    if not framed:
        return None
    body = lines[framed[-1] - 1].strip()
    try:
        payload = loads(body, max_depth=FRAME_DEPTH)
    except UntrustedJSONError:
        return None
    return payload if isinstance(payload, dict) else None


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key, "")
    return value if isinstance(value, str) else ""


def _number(payload: dict[str, Any], key: str) -> float:
    """A finite number (the loader already bounded it), else 0."""
    value = payload.get(key, 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _result_lines(raw: str) -> tuple[list[dict[str, Any]], int]:
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


def _match_results(
    exercise: Exercise, records: list[dict[str, Any]], notes: list[str]
) -> tuple[TestResult, ...]:
    """Map reported records onto the declared tests, failing closed."""
    expected = {t.id for t in exercise.tests}
    seen: dict[str, list[dict[str, Any]]] = {}
    collect_errors: list[str] = []
    for record in records:
        kind = record.get("kind")
        test_id = record.get("id")
        if kind == "collect_error":
            collect_errors.append(_text(record, "reason")[:REASON_CAP])
        elif kind == "test" and isinstance(test_id, str):
            if test_id in expected:
                seen.setdefault(test_id, []).append(record)
            else:
                notes.append(f"{UNKNOWN_ID_NOTE} {test_id[:120]!r}")
    missing_reason = "no result reported"
    if collect_errors:
        missing_reason = f"hidden tests could not be collected: {collect_errors[0]}"
    results = []
    for spec in exercise.tests:
        reports = seen.get(spec.id, [])
        if not reports:
            results.append(TestResult(spec.id, TestOutcome.NOT_RUN, missing_reason))
            continue
        if len(reports) > 1:
            results.append(TestResult(spec.id, TestOutcome.INVALID, "reported more than once"))
            continue
        results.append(_one_result(spec.id, reports[0]))
    return tuple(results)


def _one_result(test_id: str, record: dict[str, Any]) -> TestResult:
    raw = record.get("outcome")
    outcome = _OUTCOMES.get(raw) if isinstance(raw, str) else None
    if outcome is None:
        return TestResult(test_id, TestOutcome.INVALID, "malformed result")
    reason = _text(record, "reason")[:REASON_CAP]
    if record.get("outcome") == "skipped":
        reason = f"skipped: {reason}" if reason else "skipped"
    return TestResult(test_id, outcome, reason, round(_number(record, "duration"), 3))


def _status(
    exercise: Exercise, payload: dict[str, Any], engine: ContainerExit
) -> tuple[RunStatus, str, list[str]]:
    limits = exercise.limits
    limits_hit: list[str] = []
    oom = engine.oom_killed or _number(payload, "oom_kills") > 0
    if oom:
        limits_hit.append(f"memory ({limits.memory_mb} MB)")
    if engine.killed_at_deadline or payload.get("timed_out") is True:
        limits_hit.append(f"time ({limits.time_seconds:g} s)")
        return RunStatus.TIMED_OUT, f"timed out after {limits.time_seconds:g} s", limits_hit
    if oom:
        return (
            RunStatus.OUT_OF_MEMORY,
            f"ran out of memory (limit {limits.memory_mb} MB)",
            limits_hit,
        )
    return RunStatus.COMPLETED, "", limits_hit


def _harness_failure(payload: dict[str, Any] | None, records: list[dict[str, Any]]) -> str:
    """A reason if the grader's own harness failed (pytest usage error, supervisor crash)."""
    if payload is None:
        return ""
    if "harness_error" in payload:
        return f"the grading harness failed: {_text(payload, 'harness_error')[:300]}"
    if payload.get("timed_out") is True or _number(payload, "oom_kills") > 0:
        return ""
    if not any(r.get("kind") == "collected" for r in records):
        # Candidate code only runs after collection, so a judge that never got that far
        # failed on the grader's side (bad pytest arguments, broken hidden tests).
        tail = _text(payload, "stderr").strip().splitlines()[-1:] or ["no detail"]
        return f"the grading harness could not start the hidden tests: {tail[0][:300]}"
    return ""


def _all_not_run(exercise: Exercise, reason: str) -> tuple[TestResult, ...]:
    return tuple(TestResult(t.id, TestOutcome.NOT_RUN, reason) for t in exercise.tests)


def parse_run(exercise: Exercise, engine: ContainerExit, *, image: str, seed: int) -> RunRecord:
    """Turn a finished container's exit and logs into a validated RunRecord."""
    payload = extract_frame(engine.logs)
    records, malformed = _result_lines(_text(payload or {}, "results"))
    harness_failure = _harness_failure(payload, records)
    if harness_failure:
        record = RunRecord(
            RunStatus.HARNESS_FAILED, _all_not_run(exercise, "not run"), harness_failure
        )
    elif payload is None:
        status, reason, limits_hit = _status(exercise, {}, engine)
        if status is RunStatus.COMPLETED:
            status = RunStatus.CRASHED
            reason = "the sandbox produced no result (the submission may have killed the run)"
        record = RunRecord(
            status, _all_not_run(exercise, reason), reason, limits_hit=tuple(limits_hit)
        )
    else:
        record = _completed_frame(exercise, engine, payload, records, malformed)
    phases = _dict((payload or {}).get("phases"))
    inside = tuple(
        (f"in:{k[:40]}", float(v))
        for k, v in list(phases.items())[:20]
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    )
    return replace(
        record, image=image, seed=seed, duration_s=round(engine.duration_s, 3), timings=inside
    )


def _completed_frame(
    exercise: Exercise,
    engine: ContainerExit,
    payload: dict[str, Any],
    records: list[dict[str, Any]],
    malformed: int,
) -> RunRecord:
    notes: list[str] = []
    if malformed:
        notes.append(f"{malformed} malformed result line(s) ignored")
    if _number(payload, "results_dropped") > 0:
        notes.append("the result stream exceeded its size cap and was cut")
    status, reason, limits_hit = _status(exercise, payload, engine)
    results = _match_results(exercise, records, notes)
    dropped = max(0, int(_number(payload, "output_dropped")))
    if dropped:
        limits_hit.append(f"output ({exercise.limits.output_kb} KB kept)")
    if status is not RunStatus.COMPLETED:
        results = tuple(
            replace(r, reason=f"not run: {reason}") if r.outcome is TestOutcome.NOT_RUN else r
            for r in results
        )
    return RunRecord(
        status=status,
        results=results,
        reason=reason,
        lint=_lint(payload.get("quality")),
        own_test_runs=_own_runs(payload.get("own_tests")),
        stdout=_text(payload, "stdout"),
        stderr=_text(payload, "stderr"),
        notebook=payload["notebook"] if isinstance(payload.get("notebook"), str) else None,
        output_truncated_bytes=dropped,
        limits_hit=tuple(limits_hit),
        notes=tuple(notes),
    )


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _count(value: Any) -> int:
    """A count: a non-negative int, else 0."""
    return max(0, _int(value))


def _lint(section: Any) -> LintReport | None:
    """The lint phase's report, every field checked; None when nothing was linted."""
    if not isinstance(section, dict) or not section:
        return None
    findings = []
    for item in _list(section.get("findings"))[:FINDINGS_CAP]:
        if isinstance(item, dict):
            findings.append(
                LintFinding(
                    file=_text(item, "file")[:300],
                    line=_int(item.get("line")),
                    code=_text(item, "code")[:20],
                    message=_text(item, "message")[:300],
                    url=_text(item, "url")[:200],
                    cell=_int(item.get("cell")),
                )
            )
    unformatted = [u for u in _list(section.get("unformatted")) if isinstance(u, str)]
    return LintReport(
        files=(),
        findings=tuple(findings),
        unformatted=tuple(u[:300] for u in unformatted[:200]),
        error=_text(section, "error")[:300],
    )


def _strings(value: Any, count: int, length: int) -> tuple[str, ...]:
    return tuple(s[:length] for s in _list(value)[:count] if isinstance(s, str))


def _own_runs(section: Any) -> tuple[OwnTestRun, ...]:
    """Each run of the candidate's own tests; a missing or broken run is an error, not a pass."""
    if not isinstance(section, dict) or not section:
        return ()
    out = []
    for variant, run in list(_dict(section.get("runs")).items())[:200]:
        if not isinstance(run, dict):
            continue
        failed = tuple(f[:200] for f in _list(run.get("failed"))[:500] if isinstance(f, str))
        coverage = _dict(run.get("coverage"))
        branches = _count(coverage.get("branches"))
        covered = min(_count(coverage.get("covered_branches")), branches)
        out.append(
            OwnTestRun(
                variant=str(variant)[:60],
                tests=_count(run.get("tests")),
                failed=failed[:500],
                exit_code=_int(run.get("exit")) if "exit" in run else -1,
                timed_out=run.get("timed_out") is True,
                branch_coverage=round(100 * covered / branches, 1) if branches else None,
                error=_text(run, "error")[:300],
                collected=_strings(run.get("collected"), 500, 200),
                messages=tuple(_text(_dict(run.get("messages")), f)[:160] for f in failed[:500]),
            )
        )
    for variant in _list(section.get("skipped"))[:200]:
        if isinstance(variant, str):
            out.append(OwnTestRun(variant[:60], 0, (), -1, skipped=True))
    return tuple(out)

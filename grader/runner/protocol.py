"""The host↔harness contract: the job we send, and validation of the frame we get back.

Everything the container says is untrusted. The frame is JSON only (never unpickled), capped
in size, checked field by field, and test results are matched against the ids the exercise
declares: anything missing, duplicated, unknown or malformed counts against the submission.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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

FRAME_BEGIN = "MLGRADE-RESULT-BEGIN"
FRAME_END = "MLGRADE-RESULT-END"
JOB_VERSION = 1
REASON_CAP = 300
FINDINGS_CAP = 2000
UNKNOWN_ID_NOTE = "ignored a result for unknown test id"
_OUTCOMES = {
    "passed": TestOutcome.PASSED,
    "failed": TestOutcome.FAILED,
    "error": TestOutcome.ERROR,
    "skipped": TestOutcome.FAILED,
}


def candidate_python_files(exercise: Exercise, workspace: Workspace) -> list[str]:
    """The submission's Python files, minus starter files the candidate left untouched."""
    files = []
    for relative in workspace.files:
        if not relative.endswith(".py"):
            continue
        starter = exercise.starter_dir / relative
        if starter.is_file() and starter.read_bytes() == (workspace.root / relative).read_bytes():
            continue
        files.append(relative)
    return files


def quality_files(exercise: Exercise, workspace: Workspace) -> list[str]:
    """What the quality score reads: the candidate's Python files and a graded notebook."""
    files = candidate_python_files(exercise, workspace)
    plan = plan_notebook(exercise, workspace)
    return [*files, plan.path] if plan else files


def wrote_own_tests(exercise: Exercise, workspace: Workspace) -> bool:
    """Whether the submission has test files of its own (not the starter's, unchanged)."""
    spec = exercise.own_tests
    if spec is None:
        return False
    return any(spec.holds(f) for f in candidate_python_files(exercise, workspace))


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
    text = logs.decode("utf-8", errors="replace")
    end = text.rfind(FRAME_END)
    begin = text.rfind(FRAME_BEGIN, 0, end if end >= 0 else None)
    if begin < 0 or end < 0:
        return None
    body = text[begin + len(FRAME_BEGIN) : end].strip()
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key, "")
    return value if isinstance(value, str) else ""


def _number(payload: dict[str, Any], key: str) -> float:
    value = payload.get(key, 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _result_lines(raw: str) -> tuple[list[dict[str, Any]], int]:
    """Parse the judge's JSON lines; returns the records and the count of malformed lines."""
    records, malformed = [], 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
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
            collect_errors.append(str(record.get("reason", ""))[:REASON_CAP])
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
    outcome = _OUTCOMES.get(record.get("outcome"))  # type: ignore[arg-type]
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
    phases = (payload or {}).get("phases")
    inside = tuple(
        (f"in:{k}", float(v))
        for k, v in (phases.items() if isinstance(phases, dict) else ())
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
    dropped = int(_number(payload, "output_dropped"))
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


def _lint(section: Any) -> LintReport | None:
    """The lint phase's report, every field checked; None when nothing was linted."""
    if not isinstance(section, dict) or not section:
        return None
    findings = []
    for item in section.get("findings", [])[:FINDINGS_CAP]:
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
    unformatted = [u for u in section.get("unformatted", []) if isinstance(u, str)]
    return LintReport(
        files=(),
        findings=tuple(findings),
        unformatted=tuple(u[:300] for u in unformatted[:200]),
        error=_text(section, "error")[:300],
    )


def _own_runs(section: Any) -> tuple[OwnTestRun, ...]:
    """Each run of the candidate's own tests; a missing or broken run is an error, not a pass."""
    if not isinstance(section, dict) or not section:
        return ()
    runs: dict[str, Any] = section.get("runs") or {}
    if not isinstance(runs, dict):
        runs = {}
    out = []
    for variant, run in runs.items():
        if not isinstance(run, dict):
            continue
        failed = tuple(str(f)[:200] for f in run.get("failed", []) if isinstance(f, str))
        coverage: dict[str, Any] = run.get("coverage") or {}
        if not isinstance(coverage, dict):
            coverage = {}
        branches, covered = _int(coverage.get("branches")), _int(coverage.get("covered_branches"))
        out.append(
            OwnTestRun(
                variant=str(variant)[:60],
                tests=_int(run.get("tests")),
                failed=failed[:500],
                exit_code=_int(run.get("exit")) if "exit" in run else -1,
                timed_out=run.get("timed_out") is True,
                branch_coverage=round(100 * covered / branches, 1) if branches else None,
                error=_text(run, "error")[:300],
            )
        )
    for variant in section.get("skipped", []):
        if isinstance(variant, str):
            out.append(OwnTestRun(variant[:60], 0, (), -1, skipped=True))
    return tuple(out)

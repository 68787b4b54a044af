"""The host↔harness contract: the job we send, and validation of the frame we get back.

Everything the container says is untrusted. The frame is JSON only (never unpickled), capped
in size and depth (numbers out of range read as missing, see ``grader.untrusted_json``),
checked field by field, and test results are matched against the ids the exercise declares:
anything missing, duplicated, unknown or malformed counts against the submission. No frame,
however forged, makes ``parse_run`` raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from grader.candidate_files import quality_files, wrote_own_tests
from grader.model import (
    OWN_TESTS_STOP_AFTER,
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
from grader.runner.own_shards import Share, deal
from grader.runner.results import (
    FRAME_DEPTH,
    dict_field,
    list_field,
    match_results,
    number_field,
    result_lines,
    text_field,
)
from grader.untrusted_json import UntrustedJSONError, loads

FRAME_BEGIN = "MLGRADE-RESULT-BEGIN"
FRAME_END = "MLGRADE-RESULT-END"
JOB_VERSION = 1
FINDINGS_CAP = 2000


@dataclass(frozen=True)
class PhaseBudgets:
    """Wall seconds each phase of one sandbox run may take; together under ``grade``.

    A grade is bounded by twice the exercise's ``time_seconds``: the hidden tests get the
    first half, and lint plus the candidate's own tests share the second (less a reserve for
    the report), whatever ``own_tests.budget_seconds`` asks. So a suite that hangs, or a
    dozen slow mutant runs, can delay a round by at most one more ``time_seconds``.
    """

    judge: float
    quality: float
    own_tests: float
    """All runs of the candidate's suite together (0 when the exercise has none)."""
    own_run: float
    """One run of the candidate's suite."""
    grade: float
    """The host kills the container here, a few seconds under 2 x time_seconds."""


def phase_budgets(exercise: Exercise) -> PhaseBudgets:
    """The phase budgets of ``exercise`` (see PhaseBudgets)."""
    half = exercise.limits.time_seconds
    # ruff takes well under a second on a submission; a quarter of the half at most.
    quality = min(20.0, 0.25 * half)
    reserve = min(10.0, 0.1 * half)
    own = own_run = 0.0
    if exercise.own_tests is not None:
        own = max(0.0, min(exercise.own_tests.budget_seconds, half - quality - reserve))
        own_run = min(exercise.own_tests.timeout_seconds, own)
    # The host's kill comes half the reserve before 2 x time_seconds, so creating, copying into
    # and removing the container still fit under the bound.
    grade = 2 * half - reserve / 2
    return PhaseBudgets(judge=half, quality=quality, own_tests=own, own_run=own_run, grade=grade)


def own_tests_spec(exercise: Exercise, workspace: Workspace) -> dict[str, Any] | None:
    """What every container running the candidate's tests gets (None: not asked for)."""
    spec = exercise.own_tests
    if spec is None or not wrote_own_tests(exercise, workspace):
        return None
    plan = plan_notebook(exercise, workspace)
    stands_for = [m for m in spec.modules if plan and m.removesuffix(".py") in plan.modules]
    return {
        "tests": list(spec.tests),
        "notebook": {"path": plan.path, "module": stands_for[0]} if plan and stands_for else None,
        "measure": list(spec.modules),
        "timeout": phase_budgets(exercise).own_run,
        # What the own-tests zygote imports once before forking the runs (import names).
        "preload": [import_name(r) for r in exercise.requirements],
    }


def variant_ids(exercise: Exercise) -> list[str]:
    """The implementations the candidate's tests run against: the reference, each mutant."""
    return ["reference", *(m.id for m in exercise.mutants)]


def variant_sources(exercise: Exercise) -> dict[str, dict[str, str]]:
    """The modules of each of ``variant_ids``, read from the package."""
    modules = exercise.own_tests.modules if exercise.own_tests else ()
    folders = [exercise.solution_dir, *(m.path for m in exercise.mutants)]
    return {
        v: {m: (folder / m).read_text(encoding="utf-8") for m in modules}
        for v, folder in zip(variant_ids(exercise), folders, strict=True)
    }


def _own_tests_job(
    exercise: Exercise, workspace: Workspace, share: Share | None
) -> dict[str, Any] | None:
    spec = own_tests_spec(exercise, workspace)
    if spec is None:
        return None
    variants = variant_sources(exercise)
    if share is None:  # every run in this one container
        share = deal(list(variants), 1, budget=phase_budgets(exercise).own_tests)[0]
    return {
        **spec,
        "budget": share.budget,
        "plan": list(share.plan),
        "own_run": share.own_run,
        "await_go": share.await_go,
        "own_seconds": share.own_seconds,
        "maxfail": OWN_TESTS_STOP_AFTER,
        "variants": [{"id": v, "modules": variants[v]} for v in dict.fromkeys(share.plan)],
    }


IMPORT_NAMES = {"scikit-learn": "sklearn", "pillow": "PIL", "pyyaml": "yaml"}


def import_name(requirement: str) -> str:
    """The module a requirement ("scikit-learn", "polars==1.44.2") is imported as."""
    name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower()
    return IMPORT_NAMES.get(name, name.replace("-", "_"))


def job_payload(
    exercise: Exercise,
    workspace: Workspace,
    seed: int,
    share: Share | None = None,
    *,
    only_own_tests: bool = False,
) -> dict[str, Any]:
    """What the supervisor reads from ``/grader/job.json`` (root-only inside the container):
    the grade with ``share`` of the candidate's own-tests runs (all of them if None), or, with
    ``only_own_tests``, that share alone."""
    limits = exercise.limits
    plan = plan_notebook(exercise, workspace)
    return {
        "version": JOB_VERSION,
        "seed": seed,
        "time_seconds": limits.time_seconds,
        "quality_seconds": phase_budgets(exercise).quality,
        "test_timeout_seconds": limits.test_timeout_seconds,
        "output_kb": limits.output_kb,
        "quality_files": quality_files(exercise, workspace),
        "own_tests": _own_tests_job(exercise, workspace, share),
        "only_own_tests": only_own_tests,
        "grade_seconds": phase_budgets(exercise).grade,
        "notebook": plan.job(limits.test_timeout_seconds) if plan else None,
        # What candidate code may import besides the standard library (import_guard.py).
        "requirements": [str(r) for r in exercise.requirements],
    }


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


def _status(
    exercise: Exercise, payload: dict[str, Any], engine: ContainerExit
) -> tuple[RunStatus, str, list[str]]:
    limits = exercise.limits
    limits_hit: list[str] = []
    oom = engine.oom_killed or number_field(payload, "oom_kills") > 0
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
        return f"the grading harness failed: {text_field(payload, 'harness_error')[:300]}"
    if payload.get("timed_out") is True or number_field(payload, "oom_kills") > 0:
        return ""
    if not any(r.get("kind") == "collected" for r in records):
        # Candidate code only runs after collection, so a judge that never got that far
        # failed on the grader's side (bad pytest arguments, broken hidden tests).
        tail = text_field(payload, "stderr").strip().splitlines()[-1:] or ["no detail"]
        return f"the grading harness could not start the hidden tests: {tail[0][:300]}"
    return ""


def _all_not_run(exercise: Exercise, reason: str) -> tuple[TestResult, ...]:
    return tuple(TestResult(t.id, TestOutcome.NOT_RUN, reason) for t in exercise.tests)


def parse_run(exercise: Exercise, engine: ContainerExit, *, image: str, seed: int) -> RunRecord:
    """Turn a finished container's exit and logs into a validated RunRecord."""
    payload = extract_frame(engine.logs)
    records, malformed = result_lines(text_field(payload or {}, "results"))
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
    phases = dict_field((payload or {}).get("phases"))
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
    if number_field(payload, "results_dropped") > 0:
        notes.append("the result stream exceeded its size cap and was cut")
    status, reason, limits_hit = _status(exercise, payload, engine)
    results = match_results(exercise, records, notes)
    dropped = max(0, int(number_field(payload, "output_dropped")))
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
        own_test_runs=own_runs(payload.get("own_tests")),
        stdout=text_field(payload, "stdout"),
        stderr=text_field(payload, "stderr"),
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
    for item in list_field(section.get("findings"))[:FINDINGS_CAP]:
        if isinstance(item, dict):
            findings.append(
                LintFinding(
                    file=text_field(item, "file")[:300],
                    line=_int(item.get("line")),
                    code=text_field(item, "code")[:20],
                    message=text_field(item, "message")[:300],
                    url=text_field(item, "url")[:200],
                    cell=_int(item.get("cell")),
                )
            )
    unformatted = [u for u in list_field(section.get("unformatted")) if isinstance(u, str)]
    return LintReport(
        files=(),
        findings=tuple(findings),
        unformatted=tuple(u[:300] for u in unformatted[:200]),
        error=text_field(section, "error")[:300],
    )


def _strings(value: Any, count: int, length: int) -> tuple[str, ...]:
    return tuple(s[:length] for s in list_field(value)[:count] if isinstance(s, str))


def own_runs(section: Any) -> tuple[OwnTestRun, ...]:
    """Each run of the candidate's own tests in one container, raw (``own_shards.settle``
    makes one set of all containers'); a missing or broken run is an error, not a pass."""
    if not isinstance(section, dict) or not section:
        return ()
    if text_field(section, "error"):
        return (OwnTestRun("reference", 0, (), -1, error=text_field(section, "error")[:300]),)
    out = []
    scored = [p for p in list_field(section.get("scored"))[:200] if isinstance(p, list)]
    own = [("own", section["own"])] if isinstance(section.get("own"), dict) else []
    for pair in [*own, *(tuple(p) for p in scored if len(p) == 2)]:
        variant, run = pair
        if not isinstance(run, dict) or not isinstance(variant, str):
            continue
        failed = tuple(f[:200] for f in list_field(run.get("failed"))[:500] if isinstance(f, str))
        coverage = dict_field(run.get("coverage"))
        branches = _count(coverage.get("branches"))
        covered = min(_count(coverage.get("covered_branches")), branches)
        out.append(
            OwnTestRun(
                variant=variant[:60],
                tests=_count(run.get("tests")),
                failed=failed[:500],
                exit_code=_int(run.get("exit")) if "exit" in run else -1,
                timed_out=run.get("timed_out") is True,
                branch_coverage=round(100 * covered / branches, 1) if branches else None,
                error=text_field(run, "error")[:300],
                collected=_strings(run.get("collected"), 500, 200),
                messages=tuple(
                    text_field(dict_field(run.get("messages")), f)[:160] for f in failed[:500]
                ),
            )
        )
    for variant in list_field(section.get("skipped"))[:200]:
        if isinstance(variant, str):
            out.append(OwnTestRun(variant[:60], 0, (), -1, skipped=True))
    return tuple(out)

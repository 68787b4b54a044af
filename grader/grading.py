"""One grade: intake → runner → scoring. The only module that calls all three."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from grader.catalog import Catalog
from grader.intake import IntakeLimits, open_workspace
from grader.model import Exercise, Grade, GradeStatus, RunStatus, SubmissionInfo, Workspace
from grader.runner.interface import Runner
from grader.scoring.correctness import score_correctness


def derive_seed(content_hash: str, exercise: Exercise) -> int:
    """The seed hidden tests draw data from: fixed per (submission, exercise version)."""
    text = f"{content_hash}:{exercise.id}:{exercise.version}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def submission_info(workspace: Workspace) -> SubmissionInfo:
    """What the report says about where the submission came from."""
    return SubmissionInfo(
        source=str(workspace.source),
        kind=workspace.kind,
        content_hash=workspace.content_hash,
        files=len(workspace.files),
        git_commit=workspace.git_commit,
        git_dirty=workspace.git_dirty,
    )


def grade_workspace(exercise: Exercise, workspace: Workspace, runner: Runner) -> Grade:
    """Run and score one prepared workspace."""
    started = time.monotonic()
    seed = derive_seed(workspace.content_hash, exercise)
    notes = list(workspace.notes)
    missing = [f for f in exercise.files if f not in workspace.files]
    if missing:
        notes.append(f"the submission lacks {', '.join(missing)}")
    run = runner.run(exercise, workspace, seed)
    notes.extend(run.notes)
    ungradable = run.status is RunStatus.HARNESS_FAILED
    return Grade(
        exercise_id=exercise.id,
        exercise_version=exercise.version,
        exercise_title=exercise.title,
        submission=submission_info(workspace),
        status=GradeStatus.UNGRADABLE if ungradable else GradeStatus.GRADED,
        correctness=None if ungradable else score_correctness(exercise, run),
        run_status=run.status,
        reason=run.reason,
        limits_hit=run.limits_hit,
        seed=seed,
        image=run.image,
        stdout=run.stdout,
        stderr=run.stderr,
        output_truncated_bytes=run.output_truncated_bytes,
        notes=tuple(notes),
        duration_s=round(time.monotonic() - started, 3),
    )


def grade_submission(
    source: Path,
    catalog: Catalog,
    runner: Runner,
    *,
    exercise_id: str | None = None,
    limits: IntakeLimits | None = None,
) -> Grade:
    """Grade one submission path; the exercise is given or recognised from the files."""
    with open_workspace(source, limits) as workspace:
        if exercise_id is not None:
            exercise = catalog.get(exercise_id)
        else:
            exercise = catalog.recognise(workspace)
        return grade_workspace(exercise, workspace, runner)

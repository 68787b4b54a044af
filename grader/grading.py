"""One grade: intake → runner → scoring. The only module that calls all three."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import __version__
from grader.bundle import Bundle, own_line_numbers, package_hash
from grader.candidate_files import quality_files, wrote_own_tests
from grader.catalog import Catalog
from grader.intake import IntakeLimits, open_workspace
from grader.model import (
    CodeQuestion,
    CorrectnessScore,
    Exercise,
    Grade,
    GradeStatus,
    ReasoningScore,
    RunRecord,
    RunStatus,
    SubmissionInfo,
    Workspace,
)
from grader.notebooks import NotebookPlan, markdown_text, plan_notebook, read_run
from grader.runner.interface import Runner
from grader.scoring.code_questions import own_code_questions
from grader.scoring.correctness import score_correctness
from grader.scoring.own_tests import score_own_tests
from grader.scoring.profiles import BUILT_IN, DEFAULT_PROFILE, combine
from grader.scoring.quality import Baseline, code_lines, is_test_file, score_quality
from grader.scoring.reasoning import MAX_DIAGNOSIS_CHARS, score_reasoning
from grader.scoring.rubric import load_rubric
from grader.scoring.writing_questions import own_writing_questions
from grader.seedkey import Seeding


@dataclass(frozen=True)
class Profile:
    """A named set of weights for the total (see scoring/profiles.py)."""

    name: str = DEFAULT_PROFILE
    weights: tuple[tuple[str, float], ...] = tuple(BUILT_IN[DEFAULT_PROFILE].items())


def writeup_names(exercise: Exercise) -> tuple[str, ...]:
    """The names the written answer is looked for under: as declared, then in the casings a
    candidate plausibly types (``Diagnosis.md``, ``diagnosis.md``)."""
    name = exercise.writeup
    stem = name.removesuffix(".md")
    return tuple(dict.fromkeys((name, stem.lower() + ".md", stem.capitalize() + ".md")))


def writeup_file(exercise: Exercise, workspace: Workspace) -> str:
    """The submitted file that holds the written answer ('' when there is none)."""
    return next((n for n in writeup_names(exercise) if n in workspace.files), "")


def diagnosis_text(
    exercise: Exercise, workspace: Workspace, notebook: NotebookPlan | None = None
) -> str | None:
    """The candidate's written answer (``exercise.writeup``), else a graded notebook's
    markdown."""
    name = writeup_file(exercise, workspace)
    if name:
        # One character past the cap is enough for the scorer to see (and say) it was cut.
        with (workspace.root / name).open(encoding="utf-8", errors="replace") as file:
            return file.read(MAX_DIAGNOSIS_CHARS + 1)
    if notebook is not None:
        return markdown_text(workspace.root / notebook.path) or None
    return None


def score_diagnosis(
    exercise: Exercise,
    workspace: Workspace,
    correctness: CorrectnessScore | None,
    notebook: NotebookPlan | None = None,
) -> ReasoningScore | None:
    """Reasoning against the exercise's rubric (None for exercises without one); a memo
    (no correctness) is scored area by area with nothing fixed or claimed."""
    if not exercise.rubric_path.is_file():
        return None
    fixed = (
        {g.id: g.total > 0 and g.passed == g.total for g in correctness.groups}
        if correctness is not None
        else None
    )
    text = diagnosis_text(exercise, workspace, notebook)
    rubric = load_rubric(exercise.rubric_path)
    return score_reasoning(rubric, text, fixed, name=exercise.writeup, diagnosis=exercise.diagnoses)


@functools.lru_cache(maxsize=32)
def quality_baseline(exercise: Exercise) -> Baseline:
    """What quality compares a submission with: the bundle's files, and how much code the
    reference solution wrote in the exercise's modules. Computed once per exercise (it reads
    the bundle and the solution), not once per grade."""
    bundle = Bundle.of(exercise)
    texts = {
        f: t for f in bundle.sources if f.endswith(".py") and (t := bundle.text(f)) is not None
    }
    modules = tuple(f for f in exercise.files if f.endswith(".py"))
    reference = 0
    for module in (m for m in modules if not is_test_file(m)):
        path = exercise.solution_dir / module
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            reference += code_lines(text, own_line_numbers(text, texts.get(module)))
    return Baseline(texts, modules, reference)


def _code_questions(
    exercise: Exercise, root: Path, files: list[str], correctness: float
) -> tuple[CodeQuestion, ...]:
    """Questions about the candidate's own changes to the exercise's modules (tests aside)."""
    base = quality_baseline(exercise)
    modules = [f for f in files if f.endswith((".py", ".ipynb")) and not is_test_file(f)]
    return own_code_questions(
        exercise,
        root,
        modules,
        base.bundle,
        reference_lines=base.reference_lines,
        correctness=correctness,
    )


def derive_seed(content_hash: str, exercise: Exercise, seeding: Seeding | None = None) -> int:
    """The seed hidden tests draw data from: fixed per (submission, exercise version, key).

    Keyed by the installation's secret (see seedkey.py), so candidate code cannot work it out;
    ``seeding`` defaults to the key in the user's data folder.
    """
    return (seeding or Seeding.from_key_file()).seed_for(content_hash, exercise)


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


def grade_workspace(
    exercise: Exercise,
    workspace: Workspace,
    runner: Runner,
    profile: Profile | None = None,
    seeding: Seeding | None = None,
) -> Grade:
    """Run and score one prepared workspace."""
    profile = profile or Profile()
    started = time.monotonic()
    seed = derive_seed(workspace.content_hash, exercise, seeding)
    notes = list(workspace.notes)
    notebook = plan_notebook(exercise, workspace) if exercise.runs_code else None
    missing = [f for f in exercise.files if f not in workspace.files]
    if notebook is not None:
        stands_for = [f"{m.replace('.', '/')}.py" for m in notebook.modules]
        missing = [f for f in missing if f not in stands_for]
        notes.append(f"graded the notebook {notebook.path} as {', '.join(stands_for)}")
    if missing:
        notes.append(f"the submission lacks {', '.join(missing)}")
    run = runner.run(exercise, workspace, seed) if exercise.runs_code else _NOTHING_RUN
    notes.extend(run.notes)
    ungradable = run.status is RunStatus.HARNESS_FAILED
    if not exercise.runs_code:
        reasoning = score_diagnosis(exercise, workspace, None)
        scores = {"reasoning": reasoning.score if reasoning else None}
        total = combine(profile.name, dict(profile.weights), scores)
        written = writeup_file(exercise, workspace)
        asked = own_writing_questions(reasoning, written) if reasoning and written else ()
        return _grade(exercise, workspace, run, None, seed, notes, started, total=total,
                      reasoning=reasoning, code_questions=asked)  # fmt: skip
    correctness = None if ungradable else score_correctness(exercise, run)
    quality = own_tests = reasoning = total = None
    code_questions: tuple[CodeQuestion, ...] = ()
    if correctness is not None:
        judged = quality_files(exercise, workspace)
        quality = score_quality(
            run.lint,
            workspace.root,
            judged,
            baseline=quality_baseline(exercise),
            submitted=workspace.files,
            passed=correctness.earned / correctness.possible if correctness.possible else None,
        )
        if quality is not None and quality.reason:
            notes.append(f"code quality: {quality.reason}")
        code_questions = _code_questions(exercise, workspace.root, judged, correctness.score)
        own_tests = score_own_tests(
            exercise, run.own_test_runs, wrote_tests=wrote_own_tests(exercise, workspace)
        )
        reasoning = score_diagnosis(exercise, workspace, correctness, notebook)
        scores = {
            "correctness": correctness.score,
            "quality": quality.score if quality else None,
            "tests": own_tests.score if own_tests else None,
            "reasoning": reasoning.score if reasoning else None,
        }
        total = combine(profile.name, dict(profile.weights), scores)
    return _grade(
        exercise,
        workspace,
        run,
        correctness,
        seed,
        notes,
        started,
        quality=quality,
        own_tests=own_tests,
        reasoning=reasoning,
        total=total,
        code_questions=code_questions,
        notebook=read_run(notebook, workspace.root / notebook.path, run.notebook)
        if notebook and not ungradable
        else None,
    )


_NOTHING_RUN = RunRecord(
    status=RunStatus.COMPLETED,
    results=(),
    notes=("a written exercise: nothing runs in the sandbox, the rubric scores the writing",),
)


def _grade(
    exercise: Exercise,
    workspace: Workspace,
    run: RunRecord,
    correctness: CorrectnessScore | None,
    seed: int,
    notes: list[str],
    started: float,
    **scored: Any,
) -> Grade:
    """The Grade record: what was scored (``scored``), with the run's evidence around it."""
    ungradable = run.status is RunStatus.HARNESS_FAILED
    return Grade(
        exercise_id=exercise.id,
        exercise_version=exercise.version,
        exercise_title=exercise.title,
        submission=submission_info(workspace),
        status=GradeStatus.UNGRADABLE if ungradable else GradeStatus.GRADED,
        correctness=correctness,
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
        mlgrade_version=__version__,
        exercise_hash=package_hash(exercise),
        image_id=run.image_id,
        **scored,
    )


def grade_submission(
    source: Path,
    catalog: Catalog,
    runner: Runner,
    *,
    exercise_id: str | None = None,
    limits: IntakeLimits | None = None,
    profile: Profile | None = None,
    seeding: Seeding | None = None,
) -> Grade:
    """Grade one submission path; the exercise is given or recognised from the files."""
    with open_workspace(source, limits) as workspace:
        if exercise_id is not None:
            exercise = catalog.get(exercise_id)
        else:
            exercise = catalog.recognise(workspace)
        return grade_workspace(exercise, workspace, runner, profile, seeding)

"""Which of a submission's files are the candidate's own work.

Bundle files handed back unchanged (the starter, ``public_tests/``) are the grader's: never
linted, never taken for the candidate's own tests. Used by the job sent to the sandbox and by
the scorers, so both judge the same files.
"""

from __future__ import annotations

from grader.bundle import Bundle
from grader.model import Exercise, Workspace
from grader.notebooks import plan_notebook


def candidate_python_files(exercise: Exercise, workspace: Workspace) -> list[str]:
    """The submission's Python files, minus bundle files (starter, public tests) the candidate
    left untouched: those are the grader's, never linted or taken for the candidate's tests."""
    bundle = Bundle.of(exercise)
    return [
        relative
        for relative in workspace.files
        if relative.endswith(".py") and not bundle.unchanged(workspace.root, relative)
    ]


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

"""Feedback a candidate may be shown: scores and areas, never what the hidden tests contain.

It leaves out hidden test ids and failure messages (they can carry inputs and expected
values), the captured output (it can echo hidden inputs), the rubric's problem list and the
planted mutants (they would tell the next candidate what to look for). What remains is what
the candidate can act on: per-area credit, what each failing area checks in one recruiter
line, and their own code's lint findings.
"""

from __future__ import annotations

from grader.model import Grade, GradeStatus

from . import summary
from .markdown import md_escape

LINT_SHOWN = 15


def candidate_feedback(grade: Grade) -> str:
    """Markdown feedback that is safe to send to the candidate."""
    lines = [f"# Your result: {md_escape(grade.exercise_title or grade.exercise_id)}", ""]
    if grade.status is GradeStatus.UNGRADABLE or grade.correctness is None:
        lines.append("Your submission could not be graded automatically; a person will review it.")
        return "\n".join(lines) + "\n"
    scores: list[tuple[str, float | None]] = [("Correctness", grade.correctness.score)]
    if grade.quality is not None:
        scores.append(("Code quality", grade.quality.score))
    if grade.own_tests is not None:
        scores.append(("Your tests", grade.own_tests.score))
    if grade.reasoning is not None:
        scores.append(("Written diagnosis", grade.reasoning.score))
    lines += ["| Score | 0–100 |", "| --- | ---: |"]
    lines += [
        f"| {name} | {'not enough code to judge' if value is None else f'{value:.0f}'} |"
        for name, value in scores
    ]
    lines += ["", "## By area", "", "| Area | Credit |", "| --- | ---: |"]
    for group in grade.correctness.groups:
        share = 100 * group.earned / group.possible if group.possible else 0.0
        lines.append(f"| {md_escape(group.title)} | {share:.0f}% |")
    missed = list(dict.fromkeys(t.description for t in grade.correctness.failed))
    if missed:
        lines += ["", "## Behaviour the grader did not see", ""]
        lines += [f"- {md_escape(description)}" for description in missed]
    if grade.reason and grade.run_status is not None and grade.run_status.value != "completed":
        lines += ["", f"Your run: {md_escape(grade.reason)}."]
    if grade.notebook is not None:
        lines += ["", "## Your notebook, run top to bottom on a fresh kernel", ""]
        lines += [f"- {md_escape(line)}" for line in summary.notebook_lines(grade)]
    if grade.quality is not None and grade.quality.findings:
        lines += ["", "## Lint findings in your code", ""]
        for finding in grade.quality.findings[:LINT_SHOWN]:
            where = md_escape(finding.where)
            lines.append(f"- {where} `{finding.code}` {md_escape(finding.message)}")
    if grade.own_tests is not None:
        caught = sum(1 for m in grade.own_tests.mutants if m.caught)
        lines += ["", f"Your tests caught {caught} of {len(grade.own_tests.mutants)} planted bugs."]
    return "\n".join(lines) + "\n"

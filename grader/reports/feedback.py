"""Feedback a candidate may be shown: scores and areas, never what the hidden tests contain.

It is drawn from the verdict through ``safe_view``, which copies only what a candidate may
read. Left out: hidden test ids and failure messages (they can carry inputs and expected
values), the captured output (it can echo hidden inputs), the rubric's problem list and the
planted mutants (they would tell the next candidate what to look for), follow-up questions,
flags and the host's notes. What remains is what the candidate can act on: per-area credit,
what each failing area checks in one recruiter line, their own code's lint findings and how
many planted bugs their tests caught.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.model import Grade

from .markdown import md_escape, md_table
from .summary import verdict_of
from .verdict import LintRow, Verdict

CANDIDATE_LABELS = {
    "correctness": "Correctness",
    "quality": "Code quality",
    "own_tests": "Your tests",
    "reasoning": "Written diagnosis",
}
"""The scores a candidate sees (not the profile total, which is the employer's weighting)."""
NOT_JUDGED = "not enough code to judge"


@dataclass(frozen=True)
class FeedbackView:
    """The candidate-safe subset of a verdict: nothing here reveals a hidden test."""

    exercise_title: str
    graded: bool
    scores: tuple[tuple[str, float | None], ...]
    areas: tuple[tuple[str, float], ...]
    """Area title and the share of its credit earned."""
    missed: tuple[str, ...]
    """What each failed hidden test checks (its recruiter description), without repeats."""
    run_outcome: str
    notebook: tuple[str, ...]
    lint: tuple[LintRow, ...]
    lint_total: int
    mutants: tuple[int, int] | None
    """Planted bugs caught and planted (counts only: which bugs is hidden)."""


def safe_view(v: Verdict) -> FeedbackView:
    """Copy from the verdict only what the candidate may read."""
    own = v.own_tests
    return FeedbackView(
        exercise_title=v.exercise_title,
        graded=v.graded,
        scores=tuple(
            (CANDIDATE_LABELS[s.key], s.value) for s in v.scores if s.key in CANDIDATE_LABELS
        ),
        areas=tuple((a.title, a.share) for a in v.areas),
        missed=tuple(dict.fromkeys(d for f in v.failed for d in f.covers or (f.description,))),
        run_outcome=v.reason if v.graded else "",
        notebook=v.notebook if v.graded else (),
        lint=v.quality.findings if v.quality else (),
        lint_total=v.quality.findings_total if v.quality else 0,
        mutants=(own.caught, len(own.mutants)) if own else None,
    )


def feedback_markdown(view: FeedbackView) -> str:
    """The safe view as Markdown."""
    lines = [f"# Your result: {md_escape(view.exercise_title)}", ""]
    if not view.graded:
        lines.append("Your submission could not be graded automatically; a person will review it.")
        return "\n".join(lines) + "\n"
    rows = [(name, NOT_JUDGED if value is None else f"{value:.0f}") for name, value in view.scores]
    lines.append(md_table(("Score", "0–100"), ("---", "---:"), rows))
    areas = [(md_escape(title), f"{share:.0f}%") for title, share in view.areas]
    lines += ["", "## By area", "", md_table(("Area", "Credit"), ("---", "---:"), areas)]
    if view.missed:
        lines += ["", "## Behaviour the grader did not see", ""]
        lines += [f"- {md_escape(description)}" for description in view.missed]
    if view.run_outcome:
        lines += ["", f"Your run: {md_escape(view.run_outcome)}."]
    if view.notebook:
        lines += ["", "## Your notebook, run top to bottom on a fresh kernel", ""]
        lines += [f"- {md_escape(line)}" for line in view.notebook]
    if view.lint:
        lines += ["", "## Lint findings in your code", ""]
        for f in view.lint:
            lines.append(f"- {md_escape(f.where)} {f.code_md} {md_escape(f.message)}")
        if view.lint_total > len(view.lint):
            lines.append(f"- … and {view.lint_total - len(view.lint)} more")
    if view.mutants is not None:
        caught, planted = view.mutants
        lines += ["", f"Your tests caught {caught} of {planted} planted bugs."]
    return "\n".join(lines) + "\n"


def candidate_feedback(grade: Grade) -> str:
    """Markdown feedback that is safe to send to the candidate."""
    return feedback_markdown(safe_view(verdict_of(grade)))

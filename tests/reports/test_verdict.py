"""The verdict model: one policy for follow-up questions, one cap for findings, one safe
subset for the candidate, whatever format renders it."""

from __future__ import annotations

from dataclasses import fields, replace

from grader.reports.evidence import FINDINGS_SHOWN
from grader.reports.feedback import FeedbackView, safe_view
from grader.reports.questions import QUESTIONS_SHOWN
from grader.reports.summary import verdict_of

from .factory import golden_grade, make_grade, make_ungradable


def test_questions_from_failed_tests_come_first_and_weak_areas_keep_a_slot():
    grade = golden_grade("utilities-mutants")
    questions = verdict_of(grade).questions
    assert len(questions) <= QUESTIONS_SHOWN
    failed = [t.question for t in grade.correctness.failed if t.question]  # type: ignore[union-attr]
    assert questions[0] == failed[0]
    assert any(q.startswith("Ask which test would catch this bug: ") for q in questions)
    assert questions[-1].startswith("Walk through metrics.py:8 (ANN001")


def test_weak_areas_take_slots_from_failed_tests_never_beyond_the_cap():
    grade = golden_grade("debug-full")
    many = tuple(
        replace(t, question=f"question {i}?", outcome=t.outcome)
        for i, t in enumerate(grade.correctness.tests)  # type: ignore[union-attr]
    )
    correctness = replace(grade.correctness, tests=many)  # type: ignore[type-var]
    questions = verdict_of(replace(grade, correctness=correctness)).questions
    assert len(questions) == QUESTIONS_SHOWN
    assert sum(q.startswith("Ask them to explain") for q in questions) == 2
    assert sum(q.startswith("Walk through") for q in questions) == 1


def test_a_plain_grade_asks_every_failed_tests_question_once():
    grade = make_grade(failed={"t1": "x", "t2": "y"})
    assert verdict_of(grade).questions == (
        "How do you compute a mean per column?",
        "What does ddof change?",
    )


def test_an_ungradable_grade_has_no_scores_questions_or_evidence():
    v = verdict_of(make_ungradable(reason="engine gone"))
    assert (v.graded, v.scores, v.questions, v.failed) == (False, (), (), ())
    assert v.headline == "Ungradable: engine gone"


def test_lint_findings_are_capped_once_for_every_format():
    grade = golden_grade("utilities-mutants")
    quality = verdict_of(grade).quality
    assert quality is not None
    assert len(quality.findings) == FINDINGS_SHOWN
    assert quality.findings_hidden == len(grade.quality.findings) - FINDINGS_SHOWN  # type: ignore[union-attr]


def test_a_finding_links_only_to_the_rule_documentation():
    grade = golden_grade("debug-full")
    assert grade.quality is not None
    forged = replace(grade.quality.findings[0], url="https://evil.example/x")
    quality = replace(grade.quality, findings=(forged,))
    row = verdict_of(replace(grade, quality=quality)).quality.findings[0]  # type: ignore[union-attr]
    assert row.url == ""
    assert row.code_md == "`F841`"


def test_the_candidates_view_has_no_field_for_hidden_evidence():
    names = {f.name for f in fields(FeedbackView)}
    assert names.isdisjoint({"failed", "questions", "flags", "notes", "diagnosis", "outputs"})
    view = safe_view(verdict_of(golden_grade("utilities-mutants")))
    assert view.mutants == (2, 6)
    assert [name for name, _ in view.scores] == ["Correctness", "Code quality", "Your tests"]


def test_tests_that_never_reported_fold_into_one_row_but_feedback_names_each():
    grade = make_grade(not_run=("t3", "t4"), reason="timed out after 60 s")
    v = verdict_of(grade)
    assert [f.count for f in v.failed] == [2]
    assert safe_view(v).missed == (
        "scales unseen data with the fitted statistics",
        "leaves constant columns finite",
    )

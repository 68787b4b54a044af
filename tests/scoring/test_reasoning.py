"""Reasoning credit ties words to behaviour: explained × fixed, with evidence and flags."""

from __future__ import annotations

import pytest

from grader.scoring.reasoning import (
    DEFAULT_POLICY,
    ConceptKind,
    CreditPolicy,
    FlagKind,
    score_reasoning,
)

from .rubrics import CALIBRATION, concept, one_problem_rubric

RUBRIC = one_problem_rubric()
MECHANISM = "The scaler was fit on all rows, so test statistics leaked into training."
FIX = "I now fit it only on the training rows and apply it to the test rows."


@pytest.mark.parametrize(
    ("text", "fixed", "share"),
    [
        (f"{MECHANISM} {FIX}", True, None),
        ("I cleaned up the code and renamed some variables.", True, DEFAULT_POLICY.fixed_only),
        (f"{MECHANISM} The fix is to fit it only on the training rows.", False, 0.25),
        ("I cleaned up the code and renamed some variables.", False, 0.0),
    ],
)
def test_credit_is_explained_times_fixed(text: str, fixed: bool, share: float | None):
    result = score_reasoning(RUBRIC, text, {"scaling": fixed})
    row = result.rows[0]
    if share is None:  # fixed and explained: graded by how much of the problem it covers
        floor = DEFAULT_POLICY.explained_floor
        share = round(floor + (1 - floor) * row.earned_weight / row.possible_weight, 4)
    assert row.share == share
    assert result.score == round(100 * share, 2)


def test_explained_needs_half_the_concept_weight():
    result = score_reasoning(RUBRIC, MECHANISM, {"scaling": True})
    row = result.rows[0]
    assert (row.earned_weight, row.possible_weight) == (2.0, 4.0)
    assert row.explained


def test_naming_the_place_and_the_fix_does_not_explain_a_problem():
    rubric = one_problem_rubric(
        concept("location", r"\bprepare\b", weight=1),
        concept("mechanism", r"scaler.{0,40}fit\w*.{0,40}all rows", weight=2),
        concept("fix", r"fit\w*.{0,30}only on (the )?train\w*", weight=3),
    )
    text = "In prepare I changed the code. I now fit it only on the training rows."
    row = score_reasoning(rubric, text, {"scaling": True}).rows[0]
    assert row.earned_weight == 4.0
    assert not row.explained
    assert row.share == DEFAULT_POLICY.fixed_only


def test_a_consequence_alone_can_explain_a_problem():
    rubric = one_problem_rubric(
        concept("mechanism", r"scaler.{0,40}fit\w*.{0,40}all rows", weight=1),
        concept("consequence", r"test statistics leak", weight=3),
    )
    text = "The test statistics leak into the training features."
    assert score_reasoning(rubric, text, {"scaling": True}).rows[0].explained


def test_the_evidence_is_the_sentence_that_earned_the_mechanism():
    result = score_reasoning(RUBRIC, f"Intro line here that says little. {MECHANISM}", {})
    row = result.rows[0]
    assert row.evidence == MECHANISM
    assert [(m.kind, m.line) for m in row.matches] == [(ConceptKind.MECHANISM, 1)]


def test_a_negated_sentence_earns_nothing_and_says_why():
    text = "The scaler was not fit on the test set; that part was fine."
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.matches
    assert row.rejected[0].rejected == "negated by 'not'"


def test_an_anti_pattern_cancels_the_credit_in_its_sentence():
    rubric = one_problem_rubric(
        concept(
            "mechanism",
            r"scaler.{0,40}fit\w*.{0,40}all rows",
            weight=2,
            anti_patterns=[r"\bby design\b"],
        ),
        concept("fix", r"fit\w*.{0,30}only on (the )?train\w*", weight=2),
    )
    text = "The scaler was fit on all rows by design, which is fine for this task."
    row = score_reasoning(rubric, text, {"scaling": True}).rows[0]
    assert not row.matches
    assert row.rejected[0].rejected.startswith("anti-pattern")


def test_an_anti_phrase_refuses_only_when_it_is_asserted():
    rubric = one_problem_rubric(
        concept(
            "mechanism",
            r"scaler.{0,40}fit\w*.{0,40}all rows",
            weight=2,
            anti_phrases=["scaler =noisy"],
        ),
        concept("fix", r"fit\w*.{0,30}only on (the )?train\w*", weight=2),
    )
    asserted = "The scaler was noisy and was fit on all rows."
    row = score_reasoning(rubric, asserted, {"scaling": True}).rows[0]
    assert not row.matches and row.rejected[0].rejected.startswith("anti-phrase")
    denied = "The scaler was not noisy; it was fit on all rows, so test rows leaked in."
    assert score_reasoning(rubric, denied, {"scaling": True}).rows[0].matches


def test_a_question_is_not_a_claim():
    text = "Could the scaler have been fit on all rows?"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert row.rejected[0].rejected == "a question, not a claim"


def test_a_fix_claim_for_a_failing_group_is_flagged():
    text = f"{MECHANISM} I fixed the scaler so it is fit on the training rows only."
    result = score_reasoning(RUBRIC, text, {"scaling": False})
    (flag,) = result.flagged(FlagKind.UNSUPPORTED_CLAIM)
    assert "scaler-leak" in flag.message and flag.line == 1
    assert flag.sentence.startswith("I fixed the scaler")


def test_a_claim_is_tied_to_a_problem_by_its_section_heading():
    text = f"## The prepare step\n\n{MECHANISM}\n\nI fixed it.\n"
    result = score_reasoning(RUBRIC, text, {"scaling": False})
    assert result.rows[0].claim == "I fixed it."


def test_a_fix_claim_that_passed_is_not_flagged():
    text = f"{MECHANISM} I fixed the scaler so it is fit on the training rows only."
    assert not score_reasoning(RUBRIC, text, {"scaling": True}).flagged(FlagKind.UNSUPPORTED_CLAIM)


@pytest.mark.parametrize(
    "text",
    ["I did not fix the scaler yet.", "I changed nothing in the scaler.", "Is the scaler fixed?"],
)
def test_a_negated_or_absent_fix_claim_is_not_a_claim(text: str):
    assert score_reasoning(RUBRIC, f"{MECHANISM} {text}", {"scaling": False}).rows[0].claim == ""


def test_a_location_named_in_a_code_block_counts_as_cited():
    text = f"{MECHANISM}\n\n```python\nX_train, X_test = prepare(X)\n```\n"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert row.located and row.location.startswith("X_train")


def test_a_code_block_alone_explains_nothing():
    text = "See below.\n\n```python\n# the scaler was fit on all rows\nscaler.fit(X)\n```\n"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.matches


@pytest.mark.parametrize(("text", "words"), [(None, "no DIAGNOSIS.md"), ("  \n", "is empty")])
def test_a_missing_or_empty_diagnosis_scores_zero_with_a_reason(text: str | None, words: str):
    result = score_reasoning(RUBRIC, text, {"scaling": True})
    assert result.score == 0.0
    assert words in result.reason
    assert result.flagged(FlagKind.EMPTY)


def test_a_diagnosis_of_only_headings_and_code_has_no_prose():
    result = score_reasoning(RUBRIC, "# Diagnosis\n\n```\nprepare(X)\n```\n", {"scaling": True})
    assert result.score == 0.0
    assert "no explanatory prose" in result.reason


def test_a_group_without_a_result_counts_as_not_fixed_and_is_flagged():
    result = score_reasoning(RUBRIC, f"{MECHANISM} {FIX}", {"other": True})
    assert not result.rows[0].fixed
    assert result.flagged(FlagKind.UNKNOWN_GROUP)


def test_problem_weights_make_a_weighted_mean():
    rubric = CALIBRATION
    text = (
        "make_batches shuffled the labels with a second permutation, separately from the "
        "features. I now draw one permutation and index both arrays with it."
    )
    result = score_reasoning(rubric, text, {"labels": True, "softmax": False, "scaling": False})
    labels = result.rows[0]
    assert labels.explained and [r.share for r in result.rows[1:]] == [0.0, 0.0]
    total = sum(r.weight for r in result.rows)
    assert result.score == round(100 * labels.share * labels.weight / total, 2)


def test_the_credit_policy_can_be_changed():
    policy = CreditPolicy(fixed_only=0.5)
    result = score_reasoning(RUBRIC, "I renamed some variables here.", {"scaling": True}, policy)
    assert result.score == 50.0


def test_the_same_input_gives_the_same_output():
    text = f"{MECHANISM} {FIX} I fixed the scaler."
    first = score_reasoning(RUBRIC, text, {"scaling": False})
    again = score_reasoning(RUBRIC, text, dict(reversed(list({"scaling": False}.items()))))
    assert first == again


def test_a_change_described_as_done_is_a_fix_claim():
    text = f"{MECHANISM} I now fit the scaler only on the training rows."
    assert score_reasoning(RUBRIC, text, {"scaling": False}).rows[0].claim.startswith("I now")


def test_a_first_person_sentence_under_a_fix_heading_is_a_fix_claim():
    text = f"{MECHANISM}\n\n### Fix\n\nI fit the scaler on the training rows only.\n"
    row = score_reasoning(RUBRIC, text, {"scaling": False}).rows[0]
    assert row.claim == "I fit the scaler on the training rows only."
    assert row.penalty == DEFAULT_POLICY.disproved_claim

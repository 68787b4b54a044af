"""A negated claim earns nothing; scope is the clause around the match."""

from __future__ import annotations

import re

import pytest

from grader.scoring.reasoning import negation_cue

SCALER = re.compile(r"scaler.{0,40}fit\w*.{0,40}(test|all rows)", re.IGNORECASE)
SOFTMAX = re.compile(r"softmax.{0,60}(axis\s*=?\s*0|wrong axis|over the batch)", re.IGNORECASE)
ROWS_DO_NOT_SUM = re.compile(r"rows?.{0,40}(do not|don't) sum to (1|one)", re.IGNORECASE)
ROWS_SUM = re.compile(r"rows?.{0,30}sums? to (1|one)", re.IGNORECASE)
LABELS = re.compile(r"shuffl\w*.{0,60}labels?.{0,60}(separate|independent)", re.IGNORECASE)


def cue(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    assert match is not None, f"fixture pattern does not match: {text}"
    return negation_cue(text, match)


@pytest.mark.parametrize(
    "text",
    [
        "The scaler was not fit on the test set.",
        "The scaler wasn't fit on all rows.",
        "The scaler was never fit on the test set.",
        "The scaler is no longer fit on all rows.",
        "I don't think the scaler was fit on all rows.",
        "I didn't find that the scaler was fit on all rows.",
    ],
)
def test_a_cue_before_or_inside_the_claim_negates_it(text: str):
    assert cue(SCALER, text)


@pytest.mark.parametrize(
    "text",
    [
        "It was not the softmax over the wrong axis.",
        "The softmax over axis 0 was not the problem.",
        "The softmax over axis 0 is fine.",
        "I suspected the softmax over the wrong axis, but it wasn't.",
        "I checked whether the softmax was over the wrong axis.",
    ],
)
def test_a_denial_of_the_claim_negates_it(text: str):
    assert cue(SOFTMAX, text)


def test_without_negates_the_claim_it_precedes():
    assert cue(LABELS, "Shuffling ran without the labels being separate.") == "without"


@pytest.mark.parametrize(
    "text",
    [
        "It was not the learning rate but the softmax over the wrong axis.",
        "Not only was the softmax over the wrong axis, but the labels were shuffled too.",
        "The loss did not go down because the softmax was over the wrong axis.",
        "The softmax was taken over axis 0, so rows did not sum to one.",
        "The softmax was taken over axis 0 and the model could not learn.",
    ],
)
def test_a_negation_in_another_clause_leaves_the_claim_standing(text: str):
    assert cue(SOFTMAX, text) is None


def test_a_negated_aside_inside_the_claim_does_not_negate_it():
    assert cue(SCALER, "The scaler, which I did not check at first, was fit on all rows.") is None


def test_but_not_negates_only_what_follows_it():
    assert cue(LABELS, "Shuffling the labels but not the features made them independent.") is None


def test_a_negation_the_pattern_requires_is_part_of_the_claim():
    assert cue(ROWS_DO_NOT_SUM, "The rows do not sum to one.") is None


def test_the_same_words_negate_a_pattern_that_does_not_require_them():
    assert cue(ROWS_SUM, "The rows do not sum to one.") == "not"

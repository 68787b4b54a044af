"""A negated claim earns nothing; scope is the clause around the matched words."""

from __future__ import annotations

import pytest

from grader.scoring.lexicon import Lexicon, compile_phrase, find_phrase, key_index
from grader.scoring.negation import endorsement, negation_cue

LEXICON = Lexicon()
SCALER = "scaler fit all|test"
SOFTMAX = "softmax wrong|batch|0 axis|over"
ROWS_DO_NOT_SUM = "rows not sum one"
ROWS_SUM = "rows sum one"
LABELS = "shuffled labels independent"


def cue(phrase: str, text: str) -> str | None:
    tokens = LEXICON.tokenize(text)
    positions = find_phrase(compile_phrase(phrase, LEXICON), key_index(tokens))
    assert positions is not None, f"fixture phrase does not match: {text}"
    chosen = frozenset(positions)
    return negation_cue(tokens, positions[0], positions[-1], chosen.__contains__)


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
        "The softmax over the wrong axis had nothing to do with it.",
    ],
)
def test_a_denial_of_the_claim_negates_it(text: str):
    assert cue(SOFTMAX, text)


def test_without_negates_the_claim_it_precedes():
    assert cue(LABELS, "Shuffling ran without the labels being independent.") == "without"


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


def test_a_negation_the_phrase_requires_is_part_of_the_claim():
    assert cue(ROWS_DO_NOT_SUM, "The rows do not sum to one.") is None


def test_the_same_words_negate_a_phrase_that_does_not_require_them():
    assert cue(ROWS_SUM, "The rows do not sum to one.") == "not"


def test_a_cue_after_the_match_in_its_first_clause_negates_something_else():
    tokens = LEXICON.tokenize(
        "At scoring time the customer has not cancelled, so the field is empty"
    )
    phrase = compile_phrase("scoring time empty", LEXICON)
    positions = find_phrase(phrase, key_index(tokens))
    assert positions is not None
    chosen = set(positions)
    assert negation_cue(tokens, positions[0], positions[-1], chosen.__contains__) is None


@pytest.mark.parametrize(
    ("text", "praise"),
    [
        ("The split mixes all months, which is the fairest way to use the data.", "fairest"),
        ("The scaler is fit on all rows, which gives the most stable statistics.", "stable"),
        ("The customer is on both sides, and that is intended.", "intended"),
        ("The split mixes all months, which is not a good idea.", None),
        ("The split mixes all months, which inflates the AUC the good way.", None),
        ("The loss stays stable at 8 because the rate is tiny.", None),
    ],
)
def test_praise_after_a_statement_presents_it_as_good(text: str, praise: str | None):
    tokens = LEXICON.tokenize(text)
    assert endorsement(tokens, 2) == praise

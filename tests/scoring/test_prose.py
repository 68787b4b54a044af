"""The prose check sets aside lists of terms, telegraphic fragments and repeats."""

from __future__ import annotations

import pytest

from grader.scoring.prose import prose_problem, rubric_keywords
from grader.scoring.reasoning import DEFAULT_POLICY, FlagKind, score_reasoning

from .rubrics import CALIBRATION

KEYWORDS = rubric_keywords(CALIBRATION)
ALL_FIXED = {"labels": True, "softmax": True, "scaling": True}


def test_rubric_keywords_are_stems_of_content_words():
    assert {"label", "softmax", "permut", "valid", "make_batches"} <= KEYWORDS
    assert "with" not in KEYWORDS and "from" not in KEYWORDS


@pytest.mark.parametrize(
    "text",
    [
        "The labels were shuffled with a different permutation than the features.",
        "Because of that, every batch paired rows with random labels.",
        "The softmax was taken over axis 0 instead of axis 1.",
    ],
)
def test_an_explanatory_sentence_is_prose(text: str):
    assert prose_problem(text, KEYWORDS) == ""


def test_a_comma_separated_bag_of_terms_is_a_list():
    reason = prose_problem("leakage, shuffling, softmax axis, normalisation, permutation", KEYWORDS)
    assert reason == "a list of 5 terms, not an explanation"


def test_an_ordinary_enumeration_in_a_sentence_is_not_a_list():
    text = "The sensors are temperature, vibration, pressure, speed."
    assert prose_problem(text, KEYWORDS) == ""


def test_a_short_keyword_fragment_is_telegraphic():
    reason = prose_problem("Softmax wrong axis.", KEYWORDS)
    assert reason.startswith("telegraphic: no verb, only 3 words")


def test_a_long_run_of_keywords_without_grammar_is_telegraphic():
    text = "shuffled labels features separate permutation softmax axis validation statistics"
    assert "rubric keywords" in prose_problem(text, KEYWORDS)


def test_one_signal_alone_does_not_set_a_sentence_aside():
    assert prose_problem("Softmax over axis 0 instead of over the class axis.", KEYWORDS) == ""


def test_a_repeated_sentence_earns_once_and_is_flagged():
    sentence = "The labels were shuffled with a different permutation than the features."
    result = score_reasoning(CALIBRATION, f"{sentence} {sentence}", ALL_FIXED)
    flags = result.flagged(FlagKind.NOT_PROSE)
    assert [f.message for f in flags] == ["earns nothing: repeats the sentence on line 1"]
    labels = result.rows[0]
    assert [m.kind.value for m in labels.matches] == ["mechanism"]


def test_a_mostly_stuffed_diagnosis_explains_nothing_and_earns_at_most_the_named_share():
    text = "Labels shuffled separately.\n\nSame permutation.\n\nSoftmax wrong axis.\n"
    result = score_reasoning(CALIBRATION, text, ALL_FIXED)
    assert result.flagged(FlagKind.KEYWORD_STUFFING)
    assert "keyword stuffing" in result.reason
    assert not any(r.explained for r in result.rows)
    assert all(r.share <= DEFAULT_POLICY.fixed_and_named for r in result.rows)
    assert result.score <= 100 * DEFAULT_POLICY.fixed_and_named


def test_stuffing_among_real_sentences_explains_nothing_with_the_reason():
    text = (
        "The labels were shuffled with a different permutation than the features. "
        "I now use one permutation for both arrays.\n\n"
        "- Softmax wrong axis.\n- Validation own statistics.\n- Training statistics for both.\n"
    )
    result = score_reasoning(CALIBRATION, text, ALL_FIXED)
    assert result.flagged(FlagKind.KEYWORD_STUFFING)
    assert "keyword stuffing" in result.reason
    assert not any(r.explained for r in result.rows)
    assert result.rows[0].matches  # the evidence stays visible even though it explains nothing
    assert result.rows[0].share == DEFAULT_POLICY.fixed_and_named


def test_one_keyword_line_after_a_real_explanation_is_only_flagged():
    text = (
        "The labels were shuffled with a different permutation than the features. "
        "I now use one permutation for both arrays, so rows keep their labels.\n\n"
        "Keywords: leakage, shuffling, softmax, axis, normalisation\n"
    )
    result = score_reasoning(CALIBRATION, text, ALL_FIXED)
    assert len(result.flagged(FlagKind.NOT_PROSE)) == 1
    assert not result.flagged(FlagKind.KEYWORD_STUFFING)
    assert result.rows[0].explained and result.rows[0].fixed


def test_a_sentence_without_rubric_terms_is_not_flagged():
    result = score_reasoning(CALIBRATION, "Thanks! The task was fun to work on.", ALL_FIXED)
    assert not result.flagged(FlagKind.NOT_PROSE)


def test_a_run_on_without_sentence_ends_is_set_aside():
    blob = " ".join(["the labels were shuffled with their own permutation"] * 30)
    assert prose_problem(blob, KEYWORDS) == "a run-on of 240 words with no sentence end"


@pytest.mark.parametrize(
    "text",
    [
        "Random split leaks card history and fraud rings.",
        "Rules remain the fallback.",
        "Analysts edit rules, so the feature meaning shifts.",
        "The payment never waits for us.",
    ],
)
def test_a_terse_clause_with_a_finite_verb_is_prose(text: str):
    # Engineers write like this: few function words, many rubric terms, and still a clause.
    assert prose_problem(text, KEYWORDS) == ""


@pytest.mark.parametrize(
    "text",
    [
        "labels: shuffle permutation softmax axis batch leak",
        "retention_offer: CRM, target leak -> dropped",
        "split: random row split, customer overlap, no time split, drift -> group + temporal split",
        "shuffled labels averaged gradient softmax axis validation statistics",
    ],
)
def test_a_verb_used_as_a_term_does_not_make_a_bag_of_terms_prose(text: str):
    keywords = KEYWORDS | {"retention_offer", "crm", "target", "drop", "split", "random",
                           "customer", "overlap", "time", "drift", "group", "tempor"}  # fmt: skip
    assert prose_problem(text, keywords) != ""


@pytest.mark.parametrize(
    "text",
    [
        "Shuffle X/y together with one permutation/index array.",
        "Fit the scaler on train only and reuse its mean/std for val/test.",
    ],
)
def test_a_slash_joins_a_compound_term_not_list_items(text: str):
    assert prose_problem(text, KEYWORDS) == ""


@pytest.mark.parametrize(
    "text", ["leakage/softmax/permutation/scaler", "labels / softmax / permutation / scaler"]
)
def test_terms_joined_by_slashes_are_still_not_prose(text: str):
    assert prose_problem(text, KEYWORDS) != ""


@pytest.mark.parametrize(
    "text",
    [
        "same card on both sides -> optimistic offline metrics",
        "card history in both splits → optimistic offline metrics",
        "card history in both splits => optimistic offline metrics",
    ],
)
def test_an_arrow_between_two_phrases_reads_as_a_clause(text: str):
    # Without the arrow these words are a bag of rubric terms (62 % keywords, no verb).
    keywords = KEYWORDS | {"split", "card", "offline", "metric", "sid", "history", "optimistic"}
    assert prose_problem(text, keywords) == ""


@pytest.mark.parametrize(
    "text",
    ["Kafka -> stream job -> Redis", "gateway → scorer network", "labels → softmax → scaler"],
)
def test_an_arrow_with_a_one_word_side_is_notation_not_a_clause(text: str):
    assert prose_problem(text, KEYWORDS | {"kafka", "stream", "redis", "gateway", "scorer"}) != ""


def test_a_list_that_holds_a_whole_clause_gives_its_reason():
    text = "no online learning / labels don't exist yet; instability; poisoning"
    assert prose_problem(text, KEYWORDS) == ""
    assert prose_problem("leakage; softmax axis; permutation; scaler", KEYWORDS) != ""

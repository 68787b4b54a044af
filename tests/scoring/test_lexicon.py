"""Concepts match meaning: stems, synonym sets and example phrases, found in any order."""

from __future__ import annotations

import pytest

from grader.scoring.lexicon import Lexicon, compile_phrase, find_phrase, key_index, stem

LEXICON = Lexicon([["label", "answer", "target"], ["shuffle", "mix up", "jumble"]])


def found(phrase: str, text: str, lexicon: Lexicon = LEXICON) -> str | None:
    """The words a phrase matched in a text, joined by spaces, or None."""
    tokens = lexicon.tokenize(text)
    positions = find_phrase(compile_phrase(phrase, lexicon), key_index(tokens))
    return None if positions is None else " ".join(tokens[p].surface for p in positions)


@pytest.mark.parametrize(
    ("forms", "common"),
    [
        (("shuffle", "shuffled", "shuffles", "shuffling"), "shuffl"),
        (("normalise", "normalised", "normalizing", "normalization"), "normaliz"),
        (("stop", "stopped", "stopping", "stops"), "stop"),
        (("took", "taken", "take", "takes"), "tak"),
        (("permutation", "permuted", "permute"), "permut"),
    ],
)
def test_word_forms_share_one_stem(forms: tuple[str, ...], common: str):
    assert {stem(f) for f in forms} == {common}


def test_identifiers_and_numbers_keep_their_exact_form():
    assert stem("make_batches") == "make_batches" and stem("0.95") == "0.95"


def test_a_phrase_matches_its_words_in_any_order_and_form():
    assert found("labels shuffled separately", "Separately from X, the labels got shuffled.")


def test_a_synonym_set_lets_plain_words_match():
    assert found("labels shuffled", "The answers were jumbled.") == "answers jumbled"


def test_a_multi_word_synonym_is_one_slot():
    assert found("labels shuffled", "We mix up the targets.") == "mix up targets"


def test_words_too_far_apart_do_not_match():
    text = "The labels " + "were read from a file that somebody else wrote " * 3 + "and shuffled."
    assert found("labels shuffled", text) is None


def test_alternatives_offer_several_words_for_one_slot():
    assert found("softmax axis 0|batch", "softmax over the batch axis")
    assert found("softmax axis 0|batch", "softmax over the class axis") is None


def test_an_exact_word_skips_its_synonym_sets():
    assert found("=label noise", "label noise") and found("=label noise", "answer noise") is None


def test_exact_words_can_be_alternatives_of_one_slot():
    # "=label|=answer" is one slot taking either word exactly, not two exact slots.
    assert len(compile_phrase("=label|=answer noise", LEXICON).slots) == 2
    assert found("=label|=answer noise", "answer noise") == "answer noise"
    assert found("=label|=answer noise", "target noise") is None  # no synonym sets


def test_a_number_with_thousands_separators_is_one_token():
    assert found("=200 alerts", "reviewing 1,200 alerts a day") is None
    assert found("=1,200 alerts", "reviewing 1,200 alerts a day") == "1,200 alerts"
    assert [t.surface for t in LEXICON.tokenize("costs 12,345.50, then 3, 4")] == [
        "costs", "12,345.50", ",", "then", "3", ",", "4"
    ]  # fmt: skip


def test_stop_words_never_become_slots():
    assert len(compile_phrase("the scaler is fit on all rows", LEXICON).slots) == 4


def test_contractions_become_a_negation_word():
    assert [t.surface for t in LEXICON.tokenize("rows don't sum")] == ["rows", "do", "not", "sum"]


def test_one_word_never_fills_two_slots_of_a_phrase():
    lexicon = Lexicon([["big", "larger"]])
    assert found("bigger batch bigger step", "larger batches make the step worse", lexicon) is None
    assert found("big batch big step", "a big batch gives a big step", lexicon) is not None


def test_a_merged_token_fills_as_many_slots_as_it_has_words():
    lexicon = Lexicon([["both", "train and validation"]])
    tokens = lexicon.tokenize("customers in train and validation")
    phrase = compile_phrase("customers train validation", lexicon)
    widths = [t.width for t in tokens]
    assert find_phrase(phrase, key_index(tokens)) is None
    assert find_phrase(phrase, key_index(tokens), widths=widths) is not None


def test_a_count_that_opens_a_compound_is_not_a_count():
    # "one" shares a set with "same": "one-hot columns" must not say the code is shared,
    # while "one shared code" and the word "one-hot" itself still match.
    assert found("same code", "the vehicle becomes one-hot code columns") is None
    assert found("same code", "both paths use one code") == "one code"
    assert found("one hot", "the vehicle becomes one-hot columns") == "one hot"


def test_engineers_symbols_read_as_words_and_arrows_end_clauses():
    # "new scale ≠ old" says the scale differs; an arrow separates cause from effect.
    assert found("scale differs", "new score scale ≠ old") == "scale differs"
    tokens = LEXICON.tokenize("labels lag -> recall unknown → page")
    assert [t.surface for t in tokens if t.is_break] == ["->", "→"]


def test_a_phrase_that_repeats_a_word_matches_two_of_them():
    # Both "win" slots answer to the first "win" alone; the match must widen to the second.
    assert found("offline win live win", "Offline win, but not a live win.") is not None
    assert found("win live win", "Offline win, but not a live win.") is not None

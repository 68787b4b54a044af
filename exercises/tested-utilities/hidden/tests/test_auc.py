"""Hidden tests: roc_auc is the Mann-Whitney probability, ties count one half."""

from __future__ import annotations

import numpy as np
from _checks import assert_close, metrics
from _data import binary_scores, bucket_auc, ref_auc, rng_for


def auc_of(candidate, y_true, scores, what: str) -> float:
    value = metrics(candidate).roc_auc(y_true, scores)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"roc_auc must return a number for {what}") from exc


def test_auc_matches_definition_on_continuous_scores(candidate, case_seed):
    rng = rng_for(case_seed)
    y, scores = binary_scores(rng, int(rng.integers(60, 300)))
    assert_close(
        auc_of(candidate, y, scores, "numpy arrays"),
        ref_auc(y, scores),
        "roc_auc must be the share of (positive, negative) pairs ranked correctly",
    )
    assert_close(
        auc_of(candidate, y.tolist(), scores.tolist(), "lists"),
        ref_auc(y, scores),
        "roc_auc must give the same value for lists",
    )


def test_auc_ties_count_one_half(candidate, case_seed):
    rng = rng_for(case_seed)
    y, scores = binary_scores(rng, int(rng.integers(80, 300)), levels=int(rng.integers(3, 7)))
    assert_close(
        auc_of(candidate, y, scores, "tied scores"),
        ref_auc(y, scores),
        "a tied (positive, negative) pair must count one half",
    )
    flat = np.full(len(y), float(rng.uniform(0.1, 0.9)))
    assert_close(
        auc_of(candidate, y, flat, "constant scores"),
        0.5,
        "roc_auc must be 0.5 when every score is equal",
    )
    a, b = float(rng.uniform(0.5, 2.0)), float(rng.uniform(-1.0, 1.0))
    small = [0.5 * a + b, 0.5 * a + b, 0.2 * a + b, 0.8 * a + b]
    # Pairs (pos, neg): tie, win, win, win -> (0.5 + 3) / 4.
    assert_close(
        auc_of(candidate, [0, 1, 0, 1], small, "a four-sample example"),
        0.875,
        "roc_auc must be 0.875 for labels [0, 1, 0, 1] and scores [.5, .5, .2, .8]",
    )


def test_auc_perfect_and_reversed_ranking(candidate, case_seed):
    rng = rng_for(case_seed)
    n_neg, n_pos = int(rng.integers(5, 30)), int(rng.integers(5, 30))
    negatives = rng.uniform(0.0, 0.4, size=n_neg)
    positives = rng.uniform(0.6, 1.0, size=n_pos)
    y = [0] * n_neg + [1] * n_pos
    scores = np.concatenate([negatives, positives]).tolist()
    assert_close(
        auc_of(candidate, y, scores, "a perfect ranking"),
        1.0,
        "roc_auc must be 1.0 when every positive outscores every negative",
    )
    assert_close(
        auc_of(candidate, y, [-s for s in scores], "a reversed ranking"),
        0.0,
        "roc_auc must be 0.0 when every negative outscores every positive",
    )


def test_auc_positive_class_is_the_larger_label(candidate, case_seed):
    rng = rng_for(case_seed)
    y, scores = binary_scores(rng, int(rng.integers(50, 150)))
    expected = ref_auc(y, scores)
    encodings = {
        "booleans": y.astype(bool),
        "-1/+1 labels": np.where(y == 1, 1, -1),
        "1/2 labels as a list": (y + 1).tolist(),
        # Strings: the larger label is the one that sorts last ("yes" > "no").
        "'no'/'yes' strings": np.where(y == 1, "yes", "no"),
    }
    for label, encoded in encodings.items():
        assert_close(
            auc_of(candidate, encoded, scores, label),
            expected,
            f"roc_auc must treat the larger label as positive for {label}",
        )


def test_auc_is_fast_on_two_million_scores(candidate, case_seed):
    rng = rng_for(case_seed)
    n = 2_000_000
    y = rng.binomial(1, 0.4, size=n)
    # Scores rounded to 1/1000: O(n log n) is instant, all pairs would need ~10^12 comparisons.
    bucket = np.clip(np.round(rng.normal(500 + 60 * y, 150)), 0, 1000).astype(np.int64)
    assert_close(
        auc_of(candidate, y, bucket / 1000.0, "two million scores"),
        bucket_auc(y, bucket),
        "roc_auc must be exact (ties included) on 2,000,000 scores, in O(n log n)",
    )

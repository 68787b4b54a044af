"""Tests for metrics.py: hand-computed examples, brute-force references and properties.

Run from the folder that holds metrics.py: ``python -m pytest tests``. Only the public
functions are tested, so the suite holds for any correct implementation.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import (  # found through the sys.path line above
    confusion_matrix,
    precision_recall_f1,
    roc_auc,
    stratified_split,
)

# A small imbalanced example, worked out by hand:
#                 predicted 0  1  2     support
#   true 0                  5  1  0       6
#   true 1                  2  1  0       3
#   true 2                  0  1  1       2
#   predicted count         7  3  1      11
Y_TRUE = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]
Y_PRED = [0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 1]
CONFUSION = [[5, 1, 0], [2, 1, 0], [0, 1, 1]]
PRECISION = [F(5, 7), F(1, 3), F(1, 1)]  # TP / predicted count
RECALL = [F(5, 6), F(1, 3), F(1, 2)]  # TP / support
F1 = [F(10, 13), F(1, 3), F(2, 3)]  # 2 TP / (predicted count + support)
SUPPORT = [6, 3, 2]


def approx(values):
    """pytest.approx over Fractions (or lists of them) converted to float."""
    if isinstance(values, list):
        return pytest.approx([float(v) for v in values], rel=1e-12, abs=1e-12)
    return pytest.approx(float(values), rel=1e-12, abs=1e-12)


def mean(values, weights=None):
    weights = weights or [1] * len(values)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


# --- confusion_matrix ------------------------------------------------------------------------


def test_confusion_matrix_rows_are_true_labels_columns_predicted() -> None:
    assert np.asarray(confusion_matrix(Y_TRUE, Y_PRED)).tolist() == CONFUSION


def test_confusion_matrix_counts_every_sample_once() -> None:
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    matrix = np.asarray(confusion_matrix(y_true, y_pred))
    assert matrix.sum() == 200
    assert np.trace(matrix) == np.sum(y_true == y_pred)
    assert matrix.sum(axis=1).tolist() == np.bincount(y_true, minlength=4).tolist()
    assert matrix.sum(axis=0).tolist() == np.bincount(y_pred, minlength=4).tolist()


def test_confusion_matrix_default_labels_are_sorted_union() -> None:
    # "dog" is only predicted, "cat" only true, and the data does not start sorted.
    y_true = ["eel", "cat", "ant", "eel"]
    y_pred = ["eel", "dog", "ant", "ant"]
    # sorted union: ant, cat, dog, eel
    expected = [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 1]]
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == expected


def test_confusion_matrix_labels_argument_sets_order() -> None:
    matrix = np.asarray(confusion_matrix(Y_TRUE, Y_PRED, labels=[2, 0, 1]))
    assert matrix.tolist() == [[1, 0, 1], [0, 5, 1], [0, 2, 1]]


def test_confusion_matrix_labels_argument_adds_unseen_and_drops_others() -> None:
    matrix = np.asarray(confusion_matrix(Y_TRUE, Y_PRED, labels=[1, 7, 0]))
    # Pairs involving class 2 are not counted; class 7 never occurs.
    assert matrix.tolist() == [[1, 0, 2], [0, 0, 0], [1, 0, 5]]


def test_confusion_matrix_accepts_numpy_arrays() -> None:
    got = confusion_matrix(np.array(Y_TRUE), np.array(Y_PRED), labels=np.array([0, 1, 2]))
    assert np.asarray(got).tolist() == CONFUSION


# --- precision_recall_f1 ---------------------------------------------------------------------


def test_per_class_values_with_average_none() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED, average=None)
    assert list(precision) == approx(PRECISION)
    assert list(recall) == approx(RECALL)
    assert list(f1) == approx(F1)


def test_macro_is_the_unweighted_mean_and_the_default() -> None:
    expected = (mean(PRECISION), mean(RECALL), mean(F1))  # 43/63, 5/9, 23/39
    assert tuple(precision_recall_f1(Y_TRUE, Y_PRED, average="macro")) == approx(list(expected))
    assert tuple(precision_recall_f1(Y_TRUE, Y_PRED)) == approx(list(expected))


def test_micro_pools_the_counts_and_equals_accuracy() -> None:
    accuracy = F(7, 11)
    got = precision_recall_f1(Y_TRUE, Y_PRED, average="micro")
    assert tuple(got) == approx([accuracy] * 3)


def test_weighted_weights_each_class_by_its_support() -> None:
    expected = [mean(m, SUPPORT) for m in (PRECISION, RECALL, F1)]  # 51/77, 7/11, 271/429
    got = precision_recall_f1(np.array(Y_TRUE), np.array(Y_PRED), average="weighted")
    assert tuple(got) == approx(expected)


def test_the_three_averages_differ_on_imbalanced_data() -> None:
    macro = precision_recall_f1(Y_TRUE, Y_PRED, average="macro")
    micro = precision_recall_f1(Y_TRUE, Y_PRED, average="micro")
    weighted = precision_recall_f1(Y_TRUE, Y_PRED, average="weighted")
    assert float(macro[2]) != pytest.approx(float(micro[2]))
    assert float(macro[0]) != pytest.approx(float(weighted[0]))


# Class 2 is never predicted (precision 0/0); class 3 never occurs in y_true (recall 0/0).
ZD_TRUE = [0, 0, 1, 1, 2, 1]
ZD_PRED = [0, 0, 0, 1, 1, 3]


@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_zero_division_replaces_undefined_ratios(zero_division: float) -> None:
    zd = F(int(zero_division))
    precision, recall, f1 = precision_recall_f1(
        ZD_TRUE, ZD_PRED, average=None, zero_division=zero_division
    )
    assert list(precision) == approx([F(2, 3), F(1, 2), zd, F(0)])
    assert list(recall) == approx([F(1), F(1, 3), F(0), zd])
    assert list(f1) == approx([F(4, 5), F(2, 5), F(0), F(0)])
    macro = precision_recall_f1(ZD_TRUE, ZD_PRED, average="macro", zero_division=zero_division)
    assert float(macro[0]) == approx((F(7, 6) + zd) / 4)
    assert float(macro[1]) == approx((F(4, 3) + zd) / 4)


def test_zero_division_default_is_zero_not_nan() -> None:
    results = precision_recall_f1(ZD_TRUE, ZD_PRED, average=None)
    assert all(np.all(np.isfinite(np.asarray(r, dtype=float))) for r in results)
    assert all(math.isfinite(float(v)) for v in precision_recall_f1(ZD_TRUE, ZD_PRED))


# --- roc_auc ---------------------------------------------------------------------------------


def pairwise_auc(y, scores) -> float:
    """The definition, over all (positive, negative) pairs."""
    pos = [s for label, s in zip(y, scores, strict=True) if label == 1]
    neg = [s for label, s in zip(y, scores, strict=True) if label == 0]
    won = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return won / (len(pos) * len(neg))


def test_roc_auc_hand_example_with_a_tie() -> None:
    # (pos, neg) pairs: (.5, .5) tie, (.5, .2) win, (.8, .5) win, (.8, .2) win -> 3.5 / 4
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]) == pytest.approx(0.875)


def test_roc_auc_is_one_half_when_all_scores_tie() -> None:
    assert roc_auc([0, 1, 1, 0, 1], [0.3] * 5) == pytest.approx(0.5)


def test_roc_auc_perfect_and_reversed() -> None:
    y = [0, 0, 1, 1, 1]
    assert roc_auc(y, [0.1, 0.2, 0.7, 0.8, 0.9]) == pytest.approx(1.0)
    assert roc_auc(y, [0.9, 0.8, 0.3, 0.2, 0.1]) == pytest.approx(0.0)


def test_roc_auc_ties_between_positives_do_not_matter() -> None:
    assert roc_auc([0, 1, 1], [0.2, 0.6, 0.6]) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(5))
def test_roc_auc_matches_pairwise_definition_with_many_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 120)
    scores = (rng.integers(0, 5, 120) + y) / 4  # six levels: ties within and across classes
    assert roc_auc(y, scores) == pytest.approx(pairwise_auc(y.tolist(), scores.tolist()))
    assert roc_auc(y.tolist(), scores.tolist()) == pytest.approx(roc_auc(y, scores))


def test_roc_auc_larger_label_is_positive() -> None:
    scores = [0.1, 0.4, 0.35, 0.8]
    expected = roc_auc([0, 0, 1, 1], scores)  # 0.75
    assert expected == pytest.approx(0.75)
    assert roc_auc([False, False, True, True], scores) == pytest.approx(expected)
    assert roc_auc([-1, -1, 1, 1], scores) == pytest.approx(expected)


def test_roc_auc_is_fast_on_a_million_scores() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 1_000_000)
    scores = np.round(rng.random(1_000_000), 2)  # uninformative, heavily tied
    assert roc_auc(y, scores) == pytest.approx(0.5, abs=0.01)


# --- stratified_split ------------------------------------------------------------------------

# 101 samples: test_size 0.25 gives 25.25, rounded up to 26 (floor and round both give 25).
Y_SPLIT = [0] * 80 + [1] * 15 + [2] * 6
Y_SPLIT = [Y_SPLIT[i] for i in np.random.default_rng(3).permutation(len(Y_SPLIT))]


def test_split_is_a_partition_of_all_indices() -> None:
    train, test = stratified_split(Y_SPLIT, test_size=0.25, seed=0)
    train, test = np.asarray(train), np.asarray(test)
    assert train.dtype.kind in "iu" and test.dtype.kind in "iu"
    assert not set(train.tolist()) & set(test.tolist())
    assert sorted(train.tolist() + test.tolist()) == list(range(len(Y_SPLIT)))


def test_split_test_size_is_rounded_up() -> None:
    _, test = stratified_split(Y_SPLIT, test_size=0.25, seed=0)
    assert len(test) == 26
    _, test = stratified_split(Y_SPLIT, test_size=0.1, seed=0)  # 10.1 -> 11
    assert len(test) == 11
    # Four classes of 5 at 0.25: each share is 1.25, the total 5 (not 4 x round(1.25)).
    _, test = stratified_split([0] * 5 + [1] * 5 + [2] * 5 + [3] * 5, test_size=0.25, seed=0)
    assert len(test) == 5


@pytest.mark.parametrize("test_size", [0.1, 0.25, 0.5])
def test_split_keeps_each_class_within_one_sample(test_size: float) -> None:
    sizes = Counter(Y_SPLIT)
    for seed in range(20):
        _, test = stratified_split(Y_SPLIT, test_size=test_size, seed=seed)
        in_test = Counter(Y_SPLIT[i] for i in np.asarray(test).tolist())
        for label, size in sizes.items():
            assert abs(in_test[label] - size * test_size) <= 1, (label, seed)


def test_split_same_seed_same_split() -> None:
    first = stratified_split(Y_SPLIT, test_size=0.25, seed=7)
    stratified_split(Y_SPLIT, test_size=0.25, seed=8)
    second = stratified_split(Y_SPLIT, test_size=0.25, seed=7)
    assert np.array_equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])


def test_split_different_seeds_differ() -> None:
    tests = {
        tuple(sorted(np.asarray(stratified_split(Y_SPLIT, seed=s)[1]).tolist())) for s in range(5)
    }
    assert len(tests) > 1


def test_split_accepts_string_labels_in_a_numpy_array() -> None:
    y = np.array(["spam"] * 12 + ["ham"] * 28)
    _, test = stratified_split(y, test_size=0.25, seed=0)
    assert Counter(y[np.asarray(test)].tolist()) == {"spam": 3, "ham": 7}


# --- input validation ------------------------------------------------------------------------

LENGTH_MISMATCHES = {
    "confusion_matrix": lambda: confusion_matrix([0, 1, 1], [0, 1]),
    "precision_recall_f1": lambda: precision_recall_f1([0, 1], [0, 1, 1]),
    "roc_auc short scores": lambda: roc_auc([0, 1, 1], [0.2, 0.4]),
    "roc_auc short labels": lambda: roc_auc([0, 1], [0.2, 0.4, 0.1]),
}


@pytest.mark.parametrize("call", LENGTH_MISMATCHES.values(), ids=LENGTH_MISMATCHES.keys())
def test_length_mismatch_raises(call) -> None:
    with pytest.raises(ValueError):
        call()


EMPTY_INPUTS = {
    "confusion_matrix": lambda: confusion_matrix([], []),
    "precision_recall_f1": lambda: precision_recall_f1([], []),
    "roc_auc": lambda: roc_auc([], []),
    "stratified_split": lambda: stratified_split([]),
}


@pytest.mark.parametrize("call", EMPTY_INPUTS.values(), ids=EMPTY_INPUTS.keys())
def test_empty_input_raises(call) -> None:
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("average", ["binary", "samples", ""])
def test_unknown_average_raises(average: str) -> None:
    with pytest.raises(ValueError):
        precision_recall_f1(Y_TRUE, Y_PRED, average=average)


@pytest.mark.parametrize("test_size", [0, 0.0, 1, 1.0, -0.1, 1.5])
def test_test_size_outside_open_unit_interval_raises(test_size: float) -> None:
    with pytest.raises(ValueError):
        stratified_split(Y_SPLIT, test_size=test_size)


def test_split_that_would_leave_train_empty_raises() -> None:
    with pytest.raises(ValueError):
        stratified_split([0, 1, 1], test_size=0.9)


@pytest.mark.parametrize("y", [[1, 1, 1], [0, 0, 0], [0, 1, 2]], ids=["ones", "zeros", "three"])
def test_roc_auc_needs_exactly_two_classes(y) -> None:
    with pytest.raises(ValueError):
        roc_auc(y, [0.1, 0.5, 0.9])

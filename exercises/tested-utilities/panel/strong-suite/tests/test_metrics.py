"""Tests for metrics.py. Run them from the folder that holds metrics.py:

    python -m pytest tests

Every expected value below was worked out by hand (see the comments) or by a brute-force
definition written inside this file, never by another library.
"""

from __future__ import annotations

import math
import sys
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

# A small three-class example used by several tests.
#   class 0: TP=2 FP=0 FN=1   class 1: TP=2 FP=2 FN=0   class 2: TP=0 FP=0 FN=1
Y_TRUE = [0, 0, 0, 1, 1, 2]
Y_PRED = [0, 1, 0, 1, 1, 1]


def as_lists(matrix: object) -> list[list[int]]:
    return np.asarray(matrix).tolist()


# --------------------------------------------------------------------------- confusion_matrix


def test_confusion_matrix_rows_are_true_columns_are_predicted() -> None:
    # An asymmetric case: a transposed matrix would differ.
    assert as_lists(confusion_matrix(Y_TRUE, Y_PRED)) == [[2, 1, 0], [0, 2, 0], [0, 1, 0]]


def test_confusion_matrix_counts_sum_to_number_of_samples() -> None:
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 4, 200)
    y_pred = rng.integers(0, 4, 200)
    matrix = np.asarray(confusion_matrix(y_true, y_pred))
    assert matrix.sum() == 200
    # row sums are the class counts in y_true, column sums in y_pred
    assert matrix.sum(axis=1).tolist() == np.bincount(y_true, minlength=4).tolist()
    assert matrix.sum(axis=0).tolist() == np.bincount(y_pred, minlength=4).tolist()


def test_confusion_matrix_label_only_in_predictions_gets_row_and_column() -> None:
    # label 2 only predicted, label 0 only true
    assert as_lists(confusion_matrix([0, 1, 1], [1, 1, 2])) == [
        [0, 1, 0],
        [0, 1, 1],
        [0, 0, 0],
    ]


def test_confusion_matrix_default_labels_are_sorted() -> None:
    matrix = confusion_matrix(["cat", "ant", "bee"], ["bee", "ant", "bee"])
    # order: ant, bee, cat
    assert as_lists(matrix) == [[1, 0, 0], [0, 1, 0], [0, 1, 0]]


def test_confusion_matrix_explicit_labels_keep_given_order() -> None:
    matrix = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], labels=[2, 0, 1])
    assert as_lists(matrix) == [[1, 0, 0], [0, 1, 0], [1, 0, 1]]


def test_confusion_matrix_explicit_labels_accept_an_array() -> None:
    matrix = confusion_matrix(np.array([0, 1]), np.array([1, 1]), labels=np.array([1, 0]))
    assert as_lists(matrix) == [[1, 0], [1, 0]]


def test_confusion_matrix_unused_label_gives_zero_row_and_column() -> None:
    matrix = confusion_matrix([0, 1], [0, 1], labels=[0, 5, 1])
    assert as_lists(matrix) == [[1, 0, 0], [0, 0, 0], [0, 0, 1]]


def test_confusion_matrix_samples_outside_labels_are_ignored() -> None:
    # (2, 0) and (0, 3) involve labels not listed: not counted anywhere
    matrix = confusion_matrix([0, 1, 2, 0], [0, 1, 0, 3], labels=[0, 1])
    assert as_lists(matrix) == [[1, 0], [0, 1]]


def test_confusion_matrix_booleans() -> None:
    matrix = confusion_matrix([True, True, False], [True, False, False])
    # False before True
    assert as_lists(matrix) == [[1, 0], [1, 1]]


def test_confusion_matrix_is_integer() -> None:
    matrix = np.asarray(confusion_matrix([0, 1], [1, 1]))
    assert np.issubdtype(matrix.dtype, np.integer)


# ------------------------------------------------------------------------ precision_recall_f1


def test_per_class_values_in_sorted_label_order() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED, average=None)
    np.testing.assert_allclose(precision, [1.0, 0.5, 0.0])
    np.testing.assert_allclose(recall, [2 / 3, 1.0, 0.0])
    # F1 = 2TP / (2TP + FP + FN): 4/5, 4/6, 0
    np.testing.assert_allclose(f1, [0.8, 2 / 3, 0.0])


def test_macro_is_plain_mean_and_not_accuracy() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED)
    assert precision == pytest.approx(0.5)
    assert recall == pytest.approx((2 / 3 + 1.0) / 3)
    assert f1 == pytest.approx((0.8 + 2 / 3) / 3)
    accuracy = 4 / 6
    assert f1 != pytest.approx(accuracy)


def test_averaged_results_are_plain_floats() -> None:
    for average in ("macro", "micro", "weighted"):
        result = precision_recall_f1(Y_TRUE, Y_PRED, average=average)
        assert len(result) == 3
        assert all(isinstance(value, float) for value in result)


def test_micro_equals_accuracy_for_single_label_data() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED, average="micro")
    assert precision == pytest.approx(4 / 6)
    assert recall == pytest.approx(4 / 6)
    assert f1 == pytest.approx(4 / 6)


def test_weighted_uses_true_support() -> None:
    # supports 3, 2, 1
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED, average="weighted")
    assert precision == pytest.approx((3 * 1.0 + 2 * 0.5 + 1 * 0.0) / 6)
    assert recall == pytest.approx((3 * 2 / 3 + 2 * 1.0) / 6)
    assert f1 == pytest.approx((3 * 0.8 + 2 * 2 / 3) / 6)


def test_zero_division_replaces_undefined_precision_and_recall() -> None:
    # class 2 is never predicted (no precision); class 3 never true (no recall)
    y_true = [1, 1, 2]
    y_pred = [1, 3, 1]
    precision, recall, f1 = precision_recall_f1(y_true, y_pred, average=None, zero_division=1.0)
    # classes 1, 2, 3
    np.testing.assert_allclose(precision, [0.5, 1.0, 0.0])
    np.testing.assert_allclose(recall, [0.5, 0.0, 1.0])
    np.testing.assert_allclose(f1, [0.5, 0.0, 0.0])


def test_never_nan_and_macro_stays_finite() -> None:
    precision, recall, f1 = precision_recall_f1([0, 0, 1], [0, 0, 0])
    for value in (precision, recall, f1):
        assert not math.isnan(value)
    # precision per class: 2/3, 0 (never predicted -> 0.0)
    assert precision == pytest.approx(1 / 3)


def test_string_labels_and_numpy_input() -> None:
    y_true = np.array(["no", "yes", "yes", "no"])
    y_pred = np.array(["yes", "yes", "no", "no"])
    precision, recall, f1 = precision_recall_f1(y_true, y_pred, average=None)
    np.testing.assert_allclose(precision, [0.5, 0.5])
    np.testing.assert_allclose(recall, [0.5, 0.5])
    np.testing.assert_allclose(f1, [0.5, 0.5])


def test_perfect_predictions_score_one() -> None:
    assert precision_recall_f1([2, 0, 1, 1], [2, 0, 1, 1]) == pytest.approx((1.0, 1.0, 1.0))


@pytest.mark.parametrize("average", ["binary", "MACRO", "samples", ""])
def test_unknown_average_raises(average: str) -> None:
    with pytest.raises(ValueError):
        precision_recall_f1([0, 1], [0, 1], average=average)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- roc_auc


def brute_force_auc(y_true: list[int], scores: list[float]) -> float:
    positives = [s for y, s in zip(y_true, scores) if y == 1]
    negatives = [s for y, s in zip(y_true, scores) if y == 0]
    total = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return total / (len(positives) * len(negatives))


def test_auc_perfect_and_inverted_ranking() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(1.0)
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == pytest.approx(0.0)


def test_auc_tie_counts_one_half() -> None:
    # pairs (pos, neg): (0.5, 0.5) tie, (0.5, 0.2) win, (0.8, 0.5) win, (0.8, 0.2) win
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]) == pytest.approx(3.5 / 4)


def test_auc_constant_scores_is_one_half() -> None:
    assert roc_auc([0, 1, 1, 0, 1], [0.3] * 5) == pytest.approx(0.5)


def test_auc_heavily_tied_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        y_true = rng.integers(0, 2, 60)
        y_true[:2] = [0, 1]
        scores = rng.integers(0, 4, 60) / 4  # only four distinct values
        expected = brute_force_auc(y_true.tolist(), scores.tolist())
        assert roc_auc(y_true, scores) == pytest.approx(expected)


def test_auc_positive_class_is_the_larger_label() -> None:
    # -1/+1: +1 is positive; one tie, one win out of 2 pairs... (1: 0.9, 0.4) vs (-1: 0.4)
    assert roc_auc([1, -1, 1], [0.9, 0.4, 0.4]) == pytest.approx(0.75)
    # booleans: True is positive
    assert roc_auc([True, False, False], [0.2, 0.6, 0.1]) == pytest.approx(0.5)
    # the first sample being positive does not make its label the negative one
    assert roc_auc([1, 0, 0], [0.9, 0.1, 0.2]) == pytest.approx(1.0)


def test_auc_returns_float() -> None:
    assert isinstance(roc_auc([0, 1], [0.1, 0.9]), float)


def test_auc_is_fast_on_large_input() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    y_true = rng.integers(0, 2, n)
    scores = np.round(rng.random(n), 2)  # heavy ties
    value = roc_auc(y_true, scores)
    assert value == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("y_true", [[1, 1, 1], [0, 1, 2], ["a", "a"]])
def test_auc_needs_exactly_two_classes(y_true: list[object]) -> None:
    with pytest.raises(ValueError):
        roc_auc(y_true, [0.1] * len(y_true))


# -------------------------------------------------------------------------- stratified_split


def test_split_is_a_partition_with_ceil_test_size() -> None:
    y = [0] * 7 + [1] * 4  # n = 11, 0.3 * 11 = 3.3 -> 4
    train, test = stratified_split(y, test_size=0.3, seed=1)
    assert len(test) == 4
    assert len(train) == 7
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(11))
    assert np.issubdtype(np.asarray(test).dtype, np.integer)


@pytest.mark.parametrize("seed", range(15))
def test_split_keeps_every_class_within_one_sample(seed: int) -> None:
    y = np.array([0] * 50 + [1] * 6 + [2] * 3 + [3] * 21)
    rng = np.random.default_rng(seed)
    y = rng.permutation(y)
    test_size = 0.2
    _, test = stratified_split(y, test_size=test_size, seed=seed)
    assert len(test) == math.ceil(test_size * len(y))
    for label in np.unique(y):
        n_class = int((y == label).sum())
        in_test = int((y[np.asarray(test)] == label).sum())
        assert abs(in_test - n_class * test_size) <= 1


def test_split_keeps_the_rare_class_in_test() -> None:
    y = [0] * 95 + [1] * 5
    for seed in range(20):
        _, test = stratified_split(y, test_size=0.2, seed=seed)
        assert sum(y[i] for i in np.asarray(test).tolist()) == 1


def test_split_is_reproducible_and_ignores_global_random_state() -> None:
    y = ["a"] * 20 + ["b"] * 10
    np.random.seed(1)
    first = stratified_split(y, test_size=0.25, seed=42)
    np.random.seed(2)
    np.random.random(100)
    stratified_split(y, test_size=0.25, seed=3)
    second = stratified_split(y, test_size=0.25, seed=42)
    assert sorted(np.asarray(first[1]).tolist()) == sorted(np.asarray(second[1]).tolist())
    assert sorted(np.asarray(first[0]).tolist()) == sorted(np.asarray(second[0]).tolist())


def test_split_different_seeds_give_different_splits() -> None:
    y = [0] * 40 + [1] * 40
    tests = {tuple(sorted(np.asarray(stratified_split(y, seed=s)[1]).tolist())) for s in range(5)}
    assert len(tests) > 1


@pytest.mark.parametrize("test_size", [0.0, 1.0, -0.1, 1.5])
def test_split_rejects_test_size_outside_open_interval(test_size: float) -> None:
    with pytest.raises(ValueError):
        stratified_split([0, 1] * 10, test_size=test_size)


def test_split_rejects_a_split_with_an_empty_train_part() -> None:
    # ceil(0.9 * 2) = 2: nothing left for training
    with pytest.raises(ValueError):
        stratified_split([0, 1], test_size=0.9)


# ---------------------------------------------------------------------------- shared errors


@pytest.mark.parametrize(
    "call",
    [
        lambda: confusion_matrix([0, 1, 1], [0, 1]),
        lambda: precision_recall_f1([0, 1], [0, 1, 1]),
        lambda: roc_auc([0, 1, 0], [0.1, 0.2]),
    ],
)
def test_different_lengths_raise(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    "call",
    [
        lambda: confusion_matrix([], []),
        lambda: precision_recall_f1([], []),
        lambda: roc_auc([], []),
        lambda: stratified_split([]),
    ],
)
def test_empty_input_raises(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]

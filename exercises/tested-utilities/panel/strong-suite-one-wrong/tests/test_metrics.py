"""Test suite for the shared metrics module.

Run from the folder that holds metrics.py:

    python -m pytest tests

Expected values are computed by hand in the comments next to each case.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import metrics  # noqa: E402  (found through the sys.path line above)


def _lists(x: object) -> list:
    return np.asarray(x).tolist()


class TestConfusionMatrix:
    def test_orientation_rows_true_cols_pred(self) -> None:
        # true 0 predicted 1 twice, true 1 predicted 0 never
        cm = metrics.confusion_matrix([0, 0, 0, 1], [1, 1, 0, 1])
        assert _lists(cm) == [[1, 2], [0, 1]]

    def test_union_of_labels_sorted(self) -> None:
        # 3 appears only in y_pred, 0 only in y_true
        cm = metrics.confusion_matrix([2, 0, 1], [2, 3, 1])
        assert _lists(cm) == [
            [0, 0, 0, 1],
            [0, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 0],
        ]

    def test_string_labels_sorted_alphabetically(self) -> None:
        cm = metrics.confusion_matrix(["dog", "cat", "dog"], ["dog", "dog", "cat"])
        # order cat, dog
        assert _lists(cm) == [[0, 1], [1, 1]]

    def test_explicit_label_order_is_respected(self) -> None:
        cm = metrics.confusion_matrix(["a", "b", "b"], ["a", "a", "b"], labels=["b", "a"])
        assert _lists(cm) == [[1, 1], [0, 1]]

    def test_explicit_labels_missing_class_and_dropped_samples(self) -> None:
        # label 9 never occurs -> zero row/col; samples with label 2 are dropped
        cm = metrics.confusion_matrix([0, 1, 2, 1], [0, 2, 2, 1], labels=[0, 9, 1])
        assert _lists(cm) == [[1, 0, 0], [0, 0, 0], [0, 0, 1]]

    def test_numpy_bool_input(self) -> None:
        cm = metrics.confusion_matrix(np.array([True, False, True]), np.array([True, True, True]))
        assert _lists(cm) == [[0, 1], [0, 2]]

    def test_total_count(self) -> None:
        rng = np.random.default_rng(11)
        a, b = rng.integers(0, 5, 300), rng.integers(0, 5, 300)
        assert np.asarray(metrics.confusion_matrix(a, b)).sum() == 300

    @pytest.mark.parametrize("y_true, y_pred", [([], []), ([0, 1], [0])])
    def test_bad_input_raises(self, y_true: list, y_pred: list) -> None:
        with pytest.raises(ValueError):
            metrics.confusion_matrix(y_true, y_pred)


class TestPrecisionRecallF1:
    # per class (0, 1, 2): TP 1/2/0, FP 0/1/1, FN 1/1/0, support 2/3/0
    Y_TRUE = [0, 0, 1, 1, 1]
    Y_PRED = [0, 1, 1, 1, 2]

    def test_per_class(self) -> None:
        p, r, f = metrics.precision_recall_f1(self.Y_TRUE, self.Y_PRED, average=None)
        np.testing.assert_allclose(p, [1.0, 2 / 3, 0.0])
        np.testing.assert_allclose(r, [0.5, 2 / 3, 0.0])  # class 2 has no true samples -> 0.0
        np.testing.assert_allclose(f, [2 / 3, 4 / 6, 0.0])

    def test_macro(self) -> None:
        p, r, f = metrics.precision_recall_f1(self.Y_TRUE, self.Y_PRED)
        assert p == pytest.approx((1.0 + 2 / 3) / 3)
        assert r == pytest.approx((0.5 + 2 / 3) / 3)
        assert f == pytest.approx((2 / 3 + 2 / 3) / 3)

    def test_macro_f1_is_not_accuracy(self) -> None:
        _, _, f = metrics.precision_recall_f1([0, 0, 0, 0, 1], [0, 0, 0, 0, 0])
        # accuracy 0.8, but F1 per class is 8/9 and 0
        assert f == pytest.approx(4 / 9)

    def test_micro_is_accuracy(self) -> None:
        result = metrics.precision_recall_f1(self.Y_TRUE, self.Y_PRED, average="micro")
        assert result == pytest.approx((0.6, 0.6, 0.6))

    def test_weighted_by_support(self) -> None:
        p, r, _ = metrics.precision_recall_f1(self.Y_TRUE, self.Y_PRED, average="weighted")
        assert p == pytest.approx((2 * 1.0 + 3 * 2 / 3) / 5)
        assert r == pytest.approx((2 * 0.5 + 3 * 2 / 3) / 5)

    def test_floats_returned(self) -> None:
        for avg in ("macro", "micro", "weighted"):
            assert all(type(v) is float for v in metrics.precision_recall_f1([0, 1], [1, 1], avg))

    def test_zero_division_value_used(self) -> None:
        # class 1 is never predicted: precision undefined -> zero_division,
        # and its F1 is undefined as well
        p, _, f = metrics.precision_recall_f1([0, 1], [0, 0], average=None, zero_division=1.0)
        np.testing.assert_allclose(p, [0.5, 1.0])
        np.testing.assert_allclose(f, [2 / 3, 1.0])

    def test_no_nan_in_macro(self) -> None:
        values = metrics.precision_recall_f1([0, 1, 2], [0, 0, 0])
        assert not any(math.isnan(v) for v in values)

    def test_invalid_average(self) -> None:
        with pytest.raises(ValueError):
            metrics.precision_recall_f1([0, 1], [0, 1], average="binary")  # type: ignore[arg-type]

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError):
            metrics.precision_recall_f1([0, 1, 1], [0, 1])

    def test_empty(self) -> None:
        with pytest.raises(ValueError):
            metrics.precision_recall_f1([], [])


def _pairwise_auc(y: np.ndarray, s: np.ndarray) -> float:
    pos, neg = s[y == y.max()], s[y != y.max()]
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


class TestRocAuc:
    def test_separable(self) -> None:
        assert metrics.roc_auc([0, 1, 0, 1], [0.1, 0.7, 0.3, 0.9]) == 1.0

    def test_ties_half(self) -> None:
        # pos {0.5, 0.5}, neg {0.5, 0.1}: tie, win, tie, win -> 3/4
        assert metrics.roc_auc([1, 1, 0, 0], [0.5, 0.5, 0.5, 0.1]) == pytest.approx(0.75)

    def test_all_scores_equal(self) -> None:
        assert metrics.roc_auc([1, 0, 0, 1, 0], [2, 2, 2, 2, 2]) == pytest.approx(0.5)

    def test_against_pairwise_definition_with_rounded_scores(self) -> None:
        rng = np.random.default_rng(5)
        for _ in range(10):
            y = np.r_[0, 1, rng.integers(0, 2, 100)]
            s = np.round(rng.random(102), 1)
            assert metrics.roc_auc(y, s) == pytest.approx(_pairwise_auc(y, s))

    def test_larger_label_is_positive(self) -> None:
        assert metrics.roc_auc([-1, 1, -1], [0.2, 0.9, 0.4]) == pytest.approx(1.0)
        assert metrics.roc_auc([True, False], [0.1, 0.2]) == pytest.approx(0.0)
        assert metrics.roc_auc(["neg", "pos"], [0.1, 0.2]) == pytest.approx(1.0)

    def test_two_million_scores(self) -> None:
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 2_000_000)
        s = y * 0.1 + rng.random(2_000_000)
        assert 0.5 < metrics.roc_auc(y, s) < 0.7

    @pytest.mark.parametrize("y", [[1, 1], [0, 1, 2]])
    def test_wrong_number_of_classes(self, y: list) -> None:
        with pytest.raises(ValueError):
            metrics.roc_auc(y, [0.5] * len(y))

    def test_length_mismatch_and_empty(self) -> None:
        with pytest.raises(ValueError):
            metrics.roc_auc([0, 1], [0.5])
        with pytest.raises(ValueError):
            metrics.roc_auc([], [])


class TestStratifiedSplit:
    def test_partition_and_size(self) -> None:
        y = [0] * 9 + [1] * 4  # 13 * 0.25 = 3.25 -> 4
        train, test = metrics.stratified_split(y)
        assert len(test) == 4
        assert sorted(_lists(train) + _lists(test)) == list(range(13))

    @pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5, 6, 7])
    def test_class_proportions(self, seed: int) -> None:
        y = np.array([0] * 40 + [1] * 7 + [2] * 3)
        _, test = metrics.stratified_split(y, test_size=0.3, seed=seed)
        for c in (0, 1, 2):
            assert abs(np.sum(y[test] == c) - np.sum(y == c) * 0.3) <= 1

    def test_same_seed_same_split(self) -> None:
        y = [1, 2] * 15
        np.random.seed(0)
        a = metrics.stratified_split(y, seed=9)
        np.random.seed(123)
        b = metrics.stratified_split(y, seed=9)
        assert sorted(_lists(a[1])) == sorted(_lists(b[1]))

    def test_other_seed_other_split(self) -> None:
        y = [0, 1] * 50
        a = metrics.stratified_split(y, seed=0)[1]
        b = metrics.stratified_split(y, seed=1)[1]
        assert sorted(_lists(a)) != sorted(_lists(b))

    @pytest.mark.parametrize("size", [0, 1, -0.5, 2])
    def test_bad_test_size(self, size: float) -> None:
        with pytest.raises(ValueError):
            metrics.stratified_split([0, 1, 0, 1], test_size=size)

    def test_empty_and_too_small(self) -> None:
        with pytest.raises(ValueError):
            metrics.stratified_split([])
        with pytest.raises(ValueError):
            metrics.stratified_split([1], test_size=0.5)  # ceil(0.5) = 1 leaves no train

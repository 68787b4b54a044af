"""Tests for metrics.py. Run with ``python -m pytest tests`` from the folder with metrics.py."""

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

# 3 classes, imbalanced. Confusion (rows true, cols predicted):
#   [[3, 1, 0],     class 0: TP 3, FP 1, FN 1 -> P 3/4, R 3/4, F1 3/4
#    [1, 1, 0],     class 1: TP 1, FP 2, FN 1 -> P 1/3, R 1/2, F1 2/5
#    [0, 1, 0]]     class 2: TP 0, FP 0, FN 1 -> P 0/0 -> 0, R 0, F1 0
Y_TRUE = [0, 0, 0, 0, 1, 1, 2]
Y_PRED = [0, 0, 0, 1, 0, 1, 1]


def as_list(matrix) -> list:
    return np.asarray(matrix).tolist()


class TestConfusionMatrix:
    def test_hand_example(self) -> None:
        assert as_list(confusion_matrix(Y_TRUE, Y_PRED)) == [[3, 1, 0], [1, 1, 0], [0, 1, 0]]

    def test_rows_are_truth(self) -> None:
        # two samples of class "a" predicted "b": that is row a, column b
        assert as_list(confusion_matrix(["a", "a"], ["b", "b"])) == [[0, 2], [0, 0]]

    def test_labels_sorted_by_default(self) -> None:
        assert as_list(confusion_matrix([3, 1], [2, 1])) == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]

    def test_labels_order_and_filter(self) -> None:
        assert as_list(confusion_matrix(Y_TRUE, Y_PRED, labels=[1, 0])) == [[1, 1], [1, 3]]
        assert as_list(confusion_matrix(Y_TRUE, Y_PRED, labels=[5, 2])) == [[0, 0], [0, 0]]

    def test_numpy_input(self) -> None:
        assert as_list(confusion_matrix(np.array(Y_TRUE), np.array(Y_PRED))) == as_list(
            confusion_matrix(Y_TRUE, Y_PRED)
        )


PER_CLASS = {
    "precision": [3 / 4, 1 / 3, 0.0],
    "recall": [3 / 4, 1 / 2, 0.0],
    "f1": [3 / 4, 2 / 5, 0.0],
}
SUPPORT = np.array([4, 2, 1])


class TestPrecisionRecallF1:
    def test_per_class(self) -> None:
        p, r, f = precision_recall_f1(Y_TRUE, Y_PRED, average=None)
        assert np.allclose(p, PER_CLASS["precision"])
        assert np.allclose(r, PER_CLASS["recall"])
        assert np.allclose(f, PER_CLASS["f1"])

    @pytest.mark.parametrize("average", ["macro", "weighted"])
    def test_class_averages(self, average: str) -> None:
        weights = SUPPORT if average == "weighted" else np.ones(3)
        expected = [
            np.average(PER_CLASS[k], weights=weights) for k in ("precision", "recall", "f1")
        ]
        assert np.allclose(precision_recall_f1(Y_TRUE, Y_PRED, average=average), expected)

    def test_default_is_macro(self) -> None:
        assert np.allclose(
            precision_recall_f1(Y_TRUE, Y_PRED), precision_recall_f1(Y_TRUE, Y_PRED, "macro")
        )

    def test_micro_is_accuracy(self) -> None:
        assert np.allclose(precision_recall_f1(Y_TRUE, Y_PRED, average="micro"), [4 / 7] * 3)

    def test_zero_division(self) -> None:
        p0, r0, _ = precision_recall_f1(Y_TRUE, Y_PRED, average=None)
        p1, r1, _ = precision_recall_f1(Y_TRUE, Y_PRED, average=None, zero_division=1.0)
        assert p0[2] == 0.0 and p1[2] == 1.0
        assert r0[2] == 0.0 and r1[2] == 0.0  # recall of class 2 is 0/1, not 0/0
        _, r_only_predicted, _ = precision_recall_f1([0, 0], [0, 1], average=None)
        assert list(r_only_predicted) == [0.5, 0.0]

    def test_never_nan(self) -> None:
        for average in ("macro", "weighted", "micro"):
            assert all(math.isfinite(v) for v in precision_recall_f1([0, 1], [1, 1], average))


class TestRocAuc:
    @pytest.mark.parametrize(
        ("labels", "scores", "expected"),
        [
            ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75),
            ([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8], 0.875),  # one tie counts 1/2
            ([0, 1, 1, 0], [0.7, 0.7, 0.7, 0.7], 0.5),
            ([0, 1], [0.9, 0.1], 0.0),
            ([False, True], [0.1, 0.9], 1.0),
            ([2, 1, 1], [0.6, 0.6, 0.1], 0.75),  # positive is the larger label, 2
        ],
    )
    def test_cases(self, labels: list, scores: list, expected: float) -> None:
        assert roc_auc(labels, scores) == pytest.approx(expected)

    def test_matches_pairwise_count_with_ties(self) -> None:
        rng = np.random.default_rng(42)
        y = rng.integers(0, 2, 300)
        s = rng.integers(0, 6, 300) + y  # overlapping integer scores: many ties
        pos, neg = s[y == 1], s[y == 0]
        expected = ((pos[:, None] > neg).sum() + 0.5 * (pos[:, None] == neg).sum()) / (
            len(pos) * len(neg)
        )
        assert roc_auc(y, s) == pytest.approx(expected)

    def test_large_input(self) -> None:
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 1_000_000)
        assert roc_auc(y, y + rng.random(1_000_000)) == pytest.approx(1.0)


LABELS = np.array([0] * 70 + [1] * 20 + [2] * 7)  # 97 samples


class TestStratifiedSplit:
    @pytest.mark.parametrize("seed", range(10))
    def test_partition_size_and_strata(self, seed: int) -> None:
        train, test = stratified_split(LABELS, test_size=0.3, seed=seed)
        assert sorted(np.concatenate([train, test]).tolist()) == list(range(97))
        assert len(test) == 30  # ceil(29.1)
        for cls, size in ((0, 70), (1, 20), (2, 7)):
            assert abs(np.sum(LABELS[test] == cls) - size * 0.3) <= 1

    def test_seed(self) -> None:
        a = stratified_split(LABELS, seed=1)
        b = stratified_split(LABELS, seed=1)
        c = stratified_split(LABELS, seed=2)
        assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
        assert not np.array_equal(np.sort(a[1]), np.sort(c[1]))

    def test_strings(self) -> None:
        y = ["x"] * 8 + ["y"] * 4
        _, test = stratified_split(y, test_size=0.5, seed=3)
        assert sorted(y[i] for i in test) == ["x"] * 4 + ["y"] * 2


class TestErrors:
    @pytest.mark.parametrize(
        "call",
        [
            lambda: confusion_matrix([1, 2, 3], [1, 2]),
            lambda: precision_recall_f1([1], [1, 2]),
            lambda: roc_auc([0, 1], [0.5]),
            lambda: roc_auc([0], [0.5, 0.2]),
            lambda: confusion_matrix([], []),
            lambda: precision_recall_f1([], []),
            lambda: roc_auc([], []),
            lambda: stratified_split([]),
            lambda: precision_recall_f1([0, 1], [0, 1], average="binary"),
            lambda: roc_auc([1, 1, 1], [0.1, 0.2, 0.3]),
            lambda: roc_auc(["a", "b", "c"], [0.1, 0.2, 0.3]),
            lambda: stratified_split(LABELS, test_size=0.0),
            lambda: stratified_split(LABELS, test_size=1),
            lambda: stratified_split(LABELS, test_size=2.5),
            lambda: stratified_split([1, 2], test_size=0.75),
        ],
    )
    def test_value_error(self, call) -> None:
        with pytest.raises(ValueError):
            call()

"""Tests for metrics.py. Run them from the folder that holds metrics.py:

    python -m pytest tests
"""

from __future__ import annotations

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


# ---- confusion_matrix -------------------------------------------------------------------


def test_confusion_matrix_small_example() -> None:
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 1, 1, 1, 0]
    # rows: true label 0, 1; columns: predicted label 0, 1
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == [[1, 1], [1, 2]]


def test_confusion_matrix_not_transposed() -> None:
    # two samples of true 0 predicted as 1, none the other way
    cm = confusion_matrix([0, 0, 1], [1, 1, 1])
    assert np.asarray(cm).tolist() == [[0, 2], [0, 1]]


def test_confusion_matrix_custom_labels() -> None:
    cm = confusion_matrix([1, 2, 2], [1, 2, 1], labels=[2, 1])
    assert np.asarray(cm).tolist() == [[1, 1], [0, 1]]


def test_confusion_matrix_length_mismatch() -> None:
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0])


# ---- precision_recall_f1 ----------------------------------------------------------------


def test_prf_per_class() -> None:
    # class 0: TP 1 FP 1 FN 1; class 1: TP 1 FP 1 FN 1
    p, r, f = precision_recall_f1([0, 0, 1, 1], [0, 1, 0, 1], average=None)
    assert list(p) == [0.5, 0.5]
    assert list(r) == [0.5, 0.5]
    assert list(f) == [0.5, 0.5]


def test_prf_macro_with_unpredicted_class() -> None:
    # class 2 never predicted -> precision 0 (zero_division default)
    p, r, _ = precision_recall_f1([0, 1, 2], [0, 1, 1])
    assert p == pytest.approx((1 + 0.5 + 0) / 3)
    assert r == pytest.approx((1 + 1 + 0) / 3)


def test_prf_micro() -> None:
    p, r, f = precision_recall_f1([0, 1, 2, 2], [0, 1, 1, 2], average="micro")
    assert p == r == f == pytest.approx(0.75)


def test_prf_bad_average() -> None:
    with pytest.raises(ValueError):
        precision_recall_f1([0, 1], [0, 1], average="avg")  # type: ignore[arg-type]


# ---- roc_auc ----------------------------------------------------------------------------


def test_auc_perfect() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9]) == pytest.approx(1.0)


def test_auc_half_right() -> None:
    # positives 0.4, 0.8 ; negatives 0.2, 0.6 -> wins: (0.4>0.2), (0.8>0.2), (0.8>0.6) = 3/4
    assert roc_auc([1, 0, 1, 0], [0.4, 0.2, 0.8, 0.6]) == pytest.approx(0.75)


def test_auc_string_labels() -> None:
    assert roc_auc(["neg", "pos", "neg"], [0.3, 0.5, 0.1]) == pytest.approx(1.0)


def test_auc_one_class_raises() -> None:
    with pytest.raises(ValueError):
        roc_auc([1, 1, 1], [0.2, 0.3, 0.4])


# ---- stratified_split -------------------------------------------------------------------


def test_split_covers_all_indices() -> None:
    y = [0] * 12 + [1] * 4
    train, test = stratified_split(y, test_size=0.25, seed=3)
    assert sorted(list(train) + list(test)) == list(range(16))
    assert len(test) == 4


def test_split_keeps_class_ratio() -> None:
    y = np.array([0] * 80 + [1] * 20)
    _, test = stratified_split(y, test_size=0.2, seed=1)
    assert (y[test] == 1).sum() == 4


def test_split_reproducible() -> None:
    y = [0, 1] * 20
    a = stratified_split(y, seed=7)
    b = stratified_split(y, seed=7)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_split_bad_test_size() -> None:
    with pytest.raises(ValueError):
        stratified_split([0, 1, 0, 1], test_size=1.0)

"""Your tests for metrics.py. Run them from the folder that holds metrics.py:

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


def test_confusion_matrix_small_example() -> None:
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 1, 1, 1, 0]
    # rows: true label 0, 1; columns: predicted label 0, 1
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == [[1, 1], [1, 2]]


def test_confusion_matrix_rows_are_true() -> None:
    assert confusion_matrix([1, 1, 1], [0, 0, 1]).tolist() == [[0, 0], [2, 1]]


def test_confusion_matrix_given_labels() -> None:
    cm = confusion_matrix(["x", "y", "y"], ["x", "y", "x"], labels=["y", "x"])
    assert cm.tolist() == [[1, 1], [0, 1]]


def test_precision_recall_f1_macro() -> None:
    # class a: TP 1, FP 0, FN 1 ; class b: TP 2, FP 1, FN 0
    p, r, f = precision_recall_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert p == pytest.approx((1.0 + 2 / 3) / 2)
    assert r == pytest.approx((0.5 + 1.0) / 2)
    assert f == pytest.approx((2 / 3 + 0.8) / 2)


def test_precision_recall_f1_zero_division() -> None:
    p, _, _ = precision_recall_f1([0, 1], [0, 0], average=None)
    assert p.tolist() == [0.5, 0.0]


def test_precision_recall_f1_micro() -> None:
    p, r, f = precision_recall_f1([0, 1, 2, 0], [0, 2, 2, 0], average="micro")
    assert p == r == f == 0.75


def test_roc_auc_with_ties() -> None:
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]) == pytest.approx(0.875)


def test_roc_auc_perfect() -> None:
    assert roc_auc([0, 1], [0.0, 1.0]) == 1.0


def test_roc_auc_single_class() -> None:
    with pytest.raises(ValueError):
        roc_auc([1, 1], [0.3, 0.4])


def test_stratified_split_sizes() -> None:
    y = [0] * 30 + [1] * 10
    train, test = stratified_split(y, test_size=0.25, seed=0)
    assert len(test) == 10
    assert len(train) == 30
    assert len(set(train.tolist()) & set(test.tolist())) == 0


def test_stratified_split_same_seed() -> None:
    y = [0] * 30 + [1] * 10
    a = stratified_split(y, seed=5)
    b = stratified_split(y, seed=5)
    assert a[1].tolist() == b[1].tolist()

"""Tests for metrics.py. Run them from the folder that holds metrics.py:

    python -m pytest tests
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import (  # found through the sys.path line above
    confusion_matrix,
    precision_recall_f1,
    roc_auc,
    stratified_split,
)

Y_TRUE = [0, 1, 2, 2, 1, 0, 1]
Y_PRED = [0, 2, 2, 1, 1, 0, 0]


def test_confusion_matrix_is_square() -> None:
    cm = np.asarray(confusion_matrix(Y_TRUE, Y_PRED))
    assert cm.shape == (3, 3)


def test_confusion_matrix_with_labels_shape() -> None:
    cm = np.asarray(confusion_matrix(Y_TRUE, Y_PRED, labels=[0, 1, 2, 3]))
    assert cm.shape == (4, 4)


def test_confusion_matrix_accepts_numpy() -> None:
    cm = confusion_matrix(np.array(Y_TRUE), np.array(Y_PRED))
    assert isinstance(cm, np.ndarray)


def test_confusion_matrix_strings() -> None:
    cm = np.asarray(confusion_matrix(["a", "b"], ["b", "b"]))
    assert cm.shape == (2, 2)


def test_precision_recall_f1_returns_three_floats() -> None:
    result = precision_recall_f1(Y_TRUE, Y_PRED)
    assert len(result) == 3
    assert all(isinstance(v, float) for v in result)


def test_precision_recall_f1_values_in_unit_interval() -> None:
    for average in ("macro", "micro", "weighted"):
        for v in precision_recall_f1(Y_TRUE, Y_PRED, average=average):
            assert 0.0 <= v <= 1.0


def test_precision_recall_f1_none_gives_arrays() -> None:
    p, r, f = precision_recall_f1(Y_TRUE, Y_PRED, average=None)
    assert len(p) == len(r) == len(f) == 3


def test_roc_auc_returns_float_between_0_and_1() -> None:
    auc = roc_auc([0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.2])
    assert isinstance(auc, float)
    assert 0.0 <= auc <= 1.0


def test_stratified_split_returns_two_arrays() -> None:
    train, test = stratified_split([0] * 12 + [1] * 8)
    assert isinstance(train, np.ndarray)
    assert isinstance(test, np.ndarray)
    assert len(train) + len(test) == 20

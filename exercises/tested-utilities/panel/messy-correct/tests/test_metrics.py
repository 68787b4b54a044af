"""Your tests for metrics.py. Run them from the folder that holds metrics.py:

    python -m pytest tests

This file is part of what you deliver: we also run it against deliberately broken versions
of metrics.py, and a good suite fails on each of them (see README.md). One example is below;
replace or extend it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import confusion_matrix  # found through the sys.path line above
from metrics import precision_recall_f1, roc_auc, stratified_split


def test_confusion_matrix_small_example() -> None:
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 1, 1, 1, 0]
    # rows: true label 0, 1; columns: predicted label 0, 1
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == [[1, 1], [1, 2]]


def test_cm_2():
    # not symmetric so transposing would be caught
    assert np.asarray(confusion_matrix([0, 0, 0, 1], [0, 1, 1, 1])).tolist() == [[1, 2], [0, 1]]


def test_cm_3():
    # label only in pred
    assert np.asarray(confusion_matrix([0, 0], [0, 5])).tolist() == [[1, 1], [0, 0]]


def test_cm_4():
    m = confusion_matrix(["b", "a", "b"], ["b", "b", "a"], labels=["b", "a"])
    assert np.asarray(m).tolist() == [[1, 1], [1, 0]]


def test_cm_5():
    m = confusion_matrix([1, 2, 3], [1, 2, 3], labels=[1, 2])
    assert np.asarray(m).tolist() == [[1, 0], [0, 1]]


def test_cm_errors():
    with pytest.raises(ValueError):
        confusion_matrix([1, 2], [1])
    with pytest.raises(ValueError):
        confusion_matrix([], [])


def test_prf_1():
    # y_true 0 0 1 2, y_pred 0 1 1 1
    # class0 p=1 r=.5  class1 p=1/3 r=1  class2 p=0 (0/0 -> 0) r=0
    p, r, f = precision_recall_f1([0, 0, 1, 2], [0, 1, 1, 1], average=None)
    assert np.allclose(p, [1, 1 / 3, 0])
    assert np.allclose(r, [0.5, 1, 0])
    assert np.allclose(f, [2 / 3, 0.5, 0])


def test_prf_2():
    p, r, f = precision_recall_f1([0, 0, 1, 2], [0, 1, 1, 1])
    assert p == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert r == pytest.approx((0.5 + 1 + 0) / 3)
    assert f == pytest.approx((2 / 3 + 0.5) / 3)


def test_prf_3():
    p, r, f = precision_recall_f1([0, 0, 1, 2], [0, 1, 1, 1], average="micro")
    assert p == pytest.approx(0.5)
    assert r == pytest.approx(0.5)
    assert f == pytest.approx(0.5)


def test_prf_4():
    p, r, f = precision_recall_f1([0, 0, 1, 2], [0, 1, 1, 1], average="weighted")
    assert p == pytest.approx((2 * 1 + 1 / 3) / 4)
    assert r == pytest.approx((2 * 0.5 + 1) / 4)


def test_prf_5():
    # zero_division=1
    p, r, f = precision_recall_f1([0, 0, 1, 2], [0, 1, 1, 1], average=None, zero_division=1)
    assert np.allclose(p, [1, 1 / 3, 1])
    assert not np.isnan(p).any()


def test_prf_6():
    with pytest.raises(ValueError):
        precision_recall_f1([0], [0], average="foo")


def test_auc():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)


def test_auc_ties():
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([0, 0, 1, 1], [0.5, 0.2, 0.5, 0.9]) == pytest.approx(0.875)


def test_auc_labels():
    assert roc_auc([-1, 1], [0.2, 0.1]) == 0.0
    assert roc_auc([True, False], [0.9, 0.1]) == 1.0


def test_auc_errors():
    with pytest.raises(ValueError):
        roc_auc([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError):
        roc_auc([0, 1, 2], [0.1, 0.2, 0.3])


def test_auc_big():
    y = np.random.RandomState(0).randint(0, 2, 500000)
    s = np.random.RandomState(1).rand(500000)
    a = roc_auc(y, s)
    assert 0.45 < a < 0.55


def test_split():
    y = [0] * 20 + [1] * 5
    tr, te = stratified_split(y, 0.2, seed=1)
    assert len(te) == 5
    assert len(tr) == 20
    assert set(tr) | set(te) == set(range(25))
    assert sum([y[i] for i in te]) == 1


def test_split_seed():
    y = [0] * 20 + [1] * 5
    a = stratified_split(y, 0.2, seed=1)
    np.random.seed(99)
    b = stratified_split(y, 0.2, seed=1)
    assert sorted(a[1]) == sorted(b[1])
    c = stratified_split(y, 0.2, seed=2)
    assert sorted(a[1]) != sorted(c[1])


def test_split_errors():
    with pytest.raises(ValueError):
        stratified_split([0, 1, 0, 1], test_size=0)
    with pytest.raises(ValueError):
        stratified_split([0, 1, 0, 1], test_size=1)

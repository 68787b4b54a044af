"""Public tests: a few quick checks you can run with ``python -m pytest public_tests``.

The hidden tests check much more (every rule in the README), on other data. These are not
your test suite: write that in ``tests/test_metrics.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from metrics import confusion_matrix, precision_recall_f1, roc_auc, stratified_split

Y_TRUE = [0, 0, 0, 1, 1, 2]
Y_PRED = [0, 1, 0, 1, 1, 1]


def test_confusion_matrix_rows_are_true_labels() -> None:
    matrix = np.asarray(confusion_matrix(Y_TRUE, Y_PRED))
    assert matrix.tolist() == [[2, 1, 0], [0, 2, 0], [0, 1, 0]]


def test_macro_precision_recall_f1() -> None:
    # precision per class: 2/2, 2/4, 0/0 -> 0.0; recall per class: 2/3, 2/2, 0/1
    precision, recall, _ = precision_recall_f1(Y_TRUE, Y_PRED, average="macro")
    assert float(precision) == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert float(recall) == pytest.approx((2 / 3 + 1.0 + 0.0) / 3)


def test_roc_auc_counts_a_tie_as_one_half() -> None:
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]) == pytest.approx(0.875)


def test_stratified_split_is_a_partition() -> None:
    y = [0] * 30 + [1] * 10
    train, test = stratified_split(y, test_size=0.25, seed=0)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(40))
    assert len(test) == 10
    ones_in_test = sum(y[i] for i in np.asarray(test).tolist())
    assert ones_in_test in (2, 3)  # 10 samples of class 1 * 0.25 = 2.5


def test_mismatched_lengths_raise_value_error() -> None:
    with pytest.raises(ValueError):
        confusion_matrix([0, 1, 1], [0, 1])

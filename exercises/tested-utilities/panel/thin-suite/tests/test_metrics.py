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


def test_precision_recall_f1_perfect() -> None:
    p, r, f = precision_recall_f1([0, 1, 2, 1], [0, 1, 2, 1])
    assert p == pytest.approx(1.0)
    assert r == pytest.approx(1.0)
    assert f == pytest.approx(1.0)


def test_roc_auc_perfect_separation() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(1.0)


def test_stratified_split_sizes() -> None:
    y = [0] * 8 + [1] * 8
    train, test = stratified_split(y, test_size=0.25, seed=0)
    assert len(train) == 12
    assert len(test) == 4

"""Tests for metrics.py."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import confusion_matrix, precision_recall_f1, roc_auc


def test_confusion_matrix_small_example() -> None:
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 1, 1, 1, 0]
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == [[1, 1], [1, 2]]


def test_perfect_predictions_score_one() -> None:
    precision, recall, f1 = precision_recall_f1([0, 1, 2, 1], [0, 1, 2, 1])
    assert precision == recall == f1 == 1.0


def test_roc_auc_perfect_ranking() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0

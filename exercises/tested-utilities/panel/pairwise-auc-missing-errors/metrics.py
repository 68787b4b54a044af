"""Classification metrics and a stratified train/test split, shared by every team pipeline.

Only numpy and the Python standard library are used. Every function accepts plain Python
lists or 1-D numpy arrays.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None = None
) -> NDArray[np.int64]:
    """Count how often each true label (row) was predicted as each label (column).

    ``labels`` fixes the classes and their order; by default it is the sorted union of
    the labels in ``y_true`` and ``y_pred``.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    labels = list(labels)
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for i, true_label in enumerate(labels):
        for j, pred_label in enumerate(labels):
            matrix[i, j] = np.sum((y_true == true_label) & (y_pred == pred_label))
    return matrix


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Return ``(precision, recall, f1)`` over the sorted union of the labels in the data."""
    matrix = confusion_matrix(y_true, y_pred)
    tp = np.diag(matrix).astype(float)
    fp = matrix.sum(axis=0) - tp
    fn = matrix.sum(axis=1) - tp

    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), zero_division)
        recall = np.where(tp + fn > 0, tp / (tp + fn), zero_division)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), zero_division)

    if average is None:
        return precision, recall, f1
    if average == "macro":
        return float(precision.mean()), float(recall.mean()), float(f1.mean())
    if average == "weighted":
        support = matrix.sum(axis=1)
        return (
            float(np.sum(precision * support) / support.sum()),
            float(np.sum(recall * support) / support.sum()),
            float(np.sum(f1 * support) / support.sum()),
        )
    if average == "micro":
        accuracy = float(tp.sum() / matrix.sum())
        return accuracy, accuracy, accuracy
    raise ValueError(f"Unknown average: {average}")


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve; the larger label is positive and a tie counts one half."""
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    classes = np.unique(y_true)
    if len(classes) != 2:
        raise ValueError("roc_auc needs exactly two classes in y_true")
    pos_scores = scores[y_true == classes[1]]
    neg_scores = scores[y_true == classes[0]]
    # compare every positive with every negative
    greater = (pos_scores[:, None] > neg_scores[None, :]).sum()
    ties = (pos_scores[:, None] == neg_scores[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos_scores) * len(neg_scores)))


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Split the indices ``0..len(y)-1`` into ``(train_idx, test_idx)``, stratified by ``y``."""
    if not 0 < test_size < 1:
        raise ValueError("test_size must be between 0 and 1")
    y = np.asarray(y)
    n_test = math.ceil(test_size * len(y))
    rng = np.random.default_rng(seed)

    classes = np.unique(y)
    per_class = {c: int(np.sum(y == c) * test_size) for c in classes}
    # give the leftover test slots to the classes with the biggest remainder
    remainders = sorted(classes, key=lambda c: np.sum(y == c) * test_size - per_class[c], reverse=True)
    for c in remainders[: n_test - sum(per_class.values())]:
        per_class[c] += 1

    train_idx, test_idx = [], []
    for c in classes:
        idx = rng.permutation(np.where(y == c)[0])
        test_idx.extend(idx[: per_class[c]])
        train_idx.extend(idx[per_class[c]:])
    return np.array(train_idx, dtype=np.int64), np.array(test_idx, dtype=np.int64)

"""Shared classification metrics: confusion matrix, precision/recall/F1, ROC AUC, split.

All functions take lists or 1-D numpy arrays and raise ``ValueError`` on invalid input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

VALID_AVERAGES = ("macro", "micro", "weighted", None)


def _to_1d(values: ArrayLike, name: str) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got {array.ndim} dimensions")
    if len(array) == 0:
        raise ValueError(f"{name} must not be empty")
    return array


def _check_pair(y_true: ArrayLike, other: ArrayLike, other_name: str) -> tuple[NDArray, NDArray]:
    a, b = _to_1d(y_true, "y_true"), _to_1d(other, other_name)
    if len(a) != len(b):
        raise ValueError(f"y_true has {len(a)} samples but {other_name} has {len(b)}")
    return a, b


def _encode(values: NDArray, classes: NDArray) -> NDArray[np.int64]:
    """Position of each value in ``classes`` (sorted), or -1 when it is not there."""
    order = np.argsort(classes, kind="stable")
    ordered = classes[order]
    where = np.searchsorted(ordered, values)
    where = np.clip(where, 0, len(ordered) - 1)
    found = ordered[where] == values
    return np.where(found, order[where], -1)


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Any] | None = None
) -> NDArray[np.int64]:
    """C[i, j] = number of samples with true label labels[i] predicted as labels[j]."""
    truth, pred = _check_pair(y_true, y_pred, "y_pred")
    classes = np.union1d(truth, pred) if labels is None else np.asarray(labels)
    if classes.ndim != 1 or len(classes) == 0:
        raise ValueError("labels must be a non-empty 1-D sequence")
    rows, cols = _encode(truth, classes), _encode(pred, classes)
    keep = (rows >= 0) & (cols >= 0)
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(matrix, (rows[keep], cols[keep]), 1)
    return matrix


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str | None = "macro",
    zero_division: float = 0.0,
) -> tuple[Any, Any, Any]:
    """Precision, recall and F1, per class (average=None) or averaged."""
    if average not in VALID_AVERAGES:
        raise ValueError(f"average={average!r} is not one of {VALID_AVERAGES}")
    matrix = confusion_matrix(y_true, y_pred).astype(float)
    tp = np.diag(matrix)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)

    def divide(num: NDArray, den: NDArray) -> NDArray:
        safe = np.where(den > 0, den, 1.0)
        return np.where(den > 0, num / safe, float(zero_division))

    if average == "micro":
        tp_sum, pred_sum, true_sum = tp.sum(), predicted.sum(), actual.sum()
        p = divide(np.array([tp_sum]), np.array([pred_sum]))[0]
        r = divide(np.array([tp_sum]), np.array([true_sum]))[0]
        f = divide(np.array([2 * tp_sum]), np.array([pred_sum + true_sum]))[0]
        return float(p), float(r), float(f)

    precision = divide(tp, predicted)
    recall = divide(tp, actual)
    f1 = divide(2 * tp, predicted + actual)
    if average is None:
        return precision, recall, f1
    weights = actual / actual.sum() if average == "weighted" else np.full(len(tp), 1 / len(tp))
    return float(precision @ weights), float(recall @ weights), float(f1 @ weights)


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve, by the trapezoid rule over distinct thresholds.

    Walking the thresholds from high to low, a block of tied scores moves the curve
    diagonally, which is exactly "a tie counts one half".
    """
    truth, score = _check_pair(y_true, scores, "scores")
    classes = np.unique(truth)
    if len(classes) != 2:
        raise ValueError(f"y_true must contain exactly 2 classes, found {len(classes)}")
    is_positive = (truth == classes[1]).astype(np.int64)
    score = score.astype(float)

    order = np.argsort(-score, kind="stable")
    sorted_scores = score[order]
    tps = np.cumsum(is_positive[order])
    fps = np.cumsum(1 - is_positive[order])
    # Keep only the last position of each block of equal scores: one ROC point per threshold.
    last_of_block = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    tpr = np.r_[0.0, tps[last_of_block] / tps[-1]]
    fpr = np.r_[0.0, fps[last_of_block] / fps[-1]]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Seeded split of the indices of y, keeping each class's share in the test part."""
    labels = _to_1d(y, "y")
    if not isinstance(test_size, (int, float)) or not 0 < test_size < 1:
        raise ValueError(f"test_size must be strictly between 0 and 1, got {test_size!r}")
    n = len(labels)
    n_test = math.ceil(test_size * n)
    if n_test == n:
        raise ValueError(f"test_size={test_size} with {n} samples leaves the train part empty")

    rng = np.random.default_rng(seed)
    classes, codes = np.unique(labels, return_inverse=True)
    sizes = np.bincount(codes, minlength=len(classes))
    quotas = np.floor(sizes * test_size).astype(np.int64)
    missing = n_test - int(quotas.sum())
    if missing > 0:
        remainders = sizes * test_size - quotas
        # Largest remainders get one more; a random permutation breaks ties fairly.
        shuffled = rng.permutation(len(classes))
        best = shuffled[np.argsort(-remainders[shuffled], kind="stable")][:missing]
        quotas[best] += 1

    test_parts = []
    for code, quota in enumerate(quotas):
        members = np.flatnonzero(codes == code)
        test_parts.append(rng.choice(members, size=int(quota), replace=False))
    test_idx = np.sort(np.concatenate(test_parts)).astype(np.int64)
    is_test = np.zeros(n, dtype=bool)
    is_test[test_idx] = True
    return np.flatnonzero(~is_test).astype(np.int64), test_idx

"""Classification metrics and a stratified train/test split, shared by every team pipeline.

One implementation of each metric for every team. Inputs are plain lists or 1-D numpy
arrays of int, str or bool labels; only numpy and the standard library are used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None

_AVERAGE_CHOICES: tuple[Average, ...] = ("macro", "micro", "weighted", None)


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a 1-D array; raise ``ValueError`` if it is empty or not 1-D."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence, got {arr.ndim} dimensions")
    if len(arr) == 0:
        raise ValueError(f"{name} must not be empty")
    return arr


def _aligned(first: ArrayLike, second: ArrayLike, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Return both inputs as non-empty 1-D arrays of the same length."""
    a, b = _vector(first, names[0]), _vector(second, names[1])
    if len(a) != len(b):
        raise ValueError(f"{names[0]} ({len(a)}) and {names[1]} ({len(b)}) differ in length")
    return a, b


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None = None
) -> NDArray[np.int64]:
    """Count how often each true label (row) was predicted as each label (column).

    ``result[i][j]`` is the number of samples whose true label is ``labels[i]`` and whose
    predicted label is ``labels[j]``. ``labels`` fixes the classes and their order; by
    default it is the sorted union of the labels in ``y_true`` and ``y_pred``. Pairs whose
    true or predicted label is not in ``labels`` are not counted.

    Raises ``ValueError`` for empty input or inputs of different lengths.
    """
    truth, pred = _aligned(y_true, y_pred, ("y_true", "y_pred"))
    classes = sorted(set(truth.tolist()) | set(pred.tolist())) if labels is None else labels
    position = {label: i for i, label in enumerate(np.asarray(classes).tolist())}
    size = len(position)
    rows = np.fromiter((position.get(v, -1) for v in truth.tolist()), np.int64, len(truth))
    cols = np.fromiter((position.get(v, -1) for v in pred.tolist()), np.int64, len(pred))
    counted = (rows >= 0) & (cols >= 0)
    matrix = np.zeros((size, size), dtype=np.int64)
    np.add.at(matrix, (rows[counted], cols[counted]), 1)
    return matrix


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    """``num / den`` element-wise, ``zero_division`` where ``den == 0``."""
    safe = np.where(den == 0, 1, den)
    return np.where(den == 0, float(zero_division), num / safe).astype(np.float64)


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Return ``(precision, recall, f1)`` over the sorted union of the labels in the data.

    ``average`` is ``"macro"``, ``"micro"``, ``"weighted"`` (three floats) or ``None``
    (three arrays, one value per class in sorted label order). A ratio whose denominator is
    0 is set to ``zero_division``.

    Raises ``ValueError`` for empty input, inputs of different lengths, or another
    ``average``.
    """
    if average not in _AVERAGE_CHOICES:
        raise ValueError(f"average must be one of {_AVERAGE_CHOICES}, got {average!r}")
    matrix = confusion_matrix(y_true, y_pred)
    true_pos = np.diag(matrix)
    predicted = matrix.sum(axis=0)
    support = matrix.sum(axis=1)

    if average == "micro":
        # Pooled over classes; for single-label data all three equal the accuracy.
        true_pos, predicted, support_sum = (
            np.array([true_pos.sum()]),
            np.array([predicted.sum()]),
            np.array([support.sum()]),
        )
        precision = _ratio(true_pos, predicted, zero_division)
        recall = _ratio(true_pos, support_sum, zero_division)
        f1 = _ratio(2 * true_pos, predicted + support_sum, zero_division)
        return float(precision[0]), float(recall[0]), float(f1[0])

    precision = _ratio(true_pos, predicted, zero_division)
    recall = _ratio(true_pos, support, zero_division)
    f1 = _ratio(2 * true_pos, predicted + support, zero_division)  # 2TP / (2TP + FP + FN)
    if average is None:
        return precision, recall, f1
    weights = support if average == "weighted" else np.ones_like(support)
    return (
        float(np.average(precision, weights=weights)),
        float(np.average(recall, weights=weights)),
        float(np.average(f1, weights=weights)),
    )


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary ``y_true`` (the larger label is the positive class).

    The probability that a random positive scores higher than a random negative; a tie
    counts one half. Each positive is located among the sorted negative scores with a
    binary search, so the cost is O(n log n).

    Raises ``ValueError`` for empty input, inputs of different lengths, or a ``y_true`` that
    does not hold exactly two distinct labels.
    """
    truth, values = _aligned(y_true, scores, ("y_true", "scores"))
    classes = np.unique(truth)
    if len(classes) != 2:
        raise ValueError(f"y_true must hold exactly two distinct labels, got {len(classes)}")
    is_positive = truth == classes[1]
    values = values.astype(np.float64)
    negatives = np.sort(values[~is_positive])
    positives = values[is_positive]
    below = np.searchsorted(negatives, positives, side="left")
    below_or_equal = np.searchsorted(negatives, positives, side="right")
    wins = below.sum() + 0.5 * (below_or_equal - below).sum()
    return float(wins / (len(positives) * len(negatives)))


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Split the indices ``0..len(y)-1`` into ``(train_idx, test_idx)``, stratified by ``y``.

    The test part holds ``ceil(test_size * n)`` indices; each class puts
    ``n_class * test_size`` of its samples (within one sample) into it. The same ``seed``
    gives the same split.

    Raises ``ValueError`` for empty ``y``, a ``test_size`` outside ``(0, 1)``, or a split
    that would leave the train or the test part empty.
    """
    labels = _vector(y, "y")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be strictly between 0 and 1, got {test_size}")
    n_total = len(labels)
    n_test = math.ceil(test_size * n_total)
    if n_test >= n_total:
        raise ValueError(f"test_size={test_size} leaves no training sample out of {n_total}")

    rng = np.random.default_rng(seed)
    _, class_ids = np.unique(labels, return_inverse=True)
    members = [rng.permutation(np.flatnonzero(class_ids == c)) for c in np.unique(class_ids)]
    ideal = np.array([len(m) * test_size for m in members])
    per_class = np.floor(ideal).astype(np.int64)
    # Largest remainders get the slots still missing to reach exactly n_test.
    for c in np.argsort(per_class - ideal, kind="stable")[: n_test - per_class.sum()]:
        per_class[c] += 1

    test = np.concatenate([m[:k] for m, k in zip(members, per_class)])
    train = np.concatenate([m[k:] for m, k in zip(members, per_class)])
    return np.sort(train), np.sort(test)

"""Shared classification metrics: confusion matrix, precision/recall/F1, ROC AUC and a
stratified train/test split.

All functions take Python lists or 1-D numpy arrays of integer, string or boolean labels.
Only numpy and the standard library are used so every team can import this module.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None

VALID_AVERAGES = {"macro", "micro", "weighted", None}


def _check_pair(a: ArrayLike, b: ArrayLike, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Convert two inputs to 1-D arrays and check that they are non-empty and aligned."""
    first, second = np.asarray(a).ravel(), np.asarray(b).ravel()
    if first.size == 0 or second.size == 0:
        raise ValueError(f"{names[0]} and {names[1]} must not be empty")
    if first.size != second.size:
        raise ValueError(
            f"{names[0]} has {first.size} elements but {names[1]} has {second.size}"
        )
    return first, second


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
    truth, predicted = _check_pair(y_true, y_pred, ("y_true", "y_pred"))
    if labels is None:
        classes = sorted(set(truth.tolist()) | set(predicted.tolist()))
    else:
        classes = list(np.asarray(labels).tolist())
    index_of = {label: i for i, label in enumerate(classes)}
    k = len(classes)

    rows = np.array([index_of.get(v, -1) for v in truth.tolist()], dtype=np.int64)
    cols = np.array([index_of.get(v, -1) for v in predicted.tolist()], dtype=np.int64)
    keep = (rows >= 0) & (cols >= 0)
    flat = np.bincount(rows[keep] * k + cols[keep], minlength=k * k)
    return flat.reshape(k, k).astype(np.int64)


def _divide(num: np.ndarray, den: np.ndarray, fallback: float) -> np.ndarray:
    """Divide element-wise, using ``fallback`` wherever ``den`` is zero (never NaN)."""
    result = np.full(num.shape, fallback, dtype=np.float64)
    nonzero = den != 0
    result[nonzero] = num[nonzero] / den[nonzero]
    return result


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
    if average not in VALID_AVERAGES:
        raise ValueError(f"unknown average {average!r}; use 'macro', 'micro', 'weighted' or None")
    cm = confusion_matrix(y_true, y_pred).astype(np.float64)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    support = cm.sum(axis=1)

    if average == "micro":
        tp, fp, fn = np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()])

    precision = _divide(tp, tp + fp, zero_division)
    recall = _divide(tp, tp + fn, zero_division)
    f1 = _divide(2 * tp, 2 * tp + fp + fn, zero_division)

    if average is None:
        return precision, recall, f1
    weights = support if average == "weighted" else None
    p, r, f = (float(np.average(values, weights=weights)) for values in (precision, recall, f1))
    return p, r, f


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary ``y_true`` (the larger label is the positive class).

    The probability that a random positive scores higher than a random negative; a tie
    counts one half. Runs in O(n log n): scores are sorted once and every group of tied
    scores contributes its negatives-below count plus half of its tied negatives.

    Raises ``ValueError`` for empty input, inputs of different lengths, or a ``y_true`` that
    does not hold exactly two distinct labels.
    """
    truth, s = _check_pair(y_true, scores, ("y_true", "scores"))
    classes = np.unique(truth)
    if len(classes) != 2:
        raise ValueError(f"y_true must contain exactly two classes, got {len(classes)}")
    is_pos = truth == classes[1]

    order = np.argsort(s, kind="mergesort")
    sorted_scores = s[order].astype(np.float64)
    sorted_pos = is_pos[order]
    # boundaries of groups of equal scores
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    pos_per_group = np.add.reduceat(sorted_pos.astype(np.int64), starts)
    sizes = np.diff(np.r_[starts, len(sorted_scores)])
    neg_per_group = sizes - pos_per_group
    neg_below = np.cumsum(neg_per_group) - neg_per_group

    n_pos = int(pos_per_group.sum())
    n_neg = int(neg_per_group.sum())
    wins = np.sum(pos_per_group * (neg_below + 0.5 * neg_per_group))
    return float(wins / (n_pos * n_neg))


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
    labels = np.asarray(y).ravel()
    if labels.size == 0:
        raise ValueError("y must not be empty")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be in (0, 1), got {test_size}")
    n = labels.size
    n_test = math.ceil(test_size * n)
    if n_test == 0 or n_test == n:
        raise ValueError(f"a test_size of {test_size} on {n} samples leaves a part empty")

    rng = np.random.default_rng(seed)
    classes, inverse = np.unique(labels, return_inverse=True)
    groups = [rng.permutation(np.flatnonzero(inverse == c)) for c in range(len(classes))]

    # largest-remainder allocation: floor for everybody, extra slots by biggest remainder
    targets = np.array([len(g) * test_size for g in groups])
    counts = np.floor(targets).astype(int)
    remainders = targets - counts
    missing = n_test - counts.sum()
    for c in np.argsort(-remainders, kind="stable")[:missing]:
        counts[c] += 1

    test = np.concatenate([g[:k] for g, k in zip(groups, counts)])
    train = np.concatenate([g[k:] for g, k in zip(groups, counts)])
    return rng.permutation(train).astype(np.int64), rng.permutation(test).astype(np.int64)

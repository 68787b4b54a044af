"""Classification metrics and a stratified train/test split, on numpy and the standard library.

Every function accepts plain Python lists or 1-D numpy arrays, validates its inputs and
raises ``ValueError`` with a message that says what was wrong.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None
AVERAGES: tuple[Average, ...] = ("macro", "micro", "weighted", None)


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None = None
) -> NDArray[np.int64]:
    """Count how often each true label (row) was predicted as each label (column).

    ``labels`` fixes the classes and their order; by default it is the sorted union of the
    labels seen in ``y_true`` and ``y_pred``. Pairs whose true or predicted label is not in
    ``labels`` are not counted.
    """
    truth, predicted = _paired(y_true, y_pred, "y_pred")
    classes = _sorted_union(truth, predicted) if labels is None else _checked_labels(labels)
    return _count_pairs(truth, predicted, classes)


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Precision, recall and F1 over the sorted union of the labels in the data.

    ``average``: ``"macro"`` (unweighted mean over classes), ``"weighted"`` (mean weighted by
    each class's support in ``y_true``), ``"micro"`` (from the counts pooled over classes) or
    ``None`` (one value per class, as three arrays). A ratio whose denominator is 0 is set to
    ``zero_division``.
    """
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")
    truth, predicted = _paired(y_true, y_pred, "y_pred")
    counts = _count_pairs(truth, predicted, _sorted_union(truth, predicted))
    true_positives = np.diag(counts).astype(float)
    predicted_per_class = counts.sum(axis=0).astype(float)  # TP + FP
    support = counts.sum(axis=1).astype(float)  # TP + FN

    if average == "micro":
        # Pool the counts first: for single-label data this is the accuracy, three times.
        tp, pred, true = true_positives.sum(), predicted_per_class.sum(), support.sum()
        return (
            _ratio(tp, pred, zero_division),
            _ratio(tp, true, zero_division),
            _ratio(2 * tp, pred + true, zero_division),
        )

    precision = _ratios(true_positives, predicted_per_class, zero_division)
    recall = _ratios(true_positives, support, zero_division)
    # 2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall, defined from counts.
    f1 = _ratios(2 * true_positives, predicted_per_class + support, zero_division)
    if average is None:
        return precision, recall, f1
    weights = support if average == "weighted" else None
    return tuple(float(np.average(values, weights=weights)) for values in (precision, recall, f1))


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary labels (the larger label is the positive class).

    The Mann-Whitney statistic: the probability that a random positive scores higher than a
    random negative, a tie counting one half. Counting per distinct score keeps it O(n log n).
    """
    truth, score = _paired(y_true, scores, "scores")
    classes = np.unique(truth)
    if len(classes) != 2:
        raise ValueError(
            f"roc_auc needs exactly two classes in y_true, found {len(classes)}: "
            f"{classes.tolist()[:5]}"
        )
    positive = truth == classes[1]
    values, value_index = np.unique(score.astype(float), return_inverse=True)
    positives_at = np.bincount(value_index[positive], minlength=len(values))
    negatives_at = np.bincount(value_index[~positive], minlength=len(values))
    negatives_below = np.cumsum(negatives_at) - negatives_at
    # A positive wins against every negative scored lower and half-wins against equal scores.
    pairs_won = np.sum(positives_at * (negatives_below + 0.5 * negatives_at))
    return float(pairs_won / (positives_at.sum() * negatives_at.sum()))


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Split the indices of ``y`` into (train, test), keeping each class's proportion.

    The test part has ``ceil(test_size * n)`` samples; each class contributes
    ``n_class * test_size`` of them, rounded down or up. The same seed gives the same split.
    """
    labels = _as_labels(y, "y")
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float)):
        raise ValueError(f"test_size must be a number in (0, 1), got {test_size!r}")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be in (0, 1), got {test_size}")
    n = len(labels)
    n_test = math.ceil(test_size * n)
    if n_test >= n:
        raise ValueError(f"test_size={test_size} leaves no training sample out of {n}")

    rng = np.random.default_rng(seed)
    _, class_of = np.unique(labels, return_inverse=True)
    per_class = _allocate(np.bincount(class_of), test_size, n_test, rng)
    test_parts = [
        rng.permutation(np.flatnonzero(class_of == k))[:take] for k, take in enumerate(per_class)
    ]
    test_idx = np.sort(np.concatenate(test_parts)).astype(np.int64)
    train_idx = np.setdiff1d(np.arange(n, dtype=np.int64), test_idx)
    return train_idx, test_idx


# --- helpers -------------------------------------------------------------------------------


def _as_labels(values: ArrayLike, name: str) -> NDArray:
    """A non-empty 1-D array, or a ValueError naming the argument."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    return array


def _paired(y_true: ArrayLike, other: ArrayLike, other_name: str) -> tuple[NDArray, NDArray]:
    """``y_true`` and ``other`` as 1-D arrays of the same, non-zero length."""
    truth = _as_labels(y_true, "y_true")
    second = _as_labels(other, other_name)
    if len(truth) != len(second):
        raise ValueError(
            f"y_true and {other_name} must have the same length, got {len(truth)} and {len(second)}"
        )
    return truth, second


def _sorted_union(truth: NDArray, predicted: NDArray) -> list[Hashable]:
    return sorted(set(truth.tolist()))


def _checked_labels(labels: Sequence[Hashable]) -> list[Hashable]:
    chosen = np.asarray(labels).tolist()
    if not chosen:
        raise ValueError("labels must not be empty")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"labels must not repeat, got {chosen}")
    return chosen


def _count_pairs(truth: NDArray, predicted: NDArray, classes: list[Hashable]) -> NDArray[np.int64]:
    """Confusion counts: rows are true classes, columns predicted classes, in ``classes`` order."""
    position = {label: i for i, label in enumerate(classes)}
    counts = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for actual, guess in zip(truth.tolist(), predicted.tolist(), strict=True):
        row, column = position.get(actual), position.get(guess)
        if row is not None and column is not None:
            counts[row, column] += 1
    return counts


def _ratio(numerator: float, denominator: float, zero_division: float) -> float:
    return float(numerator / denominator) if denominator else float(zero_division)


def _ratios(
    numerator: NDArray[np.float64], denominator: NDArray[np.float64], zero_division: float
) -> NDArray[np.float64]:
    out = np.full(numerator.shape, float(zero_division))
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _allocate(
    class_sizes: NDArray[np.int64], test_size: float, n_test: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Test samples per class: floor of the exact share, +1 for the largest remainders."""
    exact = class_sizes * test_size
    take = np.minimum(np.floor(exact).astype(np.int64), class_sizes)
    leftover = max(0, n_test - int(take.sum()))
    remainder = exact - take
    # Largest remainders first; equal remainders in random (seeded) order.
    order = np.lexsort((rng.random(len(class_sizes)), -remainder))
    take[order[:leftover]] += 1
    return take

"""Classification metrics and a stratified train/test split, shared by every team pipeline.

Every public function accepts plain Python lists or 1-D numpy arrays; labels may be
integers, strings or booleans. Only numpy and the standard library are used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None

_AVERAGES = ("macro", "micro", "weighted", None)


def _to_array(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D numpy array, or raise ``ValueError``."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    return array


def _validate_pair(y_true: ArrayLike, y_pred: ArrayLike, pred_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate two aligned, non-empty 1-D inputs and return them as arrays."""
    true = _to_array(y_true, "y_true")
    other = _to_array(y_pred, pred_name)
    if true.shape[0] != other.shape[0]:
        raise ValueError(
            f"y_true and {pred_name} have different lengths: {true.shape[0]} != {other.shape[0]}"
        )
    return true, other


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
    true, pred = _validate_pair(y_true, y_pred, "y_pred")
    if labels is None:
        classes = np.union1d(true, pred).tolist()
    else:
        classes = np.asarray(labels).tolist()
    position = {label: i for i, label in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for t, p in zip(true.tolist(), pred.tolist()):
        row, col = position.get(t), position.get(p)
        if row is not None and col is not None:
            matrix[row, col] += 1
    return matrix


def _ratio(numerator: np.ndarray, denominator: np.ndarray, fallback: float) -> np.ndarray:
    """Element-wise ``numerator / denominator`` with ``fallback`` where the denominator is 0."""
    numerator = numerator.astype(np.float64)
    denominator = denominator.astype(np.float64)
    out = np.full(numerator.shape, float(fallback))
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


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
    if average not in _AVERAGES:
        raise ValueError(f"average must be 'macro', 'micro', 'weighted' or None, got {average!r}")
    matrix = confusion_matrix(y_true, y_pred)
    tp = np.diag(matrix)
    fp = matrix.sum(axis=0) - tp
    fn = matrix.sum(axis=1) - tp

    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)

    precision = _ratio(tp, tp + fp, zero_division)
    recall = _ratio(tp, tp + fn, zero_division)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)

    if average is None:
        return precision, recall, f1
    if average == "weighted":
        support = matrix.sum(axis=1)
        return tuple(float(np.average(v, weights=support)) for v in (precision, recall, f1))
    return tuple(float(v.mean()) for v in (precision, recall, f1))


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary ``y_true`` (the larger label is the positive class).

    The probability that a random positive scores higher than a random negative; a tie
    counts one half.

    Raises ``ValueError`` for empty input, inputs of different lengths, or a ``y_true`` that
    does not hold exactly two distinct labels.
    """
    true, score = _validate_pair(y_true, scores, "scores")
    classes = np.unique(true)
    if classes.size != 2:
        raise ValueError(f"y_true must hold exactly two distinct labels, found {classes.size}")
    positive = true == classes[1]
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos

    # Rank-sum (Mann-Whitney U): tied scores get the average of their ranks.
    _, inverse, counts = np.unique(score.astype(np.float64), return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    mid_rank = upper - (counts - 1) / 2.0
    rank_sum = float(mid_rank[inverse.ravel()][positive].sum())
    u_statistic = rank_sum - n_pos * (n_pos + 1) / 2.0
    return u_statistic / (n_pos * n_neg)


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
    labels = _to_array(y, "y")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be strictly between 0 and 1, got {test_size}")
    n = labels.size
    n_test = math.ceil(test_size * n)
    if n_test >= n:
        raise ValueError(
            f"test_size={test_size} with {n} samples leaves the train part empty"
        )

    rng = np.random.default_rng(seed)
    _, class_of = np.unique(labels, return_inverse=True)
    class_of = class_of.ravel()
    members = [np.flatnonzero(class_of == c) for c in range(class_of.max() + 1)]
    exact = np.array([len(m) * test_size for m in members])
    quota = np.floor(exact).astype(np.int64)
    # Hand the remaining test slots to the classes with the largest fractional parts,
    # breaking ties at random so no class is always favoured.
    leftover = n_test - int(quota.sum())
    if leftover > 0:
        order = np.lexsort((rng.random(len(members)), -(exact - quota)))
        quota[order[:leftover]] += 1

    test_parts, train_parts = [], []
    for idx, k in zip(members, quota):
        shuffled = rng.permutation(idx)
        test_parts.append(shuffled[:k])
        train_parts.append(shuffled[k:])
    train = np.sort(np.concatenate(train_parts)).astype(np.int64)
    test = np.sort(np.concatenate(test_parts)).astype(np.int64)
    return train, test

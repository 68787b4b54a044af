"""Own implementation."""
from __future__ import annotations
import math
from collections.abc import Hashable, Sequence
from typing import Literal
import numpy as np
from numpy.typing import ArrayLike, NDArray
Average = Literal['macro', 'micro', 'weighted'] | None
AVERAGES: tuple[Average, ...] = ('macro', 'micro', 'weighted', None)

def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None=None) -> NDArray[np.int64]:
    """Own implementation."""
    truth, predicted = _paired(y_true, y_pred, 'y_pred')
    classes = _sorted_union(truth, predicted) if labels is None else _checked_labels(labels)
    return _count_pairs(truth, predicted, classes)

def precision_recall_f1(y_true: ArrayLike, y_pred: ArrayLike, average: Average='macro', zero_division: float=0.0) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Own implementation."""
    if average not in AVERAGES:
        raise ValueError(f'average must be one of {AVERAGES}, got {average!r}')
    truth, predicted = _paired(y_true, y_pred, 'y_pred')
    counts = _count_pairs(truth, predicted, _sorted_union(truth, predicted))
    true_positives = np.diag(counts).astype(float)
    predicted_per_class = counts.sum(axis=0).astype(float)
    support = counts.sum(axis=1).astype(float)
    if average == 'micro':
        tp, pred, true = (true_positives.sum(), predicted_per_class.sum(), support.sum())
        return (_ratio(tp, pred, zero_division), _ratio(tp, true, zero_division), _ratio(2 * tp, pred + true, zero_division))
    precision = _ratios(true_positives, predicted_per_class, zero_division)
    recall = _ratios(true_positives, support, zero_division)
    f1 = _ratios(2 * true_positives, predicted_per_class + support, zero_division)
    if average is None:
        return (precision, recall, f1)
    weights = support if average == 'weighted' else None
    return tuple((float(np.average(values, weights=weights)) for values in (precision, recall, f1)))

def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Own implementation."""
    truth, score = _paired(y_true, scores, 'scores')
    classes = np.unique(truth)
    if len(classes) != 2:
        raise ValueError(f'roc_auc needs exactly two classes in y_true, found {len(classes)}: {classes.tolist()[:5]}')
    positive = truth == classes[1]
    values, value_index = np.unique(score.astype(float), return_inverse=True)
    positives_at = np.bincount(value_index[positive], minlength=len(values))
    negatives_at = np.bincount(value_index[~positive], minlength=len(values))
    negatives_below = np.cumsum(negatives_at) - negatives_at
    pairs_won = np.sum(positives_at * (negatives_below + 0.5 * negatives_at))
    return float(pairs_won / (positives_at.sum() * negatives_at.sum()))

def stratified_split(y: ArrayLike, test_size: float=0.25, seed: int=0) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Own implementation."""
    labels = _as_labels(y, 'y')
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float)):
        raise ValueError(f'test_size must be a number in (0, 1), got {test_size!r}')
    if not 0.0 < test_size < 1.0:
        raise ValueError(f'test_size must be in (0, 1), got {test_size}')
    n = len(labels)
    n_test = math.ceil(test_size * n)
    if n_test >= n:
        raise ValueError(f'test_size={test_size} leaves no training sample out of {n}')
    rng = np.random.default_rng(seed)
    _, class_of = np.unique(labels, return_inverse=True)
    per_class = _allocate(np.bincount(class_of), test_size, n_test, rng)
    test_parts = [rng.permutation(np.flatnonzero(class_of == k))[:take] for k, take in enumerate(per_class)]
    test_idx = np.sort(np.concatenate(test_parts)).astype(np.int64)
    train_idx = np.setdiff1d(np.arange(n, dtype=np.int64), test_idx)
    return (train_idx, test_idx)

def _as_labels(values: ArrayLike, name: str) -> NDArray:
    """Own implementation."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f'{name} must be 1-D, got shape {array.shape}')
    if array.size == 0:
        raise ValueError(f'{name} is empty')
    return array

def _paired(y_true: ArrayLike, other: ArrayLike, other_name: str) -> tuple[NDArray, NDArray]:
    """Own implementation."""
    truth = _as_labels(y_true, 'y_true')
    second = _as_labels(other, other_name)
    if len(truth) != len(second):
        raise ValueError(f'y_true and {other_name} must have the same length, got {len(truth)} and {len(second)}')
    return (truth, second)

def _sorted_union(truth: NDArray, predicted: NDArray) -> list[Hashable]:
    return sorted(set(truth.tolist()) | set(predicted.tolist()))

def _checked_labels(labels: Sequence[Hashable]) -> list[Hashable]:
    chosen = np.asarray(labels).tolist()
    if not chosen:
        raise ValueError('labels must not be empty')
    if len(set(chosen)) != len(chosen):
        raise ValueError(f'labels must not repeat, got {chosen}')
    return chosen

def _count_pairs(truth: NDArray, predicted: NDArray, classes: list[Hashable]) -> NDArray[np.int64]:
    """Own implementation."""
    position = {label: i for i, label in enumerate(classes)}
    counts = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for actual, guess in zip(truth.tolist(), predicted.tolist(), strict=True):
        row, column = (position.get(actual), position.get(guess))
        if row is not None and column is not None:
            counts[row, column] += 1
    return counts

def _ratio(numerator: float, denominator: float, zero_division: float) -> float:
    return float(numerator / denominator) if denominator else float(zero_division)

def _ratios(numerator: NDArray[np.float64], denominator: NDArray[np.float64], zero_division: float) -> NDArray[np.float64]:
    out = np.full(numerator.shape, float(zero_division))
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out

def _allocate(class_sizes: NDArray[np.int64], test_size: float, n_test: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Own implementation."""
    exact = class_sizes * test_size
    take = np.minimum(np.floor(exact).astype(np.int64), class_sizes)
    leftover = max(0, n_test - int(take.sum()))
    remainder = exact - take
    order = np.lexsort((rng.random(len(class_sizes)), -remainder))
    take[order[:leftover]] += 1
    return take

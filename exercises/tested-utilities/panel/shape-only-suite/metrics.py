"""Classification metrics and a stratified train/test split, shared by every team pipeline.

Only numpy and the Python standard library are used. Every function accepts plain
Python lists or 1-D numpy arrays.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None


def _check(y_true, y_pred):
    a, b = np.asarray(y_true), np.asarray(y_pred)
    if len(a) == 0 or len(b) == 0:
        raise ValueError("inputs must not be empty")
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} vs {len(b)}")
    return a, b


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None = None
) -> NDArray[np.int64]:
    """Count how often each true label (row) was predicted as each label (column).

    Labels default to the sorted union of both inputs. Samples whose true or predicted
    label is not in ``labels`` are skipped.
    """
    a, b = _check(y_true, y_pred)
    labs = list(np.unique(np.concatenate([a, b]))) if labels is None else list(labels)
    idx = {lab: i for i, lab in enumerate(labs)}
    cm = np.zeros((len(labs), len(labs)), dtype=np.int64)
    for t, p in zip(a, b):
        if t in idx and p in idx:
            cm[idx[t], idx[p]] += 1
    return cm


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Return ``(precision, recall, f1)``, averaged as asked or per class for ``None``."""
    if average not in ("macro", "micro", "weighted", None):
        raise ValueError(f"bad average: {average}")
    cm = confusion_matrix(y_true, y_pred)
    tp = np.diag(cm).astype(float)
    fp = cm.sum(0) - tp
    fn = cm.sum(1) - tp
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)

    def div(n, d):
        return np.array([x / y if y else zero_division for x, y in zip(n, d)], dtype=float)

    p, r, f = div(tp, tp + fp), div(tp, tp + fn), div(2 * tp, 2 * tp + fp + fn)
    if average is None:
        return p, r, f
    w = cm.sum(1) if average == "weighted" else None
    return float(np.average(p, weights=w)), float(np.average(r, weights=w)), float(
        np.average(f, weights=w)
    )


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """ROC AUC (Mann-Whitney, ties count 1/2); the larger label is the positive class."""
    y, s = _check(y_true, scores)
    classes = np.unique(y)
    if len(classes) != 2:
        raise ValueError(f"need exactly 2 classes in y_true, got {len(classes)}")
    pos = y == classes[1]
    uniq, inv, cnt = np.unique(s, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(cnt) - (cnt - 1) / 2)[inv.ravel()]
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Stratified split of ``range(len(y))`` into ``(train_idx, test_idx)``.

    The test part has ``ceil(test_size * n)`` indices, each class within one sample of its
    share; the result depends only on ``seed``.
    """
    y = np.asarray(y)
    if len(y) == 0:
        raise ValueError("y is empty")
    if not 0 < test_size < 1:
        raise ValueError("test_size must be strictly between 0 and 1")
    n = len(y)
    n_test = math.ceil(test_size * n)
    if n_test >= n:
        raise ValueError("split leaves the train part empty")
    rng = np.random.default_rng(seed)
    groups = [rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)]
    want = np.array([len(g) * test_size for g in groups])
    take = np.floor(want).astype(int)
    extra = n_test - take.sum()
    take[np.argsort(take - want)[:extra]] += 1
    test = np.concatenate([g[:k] for g, k in zip(groups, take)])
    train = np.concatenate([g[k:] for g, k in zip(groups, take)])
    return train.astype(np.int64), test.astype(np.int64)

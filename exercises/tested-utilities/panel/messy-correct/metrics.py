"""Classification metrics and a stratified train/test split, shared by every team pipeline.

Implement the four public functions below; README.md has the full
rules. Only numpy and the Python standard library are available. You may add private
helpers. Every function accepts plain Python lists or 1-D numpy arrays.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal
import math
import random

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None


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
    yt = np.asarray(y_true).tolist()
    yp = np.asarray(y_pred).tolist()
    if len(yt) == 0 or len(yp) == 0:
        raise ValueError("empty input")
    if len(yt) != len(yp):
        raise ValueError("y_true and y_pred must be same length, got %d and %d" % (len(yt), len(yp)))
    if labels is None:
        L = sorted(set(yt + yp))
    else:
        L = np.asarray(labels).tolist()
    d = {}
    for i in range(len(L)):
        d[L[i]] = i
    m = np.zeros((len(L), len(L)), dtype=np.int64)
    for i in range(len(yt)):
        a = yt[i]
        b = yp[i]
        if a in d:
            if b in d:
                m[d[a]][d[b]] = m[d[a]][d[b]] + 1
    return m


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
    if not (average == "macro" or average == "micro" or average == "weighted" or average is None):
        raise ValueError("average must be macro, micro, weighted or None not " + str(average))
    m = confusion_matrix(y_true, y_pred)
    k = m.shape[0]
    P = []
    R = []
    F = []
    TP = 0
    FP = 0
    FN = 0
    sup = []
    for i in range(k):
        tp = m[i, i]
        fp = m[:, i].sum() - tp
        fn = m[i, :].sum() - tp
        TP += tp
        FP += fp
        FN += fn
        sup.append(m[i, :].sum())
        if tp + fp == 0:
            P.append(zero_division)
        else:
            P.append(tp / (tp + fp))
        if tp + fn == 0:
            R.append(zero_division)
        else:
            R.append(tp / (tp + fn))
        if 2 * tp + fp + fn == 0:
            F.append(zero_division)
        else:
            F.append(2 * tp / (2 * tp + fp + fn))
    if average is None:
        return np.array(P, dtype=float), np.array(R, dtype=float), np.array(F, dtype=float)
    if average == "micro":
        # micro: pool the counts
        p = TP / (TP + FP) if TP + FP > 0 else zero_division
        r = TP / (TP + FN) if TP + FN > 0 else zero_division
        f = 2 * TP / (2 * TP + FP + FN) if (2 * TP + FP + FN) > 0 else zero_division
        return float(p), float(r), float(f)
    if average == "weighted":
        tot = sum(sup)
        p = sum([P[i] * sup[i] for i in range(k)]) / tot
        r = sum([R[i] * sup[i] for i in range(k)]) / tot
        f = sum([F[i] * sup[i] for i in range(k)]) / tot
        return float(p), float(r), float(f)
    # macro
    return float(sum(P) / k), float(sum(R) / k), float(sum(F) / k)


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary ``y_true`` (the larger label is the positive class).

    The probability that a random positive scores higher than a random negative; a tie
    counts one half.

    Raises ``ValueError`` for empty input, inputs of different lengths, or a ``y_true`` that
    does not hold exactly two distinct labels.
    """
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if len(y) == 0 or len(s) == 0:
        raise ValueError("empty input")
    if len(y) != len(s):
        raise ValueError("y_true and scores must be same length")
    u = np.unique(y)
    if len(u) != 2:
        raise ValueError("need exactly 2 classes in y_true, got %d" % len(u))
    pos = y == u[1]
    # sort scores, then walk over the groups of tied scores
    o = np.argsort(s, kind="mergesort")
    s2 = s[o]
    p2 = pos[o]
    npos = p2.sum()
    nneg = len(p2) - npos
    # old version, too slow:
    # tot = 0
    # for a in s[pos]:
    #     for b in s[~pos]:
    #         tot += 1 if a > b else 0.5 if a == b else 0
    new_group = np.concatenate([[True], s2[1:] != s2[:-1]])
    gid = np.cumsum(new_group) - 1
    ng = gid[-1] + 1
    pos_in_g = np.bincount(gid, weights=p2.astype(float), minlength=ng)
    neg_in_g = np.bincount(gid, weights=(~p2).astype(float), minlength=ng)
    neg_before = np.concatenate([[0.0], np.cumsum(neg_in_g)[:-1]])
    total = (pos_in_g * neg_before).sum() + 0.5 * (pos_in_g * neg_in_g).sum()
    return float(total / (npos * nneg))


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
    y = np.asarray(y).tolist()
    n = len(y)
    if n == 0:
        raise ValueError("y is empty")
    if test_size <= 0 or test_size >= 1:
        raise ValueError("test_size must be between 0 and 1 (exclusive)")
    ntest = math.ceil(test_size * n)
    if ntest == 0 or ntest >= n:
        raise ValueError("train or test would be empty")
    r = random.Random(seed)  # own generator so global state doesnt matter
    groups = {}
    for i in range(n):
        groups.setdefault(y[i], []).append(i)
    keys = sorted(groups.keys())
    cnt = {}
    frac = []
    for key in keys:
        cnt[key] = int(math.floor(len(groups[key]) * test_size))
        frac.append((len(groups[key]) * test_size - cnt[key], r.random(), key))
    left = ntest - sum(cnt.values())
    frac.sort(reverse=True)
    for j in range(left):
        cnt[frac[j][2]] += 1
    train = []
    test = []
    for key in keys:
        idx = groups[key][:]
        r.shuffle(idx)
        test += idx[: cnt[key]]
        train += idx[cnt[key] :]
    #print(len(train), len(test))
    return np.array(train, dtype=np.int64), np.array(test, dtype=np.int64)

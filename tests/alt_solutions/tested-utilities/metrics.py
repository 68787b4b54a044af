"""Classification metrics and a stratified split (alternative reference, counter-based style).

Counts come from ``collections.Counter`` over (true, predicted) pairs, ROC AUC from average
ranks (Mann-Whitney U), and the split hands out test places per class with a cumulative
ceiling so the per-class quotas always add up to the total.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np

_AVERAGES = {"macro", "micro", "weighted", None}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _labels_list(values: Any, name: str) -> list[Hashable]:
    """A non-empty flat list of Python scalars."""
    items = np.asarray(values).tolist() if isinstance(values, np.ndarray) else list(values)
    _require(len(items) > 0, f"{name} must not be empty")
    return items


def _two_lists(first: Any, second: Any, second_name: str) -> tuple[list, list]:
    a = _labels_list(first, "y_true")
    b = _labels_list(second, second_name)
    _require(
        len(a) == len(b),
        f"y_true has {len(a)} entries but {second_name} has {len(b)}; they must match",
    )
    return a, b


def confusion_matrix(y_true: Any, y_pred: Any, labels: Iterable[Hashable] | None = None):
    """Matrix of counts: row = true label, column = predicted label.

    With ``labels=None`` the classes are the sorted union of both inputs; otherwise exactly
    ``labels``, in the given order (pairs involving other labels are ignored).
    """
    truth, guess = _two_lists(y_true, y_pred, "y_pred")
    classes = sorted(set(truth) | set(guess)) if labels is None else _labels_list(labels, "labels")
    pairs = Counter(zip(truth, guess, strict=True))
    return np.array([[pairs[(row, col)] for col in classes] for row in classes], dtype=np.int64)


def precision_recall_f1(y_true: Any, y_pred: Any, average: str | None = "macro", zero_division=0.0):
    """(precision, recall, f1): averaged floats, or per-class arrays when ``average=None``."""
    _require(
        average in _AVERAGES, f"unknown average {average!r}; use macro, micro, weighted or None"
    )
    truth, guess = _two_lists(y_true, y_pred, "y_pred")
    classes = sorted(set(truth) | set(guess))
    hits = Counter(t for t, p in zip(truth, guess, strict=True) if t == p)
    support = Counter(truth)
    predicted = Counter(guess)

    def safe(num: float, den: float) -> float:
        return num / den if den > 0 else float(zero_division)

    if average == "micro":
        tp = sum(hits.values())
        return safe(tp, len(guess)), safe(tp, len(truth)), safe(2 * tp, len(guess) + len(truth))

    rows = [
        (
            safe(hits[c], predicted[c]),
            safe(hits[c], support[c]),
            safe(2 * hits[c], predicted[c] + support[c]),
        )
        for c in classes
    ]
    columns = [np.array(column, dtype=float) for column in zip(*rows, strict=True)]
    if average is None:
        return tuple(columns)
    weights = [support[c] if average == "weighted" else 1 for c in classes]
    total = sum(weights)
    return tuple(float(np.dot(column, weights) / total) for column in columns)


def roc_auc(y_true: Any, scores: Any) -> float:
    """Mann-Whitney AUC from average ranks: ties between classes count one half."""
    truth, values = _two_lists(y_true, scores, "scores")
    kinds = sorted(set(truth))
    _require(len(kinds) == 2, f"roc_auc needs exactly 2 classes in y_true, got {len(kinds)}")
    is_pos = np.array([t == kinds[1] for t in truth])
    s = np.asarray(values, dtype=float)

    order = np.argsort(s, kind="mergesort")
    ordered = s[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    stops = np.concatenate((cuts, [len(s)]))
    # Positions start..stop-1 share the mean of the 1-based ranks start+1..stop.
    shared_rank = np.repeat((starts + stops + 1) / 2.0, stops - starts)
    ranks = np.empty(len(s))
    ranks[order] = shared_rank

    n_pos = int(is_pos.sum())
    n_neg = len(s) - n_pos
    u_statistic = float(ranks[is_pos].sum()) - n_pos * (n_pos + 1) / 2.0
    return u_statistic / (n_pos * n_neg)


def stratified_split(y: Any, test_size: float = 0.25, seed: int = 0):
    """Seeded stratified split; returns (train indices, test indices), in no special order."""
    labels = _labels_list(y, "y")
    try:
        fraction = float(test_size)
    except (TypeError, ValueError):
        raise ValueError(f"test_size must be a float in (0, 1), not {test_size!r}") from None
    _require(0.0 < fraction < 1.0, f"test_size must be strictly between 0 and 1, got {fraction}")
    n = len(labels)
    _require(math.ceil(fraction * n) < n, f"test_size={fraction} on {n} samples leaves no train")

    members: dict[Hashable, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)

    generator = np.random.default_rng(seed)
    train: list[int] = []
    test: list[int] = []
    seen = 0
    for label in sorted(members):
        group = members[label]
        # Quota = ceil(f * (seen + len)) - ceil(f * seen): within 1 of f * len, sums to ceil(f*n).
        quota = math.ceil(fraction * (seen + len(group))) - math.ceil(fraction * seen)
        seen += len(group)
        shuffled = [group[i] for i in generator.permutation(len(group))]
        test.extend(shuffled[:quota])
        train.extend(shuffled[quota:])
    return np.array(train, dtype=np.intp), np.array(test, dtype=np.intp)

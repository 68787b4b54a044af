"""Property tests for metrics.py against tiny brute-force references written from the brief.

Run with ``python -m pytest tests`` next to metrics.py. Deterministic: every random case
uses a fixed seed.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import metrics  # found through the sys.path line above

SEEDS = range(6)


def random_case(seed: int, n_classes: int = 4, n: int = 60):
    """Imbalanced labels with an error-prone, asymmetric classifier."""
    rng = np.random.default_rng(seed)
    y_true = rng.choice(
        n_classes, size=n, p=np.linspace(1, 3, n_classes) / np.linspace(1, 3, n_classes).sum()
    )
    y_pred = np.where(rng.random(n) < 0.55, y_true, (y_true + 1) % n_classes)
    return y_true.tolist(), y_pred.tolist()


def brute_confusion(y_true, y_pred, labels):
    return [
        [sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == a and p == b) for b in labels]
        for a in labels
    ]


def brute_class_stats(y_true, y_pred, zero_division=0.0):
    labels = sorted(set(y_true) | set(y_pred))
    out = []
    for c in labels:
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred, strict=True))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred, strict=True))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred, strict=True))
        out.append(
            (
                tp / (tp + fp) if tp + fp else zero_division,
                tp / (tp + fn) if tp + fn else zero_division,
                2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else zero_division,
                tp + fn,
            )
        )
    return labels, out


def brute_auc(y, s):
    pos = [b for a, b in zip(y, s, strict=True) if a == max(y)]
    neg = [b for a, b in zip(y, s, strict=True) if a != max(y)]
    return sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))


# --- confusion ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_confusion_equals_brute_force(seed):
    y_true, y_pred = random_case(seed)
    labels = sorted(set(y_true) | set(y_pred))
    assert np.asarray(metrics.confusion_matrix(y_true, y_pred)).tolist() == brute_confusion(
        y_true, y_pred, labels
    )


def test_confusion_is_not_transposed():
    assert np.asarray(metrics.confusion_matrix([1, 1, 1], [1, 0, 0])).tolist() == [[0, 0], [2, 1]]


def test_confusion_sorts_string_labels_and_keeps_one_sided_labels():
    got = np.asarray(metrics.confusion_matrix(["z", "b"], ["b", "m"])).tolist()
    assert got == [[0, 1, 0], [0, 0, 0], [1, 0, 0]]  # order b, m, z


@pytest.mark.parametrize("labels", [[3, 1], [2, 0, 9], [0, 1, 2, 3]])
def test_confusion_respects_labels(labels):
    y_true, y_pred = random_case(11)
    got = np.asarray(metrics.confusion_matrix(np.array(y_true), y_pred, labels=labels)).tolist()
    assert got == brute_confusion(y_true, y_pred, labels)


# --- precision / recall / f1 --------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_per_class_and_averages_equal_brute_force(seed, zero_division):
    y_true, y_pred = random_case(seed, n_classes=5, n=25)  # small: some classes unpredicted
    _, stats = brute_class_stats(y_true, y_pred, zero_division)
    columns = list(zip(*stats, strict=True))
    per = metrics.precision_recall_f1(y_true, y_pred, average=None, zero_division=zero_division)
    for got, want in zip(per, columns[:3], strict=True):
        assert np.allclose(np.asarray(got, dtype=float), want)
    support = np.array(columns[3], dtype=float)
    for average, weights in (("macro", np.ones_like(support)), ("weighted", support)):
        got = metrics.precision_recall_f1(
            y_true, y_pred, average=average, zero_division=zero_division
        )
        want = [np.dot(c, weights) / weights.sum() for c in columns[:3]]
        assert np.allclose([float(v) for v in got], want), average
    accuracy = np.mean(np.array(y_true) == np.array(y_pred))
    micro = metrics.precision_recall_f1(y_true, y_pred, average="micro")
    assert np.allclose([float(v) for v in micro], [accuracy] * 3)


def test_precision_and_recall_are_not_swapped():
    # class 1: predicted 4 times, 2 right -> precision 0.5; it occurs 2 times -> recall 1.0
    precision, recall, _ = metrics.precision_recall_f1([0, 0, 1, 1], [1, 1, 1, 1], average=None)
    assert list(map(float, precision)) == [0.0, 0.5]
    assert list(map(float, recall)) == [0.0, 1.0]


def test_no_nan_when_a_class_is_never_predicted():
    result = metrics.precision_recall_f1([0, 1, 2], [0, 1, 1])
    assert all(math.isfinite(float(v)) for v in result)


# --- roc_auc ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_auc_equals_pairwise_definition(seed):
    rng = np.random.default_rng(100 + seed)
    y = rng.integers(0, 2, 80)
    y[:2] = [0, 1]
    s = np.round(rng.random(80) + 0.4 * y, 1)  # rounded: plenty of cross-class ties
    assert metrics.roc_auc(y, s) == pytest.approx(brute_auc(y.tolist(), s.tolist()))


@pytest.mark.parametrize(
    "y, s, want",
    [
        ([0, 1], [0.3, 0.3], 0.5),
        ([0, 1, 1], [0.3, 0.3, 0.9], 0.75),
        ([1, 0, 0], [0.5, 0.5, 0.1], 0.75),
        ([True, False], [0.9, 0.1], 1.0),
        ([-1, 1, 1], [0.9, 0.1, 0.2], 0.0),
    ],
)
def test_auc_small_cases(y, s, want):
    assert metrics.roc_auc(y, s) == pytest.approx(want)


def test_auc_large_input_is_quick():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500_000)
    s = rng.integers(0, 50, 500_000) + 5 * y
    assert 0.5 < metrics.roc_auc(y, s) < 1.0


# --- stratified_split ---------------------------------------------------------------------

LABELS = ["a"] * 50 + ["b"] * 23 + ["c"] * 9 + ["d"] * 3  # n = 85


@pytest.mark.parametrize("seed", range(15))
@pytest.mark.parametrize("test_size", [0.15, 0.3, 0.6])
def test_split_properties(seed, test_size):
    train, test = metrics.stratified_split(LABELS, test_size=test_size, seed=seed)
    train, test = np.asarray(train).tolist(), np.asarray(test).tolist()
    assert sorted(train + test) == list(range(len(LABELS)))
    assert len(test) == math.ceil(test_size * len(LABELS))
    for label in set(LABELS):
        size = LABELS.count(label)
        assert abs(sum(LABELS[i] == label for i in test) - size * test_size) <= 1


def test_split_is_reproducible_and_seed_dependent():
    runs = [metrics.stratified_split(LABELS, seed=s) for s in (5, 6, 5)]
    assert np.array_equal(runs[0][1], runs[2][1]) and np.array_equal(runs[0][0], runs[2][0])
    assert sorted(np.asarray(runs[0][1]).tolist()) != sorted(np.asarray(runs[1][1]).tolist())


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: metrics.confusion_matrix([1, 2], [1]),
        lambda: metrics.precision_recall_f1([1], [1, 2]),
        lambda: metrics.roc_auc([0, 1, 1], [0.1, 0.2]),
        lambda: metrics.roc_auc([0, 1], [0.1, 0.2, 0.3]),
        lambda: metrics.confusion_matrix([], []),
        lambda: metrics.precision_recall_f1([], []),
        lambda: metrics.roc_auc([], []),
        lambda: metrics.stratified_split([]),
        lambda: metrics.precision_recall_f1([0, 1], [0, 1], average="binary"),
        lambda: metrics.roc_auc([1, 1], [0.1, 0.2]),
        lambda: metrics.roc_auc([0, 1, 2], [0.1, 0.2, 0.3]),
        lambda: metrics.stratified_split(LABELS, test_size=0),
        lambda: metrics.stratified_split(LABELS, test_size=1.0),
        lambda: metrics.stratified_split(LABELS, test_size=-0.5),
        lambda: metrics.stratified_split([0, 1], test_size=0.6),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()

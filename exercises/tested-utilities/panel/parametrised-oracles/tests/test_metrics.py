"""Property-style tests for metrics.py, checked against tiny brute-force oracles.

Run from the folder that holds metrics.py:

    python -m pytest tests

The oracles below follow the README definitions literally (loops over samples and pairs),
so they are slow but obviously right; random cases use fixed seeds.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import (  # found through the sys.path line above
    confusion_matrix,
    precision_recall_f1,
    roc_auc,
    stratified_split,
)

SEEDS = list(range(12))


# ------------------------------------------------------------------------------- oracles


def oracle_matrix(y_true: list, y_pred: list, labels: list) -> list[list[int]]:
    pairs = Counter(zip(y_true, y_pred))
    return [[pairs[(t, p)] for p in labels] for t in labels]


def oracle_per_class(y_true: list, y_pred: list, zero_division: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"p": [], "r": [], "f": [], "support": []}
    for c in sorted(set(y_true) | set(y_pred)):
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred))
        out["p"].append(tp / (tp + fp) if tp + fp else zero_division)
        out["r"].append(tp / (tp + fn) if tp + fn else zero_division)
        out["f"].append(2 * tp / (2 * tp + fp + fn))
        out["support"].append(tp + fn)
    return out


def oracle_auc(y_true: list, scores: list) -> float:
    positive = max(set(y_true))
    pos = [s for y, s in zip(y_true, scores) if y == positive]
    neg = [s for y, s in zip(y_true, scores) if y != positive]
    won = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return won / (len(pos) * len(neg))


def random_labels(seed: int, n: int = 40, k: int = 4) -> tuple[list[int], list[int]]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, k, n).tolist(), rng.integers(0, k, n).tolist()


# ------------------------------------------------------------------------ confusion_matrix


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_matches_oracle_on_random_data(seed: int) -> None:
    y_true, y_pred = random_labels(seed, k=3 + seed % 3)
    labels = sorted(set(y_true) | set(y_pred))
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == oracle_matrix(
        y_true, y_pred, labels
    )


@pytest.mark.parametrize("seed", SEEDS[:6])
def test_matrix_with_shuffled_partial_labels_matches_oracle(seed: int) -> None:
    y_true, y_pred = random_labels(seed, k=5)
    labels = np.random.default_rng(seed).permutation([0, 1, 3, 7]).tolist()  # 7 never occurs
    result = confusion_matrix(np.array(y_true), np.array(y_pred), labels=labels)
    assert np.asarray(result).tolist() == oracle_matrix(y_true, y_pred, labels)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "expected"),
    [
        ([0, 0, 1], [1, 1, 1], [[0, 2], [0, 1]]),  # rows are true labels
        (["b", "a"], ["c", "a"], [[1, 0, 0], [0, 0, 1], [0, 0, 0]]),  # c only predicted
        ([True, False], [False, False], [[1, 0], [1, 0]]),
    ],
)
def test_matrix_hand_examples(y_true: list, y_pred: list, expected: list) -> None:
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == expected


# ---------------------------------------------------------------------- precision_recall_f1


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_per_class_matches_oracle(seed: int, zero_division: float) -> None:
    # small n and many classes so some classes are never predicted or never true
    y_true, y_pred = random_labels(seed, n=8, k=6)
    expected = oracle_per_class(y_true, y_pred, zero_division)
    precision, recall, f1 = precision_recall_f1(
        y_true, y_pred, average=None, zero_division=zero_division
    )
    np.testing.assert_allclose(precision, expected["p"])
    np.testing.assert_allclose(recall, expected["r"])
    np.testing.assert_allclose(f1, expected["f"])


@pytest.mark.parametrize("seed", SEEDS)
def test_averages_match_oracle(seed: int) -> None:
    y_true, y_pred = random_labels(seed, n=15, k=4)
    per = oracle_per_class(y_true, y_pred, 0.0)
    weights = per["support"]
    expected = {
        "macro": tuple(sum(per[m]) / len(per[m]) for m in "prf"),
        "weighted": tuple(
            sum(v * w for v, w in zip(per[m], weights)) / sum(weights) for m in "prf"
        ),
        "micro": (sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true),) * 3,
    }
    for average, values in expected.items():
        result = precision_recall_f1(y_true, y_pred, average=average)
        assert all(isinstance(v, float) for v in result)
        assert result == pytest.approx(values)


def test_nothing_is_nan_when_a_class_is_never_predicted() -> None:
    for average in ("macro", "micro", "weighted"):
        assert not any(map(math.isnan, precision_recall_f1([0, 1, 2], [0, 0, 0], average)))


@pytest.mark.parametrize("average", ["binary", "Macro", 1, "none"])
def test_bad_average(average: object) -> None:
    with pytest.raises(ValueError):
        precision_recall_f1([0, 1], [1, 0], average=average)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- roc_auc


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("levels", [2, 5, 1000])
def test_auc_matches_pairwise_oracle(seed: int, levels: int) -> None:
    rng = np.random.default_rng(seed)
    y_true = [0, 1] + rng.integers(0, 2, 48).tolist()
    scores = (rng.integers(0, levels, 50) / levels).tolist()  # few levels = many ties
    assert roc_auc(y_true, scores) == pytest.approx(oracle_auc(y_true, scores))


@pytest.mark.parametrize(
    ("y_true", "scores", "expected"),
    [
        ([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8], 0.875),
        ([1, 0, 1, 0], [3, 3, 3, 3], 0.5),
        ([1, -1, -1], [0.1, 0.5, 0.0], 0.5),  # +1 is the positive class
        ([True, False, False], [0.7, 0.7, 0.1], 0.75),
        (["no", "yes"], [0.9, 0.1], 0.0),  # "yes" > "no"
        ([1, 0, 0], [0.9, 0.1, 0.2], 1.0),  # first label seen is not automatically negative
    ],
)
def test_auc_hand_examples(y_true: list, scores: list, expected: float) -> None:
    result = roc_auc(y_true, scores)
    assert isinstance(result, float)
    assert result == pytest.approx(expected)


def test_auc_symmetry_flipping_scores() -> None:
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 500)
    scores = np.round(rng.random(500), 1)
    assert roc_auc(y_true, scores) + roc_auc(y_true, -scores) == pytest.approx(1.0)


def test_auc_two_million_in_time() -> None:
    rng = np.random.default_rng(2)
    y_true = rng.integers(0, 2, 2_000_000)
    scores = rng.integers(0, 100, 2_000_000)
    assert roc_auc(y_true, scores) == pytest.approx(0.5, abs=0.005)


@pytest.mark.parametrize("y_true", [[0, 0, 0], [0, 1, 2], [5]])
def test_auc_rejects_not_two_classes(y_true: list) -> None:
    with pytest.raises(ValueError):
        roc_auc(y_true, [0.5] * len(y_true))


# -------------------------------------------------------------------------- stratified_split


def class_sizes() -> list[list[int]]:
    return [[10, 10], [30, 3], [7, 5, 2], [50, 1, 1, 9], [4, 4, 4, 4, 1]]


@pytest.mark.parametrize("sizes", class_sizes())
@pytest.mark.parametrize("test_size", [0.1, 0.25, 0.33, 0.5, 0.8])
def test_split_properties(sizes: list[int], test_size: float) -> None:
    y = np.random.default_rng(sum(sizes)).permutation(np.repeat(np.arange(len(sizes)), sizes))
    n = len(y)
    train, test = stratified_split(y, test_size=test_size, seed=3)
    train, test = np.asarray(train), np.asarray(test)
    assert np.issubdtype(train.dtype, np.integer) and np.issubdtype(test.dtype, np.integer)
    assert len(test) == math.ceil(test_size * n)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(n))
    for label, n_class in enumerate(sizes):
        assert abs(int(np.sum(y[test] == label)) - n_class * test_size) <= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_split_reproducible_whatever_the_global_state(seed: int) -> None:
    y = ["x"] * 15 + ["y"] * 9
    np.random.seed(seed)
    first = stratified_split(y, test_size=0.3, seed=seed)
    np.random.seed(seed + 100)
    np.random.permutation(50)
    second = stratified_split(y, test_size=0.3, seed=seed)
    assert set(np.asarray(first[1]).tolist()) == set(np.asarray(second[1]).tolist())


def test_split_depends_on_seed() -> None:
    y = [0] * 30 + [1] * 30
    splits = {frozenset(np.asarray(stratified_split(y, seed=s)[1]).tolist()) for s in SEEDS}
    assert len(splits) > 1


@pytest.mark.parametrize(
    ("y", "test_size"),
    [([0, 1] * 5, 0.0), ([0, 1] * 5, 1.0), ([0, 1] * 5, -1.0), ([0, 1] * 5, 1.01), ([0, 1], 0.99)],
)
def test_split_rejects_bad_sizes(y: list, test_size: float) -> None:
    with pytest.raises(ValueError):
        stratified_split(y, test_size=test_size)


# ----------------------------------------------------------------------- shared input errors


@pytest.mark.parametrize(
    "func", [confusion_matrix, precision_recall_f1, roc_auc], ids=lambda f: f.__name__
)
def test_length_mismatch_and_empty_raise(func: object) -> None:
    with pytest.raises(ValueError):
        func([0, 1, 1], [0, 1])  # type: ignore[operator]
    with pytest.raises(ValueError):
        func([], [])  # type: ignore[operator]


def test_empty_split_raises() -> None:
    with pytest.raises(ValueError):
        stratified_split([])

"""Hidden tests: stratified_split partitions the indices, keeps proportions, obeys its seed."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from _checks import metrics
from _data import rng_for, split_labels


def split(candidate, y, test_size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Call the candidate and check the result is two 1-D integer index arrays."""
    result = metrics(candidate).stratified_split(y, test_size=test_size, seed=seed)
    assert len(result) == 2, "stratified_split must return (train_idx, test_idx)"
    parts = []
    for name, part in zip(("train_idx", "test_idx"), result, strict=True):
        array = np.asarray(part)
        assert array.ndim == 1, f"{name} must be a 1-D array of indices"
        assert array.size == 0 or array.dtype.kind in "iu", (
            f"{name} must hold integer indices, got dtype {array.dtype}"
        )
        parts.append(array.astype(np.int64))
    return parts[0], parts[1]


def assert_partition(train: np.ndarray, test: np.ndarray, n: int) -> None:
    assert len(np.intersect1d(train, test)) == 0, "train and test indices must be disjoint"
    assert len(np.unique(train)) == len(train), "train_idx must not repeat an index"
    assert len(np.unique(test)) == len(test), "test_idx must not repeat an index"
    both = np.sort(np.concatenate([train, test]))
    assert np.array_equal(both, np.arange(n)), "train and test together must cover 0..n-1 once"


def test_split_partitions_every_index(candidate, case_seed):
    rng = rng_for(case_seed)
    y, test_size = split_labels(rng)
    train, test = split(candidate, y, test_size, int(rng.integers(0, 10_000)))
    assert_partition(train, test, len(y))


def test_split_test_part_is_rounded_up(candidate, case_seed):
    rng = rng_for(case_seed)
    for _ in range(3):
        y, test_size = split_labels(rng)
        train, test = split(candidate, y, test_size, int(rng.integers(0, 10_000)))
        expected = math.ceil(test_size * len(y))
        assert len(test) == expected, (
            f"test_idx must hold ceil(test_size * n) = {expected} indices "
            f"(n={len(y)}, test_size={test_size}), got {len(test)}"
        )
        assert len(train) == len(y) - expected, "train_idx must hold the other indices"
    # Equal classes whose shares all round down: rounding each class on its own comes up
    # short of ceil(test_size * n) (the total is rounded up, then spread over the classes).
    for per_class, classes, test_size in ((5, 4, 0.25), (7, 3, 0.2), (9, 5, 0.3)):
        y = [c for c in range(classes) for _ in range(per_class)]
        _, test = split(candidate, y, test_size, int(rng.integers(0, 10_000)))
        expected = math.ceil(test_size * len(y))
        assert len(test) == expected, (
            f"test_idx must hold ceil(test_size * n) = {expected} indices "
            f"(n={len(y)} in {classes} equal classes, test_size={test_size}), got {len(test)}"
        )


def test_split_keeps_each_class_proportion(candidate, case_seed):
    rng = rng_for(case_seed)
    y, test_size = split_labels(rng)
    sizes = Counter(y)
    for seed in rng.integers(0, 10_000, size=5).tolist():
        train, test = split(candidate, y, test_size, seed)
        in_test = Counter(y[i] for i in test.tolist())
        for label, size in sizes.items():
            want = size * test_size
            assert abs(in_test[label] - want) <= 1 + 1e-9, (
                f"each class must put n_class * test_size (+-1) samples in test: class "
                f"{label!r} of {size} needs ~{want:.2f}, got {in_test[label]}"
            )
        assert_partition(train, test, len(y))


def test_split_same_seed_gives_same_split(candidate, case_seed):
    rng = rng_for(case_seed)
    y, test_size = split_labels(rng)
    seed = int(rng.integers(0, 10_000))
    first = split(candidate, y, test_size, seed)
    split(candidate, y, test_size, seed + 1)  # another call in between must not matter
    np.random.seed(int(rng.integers(0, 2**31)))  # nor the global numpy RNG
    second = split(candidate, y, test_size, seed)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1]), (
        "the same seed must give exactly the same split"
    )


def test_split_different_seeds_give_different_splits(candidate, case_seed):
    rng = rng_for(case_seed)
    y, test_size = split_labels(rng)
    seeds = rng.choice(10_000, size=4, replace=False).tolist()
    test_sets = {tuple(np.sort(split(candidate, y, test_size, s)[1]).tolist()) for s in seeds}
    assert len(test_sets) > 1, "different seeds must give different splits"


def test_split_accepts_string_labels_and_arrays(candidate, case_seed):
    rng = rng_for(case_seed)
    y, test_size = split_labels(rng, strings=True)
    for what, labels in (("a list of strings", y), ("a numpy array of strings", np.array(y))):
        train, test = split(candidate, labels, test_size, int(rng.integers(0, 10_000)))
        assert_partition(train, test, len(y))
        in_test = Counter(y[i] for i in test.tolist())
        for label, size in Counter(y).items():
            assert abs(in_test[label] - size * test_size) <= 1 + 1e-9, (
                f"stratified_split must keep class proportions for {what}"
            )

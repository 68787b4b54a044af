"""Group "shuffle": features and labels are shuffled together."""

from __future__ import annotations

import numpy as np
from _data import easy_blobs, model_of, ref_standardize


def labelled_rows(rng: np.random.Generator, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose first column is a unique id; the label is a function of that id."""
    ids = rng.permutation(n_rows).astype(float)
    X = np.column_stack([ids, rng.normal(size=(n_rows, 3))])
    y = (ids.astype(int) * 7 + 3) % 5
    return X, y


def test_rows_keep_their_labels(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = labelled_rows(rng, 40)
    X_out, y_out = candidate.module("train").shuffle(X.copy(), y.copy(), case_seed % 10_000)
    X_out, y_out = np.asarray(X_out, dtype=float), np.asarray(y_out)
    assert X_out.shape == X.shape and y_out.shape == y.shape, "shuffle must keep the shapes"
    assert sorted(X_out[:, 0]) == sorted(X[:, 0]), "shuffle must return every row exactly once"
    want = (X_out[:, 0].astype(int) * 7 + 3) % 5
    assert np.array_equal(y_out, want), "after shuffling, every row must still have its own label"
    by_id = {int(row[0]): row for row in X}
    assert all(np.array_equal(row, by_id[int(row[0])]) for row in X_out), (
        "shuffle must move whole rows, not single columns"
    )
    assert not np.array_equal(X_out[:, 0], X[:, 0]), "shuffle must change the order of the rows"


def test_same_seed_same_order_and_inputs_untouched(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = labelled_rows(rng, 30)
    shuffle = candidate.module("train").shuffle
    seed = case_seed % 10_000
    first = np.asarray(shuffle(X, y, seed)[0], dtype=float)
    modified = candidate.changed(X) or candidate.changed(y)
    again = np.asarray(shuffle(X, y, seed)[0], dtype=float)
    assert np.array_equal(first, again), "the same seed must give the same order"
    assert not modified, "shuffle must not modify its inputs"
    orders = {tuple(np.asarray(shuffle(X, y, seed + k)[0], dtype=float)[:, 0]) for k in range(4)}
    assert len(orders) > 1, "different seeds must give different orders"


def test_training_learns_from_the_labels(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = easy_blobs(rng, per_class=50)
    X_scaled, _ = ref_standardize(X, X[:10])
    # One row per step and no decay: only the pairing of rows and labels matters here.
    result = candidate.module("train").train(
        X.copy(),
        y.copy(),
        X[:10].copy(),
        y[:10].copy(),
        seed=case_seed % 1000,
        epochs=3,
        batch_size=1,
        base_lr=0.1,
        decay=1.0,
    )
    W, b = model_of(result)
    accuracy = float(np.mean(np.argmax(X_scaled @ W + b, axis=1) == y))
    assert accuracy >= 0.9, (
        f"on six well separated classes the trained model must fit the training data "
        f"(training accuracy {accuracy:.2f} < 0.90)"
    )

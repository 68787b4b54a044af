"""Group "standardize": validation data is scaled with the training statistics."""

from __future__ import annotations

import numpy as np
from _data import as_floats, assert_close, ref_standardize, sensor_data


def mixed_units(rng: np.random.Generator, n_rows: int) -> np.ndarray:
    """Columns with very different means and spreads, so per-column mistakes show."""
    loc = rng.uniform(-50.0, 500.0, size=4)
    spread = rng.uniform(0.5, 40.0, size=4)
    return rng.normal(loc, spread, size=(n_rows, 4))


def test_other_is_scaled_with_training_statistics(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    train = mixed_units(rng, 60)
    # A later batch that drifted: shifted and stretched, so its own statistics differ.
    other = train[:25] * 1.3 + rng.uniform(5.0, 30.0, size=4)
    want_train, want_other = ref_standardize(train, other)
    got_train, got_other = candidate.module("train").standardize(train, other)
    assert_close(
        got_other,
        want_other,
        "the second array must be scaled with the mean and std of the training array",
    )
    assert_close(got_train, want_train, "the training array must be scaled to mean 0 and std 1")
    assert not candidate.changed(train), "standardize must not modify the training array"
    assert not candidate.changed(other), "standardize must not modify the second array"


def test_one_row_is_scaled_like_in_a_batch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    train = mixed_units(rng, 50)
    train[:, 2] = 7.0  # a constant training column is divided by 1
    other = mixed_units(rng, 12)
    _, want = ref_standardize(train, other)
    standardize = candidate.module("train").standardize
    _, batch = standardize(train.copy(), other.copy())
    batch = as_floats(batch)
    for row in (0, 5, 11):
        _, alone = standardize(train.copy(), other[row : row + 1].copy())
        assert_close(
            as_floats(alone).reshape(-1),
            want[row],
            "a single row must be scaled exactly as it is inside a batch (training statistics)",
        )
    assert_close(batch, want, "a constant training column must be divided by 1, not by 0")


def test_validation_predictions_do_not_depend_on_other_rows(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = sensor_data(rng, (60, 60, 60))
    X_val, y_val = sensor_data(rng, (40, 40, 40))
    n_val, normal_rows = len(y_val), np.flatnonzero(y_val == 0)[:20]
    # Every call gets its own copies: no call can change what a later one is given.
    subset_data = (X.copy(), y.copy(), X_val[normal_rows], y_val[normal_rows])
    one_data = (X.copy(), y.copy(), X_val[:1].copy(), y_val[:1].copy())
    train = candidate.module("train").train
    settings = {"seed": case_seed % 1000, "epochs": 4}
    full = np.asarray(dict(train(X, y, X_val, y_val, **settings))["val_pred"])
    assert full.shape == (n_val,), "val_pred must hold one prediction per validation row"
    subset = np.asarray(dict(train(*subset_data, **settings))["val_pred"])
    assert np.array_equal(subset, full[normal_rows]), (
        "a validation row's prediction must not change when the other validation rows change"
    )
    one = np.asarray(dict(train(*one_data, **settings))["val_pred"])
    assert np.array_equal(one.reshape(-1), full[:1]), (
        "a single validation row must get the same prediction as inside the full set"
    )

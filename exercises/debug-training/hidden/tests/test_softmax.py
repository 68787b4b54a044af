"""Group "softmax": probabilities are normalised over the classes of each row."""

from __future__ import annotations

import numpy as np
from _data import (
    as_floats,
    assert_close,
    model_of,
    ref_cross_entropy,
    ref_softmax,
    ref_standardize,
    sensor_data,
)


def test_rows_are_probability_distributions(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n_rows, n_classes = int(rng.integers(6, 12)), int(rng.integers(3, 5))
    z = rng.normal(0.0, 3.0, size=(n_rows, n_classes))
    want = ref_softmax(z)
    probs = as_floats(candidate.module("train").softmax(z))
    assert probs.shape == want.shape, "softmax must keep the shape (n_samples, n_classes)"
    assert_close(probs.sum(axis=1), np.ones(n_rows), "every row of softmax must sum to 1")
    assert_close(probs, want, "softmax must normalise each row over its classes")
    assert not candidate.changed(z), "softmax must not modify its input"


def test_large_logits_are_stable_and_shift_invariant(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    z = rng.normal(0.0, 2.0, size=(8, 4))
    # Every row moved by its own large constant: a row's softmax must not change.
    offsets = rng.choice([-1000.0, -300.0, 300.0, 1000.0], size=(8, 1))
    want, want_first = ref_softmax(z), ref_softmax(z[:1])
    softmax = candidate.module("train").softmax
    shifted = as_floats(softmax(z + offsets))
    assert np.all(np.isfinite(shifted)), "softmax must not overflow on large logits"
    assert_close(
        shifted,
        want,
        "adding a constant to a row of logits must not change that row's probabilities",
        atol=1e-12,
    )
    one_row = as_floats(softmax(z[:1] + 800.0))
    assert_close(one_row, want_first, "softmax of a single row must be that row's softmax")


def test_reported_training_loss_matches_the_model(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = sensor_data(rng, (40, 40, 40))
    X_val, y_val = sensor_data(rng, (10, 10, 10))
    epochs = 3
    X_scaled, _ = ref_standardize(X, X_val)
    y_kept = y.copy()
    # One row per step, a small rate and no decay: the loss is only a function of the model.
    result = dict(
        candidate.module("train").train(
            X,
            y,
            X_val,
            y_val,
            seed=case_seed % 1000,
            epochs=epochs,
            batch_size=1,
            base_lr=0.05,
            decay=1.0,
        )
    )
    W, b = model_of(result)
    losses = as_floats(result["train_loss"])
    assert losses.shape == (epochs,), "train_loss must hold one value per epoch"
    assert_close(
        losses[-1],
        ref_cross_entropy(W, b, X_scaled, y_kept),
        "the reported training loss must be the cross-entropy of the returned model",
        rtol=1e-6,
    )

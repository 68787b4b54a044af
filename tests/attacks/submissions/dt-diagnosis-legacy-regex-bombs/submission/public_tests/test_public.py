"""Public tests: a few quick checks you can run with ``python -m pytest public_tests``.

They are deliberately few. The hidden tests check every rule in brief.md, on other data.
"""

from __future__ import annotations

import math

import numpy as np
from train import softmax, standardize, train


def blobs(seed: int, per_class: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Three well separated classes in mixed units."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
    y = rng.permutation(np.repeat(np.arange(3), per_class))
    z = centres[y] + rng.standard_normal((len(y), 2))
    return np.array([60.0, 1000.0]) + np.array([5.0, 30.0]) * z, y


def test_standardize_gives_training_columns_mean_0_and_std_1() -> None:
    X, _ = blobs(0)
    train_scaled, _ = standardize(X, X[:5])
    np.testing.assert_allclose(train_scaled.mean(axis=0), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(train_scaled.std(axis=0), [1.0, 1.0])


def test_softmax_rows_sum_to_one() -> None:
    probs = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_allclose(probs.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(probs[1], [1 / 3, 1 / 3, 1 / 3])


def test_train_returns_the_documented_fields() -> None:
    X, y = blobs(1)
    result = train(X, y, X[:10], y[:10], seed=0, epochs=3, batch_size=25)
    assert set(result) >= {"W", "b", "train_loss", "lrs", "val_pred", "val_accuracy", "val_loss"}
    assert np.asarray(result["W"]).shape == (2, 3)
    assert len(result["train_loss"]) == 3
    assert len(result["lrs"]) == 3 * math.ceil(len(y) / 25)
    assert len(result["val_pred"]) == 10


def test_loss_falls_well_below_chance_on_easy_data() -> None:
    X, y = blobs(2)
    X_val, y_val = blobs(3, per_class=10)
    result = train(X, y, X_val, y_val, seed=0, epochs=10)
    assert result["train_loss"][-1] < 0.5 * math.log(3)
    assert result["val_accuracy"] > 0.9

"""Regression tests for the five defects fixed in train.py (run: python -m pytest tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from train import gradients, lr_at, make_sensor_data, shuffle, softmax, standardize, train  # noqa: E402


def _mean_ce(X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
    probs = softmax(X @ W + b)
    return float(-np.mean(np.log(probs[np.arange(len(y)), y])))


def test_standardize_uses_training_statistics_for_a_single_row() -> None:
    X, _ = make_sensor_data(seed=0, counts=(50, 50, 50))
    X_val, _ = make_sensor_data(seed=1, counts=(20, 5, 5))
    _, one = standardize(X, X_val[:1])
    _, full = standardize(X, X_val)
    np.testing.assert_allclose(one[0], full[0])
    np.testing.assert_allclose(full, (X_val - X.mean(axis=0)) / X.std(axis=0))


def test_shuffle_keeps_rows_and_labels_together() -> None:
    idx = np.arange(100)
    X_s, y_s = shuffle(idx[:, None].astype(float), idx, seed=7)
    np.testing.assert_array_equal(X_s[:, 0], y_s)
    assert not np.array_equal(y_s, idx)


def test_softmax_is_per_row_and_stable() -> None:
    z = np.array([[1000.0, 1001.0, 999.0], [0.0, 0.0, 0.0], [-5.0, 2.0, 1.0]])
    p = softmax(z)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    shifted = z.copy()
    shifted[2] += 300.0
    np.testing.assert_allclose(softmax(shifted), p)


def test_gradients_match_finite_differences_of_the_mean_loss() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 4))
    y = rng.integers(0, 3, 12)
    W = rng.standard_normal((4, 3))
    b = rng.standard_normal(3)
    grads = gradients(X, y, softmax(X @ W + b))
    eps = 1e-6
    for i, j in [(0, 0), (2, 1), (3, 2)]:
        step = np.zeros_like(W)
        step[i, j] = eps
        numeric = (_mean_ce(X, y, W + step, b) - _mean_ce(X, y, W - step, b)) / (2 * eps)
        assert grads["W"][i, j] == pytest.approx(numeric, abs=1e-6)


def test_lr_decays_once_per_epoch() -> None:
    assert lr_at(0, 28, base_lr=1.0, decay=0.95) == pytest.approx(1.0)
    assert lr_at(2, 60, base_lr=1.0, decay=0.95) == pytest.approx(0.95**2)
    assert lr_at(0, 4, base_lr=1.0, decay=0.95, warmup_steps=10) == pytest.approx(0.5)


def test_default_training_beats_majority_baseline() -> None:
    X, y = make_sensor_data(seed=0, counts=(300, 300, 300))
    X_val, y_val = make_sensor_data(seed=1, counts=(210, 60, 30))
    result = train(X, y, X_val, y_val, seed=0)
    assert result["train_loss"][-1] < 0.2
    assert result["val_accuracy"] > 0.9

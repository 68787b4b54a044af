"""Public tests: a few quick checks you can run with ``python -m pytest public_tests``.

The hidden tests check much more (every rule in the brief), on other data.
"""

from __future__ import annotations

import math

import numpy as np
from mlp import forward, gradients, init_params, loss, predict, train


def test_init_params_shapes_and_seed() -> None:
    params = init_params(4, 8, 3, seed=0)
    assert {name: p.shape for name, p in params.items()} == {
        "W1": (4, 8),
        "b1": (8,),
        "W2": (8, 3),
        "b2": (3,),
    }
    again = init_params(4, 8, 3, seed=0)
    assert all(np.array_equal(params[name], again[name]) for name in params)


def test_zero_weights_give_uniform_probabilities_and_log_k_loss() -> None:
    params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 4)), "b2": np.zeros(4)}
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    np.testing.assert_allclose(forward(params, X), np.full((2, 4), 0.25))
    assert math.isclose(loss(params, X, np.array([0, 3])), math.log(4))


def test_b2_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    params = init_params(3, 5, 4, seed=1)
    X, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 3, 0, 1])
    eps = 1e-6
    numeric = np.zeros(4)
    for k in range(4):
        up = {name: p.copy() for name, p in params.items()}
        down = {name: p.copy() for name, p in params.items()}
        up["b2"][k] += eps
        down["b2"][k] -= eps
        numeric[k] = (loss(up, X, y) - loss(down, X, y)) / (2 * eps)
    np.testing.assert_allclose(gradients(params, X, y)["b2"], numeric, atol=1e-7)


def test_train_learns_two_clusters() -> None:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-2.0, 1.0, size=(60, 2)), rng.normal(2.0, 1.0, size=(60, 2))])
    y = np.repeat([0, 1], 60)
    params, history = train(X, y, hidden=8, lr=0.1, epochs=20, batch_size=16, seed=0)
    assert len(history["train_loss"]) == len(history["val_loss"]) <= 20
    assert len(history["val_indices"]) == 24
    assert np.mean(predict(params, X) == y) > 0.9

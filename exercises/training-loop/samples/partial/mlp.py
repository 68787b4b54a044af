"""A small numpy MLP classifier (tanh hidden layer, softmax output) and its training loop."""

from __future__ import annotations

from typing import Any

import numpy as np


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> dict[str, np.ndarray]:
    """He-style random weights and zero biases."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, np.sqrt(2.0 / n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def _softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _forward_pass(params: dict[str, np.ndarray], X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h = np.tanh(X @ params["W1"] + params["b1"])
    return h, _softmax(h @ params["W2"] + params["b2"])


def forward(params: dict[str, np.ndarray], X) -> np.ndarray:
    """Class probabilities."""
    return _forward_pass(params, np.asarray(X, dtype=float))[1]


def loss(params: dict[str, np.ndarray], X, y) -> float:
    """Mean cross-entropy."""
    probs = forward(params, X)
    y = np.asarray(y, dtype=int)
    return float(-np.mean(np.log(probs[np.arange(len(y)), y] + 1e-12)))


def gradients(params: dict[str, np.ndarray], X, y) -> dict[str, np.ndarray]:
    """Backpropagation of the mean cross-entropy."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    h, probs = _forward_pass(params, X)
    dz2 = probs.copy()
    dz2[np.arange(len(y)), y] -= 1
    dz2 /= len(y)
    dz1 = dz2 @ params["W2"].T * (1 - h**2)
    return {
        "W1": X.T @ dz1,
        "b1": dz1.sum(axis=0),
        "W2": h.T @ dz2,
        "b2": dz2.sum(axis=0),
    }


def predict(params: dict[str, np.ndarray], X) -> np.ndarray:
    """Most probable class."""
    return np.argmax(forward(params, X), axis=1)


def train(
    X,
    y,
    *,
    hidden: int = 32,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int = 32,
    val_fraction: float = 0.2,
    patience: int = 10,
    seed: int = 0,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Mini-batch SGD with a validation split and early stopping."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    n = len(y)
    n_val = max(1, round(val_fraction * n))
    X_train, y_train = X[: n - n_val], y[: n - n_val]
    X_val, y_val = X[n - n_val :], y[n - n_val :]

    rng = np.random.default_rng(seed + 1)
    params = init_params(X.shape[1], hidden, int(y.max()) + 1, seed)
    history: dict[str, Any] = {
        "train_loss": [],
        "val_loss": [],
        "best_epoch": 0,
        "val_indices": list(range(n - n_val, n)),
    }
    best_val = np.inf
    wait = 0
    n_batches = len(y_train) // batch_size
    for epoch in range(epochs):
        perm = rng.permutation(len(y_train))
        for b in range(n_batches):
            idx = perm[b * batch_size : (b + 1) * batch_size]
            grads = gradients(params, X_train[idx], y_train[idx])
            for k in params:
                params[k] = params[k] - lr * grads[k]
        val = loss(params, X_val, y_val)
        history["train_loss"].append(loss(params, X_train, y_train))
        history["val_loss"].append(val)
        if val < best_val:
            best_val = val
            history["best_epoch"] = epoch
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                break
    return params, history

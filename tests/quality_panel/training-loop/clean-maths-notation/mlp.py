"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

Notation (one row per sample, n = batch size, K = classes):

    Z1 = X W1 + b1,   H = tanh(Z1)       hidden layer
    Z2 = H W2 + b2,   P = softmax(Z2)    logits and class probabilities
    L  = -(1/n) sum_i log P[i, y_i]      mean cross-entropy

Backpropagation, with Y the one-hot labels:

    dZ2 = (P - Y) / n,   dW2 = H^T dZ2,   db2 = sum_i dZ2
    dZ1 = (dZ2 W2^T) * (1 - H^2),   dW1 = X^T dZ1,   db1 = sum_i dZ1
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """LeCun-normal weights (std ``1 / sqrt(fan_in)``) and zero biases, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def _forward(p: Params, X: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return ``(H, Z2)``: hidden activations and logits."""
    H = np.tanh(X @ p["W1"] + p["b1"])
    return H, H @ p["W2"] + p["b2"]


def _log_softmax(Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log softmax(Z)`` row-wise via log-sum-exp: exact and finite for huge logits."""
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities ``P``, shape ``(n_samples, n_out)``; rows sum to 1."""
    _, Z2 = _forward(params, np.asarray(X, dtype=float))
    return np.exp(_log_softmax(Z2))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy ``L``, exact (no epsilon) even for confidently wrong rows."""
    y = np.asarray(y, dtype=int)
    _, Z2 = _forward(params, np.asarray(X, dtype=float))
    return float(-_log_softmax(Z2)[np.arange(len(y)), y].mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """``dL/dtheta`` for every parameter (same keys and shapes as ``params``)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    n = len(y)
    H, Z2 = _forward(params, X)

    dZ2 = np.exp(_log_softmax(Z2))
    dZ2[np.arange(n), y] -= 1.0
    dZ2 /= n
    dZ1 = (dZ2 @ params["W2"].T) * (1.0 - H**2)

    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dZ2, "b2": dZ2.sum(0)}


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """``argmax_k P[i, k]`` for every row, as an integer array."""
    _, Z2 = _forward(params, np.asarray(X, dtype=float))
    return Z2.argmax(axis=1)


def train(
    X: ArrayLike,
    y: ArrayLike,
    *,
    hidden: int = 32,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int = 32,
    val_fraction: float = 0.2,
    patience: int = 10,
    seed: int = 0,
) -> tuple[Params, dict[str, Any]]:
    """Mini-batch gradient descent with a seeded validation split and early stopping.

    Returns the parameters of the epoch with the lowest validation loss and a history
    ``{"train_loss", "val_loss", "best_epoch", "val_indices"}``. Never modifies ``X``/``y``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    n, d = X.shape
    rng = np.random.default_rng(seed)

    n_val = min(max(1, round(val_fraction * n)), n - 1)
    perm = rng.permutation(n)
    val_idx, tr_idx = perm[:n_val], perm[n_val:]
    Xtr, ytr, Xva, yva = X[tr_idx], y[tr_idx], X[val_idx], y[val_idx]

    theta = init_params(d, hidden, int(y.max()) + 1, seed)
    best_theta, best_epoch = theta, 0
    hist: dict[str, Any] = {"train_loss": [], "val_loss": []}

    for epoch in range(epochs):
        order = rng.permutation(len(tr_idx))
        for i in range(0, len(order), batch_size):
            B = order[i : i + batch_size]
            g = gradients(theta, Xtr[B], ytr[B])
            theta = {k: theta[k] - lr * g[k] for k in theta}  # theta <- theta - lr * grad

        hist["train_loss"].append(loss(theta, Xtr, ytr))
        hist["val_loss"].append(loss(theta, Xva, yva))

        if hist["val_loss"][-1] < min(hist["val_loss"][:-1], default=np.inf):
            best_theta, best_epoch = theta, epoch
        elif epoch - best_epoch >= patience:
            break

    hist["best_epoch"] = best_epoch
    hist["val_indices"] = val_idx.tolist()
    return {k: v.copy() for k, v in best_theta.items()}, hist

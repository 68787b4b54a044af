"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy. Implement every function below; see the brief
(README.md) for the full rules. Only numpy and the Python standard library are available.

Every argument and return value is plain data (dicts of numpy arrays, lists, floats, ints).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Random initial parameters, reproducible from ``seed``.

    Weights are random with a spread of order ``1 / sqrt(fan_in)``; biases may be zero.
    The same seed must give exactly the same arrays, another seed different ones.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(scale=1 / np.sqrt(n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(scale=1 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Must stay finite and correct when the logits are in the thousands.
    """
    X = np.asarray(X, dtype=float)
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    Must stay exact (not inf, not clipped) for confidently wrong predictions.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    logits = np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    delta = forward(params, X)
    delta[np.arange(len(y)), y] -= 1
    delta /= len(y)
    d_hidden = (delta @ params["W2"].T) * (1 - hidden**2)
    return {
        "W1": X.T @ d_hidden,
        "b1": d_hidden.sum(axis=0),
        "W2": hidden.T @ delta,
        "b2": delta.sum(axis=0),
    }


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    return np.argmax(forward(params, X), axis=1)


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
    """Train an MLP with mini-batch gradient descent, a validation split and early stopping.

    - Holds out a seeded random ``val_fraction`` of the rows for validation.
    - Starts from ``init_params(n_features, hidden, max(y) + 1, seed)``.
    - Every epoch visits the training rows in a fresh random order, in batches of
      ``batch_size`` (the last one may be smaller), one gradient step per batch.
    - After every epoch records the loss on the whole training and validation splits.
    - Stops once the validation loss has not improved for ``patience`` epochs.

    Returns ``(params, history)``: the weights of the epoch with the lowest validation loss,
    and ``{"train_loss": [...], "val_loss": [...], "best_epoch": int,
    "val_indices": [...]}``. Never modifies ``X`` or ``y``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    n = len(X)
    n_val = max(1, round(val_fraction * n))
    # TODO: shuffle before splitting
    X_train, y_train = X[: n - n_val], y[: n - n_val]
    X_val, y_val = X[n - n_val :], y[n - n_val :]

    params = init_params(X.shape[1], hidden, int(y.max()) + 1, seed)
    rng = np.random.default_rng(seed)
    history: dict[str, Any] = {"train_loss": [], "val_loss": []}
    for _ in range(epochs):
        order = rng.permutation(len(X_train))
        batch_losses = []
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            grads = gradients(params, X_train[idx], y_train[idx])
            batch_losses.append(loss(params, X_train[idx], y_train[idx]))
            params = {k: params[k] - lr * grads[k] for k in params}
        history["train_loss"].append(float(np.mean(batch_losses)))
        history["val_loss"].append(loss(params, X_val, y_val))
        # TODO: early stopping with patience

    history["best_epoch"] = int(np.argmin(history["val_loss"]))
    history["val_indices"] = list(range(n - n_val, n))
    return params, history

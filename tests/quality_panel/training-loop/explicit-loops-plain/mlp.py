"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy, with early stopping on a held-out split.

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

    Each weight matrix is drawn from a normal distribution with standard deviation
    ``1 / sqrt(fan_in)``; the biases start at zero.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(scale=1.0 / np.sqrt(n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(scale=1.0 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def _log_probabilities(params: Params, X: NDArray[np.float64]) -> NDArray[np.float64]:
    """Log of the class probabilities, computed with log-sum-exp so it never overflows."""
    logits = np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1."""
    return np.exp(_log_probabilities(params, np.asarray(X, dtype=float)))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model (exact, no epsilon)."""
    labels = np.asarray(y, dtype=int)
    log_probs = _log_probabilities(params, np.asarray(X, dtype=float))
    return float(-np.mean(log_probs[np.arange(len(labels)), labels]))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(y, dtype=int)
    n_rows = len(labels)

    hidden = np.tanh(X @ params["W1"] + params["b1"])
    probs = np.exp(_log_probabilities(params, X))

    # Softmax + cross-entropy: the gradient w.r.t. the logits is (probs - one_hot) / n.
    d_logits = probs.copy()
    d_logits[np.arange(n_rows), labels] -= 1.0
    d_logits /= n_rows

    # Back through the tanh layer: d tanh(a) / da = 1 - tanh(a)^2.
    d_hidden_input = (d_logits @ params["W2"].T) * (1.0 - hidden**2)

    return {
        "W1": X.T @ d_hidden_input,
        "b1": d_hidden_input.sum(axis=0),
        "W2": hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
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
    n_samples, n_features = X.shape
    rng = np.random.default_rng(seed)

    # Hold out a random validation split (the rows may arrive sorted by class).
    n_val = min(max(1, round(val_fraction * n_samples)), n_samples - 1)
    permutation = rng.permutation(n_samples)
    val_indices = permutation[:n_val]
    train_indices = permutation[n_val:]
    X_train, y_train = X[train_indices], y[train_indices]
    X_val, y_val = X[val_indices], y[val_indices]
    n_train = len(train_indices)

    params = init_params(n_features, hidden, int(y.max()) + 1, seed)
    best_params = {name: value.copy() for name, value in params.items()}
    best_val_loss = float("inf")
    best_epoch = 0
    epochs_without_improvement = 0
    train_losses: list[float] = []
    val_losses: list[float] = []

    for epoch in range(epochs):
        order = rng.permutation(n_train)
        for start in range(0, n_train, batch_size):
            batch = order[start : start + batch_size]
            grads = gradients(params, X_train[batch], y_train[batch])
            for name in params:
                params[name] = params[name] - lr * grads[name]

        train_losses.append(loss(params, X_train, y_train))
        val_losses.append(loss(params, X_val, y_val))

        if val_losses[-1] < best_val_loss:
            best_val_loss = val_losses[-1]
            best_epoch = epoch
            best_params = {name: value.copy() for name, value in params.items()}
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break

    history = {
        "train_loss": train_losses,
        "val_loss": val_losses,
        "best_epoch": best_epoch,
        "val_indices": val_indices.tolist(),
    }
    return best_params, history

"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy. Only numpy and the Python standard library are
used.

Every argument and return value is plain data (dicts of numpy arrays, lists, floats, ints).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Random initial parameters, reproducible from ``seed``.

    Weights are drawn from a normal distribution with standard deviation ``1 / sqrt(fan_in)``
    (LeCun initialisation); biases start at zero.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def _hidden_and_logits(
    params: Params, X: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hidden activations and output logits for the rows of ``X``."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    return hidden, logits


def _log_softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise log-softmax, computed after shifting by the row maximum (no overflow)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Stays finite and correct when the logits are in the thousands.
    """
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=np.float64))
    return np.exp(_log_softmax(logits))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    Uses the log-softmax directly, so the loss stays exact (not inf, not clipped) for
    confidently wrong predictions.
    """
    labels = np.asarray(y, dtype=np.int64)
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=np.float64))
    log_probs = _log_softmax(logits)
    return float(-log_probs[np.arange(labels.size), labels].mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    inputs = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    n_samples = inputs.shape[0]

    hidden, logits = _hidden_and_logits(params, inputs)
    # d(mean cross-entropy)/d(logits) = (softmax - one_hot) / n
    d_logits = np.exp(_log_softmax(logits))
    d_logits[np.arange(n_samples), labels] -= 1.0
    d_logits /= n_samples

    d_hidden = d_logits @ params["W2"].T
    d_pre_activation = d_hidden * (1.0 - hidden**2)  # tanh'(z) = 1 - tanh(z)^2

    return {
        "W1": inputs.T @ d_pre_activation,
        "b1": d_pre_activation.sum(axis=0),
        "W2": hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=np.float64))
    return logits.argmax(axis=1).astype(np.int64)


def _minibatches(
    n_rows: int, batch_size: int, rng: np.random.Generator
) -> Iterator[NDArray[np.int64]]:
    """Yield the row positions of each mini-batch of a freshly shuffled epoch.

    The last batch keeps the leftover rows, even when it is smaller than ``batch_size``.
    """
    order = rng.permutation(n_rows)
    for start in range(0, n_rows, batch_size):
        yield order[start : start + batch_size]


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
    features = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    n_samples = features.shape[0]
    rng = np.random.default_rng(seed)

    n_val = min(max(round(val_fraction * n_samples), 1), n_samples - 1)
    permutation = rng.permutation(n_samples)
    val_idx, train_idx = permutation[:n_val], permutation[n_val:]

    params = init_params(features.shape[1], hidden, int(labels.max()) + 1, seed)
    history: dict[str, Any] = {
        "train_loss": [],
        "val_loss": [],
        "best_epoch": 0,
        "val_indices": [int(i) for i in val_idx],
    }
    best_params = params
    epochs_without_improvement = 0

    for epoch in range(epochs):
        for batch in _minibatches(train_idx.size, batch_size, rng):
            rows = train_idx[batch]
            grads = gradients(params, features[rows], labels[rows])
            for name in params:
                params[name] -= lr * grads[name]

        train_loss = loss(params, features[train_idx], labels[train_idx])
        val_loss = loss(params, features[val_idx], labels[val_idx])
        history["train_loss"].append(train_loss)
        history["val_loss"].append(val_loss)

        if epoch == 0 or val_loss < min(history["val_loss"][:-1]):
            history["best_epoch"] = epoch
            best_params = params
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break

    return best_params, history

"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy, with a held-out validation split and early
stopping on the validation loss.

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

    Weights use Glorot (Xavier) uniform initialisation; biases start at zero.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": _glorot_uniform(rng, n_in, n_hidden),
        "b1": np.zeros(n_hidden),
        "W2": _glorot_uniform(rng, n_hidden, n_out),
        "b2": np.zeros(n_out),
    }


def _glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> NDArray[np.float64]:
    """A ``(fan_in, fan_out)`` weight matrix drawn from the Glorot uniform distribution."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def _hidden_and_logits(
    params: Params, X: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hidden activations and output logits of the network for the rows of ``X``."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    return hidden, logits


def _log_softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise log-softmax, computed with the log-sum-exp trick so it never overflows."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Must stay finite and correct when the logits are in the thousands.
    """
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=float))
    return np.exp(_log_softmax(logits))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    Uses the exact log-softmax, so a confidently wrong prediction costs its full loss
    instead of ``inf`` or a clipped value.
    """
    labels = np.asarray(y, dtype=int)
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=float))
    log_probs = _log_softmax(logits)
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    inputs = np.asarray(X, dtype=float)
    labels = np.asarray(y, dtype=int)
    n_samples = len(labels)

    hidden, logits = _hidden_and_logits(params, inputs)
    probs = np.exp(_log_softmax(logits))

    # d(mean cross-entropy) / d(logits) = (probs - one_hot(y)) / n
    grad_logits = probs
    grad_logits[np.arange(n_samples), labels] -= 1.0
    grad_logits /= n_samples

    # tanh'(a) = 1 - tanh(a)^2
    grad_hidden_pre = (grad_logits @ params["W2"].T) * (1.0 - hidden**2)

    return {
        "W1": inputs.T @ grad_hidden_pre,
        "b1": grad_hidden_pre.sum(axis=0),
        "W2": hidden.T @ grad_logits,
        "b2": grad_logits.sum(axis=0),
    }


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=float))
    return logits.argmax(axis=1).astype(np.int64)


def _split_indices(
    n_samples: int, val_fraction: float, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Random ``(train_indices, val_indices)`` with at least one row on each side."""
    n_val = min(max(1, round(val_fraction * n_samples)), n_samples - 1)
    order = rng.permutation(n_samples)
    return order[n_val:], order[:n_val]


def _sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """One plain gradient-descent step; returns new arrays and leaves ``params`` untouched."""
    return {name: value - lr * grads[name] for name, value in params.items()}


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
    inputs = np.asarray(X, dtype=float)
    labels = np.asarray(y, dtype=int)
    n_samples, n_features = inputs.shape
    n_classes = int(labels.max()) + 1

    rng = np.random.default_rng(seed)
    train_idx, val_idx = _split_indices(n_samples, val_fraction, rng)
    X_train, y_train = inputs[train_idx], labels[train_idx]
    X_val, y_val = inputs[val_idx], labels[val_idx]

    params = init_params(n_features, hidden, n_classes, seed)
    best_params = params
    best_val_loss = np.inf
    best_epoch = 0
    history: dict[str, Any] = {"train_loss": [], "val_loss": []}

    for epoch in range(epochs):
        order = rng.permutation(len(train_idx))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            grads = gradients(params, X_train[batch], y_train[batch])
            params = _sgd_step(params, grads, lr)

        val_loss = loss(params, X_val, y_val)
        history["train_loss"].append(loss(params, X_train, y_train))
        history["val_loss"].append(val_loss)

        if val_loss < best_val_loss:
            best_val_loss, best_epoch, best_params = val_loss, epoch, params
        elif epoch - best_epoch >= patience:
            break

    history["best_epoch"] = best_epoch
    history["val_indices"] = val_idx.tolist()
    return {name: value.copy() for name, value in best_params.items()}, history

"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy. Only numpy and the Python standard library are
used.

Every argument and return value is plain data (dicts of numpy arrays, lists, floats, ints).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

_EPS = 1e-12

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """He-style random weights (std ``sqrt(2 / fan_in)``) and zero biases."""
    rng = np.random.default_rng(seed)
    w1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in)
    w2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2.0 / n_hidden)
    return {"W1": w1, "b1": np.zeros(n_hidden), "W2": w2, "b2": np.zeros(n_out)}


def _hidden_and_logits(
    params: Params, X: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hidden activations and output logits for the rows of ``X``."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    return hidden, logits


def _softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax, shifted by the row maximum so ``exp`` cannot overflow."""
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Subtracting the row maximum keeps it finite when the logits are in the thousands.
    """
    _, logits = _hidden_and_logits(params, np.asarray(X, dtype=np.float64))
    return _softmax(logits)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    A small epsilon keeps ``log`` away from zero when the model is very confident.
    """
    labels = np.asarray(y, dtype=np.int64)
    probs = forward(params, X)
    picked = probs[np.arange(labels.size), labels]
    return float(-np.mean(np.log(picked + _EPS)))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    inputs = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    n_samples = inputs.shape[0]

    hidden, logits = _hidden_and_logits(params, inputs)
    # d(mean cross-entropy)/d(logits) = (softmax - one_hot) / n
    d_logits = _softmax(logits)
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


def _split_indices(
    n_samples: int, val_fraction: float, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Random (train, validation) row indices; validation keeps at least one row."""
    n_val = max(int(val_fraction * n_samples), 1)
    order = rng.permutation(n_samples)
    return order[n_val:], order[:n_val]


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
    inputs = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    n_samples, n_features = inputs.shape
    n_classes = int(labels.max()) + 1

    rng = np.random.default_rng(seed)
    train_idx, val_idx = _split_indices(n_samples, val_fraction, rng)
    X_train, y_train = inputs[train_idx], labels[train_idx]
    X_val, y_val = inputs[val_idx], labels[val_idx]

    params = init_params(n_features, hidden, n_classes, seed)
    best_params = {name: value.copy() for name, value in params.items()}
    best_val_loss = np.inf
    best_epoch = 0
    history: dict[str, Any] = {"train_loss": [], "val_loss": []}

    for epoch in range(epochs):
        order = rng.permutation(len(train_idx))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            grads = gradients(params, X_train[batch], y_train[batch])
            params = {name: params[name] - lr * grads[name] for name in params}

        val_loss = loss(params, X_val, y_val)
        history["train_loss"].append(loss(params, X_train, y_train))
        history["val_loss"].append(val_loss)

        if val_loss < best_val_loss:
            best_val_loss = val_loss
            best_epoch = epoch
            best_params = {name: value.copy() for name, value in params.items()}
        elif epoch - best_epoch >= patience:
            break

    history["best_epoch"] = best_epoch
    history["val_indices"] = val_idx.tolist()
    return best_params, history

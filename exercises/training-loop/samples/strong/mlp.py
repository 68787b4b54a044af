"""One-hidden-layer tanh MLP with a softmax output, trained from scratch with numpy.

Layout: small pure functions for the maths (``_affine``, ``_log_softmax``, ``_backward``),
a generator that yields mini-batches, and an ``_EarlyStopping`` tracker that owns the best
weights. Only plain data crosses the public functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Params = dict[str, Array]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Glorot-normal weights (std ``sqrt(2 / (fan_in + fan_out))``) and zero biases."""
    rng = np.random.default_rng(seed)

    def glorot(fan_in: int, fan_out: int) -> Array:
        return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))

    return {
        "W1": glorot(n_in, n_hidden),
        "b1": np.zeros(n_hidden),
        "W2": glorot(n_hidden, n_out),
        "b2": np.zeros(n_out),
    }


def _affine(params: Params, X: Array) -> tuple[Array, Array]:
    """Return ``(hidden, logits)`` for a float matrix ``X``."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    return hidden, logits


def _log_softmax(logits: Array) -> Array:
    """``log(softmax(logits))`` row by row, via log-sum-exp around the row maximum."""
    peak = np.max(logits, axis=1, keepdims=True)
    log_norm = peak + np.log(np.sum(np.exp(logits - peak), axis=1, keepdims=True))
    return logits - log_norm


def _inputs(X: ArrayLike) -> Array:
    return np.asarray(X, dtype=np.float64)


def _labels(y: ArrayLike) -> NDArray[np.intp]:
    return np.asarray(y).astype(np.intp)


def forward(params: Params, X: ArrayLike) -> Array:
    """Softmax probabilities, one row per sample."""
    _, logits = _affine(params, _inputs(X))
    return np.exp(_log_softmax(logits))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean negative log-probability of the true labels."""
    labels = _labels(y)
    _, logits = _affine(params, _inputs(X))
    picked = np.take_along_axis(_log_softmax(logits), labels[:, None], axis=1)
    return float(-np.mean(picked))


def _backward(params: Params, X: Array, labels: NDArray[np.intp]) -> Params:
    """Backpropagate the mean cross-entropy through softmax, W2/b2, tanh and W1/b1."""
    hidden, logits = _affine(params, X)
    error = np.exp(_log_softmax(logits))
    error[np.arange(len(labels)), labels] -= 1.0
    error /= len(labels)
    hidden_error = (error @ params["W2"].T) * (1.0 - hidden * hidden)
    return {
        "W1": X.T @ hidden_error,
        "b1": hidden_error.sum(axis=0),
        "W2": hidden.T @ error,
        "b2": error.sum(axis=0),
    }


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Exact gradient of :func:`loss` for every parameter."""
    return _backward(params, _inputs(X), _labels(y))


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """Index of the largest logit (the most probable class) for every row."""
    _, logits = _affine(params, _inputs(X))
    return logits.argmax(axis=1).astype(np.int64)


def _minibatches(rng: np.random.Generator, n_rows: int, size: int) -> Iterator[NDArray[np.intp]]:
    """Row indices of one epoch: a fresh permutation cut into chunks, the last one partial."""
    order = rng.permutation(n_rows)
    for start in range(0, n_rows, size):
        yield order[start : start + size]


class _EarlyStopping:
    """Remembers the best validation loss and a private copy of its weights."""

    def __init__(self, patience: int, params: Params) -> None:
        self.patience = patience
        self.best_loss = np.inf
        self.best_epoch = 0
        self.best_params = {name: value.copy() for name, value in params.items()}
        self.epochs_since_best = 0

    def should_stop(self, epoch: int, val_loss: float, params: Params) -> bool:
        """Record ``epoch``; True once ``patience`` epochs in a row failed to improve."""
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch
            self.best_params = {name: value.copy() for name, value in params.items()}
            self.epochs_since_best = 0
        else:
            self.epochs_since_best += 1
        return self.epochs_since_best >= self.patience


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

    Returns the weights of the best validation epoch and a history with ``train_loss``,
    ``val_loss``, ``best_epoch`` and ``val_indices``.
    """
    features, labels = _inputs(X), _labels(y)
    n_rows = len(labels)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2024]))

    n_val = int(np.clip(int(val_fraction * n_rows), 1, n_rows - 1))
    val_idx = np.sort(rng.choice(n_rows, size=n_val, replace=False))
    train_idx = np.setdiff1d(np.arange(n_rows), val_idx)
    X_fit, y_fit = features[train_idx], labels[train_idx]
    X_val, y_val = features[val_idx], labels[val_idx]

    params = init_params(features.shape[1], hidden, int(labels.max()) + 1, seed)
    stopper = _EarlyStopping(patience, params)
    train_losses: list[float] = []
    val_losses: list[float] = []
    for epoch in range(epochs):
        for rows in _minibatches(rng, len(y_fit), batch_size):
            step = _backward(params, X_fit[rows], y_fit[rows])
            params = {name: params[name] - lr * step[name] for name in params}
        train_losses.append(loss(params, X_fit, y_fit))
        val_losses.append(loss(params, X_val, y_val))
        if stopper.should_stop(epoch, val_losses[-1], params):
            break

    history = {
        "train_loss": train_losses,
        "val_loss": val_losses,
        "best_epoch": stopper.best_epoch,
        "val_indices": val_idx.tolist(),
    }
    return stopper.best_params, history

"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy.

The public functions exchange plain data only. Internally, the training loop is built from
two small helpers: :class:`_EarlyStopping`, which remembers the best epoch and decides when
to stop, and :func:`_minibatches`, which yields the row indices of each batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Random initial parameters, reproducible from ``seed``.

    Weights are drawn from ``N(0, 1 / fan_in)`` (LeCun initialisation); biases are zero.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden),
        "b2": np.zeros(n_out),
    }


@dataclass(frozen=True)
class _ForwardPass:
    """Intermediate values of one forward pass, kept for backpropagation."""

    inputs: FloatArray
    hidden: FloatArray
    log_probs: FloatArray

    @classmethod
    def run(cls, params: Params, X: ArrayLike) -> _ForwardPass:
        """Run the network on ``X`` and keep what the backward pass needs."""
        inputs = np.asarray(X, dtype=float)
        hidden = np.tanh(inputs @ params["W1"] + params["b1"])
        logits = hidden @ params["W2"] + params["b2"]
        return cls(inputs, hidden, _log_softmax(logits))

    @property
    def probs(self) -> FloatArray:
        """Class probabilities, one row per sample."""
        return np.exp(self.log_probs)

    def mean_nll(self, labels: IntArray) -> float:
        """Mean negative log-likelihood of ``labels``."""
        return float(-self.log_probs[np.arange(len(labels)), labels].mean())


def _log_softmax(logits: FloatArray) -> FloatArray:
    """Row-wise log-softmax via log-sum-exp; finite and exact for very large logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> FloatArray:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1."""
    return _ForwardPass.run(params, X).probs


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model (exact, never inf)."""
    return _ForwardPass.run(params, X).mean_nll(np.asarray(y, dtype=int))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    labels = np.asarray(y, dtype=int)
    cache = _ForwardPass.run(params, X)

    d_logits = cache.probs
    d_logits[np.arange(len(labels)), labels] -= 1.0
    d_logits /= len(labels)
    d_pre_hidden = (d_logits @ params["W2"].T) * (1.0 - cache.hidden**2)

    return {
        "W1": cache.inputs.T @ d_pre_hidden,
        "b1": d_pre_hidden.sum(axis=0),
        "W2": cache.hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }


def predict(params: Params, X: ArrayLike) -> IntArray:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    return _ForwardPass.run(params, X).log_probs.argmax(axis=1)


@dataclass
class _EarlyStopping:
    """Track the best validation loss and say when ``patience`` epochs passed without it."""

    patience: int
    best_loss: float = np.inf
    best_epoch: int = -1
    best_params: Params = field(default_factory=dict)

    def update(self, epoch: int, val_loss: float, params: Params) -> None:
        """Record the epoch's validation loss, keeping a copy of the weights if it improved."""
        if val_loss < self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = epoch
            self.best_params = {name: value.copy() for name, value in params.items()}

    def should_stop(self, epoch: int) -> bool:
        """True once ``patience`` consecutive epochs have not improved."""
        return epoch - self.best_epoch >= self.patience


def _minibatches(n_rows: int, batch_size: int, rng: np.random.Generator) -> Iterator[IntArray]:
    """Yield the row indices of each batch of a fresh random order; the last may be smaller."""
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
    features = np.asarray(X, dtype=float)
    labels = np.asarray(y, dtype=int)
    n_samples, n_features = features.shape
    rng = np.random.default_rng(seed)

    n_val = min(max(1, round(val_fraction * n_samples)), n_samples - 1)
    shuffled = rng.permutation(n_samples)
    val_idx, train_idx = shuffled[:n_val], shuffled[n_val:]
    X_train, y_train = features[train_idx], labels[train_idx]
    X_val, y_val = features[val_idx], labels[val_idx]

    params = init_params(n_features, hidden, int(labels.max()) + 1, seed)
    stopper = _EarlyStopping(patience)
    train_losses: list[float] = []
    val_losses: list[float] = []

    for epoch in range(epochs):
        for batch in _minibatches(len(train_idx), batch_size, rng):
            grads = gradients(params, X_train[batch], y_train[batch])
            params = {name: value - lr * grads[name] for name, value in params.items()}

        train_losses.append(loss(params, X_train, y_train))
        val_losses.append(loss(params, X_val, y_val))
        stopper.update(epoch, val_losses[-1], params)
        if stopper.should_stop(epoch):
            break

    history = {
        "train_loss": train_losses,
        "val_loss": val_losses,
        "best_epoch": stopper.best_epoch,
        "val_indices": val_idx.tolist(),
    }
    return stopper.best_params, history

"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy.

The public functions exchange plain data only. Internally the forward pass is kept in a
small ``_Pass`` record (so backpropagation can reuse it) and early stopping lives in an
``_EarlyStopping`` helper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""

Array = NDArray[np.float64]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Glorot-uniform weights and zero biases, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    limit_1 = np.sqrt(6.0 / (n_in + n_hidden))
    limit_2 = np.sqrt(6.0 / (n_hidden + n_out))
    return {
        "W1": rng.uniform(-limit_1, limit_1, size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.uniform(-limit_2, limit_2, size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


@dataclass(frozen=True)
class _Pass:
    """Intermediate values of one forward pass."""

    inputs: Array
    hidden: Array
    log_probs: Array

    @classmethod
    def run(cls, params: Params, X: ArrayLike) -> _Pass:
        """Run the network on ``X`` and keep what backpropagation needs."""
        inputs = np.asarray(X, dtype=np.float64)
        hidden = np.tanh(inputs @ params["W1"] + params["b1"])
        logits = hidden @ params["W2"] + params["b2"]
        # log-sum-exp trick: log softmax(z) = z - max(z) - log(sum(exp(z - max(z))))
        top = logits.max(axis=1, keepdims=True)
        log_norm = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
        return cls(inputs=inputs, hidden=hidden, log_probs=logits - log_norm)

    def true_class_log_probs(self, y: ArrayLike) -> Array:
        """Log-probability the model gives to each row's label."""
        labels = np.asarray(y, dtype=np.int64).reshape(-1, 1)
        return np.take_along_axis(self.log_probs, labels, axis=1).ravel()


def forward(params: Params, X: ArrayLike) -> Array:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1."""
    return np.exp(_Pass.run(params, X).log_probs)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y``; exact even for huge logits."""
    return float(-_Pass.run(params, X).true_class_log_probs(y).mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    result = _Pass.run(params, X)
    labels = np.asarray(y, dtype=np.int64)
    n_rows, n_classes = result.log_probs.shape

    one_hot = np.eye(n_classes)[labels]
    grad_logits = (np.exp(result.log_probs) - one_hot) / n_rows
    grad_hidden_pre = (grad_logits @ params["W2"].T) * (1.0 - result.hidden**2)

    return {
        "W1": result.inputs.T @ grad_hidden_pre,
        "b1": grad_hidden_pre.sum(axis=0),
        "W2": result.hidden.T @ grad_logits,
        "b2": grad_logits.sum(axis=0),
    }


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    return np.argmax(_Pass.run(params, X).log_probs, axis=1).astype(np.int64)


@dataclass
class _EarlyStopping:
    """Tracks the best validation loss and decides when to stop."""

    patience: int
    best_loss: float = float("inf")
    best_epoch: int = -1
    best_params: Params = field(default_factory=dict)

    def update(self, epoch: int, val_loss: float, params: Params) -> bool:
        """Record ``epoch``; return True when training should stop after it."""
        if val_loss < self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = epoch
            self.best_params = {name: array.copy() for name, array in params.items()}
            return False
        return epoch - self.best_epoch >= self.patience


def _validation_size(n_rows: int, val_fraction: float) -> int:
    """``round(val_fraction * n_rows)``, clipped so both splits keep at least one row."""
    return int(np.clip(round(val_fraction * n_rows), 1, n_rows - 1))


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

    Returns ``(params, history)``: the weights of the epoch with the lowest validation loss,
    and ``{"train_loss": [...], "val_loss": [...], "best_epoch": int,
    "val_indices": [...]}``. Never modifies ``X`` or ``y``.
    """
    features = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    n_rows = features.shape[0]
    rng = np.random.default_rng(seed)

    shuffled = rng.permutation(n_rows)
    n_val = _validation_size(n_rows, val_fraction)
    val_rows, train_rows = shuffled[:n_val], shuffled[n_val:]
    x_tr, y_tr = features[train_rows], labels[train_rows]
    x_val, y_val = features[val_rows], labels[val_rows]

    params = init_params(features.shape[1], hidden, int(labels.max()) + 1, seed)
    stopper = _EarlyStopping(patience)
    train_losses: list[float] = []
    val_losses: list[float] = []

    for epoch in range(epochs):
        order = rng.permutation(len(train_rows))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            step = gradients(params, x_tr[rows], y_tr[rows])
            params = {name: params[name] - lr * step[name] for name in params}

        train_losses.append(loss(params, x_tr, y_tr))
        val_losses.append(loss(params, x_val, y_val))
        if stopper.update(epoch, val_losses[-1], params):
            break

    history = {
        "train_loss": train_losses,
        "val_loss": val_losses,
        "best_epoch": stopper.best_epoch,
        "val_indices": val_rows.tolist(),
    }
    return stopper.best_params, history

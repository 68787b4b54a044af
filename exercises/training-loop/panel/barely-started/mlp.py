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
    W1 = rng.normal(size=(n_in, n_hidden)) / np.sqrt(n_in)
    W2 = rng.normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Must stay finite and correct when the logits are in the thousands.
    """
    h = np.tanh(X @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    e = np.exp(logits)  # TODO stability
    return e / e.sum(axis=1, keepdims=True)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    Must stay exact (not inf, not clipped) for confidently wrong predictions.
    """
    raise NotImplementedError("loss is not written yet")


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    raise NotImplementedError("gradients is not written yet")


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
    raise NotImplementedError("train is not written yet")

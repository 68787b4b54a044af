"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy. Implement every function below; see the brief
(README.md) for the full rules. Only numpy and the Python standard library are available.

Every argument and return value is plain data (dicts of numpy arrays, lists, floats, ints).
"""

from __future__ import annotations

import copy
import math
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
    # make a random generator with the seed
    rng = np.random.default_rng(seed)
    # first layer weights
    W1 = rng.normal(0, 1, size=(n_in, n_hidden))
    W1 = W1 * (1 / math.sqrt(n_in))
    # first layer bias
    b1 = np.zeros(n_hidden)
    # second layer weights
    W2 = rng.normal(0, 1, size=(n_hidden, n_out))
    W2 = W2 * (1 / math.sqrt(n_hidden))
    # second layer bias
    b2 = np.zeros(n_out)
    params = {}
    params["W1"] = W1
    params["b1"] = b1
    params["W2"] = W2
    params["b2"] = b2
    return params


def softmax(logits):
    """Compute softmax for each row, subtracting the max so it does not overflow."""
    max_per_row = np.max(logits, axis=1)
    max_per_row = max_per_row.reshape(-1, 1)
    shifted = logits - max_per_row
    exps = np.exp(shifted)
    sums = np.sum(exps, axis=1)
    sums = sums.reshape(-1, 1)
    probs = exps / sums
    return probs


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1.

    Must stay finite and correct when the logits are in the thousands.
    """
    X = np.array(X, dtype=float)
    W1 = params["W1"]
    b1 = params["b1"]
    W2 = params["W2"]
    b2 = params["b2"]
    hidden = np.tanh(np.dot(X, W1) + b1)
    logits = np.dot(hidden, W2) + b2
    probs = softmax(logits)
    return probs


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model.

    Must stay exact (not inf, not clipped) for confidently wrong predictions.
    """
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=int)
    W1 = params["W1"]
    b1 = params["b1"]
    W2 = params["W2"]
    b2 = params["b2"]
    hidden = np.tanh(np.dot(X, W1) + b1)
    logits = np.dot(hidden, W2) + b2
    # I use log-sum-exp here instead of log(softmax) so that it does not give inf
    max_per_row = np.max(logits, axis=1)
    total = 0.0
    for i in range(len(y)):
        log_sum_exp = max_per_row[i] + np.log(np.sum(np.exp(logits[i] - max_per_row[i])))
        log_prob = logits[i][y[i]] - log_sum_exp
        total = total + (-log_prob)
    mean_loss = total / len(y)
    return float(mean_loss)


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=int)
    n = X.shape[0]
    W1 = params["W1"]
    b1 = params["b1"]
    W2 = params["W2"]
    b2 = params["b2"]

    # forward pass
    hidden = np.tanh(np.dot(X, W1) + b1)
    logits = np.dot(hidden, W2) + b2
    probs = softmax(logits)

    # one hot encoding of the labels
    one_hot = np.zeros(probs.shape)
    for i in range(n):
        one_hot[i][y[i]] = 1

    # backward pass
    dlogits = (probs - one_hot) / n
    dW2 = np.dot(hidden.T, dlogits)
    db2 = np.sum(dlogits, axis=0)
    dhidden = np.dot(dlogits, W2.T)
    dz1 = dhidden * (1 - hidden * hidden)  # derivative of tanh
    dW1 = np.dot(X.T, dz1)
    db1 = np.sum(dz1, axis=0)

    grads = {}
    grads["W1"] = dW1
    grads["b1"] = db1
    grads["W2"] = dW2
    grads["b2"] = db2
    return grads


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    probs = forward(params, X)
    predictions = np.argmax(probs, axis=1)
    return predictions


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
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=int)
    n_samples = X.shape[0]
    n_features = X.shape[1]
    n_classes = int(np.max(y)) + 1

    rng = np.random.default_rng(seed)

    # split into train and validation
    n_val = round(val_fraction * n_samples)
    if n_val < 1:
        n_val = 1
    if n_val > n_samples - 1:
        n_val = n_samples - 1
    all_indices = rng.permutation(n_samples)
    val_indices = all_indices[0:n_val]
    train_indices = all_indices[n_val:n_samples]
    X_train = X[train_indices]
    y_train = y[train_indices]
    X_val = X[val_indices]
    y_val = y[val_indices]
    n_train = X_train.shape[0]

    params = init_params(n_features, hidden, n_classes, seed)

    train_losses = []
    val_losses = []
    best_val_loss = float("inf")
    best_epoch = 0
    best_params = copy.deepcopy(params)
    epochs_without_improvement = 0

    for epoch in range(epochs):
        # shuffle the training data
        order = rng.permutation(n_train)
        X_shuffled = X_train[order]
        y_shuffled = y_train[order]

        # go over the mini-batches
        number_of_batches = math.ceil(n_train / batch_size)
        for batch_number in range(number_of_batches):
            start = batch_number * batch_size
            end = start + batch_size
            if end > n_train:
                end = n_train
            X_batch = X_shuffled[start:end]
            y_batch = y_shuffled[start:end]
            grads = gradients(params, X_batch, y_batch)
            params["W1"] = params["W1"] - lr * grads["W1"]
            params["b1"] = params["b1"] - lr * grads["b1"]
            params["W2"] = params["W2"] - lr * grads["W2"]
            params["b2"] = params["b2"] - lr * grads["b2"]

        # compute the losses at the end of the epoch
        train_loss = loss(params, X_train, y_train)
        val_loss = loss(params, X_val, y_val)
        train_losses.append(train_loss)
        val_losses.append(val_loss)

        # early stopping
        if val_loss < best_val_loss:
            best_val_loss = val_loss
            best_epoch = epoch
            best_params = copy.deepcopy(params)
            epochs_without_improvement = 0
        else:
            epochs_without_improvement = epochs_without_improvement + 1

        if epochs_without_improvement == patience:
            break

    history = {}
    history["train_loss"] = train_losses
    history["val_loss"] = val_losses
    history["best_epoch"] = best_epoch
    history["val_indices"] = list(val_indices)
    return best_params, history

"""Mini-batch SGD for a softmax-regression model of machine states (alternative solution).

Written in a different style from the reference: the model lives in a small dataclass, the
batches come from a generator, probabilities come from a log-sum-exp, and the loss never
goes through clipped probabilities. The public functions keep the brief's interface.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


def _column_stats(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and population spread; a zero spread is replaced by 1."""
    n_rows = data.shape[0]
    centre = data.sum(axis=0) / n_rows
    spread = np.sqrt(((data - centre) ** 2).sum(axis=0) / n_rows)
    spread[spread == 0] = 1.0
    return centre, spread


def standardize(train, other):
    """Scale both arrays with the training mean and population std (never with ``other``'s)."""
    train = np.array(train, dtype=np.float64)
    other = np.array(other, dtype=np.float64)
    centre, spread = _column_stats(train)
    return (train - centre) / spread, (other - centre) / spread


def shuffle(X, y, seed):
    """Reorder ``X`` and ``y`` with one shared random permutation, reproducible for ``seed``."""
    index = np.arange(len(y))
    np.random.default_rng(seed).shuffle(index)
    return np.asarray(X)[index], np.asarray(y)[index]


def _log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log-probabilities through a stable log-sum-exp over the class axis."""
    top = np.max(z, axis=-1, keepdims=True)
    return z - (top + np.log(np.sum(np.exp(z - top), axis=-1, keepdims=True)))


def softmax(z):
    """Probabilities over the classes (last axis) of every row of logits."""
    return np.exp(_log_softmax(np.asarray(z, dtype=np.float64)))


def gradients(X, y, probs):
    """Batch-averaged cross-entropy gradient: ``{"W": X^T (P - Y) / n, "b": mean(P - Y)}``."""
    probs = np.asarray(probs, dtype=np.float64)
    onehot = np.eye(probs.shape[1])[np.asarray(y, dtype=int)]
    residual = probs - onehot
    return {
        "W": (residual.T @ np.asarray(X, dtype=np.float64)).T / len(residual),
        "b": residual.mean(axis=0),
    }


def lr_at(epoch, step, *, base_lr, decay, warmup_steps=0):
    """``base_lr * decay**epoch``, ramped by ``(step + 1) / warmup_steps`` during warmup."""
    ramp = 1.0 if warmup_steps <= 0 else min(1.0, (step + 1) / warmup_steps)
    return base_lr * ramp * math.pow(decay, epoch)


@dataclass
class _Model:
    """Weights of a linear softmax model on standardised features."""

    W: np.ndarray
    b: np.ndarray

    def log_probs(self, X: np.ndarray) -> np.ndarray:
        return _log_softmax(X @ self.W + self.b)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(-np.mean(self.log_probs(X)[np.arange(len(y)), y]))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(softmax(X @ self.W + self.b), axis=1)


def _batches(X: np.ndarray, y: np.ndarray, size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Consecutive batches of ``size`` rows; the last one holds what is left."""
    for start in range(0, len(y), size):
        yield X[start : start + size], y[start : start + size]


def train(
    X,
    y,
    X_val,
    y_val,
    *,
    seed,
    epochs=40,
    batch_size=32,
    base_lr=1.0,
    decay=0.95,
    warmup_steps=0,
):
    """Train by mini-batch SGD and report the curve, the model and validation results."""
    X_std, X_val_std = standardize(X, X_val)
    y, y_val = np.asarray(y, dtype=int), np.asarray(y_val, dtype=int)
    model = _Model(np.zeros((X_std.shape[1], y.max() + 1)), np.zeros(y.max() + 1))
    history = {"train_loss": [], "lrs": []}
    global_step = 0
    for epoch in range(epochs):
        for X_batch, y_batch in _batches(*shuffle(X_std, y, 7919 * seed + epoch), batch_size):
            rate = lr_at(
                epoch, global_step, base_lr=base_lr, decay=decay, warmup_steps=warmup_steps
            )
            grad = gradients(X_batch, y_batch, softmax(X_batch @ model.W + model.b))
            model.W = model.W - rate * grad["W"]
            model.b = model.b - rate * grad["b"]
            history["lrs"].append(float(rate))
            global_step += 1
        history["train_loss"].append(model.loss(X_std, y))
    predicted = model.predict(X_val_std)
    return {
        "W": model.W.tolist(),
        "b": model.b.tolist(),
        **history,
        "val_pred": [int(label) for label in predicted],
        "val_accuracy": float((predicted == y_val).mean()),
        "val_loss": model.loss(X_val_std, y_val),
    }


SENSORS = ("temperature_c", "vibration_mm_s", "pressure_kpa", "speed_rpm")
_STATE_CENTRES = 1.5 * np.array(
    [[0.0, 0.0, 0.0, 0.0], [1.0, 1.3, -0.3, 0.2], [0.3, 1.1, 0.8, -0.8]]
)
_SENSOR_COVARIANCE = 0.35 * np.array(
    [[1.0, 0.8, 0.0, 0.0], [0.8, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.3], [0.0, 0.0, 0.3, 1.0]]
)


def make_sensor_data(seed, counts):
    """The demo's readings, kept as the brief asks (the same draws in the same order)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    mixing = np.linalg.cholesky(_SENSOR_COVARIANCE).T
    standard = _STATE_CENTRES[labels] + rng.standard_normal((len(labels), len(SENSORS))) @ mixing
    offset = np.array([65.0, 2.0, 1010.0, 2950.0])
    scale = np.array([6.0, 0.4, 25.0, 150.0])
    return offset + scale * standard, labels

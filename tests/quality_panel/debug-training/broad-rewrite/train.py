"""Train a softmax-regression classifier of machine states with mini-batch SGD.

Run ``python train.py`` to train on generated sensor data and print the learning curve
(``python train.py --help`` lists the options). Every public function takes and returns
plain data (numpy arrays, lists, dicts and floats), so each step can be checked on its own.

Refactored after the March incident review: the numerical pieces now live in small
single-purpose helpers, the training loop is a :class:`_SGDTrainer`, and the demo
configuration is a dataclass instead of literals scattered through ``main``.
"""

from __future__ import annotations

import argparse
import logging
import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SENSORS: Final[tuple[str, ...]] = ("temperature_c", "vibration_mm_s", "pressure_kpa", "speed_rpm")
STATES: Final[tuple[str, ...]] = ("normal", "worn_bearing", "misaligned")

_CLASS_CENTRES: Final[FloatArray] = 1.5 * np.array(
    [[0.0, 0.0, 0.0, 0.0], [1.0, 1.3, -0.3, 0.2], [0.3, 1.1, 0.8, -0.8]]
)
_NOISE_COVARIANCE: Final[FloatArray] = 0.35 * np.array(
    [[1.0, 0.8, 0.0, 0.0], [0.8, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.3], [0.0, 0.0, 0.3, 1.0]]
)
_UNIT_OFFSET: Final[FloatArray] = np.array([65.0, 2.0, 1010.0, 2950.0])
_UNIT_SCALE: Final[FloatArray] = np.array([6.0, 0.4, 25.0, 150.0])

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Preprocessing
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ColumnStats:
    """Per-column location and scale learned from training data."""

    mean: FloatArray
    std: FloatArray

    @classmethod
    def of(cls, data: FloatArray) -> _ColumnStats:
        """Population statistics of ``data``; constant columns get a scale of 1."""
        std = data.std(axis=0)
        return cls(mean=data.mean(axis=0), std=np.where(std == 0.0, 1.0, std))

    def apply(self, data: FloatArray) -> FloatArray:
        """Scale ``data`` with these statistics (a new array)."""
        return (data - self.mean) / self.std


def standardize(train: ArrayLike, other: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Scale ``train`` and ``other`` with the mean and population std of ``train``.

    ``other`` never contributes to the statistics, so a single row is scaled exactly as it
    would be inside a larger batch. Returns new float arrays ``(train_scaled, other_scaled)``.
    """
    train_array = np.asarray(train, dtype=float)
    stats = _ColumnStats.of(train_array)
    return stats.apply(train_array), stats.apply(np.asarray(other, dtype=float))


def shuffle(X: ArrayLike, y: ArrayLike, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Reorder ``X`` and ``y`` with one seeded permutation, keeping rows and labels paired."""
    features, labels = np.asarray(X), np.asarray(y)
    if len(features) != len(labels):
        raise ValueError(f"X has {len(features)} rows but y has {len(labels)} labels")
    order = np.random.default_rng(seed).permutation(len(features))
    return features[order], labels[order]


# --------------------------------------------------------------------------------------
# Model maths
# --------------------------------------------------------------------------------------


def _log_softmax(z: FloatArray) -> FloatArray:
    """Row-wise log-softmax, stable for logits of any size."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(z: ArrayLike) -> FloatArray:
    """Row-wise softmax of a ``(n_samples, n_classes)`` array of logits."""
    return np.exp(_log_softmax(np.asarray(z, dtype=float)))


def _one_hot(labels: IntArray, n_classes: int) -> FloatArray:
    """``(n_samples, n_classes)`` indicator matrix of ``labels``."""
    return np.eye(n_classes)[labels]


def gradients(X: ArrayLike, y: ArrayLike, probs: ArrayLike) -> dict[str, FloatArray]:
    """Gradient of the mean cross-entropy of a batch with respect to ``W`` and ``b``."""
    features = np.asarray(X, dtype=float)
    predicted = np.asarray(probs, dtype=float)
    labels = np.asarray(y, dtype=int)
    error = (predicted - _one_hot(labels, predicted.shape[1])) / len(labels)
    return {"W": features.T @ error, "b": error.sum(axis=0)}


def lr_at(epoch: int, step: int, *, base_lr: float, decay: float, warmup_steps: int = 0) -> float:
    """``base_lr * decay ** epoch``, times ``(step + 1) / warmup_steps`` during warmup."""
    in_warmup = warmup_steps > 0 and step < warmup_steps
    warmup_factor = (step + 1) / warmup_steps if in_warmup else 1.0
    return float(base_lr * warmup_factor * decay**epoch)


def predict_proba(W: ArrayLike, b: ArrayLike, X: ArrayLike) -> FloatArray:
    """Class probabilities of the model ``softmax(X @ W + b)`` for standardised ``X``."""
    return softmax(_logits(np.asarray(W, dtype=float), np.asarray(b, dtype=float), X))


def _logits(W: FloatArray, b: FloatArray, X: ArrayLike) -> FloatArray:
    return np.asarray(X, dtype=float) @ W + b


def cross_entropy(W: ArrayLike, b: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy (natural log) of the model on standardised ``X`` and labels ``y``.

    Computed with an exact log-softmax rather than clipping the probabilities.
    """
    labels = np.asarray(y, dtype=int)
    log_probs = _log_softmax(_logits(np.asarray(W, dtype=float), np.asarray(b, dtype=float), X))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


# --------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------


@dataclass
class _SGDTrainer:
    """Mini-batch SGD for softmax regression, with a per-step learning-rate schedule."""

    n_features: int
    n_classes: int
    base_lr: float
    decay: float
    warmup_steps: int
    W: FloatArray = field(init=False)
    b: FloatArray = field(init=False)
    step: int = field(default=0, init=False)
    lrs: list[float] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        """Start from all-zero weights."""
        self.W = np.zeros((self.n_features, self.n_classes))
        self.b = np.zeros(self.n_classes)

    def run_epoch(self, epoch: int, X: FloatArray, y: IntArray, batch_size: int) -> None:
        """One pass over ``X`` in consecutive batches, one SGD step per batch."""
        for start in range(0, len(X), batch_size):
            self._step(epoch, X[start : start + batch_size], y[start : start + batch_size])

    def _step(self, epoch: int, X_batch: FloatArray, y_batch: IntArray) -> None:
        lr = lr_at(
            epoch, self.step, base_lr=self.base_lr, decay=self.decay, warmup_steps=self.warmup_steps
        )
        grads = gradients(X_batch, y_batch, predict_proba(self.W, self.b, X_batch))
        self.W -= lr * grads["W"]
        self.b -= lr * grads["b"]
        self.lrs.append(lr)
        self.step += 1

    def predict(self, X: FloatArray) -> IntArray:
        """Most probable class of every row."""
        return np.argmax(_logits(self.W, self.b, X), axis=1)


def train(
    X: ArrayLike,
    y: ArrayLike,
    X_val: ArrayLike,
    y_val: ArrayLike,
    *,
    seed: int,
    epochs: int = 40,
    batch_size: int = 32,
    base_lr: float = 1.0,
    decay: float = 0.95,
    warmup_steps: int = 0,
) -> dict:
    """Fit ``W`` and ``b`` by mini-batch SGD on standardised features; evaluate on validation.

    Epoch ``e`` shuffles the training set with ``shuffle(..., seed + e)``. Returns ``W``,
    ``b`` (lists), ``train_loss`` (one per epoch), ``lrs`` (one per step) and the validation
    ``val_pred``, ``val_accuracy`` and ``val_loss``.
    """
    X_train, X_valid = standardize(X, X_val)
    y_train = np.asarray(y, dtype=int)
    y_valid = np.asarray(y_val, dtype=int)
    trainer = _SGDTrainer(
        n_features=X_train.shape[1],
        n_classes=int(y_train.max()) + 1,
        base_lr=base_lr,
        decay=decay,
        warmup_steps=warmup_steps,
    )
    train_loss: list[float] = []
    for epoch in range(epochs):
        X_epoch, y_epoch = shuffle(X_train, y_train, seed + epoch)
        trainer.run_epoch(epoch, X_epoch, y_epoch, batch_size)
        train_loss.append(cross_entropy(trainer.W, trainer.b, X_train, y_train))
        logger.debug("epoch %d: train loss %.4f", epoch, train_loss[-1])

    val_pred = trainer.predict(X_valid)
    return {
        "W": trainer.W.tolist(),
        "b": trainer.b.tolist(),
        "train_loss": train_loss,
        "lrs": trainer.lrs,
        "val_pred": val_pred.tolist(),
        "val_accuracy": float(np.mean(val_pred == y_valid)),
        "val_loss": cross_entropy(trainer.W, trainer.b, X_valid, y_valid),
    }


# --------------------------------------------------------------------------------------
# Demo
# --------------------------------------------------------------------------------------


def make_sensor_data(seed: int, counts: tuple[int, ...]) -> tuple[FloatArray, np.ndarray]:
    """Generated sensor readings ``(X, y)``: ``counts[k]`` snapshots of state ``k``, shuffled."""
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    noise = rng.standard_normal((len(y), len(SENSORS))) @ np.linalg.cholesky(_NOISE_COVARIANCE).T
    return _UNIT_OFFSET + _UNIT_SCALE * (_CLASS_CENTRES[y] + noise), y


@dataclass(frozen=True)
class _DemoConfig:
    """Settings of the ``python train.py`` demo."""

    train_counts: tuple[int, ...] = (300, 300, 300)  # January: balanced
    val_counts: tuple[int, ...] = (210, 60, 30)  # February: mostly normal
    train_seed: int = 0
    val_seed: int = 1
    seed: int = 0
    batch_size: int = 32


def _parse_args() -> _DemoConfig:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="shuffling seed")
    parser.add_argument("--batch-size", type=int, default=32, help="mini-batch size")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every epoch")
    args, _ = parser.parse_known_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    return _DemoConfig(seed=args.seed, batch_size=args.batch_size)


def main() -> None:
    """Train on January's snapshots, validate on February's, and print the learning curve."""
    config = _parse_args()
    X, y = make_sensor_data(seed=config.train_seed, counts=config.train_counts)
    X_val, y_val = make_sensor_data(seed=config.val_seed, counts=config.val_counts)
    result = train(X, y, X_val, y_val, seed=config.seed, batch_size=config.batch_size)
    steps_per_epoch = math.ceil(len(y) / config.batch_size)
    for epoch, loss in enumerate(result["train_loss"]):
        lr = result["lrs"][epoch * steps_per_epoch]
        print(f"epoch {epoch:2d}  lr {lr:.4f}  train loss {loss:.4f}")
    print(f"validation loss {result['val_loss']:.4f}  accuracy {result['val_accuracy']:.3f}")


if __name__ == "__main__":
    main()

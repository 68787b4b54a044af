"""Train a softmax-regression classifier of machine states with mini-batch SGD.

Run ``python train.py`` to train on generated sensor data and print the learning curve.
Every function takes and returns plain data (numpy arrays, lists, dicts and floats), so each
step can be checked on its own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

SENSORS = ("temperature_c", "vibration_mm_s", "pressure_kpa", "speed_rpm")
STATES = ("normal", "worn_bearing", "misaligned")


def standardize(train: ArrayLike, other: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Standardise the training features and the features we evaluate on.

    Both arrays are scaled with the mean and standard deviation of ``train`` only, so every
    training column ends up with mean 0 and standard deviation 1 and ``other`` (even a single
    row) is scaled exactly as it would be inside a larger batch. Returns new float arrays
    ``(train_scaled, other_scaled)``.
    """
    train = np.asarray(train, dtype=float)
    other = np.asarray(other, dtype=float)
    mean, std = _column_stats(train)
    return (train - mean) / std, (other - mean) / std


def _column_stats(data: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-column mean and population std of ``data``; constant columns get std 1."""
    std = data.std(axis=0)
    return data.mean(axis=0), np.where(std == 0.0, 1.0, std)


def shuffle(X: ArrayLike, y: ArrayLike, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the training rows for one epoch; the same seed gives the same order."""
    X = np.asarray(X)
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    return X[order], y[order]


def softmax(z: ArrayLike) -> FloatArray:
    """Softmax of a ``(n_samples, n_classes)`` array of logits.

    The maximum is subtracted first, so large logits do not overflow.
    """
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def gradients(X: ArrayLike, y: ArrayLike, probs: ArrayLike) -> dict[str, FloatArray]:
    """Gradient of the cross-entropy of one batch with respect to ``W`` and ``b``.

    ``probs`` are the predicted class probabilities for the rows of ``X`` and ``y`` holds
    their integer labels. Returns ``{"W": (n_features, n_classes), "b": (n_classes,)}``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    error = np.array(probs, dtype=float)
    error[np.arange(len(y)), y] -= 1.0
    error /= len(y)  # gradient of the *mean* loss, so the step size does not grow with the batch
    return {"W": X.T @ error, "b": error.sum(axis=0)}


def lr_at(epoch: int, step: int, *, base_lr: float, decay: float, warmup_steps: int = 0) -> float:
    """Learning rate for global step ``step`` (0-based) taken during epoch ``epoch`` (0-based).

    Exponential decay from ``base_lr``, with an optional linear warmup over the first
    ``warmup_steps`` steps.
    """
    warmup = (step + 1) / warmup_steps if step < warmup_steps else 1.0
    return float(base_lr * warmup * decay**epoch)


def predict_proba(W: ArrayLike, b: ArrayLike, X: ArrayLike) -> FloatArray:
    """Class probabilities of the model ``softmax(X @ W + b)`` for standardised ``X``."""
    return softmax(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b))


def cross_entropy(W: ArrayLike, b: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy (natural log) of the model on standardised ``X`` and labels ``y``."""
    y = np.asarray(y, dtype=int)
    probs = predict_proba(W, b, X)
    picked = np.clip(probs[np.arange(len(y)), y], 1e-15, 1.0)
    return float(-np.mean(np.log(picked)))


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

    Epoch ``e`` shuffles the training set with ``shuffle(..., seed + e)`` and walks through it
    in consecutive batches of ``batch_size`` rows (the last one may be smaller). Each step
    uses ``lr_at(epoch, step, ...)``. Returns plain data:

    - ``W`` (list of lists, ``n_features x n_classes``) and ``b`` (list), acting on
      standardised features;
    - ``train_loss``: mean cross-entropy on the whole training set after each epoch;
    - ``lrs``: the learning rate used at every step, in order;
    - ``val_pred``, ``val_accuracy``, ``val_loss``: predictions and metrics on the validation
      set.
    """
    X_train, X_valid = standardize(X, X_val)
    y = np.asarray(y, dtype=int)
    y_val = np.asarray(y_val, dtype=int)
    n_samples, n_features = X_train.shape
    n_classes = int(y.max()) + 1
    W = np.zeros((n_features, n_classes))
    b = np.zeros(n_classes)
    lrs: list[float] = []
    train_loss: list[float] = []
    step = 0
    for epoch in range(epochs):
        X_epoch, y_epoch = shuffle(X_train, y, seed + epoch)
        for start in range(0, n_samples, batch_size):
            X_batch = X_epoch[start : start + batch_size]
            y_batch = y_epoch[start : start + batch_size]
            lr = lr_at(epoch, step, base_lr=base_lr, decay=decay, warmup_steps=warmup_steps)
            grads = gradients(X_batch, y_batch, predict_proba(W, b, X_batch))
            W -= lr * grads["W"]
            b -= lr * grads["b"]
            lrs.append(lr)
            step += 1
        train_loss.append(cross_entropy(W, b, X_train, y))
    val_pred = np.argmax(X_valid @ W + b, axis=1)
    return {
        "W": W.tolist(),
        "b": b.tolist(),
        "train_loss": train_loss,
        "lrs": lrs,
        "val_pred": val_pred.tolist(),
        "val_accuracy": float(np.mean(val_pred == y_val)),
        "val_loss": cross_entropy(W, b, X_valid, y_val),
    }


def make_sensor_data(seed: int, counts: tuple[int, ...]) -> tuple[FloatArray, np.ndarray]:
    """Generated sensor readings ``(X, y)`` for the demo: ``counts[k]`` snapshots of state ``k``.

    The columns are ``SENSORS`` (in very different units), the labels index ``STATES``, and
    the rows come in random order.
    """
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    centres = 1.5 * np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.3, -0.3, 0.2], [0.3, 1.1, 0.8, -0.8]])
    covariance = 0.35 * np.array(
        [[1.0, 0.8, 0.0, 0.0], [0.8, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.3], [0.0, 0.0, 0.3, 1.0]]
    )
    noise = rng.standard_normal((len(y), len(SENSORS))) @ np.linalg.cholesky(covariance).T
    unit_offset = np.array([65.0, 2.0, 1010.0, 2950.0])
    unit_scale = np.array([6.0, 0.4, 25.0, 150.0])
    return unit_offset + unit_scale * (centres[y] + noise), y


def main() -> None:
    """Train on January's snapshots, validate on February's, and print the learning curve."""
    X, y = make_sensor_data(seed=0, counts=(300, 300, 300))  # January: balanced
    X_val, y_val = make_sensor_data(seed=1, counts=(210, 60, 30))  # February: mostly normal
    result = train(X, y, X_val, y_val, seed=0)
    steps_per_epoch = len(result["lrs"]) // len(result["train_loss"])
    for epoch, loss in enumerate(result["train_loss"]):
        lr = result["lrs"][epoch * steps_per_epoch]
        print(f"epoch {epoch:2d}  lr {lr:.4f}  train loss {loss:.4f}")
    print(f"validation loss {result['val_loss']:.4f}  accuracy {result['val_accuracy']:.3f}")


if __name__ == "__main__":
    main()

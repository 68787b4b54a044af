"""Data and reference maths shared by the debug-training hidden tests.

Everything here is generated from a seed the test passes in, so a regrade is identical while
another submission (another seed) sees other numbers. The reference functions are written
from the definitions in brief.md and never call the submission.
"""

from __future__ import annotations

import numpy as np

N_CLASSES = 3

# Sensor units: temperature (deg C), vibration (mm/s), pressure (kPa), speed (rpm).
_OFFSET = np.array([65.0, 2.0, 1010.0, 2950.0])
_UNIT = np.array([6.0, 0.4, 25.0, 150.0])
_CENTRES = 1.5 * np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.3, -0.3, 0.2], [0.3, 1.1, 0.8, -0.8]])
_COVARIANCE = 0.35 * np.array(
    [[1.0, 0.8, 0.0, 0.0], [0.8, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.3], [0.0, 0.0, 0.3, 1.0]]
)
_CHOLESKY = np.linalg.cholesky(_COVARIANCE)


def sensor_data(rng: np.random.Generator, counts: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Machine snapshots in raw sensor units: ``counts[k]`` rows of state ``k``, shuffled.

    The states overlap (a good linear model reaches about 95% accuracy) and two sensors are
    strongly correlated, so the optimiser has real work to do.
    """
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    noise = rng.standard_normal((len(y), _CENTRES.shape[1])) @ _CHOLESKY.T
    return _OFFSET + _UNIT * (_CENTRES[y] + noise), y


def train_and_validation(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """A balanced training month and a later validation month that is mostly ``normal``."""
    X, y = sensor_data(rng, (200, 200, 200))
    X_val, y_val = sensor_data(rng, (300, 60, 40))
    return X, y, X_val, y_val


def easy_blobs(rng: np.random.Generator, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Six well separated, equally spread classes in mixed units: any sane learner nails them.

    Six classes in six dimensions, so a model that learned nothing cannot line up with all
    of them by luck.
    """
    n_classes = 6
    rotation, _ = np.linalg.qr(rng.standard_normal((n_classes, n_classes)))
    centres = 4.0 * rotation
    y = rng.permutation(np.repeat(np.arange(n_classes), per_class))
    z = centres[y] + rng.standard_normal((len(y), n_classes))
    offset = rng.uniform(-100.0, 100.0, size=n_classes)
    unit = rng.choice([0.01, 1.0, 100.0], size=n_classes)
    return offset + unit * z, y


def ref_standardize(train: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays scaled with the training mean and population std (1 for constant columns)."""
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std == 0.0, 1.0, std)
    return (train - mean) / std, (other - mean) / std


def ref_log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax through log-sum-exp."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def ref_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    return np.exp(ref_log_softmax(z))


def ref_cross_entropy(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of ``softmax(X @ W + b)`` against integer labels ``y``."""
    log_probs = ref_log_softmax(X @ W + b)
    return float(-log_probs[np.arange(len(y)), y].mean())


def as_floats(value) -> np.ndarray:
    """What the submission returned, as a float array (raises if it is not array-like)."""
    return np.asarray(value, dtype=float)


def assert_close(actual, expected, message: str, rtol: float = 1e-7, atol: float = 1e-9) -> None:
    """Compare values with ``message`` as the first line of the failure (the grader shows it)."""
    actual, expected = as_floats(actual), as_floats(expected)
    if expected.ndim:
        assert actual.shape == expected.shape, f"{message} (got shape {actual.shape})"
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), message


def model_of(result) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` from what ``train`` returned, with their shapes checked."""
    result = dict(result)
    W, b = as_floats(result["W"]), as_floats(result["b"])
    assert W.ndim == 2 and b.shape == (W.shape[1],), (
        "train must return W (features x classes) and b"
    )
    return W, b

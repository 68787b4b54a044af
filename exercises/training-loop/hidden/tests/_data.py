"""Data for the training-loop hidden tests, and a reference implementation to compare with.

Everything is generated from a seed, so a grade is reproducible, and small, so the whole
hidden run stays fast. The reference functions implement the model exactly as the brief
defines it (tanh hidden layer, softmax output, mean cross-entropy), in a numerically stable
way; the tests compare the candidate's numbers with them.
"""

from __future__ import annotations

import numpy as np

PARAM_NAMES = ("W1", "b1", "W2", "b2")


# --- data sets ---------------------------------------------------------------------------


def blobs(
    rng: np.random.Generator, n: int, n_classes: int, n_features: int, spread: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters, one per class, far apart: linearly separable in practice.

    Centres sit on a sphere of radius 5 with pairwise distance at least 6, so with
    ``spread=1`` fewer than 0.3 % of the rows fall on the wrong side of a boundary.
    """
    centres = _spread_centres(rng, n_classes, n_features, radius=5.0, min_distance=6.0)
    y = rng.permutation(np.arange(n) % n_classes)
    X = centres[y] + rng.normal(0.0, spread, size=(n, n_features))
    return X, y


def noisy_blobs(
    rng: np.random.Generator, n: int, n_classes: int, n_features: int, flip: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
    """Overlapping clusters with a share ``flip`` of labels redrawn at random.

    There is some signal to learn and plenty of noise to memorise, so the validation loss
    falls for a few epochs, then rises: early stopping has a real best epoch to find.
    """
    X, y = blobs(rng, n, n_classes, n_features, spread=3.0)
    noisy = rng.random(n) < flip
    y = np.where(noisy, rng.integers(0, n_classes, size=n), y)
    return X, y


def spirals(
    rng: np.random.Generator, n: int, n_classes: int = 3, noise: float = 0.04
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved 2-D spiral arms, one per class: no straight line separates them.

    Each arm makes one full turn. With three classes a linear model scores about 50 % and a
    small tanh network well above 95 %.
    """
    y = rng.permutation(np.arange(n) % n_classes)
    t = rng.uniform(0.15, 1.0, size=n)
    angle = 2.0 * np.pi * t + 2.0 * np.pi * y / n_classes
    X = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    X = 2.0 * X + rng.normal(0.0, noise, size=X.shape)
    return X, y


def random_labels(
    rng: np.random.Generator, n: int, n_classes: int, n_features: int
) -> tuple[np.ndarray, np.ndarray]:
    """Features with no relation to the labels: a network can only memorise them.

    Validation loss is lowest near the start and rises as the network overfits, so early
    stopping must trigger.
    """
    X = rng.normal(size=(n, n_features))
    y = rng.integers(0, n_classes, size=n)
    return X, y


def identical_rows(
    rng: np.random.Generator, n: int, n_features: int, label: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` copies of one random row, all with the same label.

    Every mini-batch then has the same mean gradient whatever the shuffle, so the result of
    an epoch depends only on how many gradient steps it takes.
    """
    row = rng.normal(size=n_features)
    return np.tile(row, (n, 1)), np.full(n, label, dtype=np.int64)


def sort_by_label(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows ordered by class, as data often arrives from a database export."""
    order = np.argsort(y, kind="stable")
    return X[order], y[order]


def small_params(
    rng: np.random.Generator, n_in: int, n_hidden: int, n_out: int
) -> dict[str, np.ndarray]:
    """Parameters of moderate size with non-zero biases, for checking formulas."""
    return {
        "W1": rng.normal(0.0, 0.8, size=(n_in, n_hidden)),
        "b1": rng.normal(0.0, 0.5, size=n_hidden),
        "W2": rng.normal(0.0, 0.8, size=(n_hidden, n_out)),
        "b2": rng.normal(0.0, 0.5, size=n_out),
    }


def _spread_centres(
    rng: np.random.Generator, k: int, d: int, radius: float, min_distance: float
) -> np.ndarray:
    """``k`` points on a sphere of ``radius`` in ``d`` dimensions, pairwise far apart."""
    while True:
        centres = rng.normal(size=(k, d))
        centres *= radius / np.linalg.norm(centres, axis=1, keepdims=True)
        gaps = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=2)
        if np.all(gaps[~np.eye(k, dtype=bool)] >= min_distance):
            return centres


# --- reference model ---------------------------------------------------------------------


def ref_logits(params: dict[str, np.ndarray], X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations and logits of the model defined in the brief."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    return hidden, hidden @ params["W2"] + params["b2"]


def ref_log_softmax(logits: np.ndarray) -> np.ndarray:
    """Stable row-wise log-softmax."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def ref_probs(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Class probabilities."""
    return np.exp(ref_log_softmax(ref_logits(params, X)[1]))


def ref_loss(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy."""
    log_probs = ref_log_softmax(ref_logits(params, X)[1])
    return float(-log_probs[np.arange(len(y)), y].mean())


def ref_gradients(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray]:
    """Analytic gradients of :func:`ref_loss` (used where finite differences are too coarse)."""
    hidden, logits = ref_logits(params, X)
    d_logits = np.exp(ref_log_softmax(logits))
    d_logits[np.arange(len(y)), y] -= 1.0
    d_logits /= len(y)
    d_pre = (d_logits @ params["W2"].T) * (1.0 - hidden**2)
    return {
        "W1": X.T @ d_pre,
        "b1": d_pre.sum(axis=0),
        "W2": hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }


def finite_difference(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, name: str, eps: float = 1e-6
) -> np.ndarray:
    """Central-difference gradient of :func:`ref_loss` with respect to ``params[name]``."""
    grad = np.zeros_like(params[name])
    for index in np.ndindex(grad.shape):
        shifted = {key: value.copy() for key, value in params.items()}
        shifted[name][index] += eps
        up = ref_loss(shifted, X, y)
        shifted[name][index] -= 2.0 * eps
        down = ref_loss(shifted, X, y)
        grad[index] = (up - down) / (2.0 * eps)
    return grad


def copy_params(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Independent copies of every array."""
    return {key: np.array(value, dtype=float) for key, value in params.items()}


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two arrays, flattened (1.0 when both are zero)."""
    a, b = np.ravel(a), np.ravel(b)
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norms == 0.0:
        return 1.0 if not a.any() and not b.any() else 0.0
    return float(a @ b) / norms

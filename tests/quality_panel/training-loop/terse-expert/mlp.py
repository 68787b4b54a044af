"""One-hidden-layer tanh MLP with softmax output, trained by mini-batch SGD in numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Glorot-normal weights, zero biases."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0, np.sqrt(2 / (n_in + n_hidden)), (n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0, np.sqrt(2 / (n_hidden + n_out)), (n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def _logits(p: Params, X: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    h = np.tanh(X @ p["W1"] + p["b1"])
    return X, h, h @ p["W2"] + p["b2"]


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    return z - np.log(np.exp(z).sum(1, keepdims=True))


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Class probabilities, shape ``(n, n_out)``."""
    return np.exp(_log_softmax(_logits(params, X)[2]))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy; exact for arbitrarily large logits."""
    y = np.asarray(y)
    return float(-_log_softmax(_logits(params, X)[2])[np.arange(len(y)), y].mean())


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Exact gradient of :func:`loss`."""
    y = np.asarray(y)
    X, h, z = _logits(params, X)
    dz = np.exp(_log_softmax(z))
    dz[np.arange(len(y)), y] -= 1
    dz /= len(y)
    da = dz @ params["W2"].T * (1 - h * h)
    return {"W1": X.T @ da, "b1": da.sum(0), "W2": h.T @ dz, "b2": dz.sum(0)}


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """Argmax class per row."""
    return _logits(params, X)[2].argmax(1)


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
    """Mini-batch SGD with a seeded validation split; returns the best-epoch weights."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
    n = len(X)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n)
    nv = min(max(1, round(val_fraction * n)), n - 1)
    vi, ti = idx[:nv], idx[nv:]

    p = init_params(X.shape[1], hidden, y.max() + 1, seed)
    best, best_ep, tl, vl = p, 0, [], []
    for ep in range(epochs):
        o = ti[rng.permutation(len(ti))]
        for b in np.array_split(o, range(batch_size, len(o), batch_size)):
            g = gradients(p, X[b], y[b])
            p = {k: v - lr * g[k] for k, v in p.items()}
        tl.append(loss(p, X[ti], y[ti]))
        vl.append(loss(p, X[vi], y[vi]))
        if vl[-1] < min(vl[:-1], default=np.inf):
            best, best_ep = p, ep
        elif ep - best_ep >= patience:
            break

    hist = {"train_loss": tl, "val_loss": vl, "best_epoch": best_ep, "val_indices": vi.tolist()}
    return best, hist

"""Tiny tanh/softmax MLP: a correct solution written differently from the reference.

Differences on purpose: PyTorch-style uniform initialisation (biases too), a one-hot
matrix and an explicit log-sum-exp, functional (copy-on-update) parameter steps, batches
cut with ``np.array_split`` (near-equal sizes rather than "full batches plus a remainder"),
a ceiling-rounded validation split drawn from a spawned seed sequence, and a small state
object with a patience counter for early stopping.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

KEYS = ("W1", "b1", "W2", "b2")


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> dict[str, np.ndarray]:
    """Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for every weight and bias."""
    rng = np.random.default_rng(seed)

    def layer(fan_in: int, fan_out: int) -> tuple[np.ndarray, np.ndarray]:
        bound = 1.0 / np.sqrt(fan_in)
        return (
            rng.uniform(-bound, bound, size=(fan_in, fan_out)),
            rng.uniform(-bound, bound, size=fan_out),
        )

    W1, b1 = layer(n_in, n_hidden)
    W2, b2 = layer(n_hidden, n_out)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def _logsumexp(z: np.ndarray) -> np.ndarray:
    top = np.max(z, axis=1, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=1, keepdims=True))


def _layers(params: dict[str, np.ndarray], X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.array(X, dtype=float, copy=True)
    a = np.tanh(x @ params["W1"] + params["b1"])
    return x, a, a @ params["W2"] + params["b2"]


def _one_hot(y, n_classes: int) -> np.ndarray:
    labels = np.asarray(y, dtype=int)
    return np.eye(n_classes)[labels]


def forward(params: dict[str, np.ndarray], X) -> np.ndarray:
    """Softmax probabilities of every class for every row."""
    _, _, z = _layers(params, X)
    return np.exp(z - _logsumexp(z))


def loss(params: dict[str, np.ndarray], X, y) -> float:
    """Average negative log-likelihood of ``y``."""
    _, _, z = _layers(params, X)
    target = _one_hot(y, z.shape[1])
    nll = _logsumexp(z)[:, 0] - np.sum(target * z, axis=1)
    return float(np.mean(nll))


def gradients(params: dict[str, np.ndarray], X, y) -> dict[str, np.ndarray]:
    """Backpropagation through softmax cross-entropy, the output layer and tanh."""
    x, a, z = _layers(params, X)
    target = _one_hot(y, z.shape[1])
    delta_out = (np.exp(z - _logsumexp(z)) - target) / x.shape[0]
    delta_hidden = (delta_out @ params["W2"].T) * (1.0 - np.square(a))
    return {
        "W1": np.einsum("ni,nh->ih", x, delta_hidden),
        "b1": np.einsum("nh->h", delta_hidden),
        "W2": np.einsum("nh,nk->hk", a, delta_out),
        "b2": np.einsum("nk->k", delta_out),
    }


def predict(params: dict[str, np.ndarray], X) -> np.ndarray:
    """Argmax of the probabilities."""
    return np.argmax(forward(params, X), axis=1)


@dataclass
class _EarlyStopping:
    patience: int
    best: float = np.inf
    best_epoch: int = -1
    best_params: dict[str, np.ndarray] = field(default_factory=dict)
    bad_epochs: int = 0

    def update(self, epoch: int, value: float, params: dict[str, np.ndarray]) -> bool:
        """Record one epoch; return True when training should stop."""
        if value < self.best:
            self.best, self.best_epoch, self.bad_epochs = value, epoch, 0
            self.best_params = copy.deepcopy(params)
            return False
        self.bad_epochs += 1
        return self.bad_epochs >= self.patience


def train(
    X,
    y,
    *,
    hidden: int = 32,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int = 32,
    val_fraction: float = 0.2,
    patience: int = 10,
    seed: int = 0,
):
    """Mini-batch gradient descent with a random validation hold-out and early stopping."""
    data = np.array(X, dtype=float)
    labels = np.array(y, dtype=int)
    n = len(labels)
    split_seq, shuffle_seq = np.random.SeedSequence(seed).spawn(2)

    n_val = int(np.clip(np.ceil(val_fraction * n), 1, n - 1))
    val_idx = np.sort(np.random.default_rng(split_seq).choice(n, size=n_val, replace=False))
    is_val = np.zeros(n, dtype=bool)
    is_val[val_idx] = True
    Xtr, ytr, Xva, yva = data[~is_val], labels[~is_val], data[is_val], labels[is_val]

    params = init_params(data.shape[1], hidden, int(labels.max()) + 1, seed)
    shuffler = np.random.default_rng(shuffle_seq)
    stopper = _EarlyStopping(patience=patience, best_params=copy.deepcopy(params))
    train_curve: list[float] = []
    val_curve: list[float] = []
    n_batches = max(1, int(np.ceil(len(ytr) / batch_size)))

    for epoch in range(epochs):
        for idx in np.array_split(shuffler.permutation(len(ytr)), n_batches):
            g = gradients(params, Xtr[idx], ytr[idx])
            params = {k: params[k] - lr * g[k] for k in KEYS}
        train_curve.append(loss(params, Xtr, ytr))
        val_curve.append(loss(params, Xva, yva))
        if stopper.update(epoch, val_curve[-1], params):
            break

    history = {
        "train_loss": train_curve,
        "val_loss": val_curve,
        "best_epoch": max(stopper.best_epoch, 0),
        "val_indices": [int(i) for i in val_idx],
    }
    return stopper.best_params, history

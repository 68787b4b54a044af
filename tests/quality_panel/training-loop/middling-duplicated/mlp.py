"""MLP classifier (1 hidden layer, tanh) + training loop, numpy only."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Xavier init."""
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-1, 1, (n_in, n_hidden)) * np.sqrt(6 / (n_in + n_hidden))
    W2 = rng.uniform(-1, 1, (n_hidden, n_out)) * np.sqrt(6 / (n_hidden + n_out))
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    """Returns probabilities."""
    X = np.asarray(X, dtype=float)
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    logits = logits - np.max(logits, axis=1, keepdims=True)
    exp_logits = np.exp(logits)
    return exp_logits / np.sum(exp_logits, axis=1, keepdims=True)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    logits = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(len(y)), y]))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    logits = logits - np.max(logits, axis=1, keepdims=True)
    exp_logits = np.exp(logits)
    probs = exp_logits / np.sum(exp_logits, axis=1, keepdims=True)
    delta = probs
    delta[np.arange(len(y)), y] -= 1
    delta = delta / len(y)
    grad_W2 = hidden.T @ delta
    grad_b2 = np.sum(delta, axis=0)
    delta_hidden = delta @ params["W2"].T * (1 - hidden**2)
    grad_W1 = X.T @ delta_hidden
    grad_b1 = np.sum(delta_hidden, axis=0)
    return {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
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
    """Train with minibatch SGD + early stopping. Returns best params and history."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    n_val = min(max(1, round(val_fraction * n)), n - 1)
    idx = rng.permutation(n)
    val_idx = idx[:n_val]
    train_idx = idx[n_val:]
    X_tr = X[train_idx]
    y_tr = y[train_idx]
    X_val = X[val_idx]
    y_val = y[val_idx]
    params = init_params(X.shape[1], hidden, int(y.max()) + 1, seed)
    history: dict[str, Any] = {"train_loss": [], "val_loss": [], "best_epoch": 0}
    best_loss = 1e18
    best_params = None
    wait = 0
    for epoch in range(epochs):
        perm = rng.permutation(len(X_tr))
        X_shuf = X_tr[perm]
        y_shuf = y_tr[perm]
        i = 0
        while i < len(X_shuf):
            xb = X_shuf[i : i + batch_size]
            yb = y_shuf[i : i + batch_size]
            g = gradients(params, xb, yb)
            params = {k: params[k] - lr * g[k] for k in params}
            i += batch_size
        tr_loss = loss(params, X_tr, y_tr)
        v_loss = loss(params, X_val, y_val)
        history["train_loss"].append(tr_loss)
        history["val_loss"].append(v_loss)
        if v_loss < best_loss:
            best_loss = v_loss
            best_params = {k: v.copy() for k, v in params.items()}
            history["best_epoch"] = epoch
            wait = 0
        else:
            wait += 1
        if wait >= patience:
            break
    history["val_indices"] = val_idx.tolist()
    return best_params, history

from __future__ import annotations

from typing import Any
import copy
import random

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    r = np.random.default_rng(seed)
    p = {}
    p["W1"] = r.standard_normal((n_in, n_hidden)) * np.sqrt(1.0 / n_in)
    p["b1"] = np.zeros(n_hidden)
    p["W2"] = r.standard_normal((n_hidden, n_out)) * np.sqrt(1.0 / n_hidden)
    p["b2"] = np.zeros(n_out)
    return p


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    X = np.array(X, dtype=float)
    h = np.tanh(np.dot(X, params["W1"]) + params["b1"])
    z = np.dot(h, params["W2"]) + params["b2"]
    z = z - np.max(z, axis=1).reshape(-1, 1)
    e = np.exp(z)
    return e / np.sum(e, axis=1).reshape(-1, 1)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    X = np.array(X, dtype=float)
    y = np.array(y).astype(int)
    h = np.tanh(np.dot(X, params["W1"]) + params["b1"])
    z = np.dot(h, params["W2"]) + params["b2"]
    m = np.max(z, axis=1).reshape(-1, 1)
    lse = m + np.log(np.sum(np.exp(z - m), axis=1)).reshape(-1, 1)
    lp = z - lse
    # old version: return -np.mean(np.log(forward(params, X)[range(len(y)), y] + 1e-9))
    tot = 0.0
    for i in range(len(y)):
        tot = tot - lp[i, y[i]]
    return float(tot / len(y))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    X = np.array(X, dtype=float)
    y = np.array(y).astype(int)
    n = X.shape[0]
    h = np.tanh(np.dot(X, params["W1"]) + params["b1"])
    P = forward(params, X)
    d = P.copy()
    for i in range(n):
        d[i, y[i]] -= 1
    d = d / n
    g = {}
    g["W2"] = np.dot(h.T, d)
    g["b2"] = np.sum(d, axis=0)
    dh = np.dot(d, params["W2"].T)
    dh = dh * (1 - h * h)
    g["W1"] = np.dot(X.T, dh)
    g["b1"] = np.sum(dh, axis=0)
    return g


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    P = forward(params, X)
    return np.argmax(P, axis=1)


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
    X = np.array(X, dtype=float)
    y = np.array(y).astype(int)
    N = X.shape[0]
    r = np.random.default_rng(seed)
    idx = r.permutation(N)
    nv = int(round(val_fraction * N))
    if nv < 1:
        nv = 1
    if nv > N - 1:
        nv = N - 1
    vi = idx[:nv]
    ti = idx[nv:]
    Xt = X[ti]
    yt = y[ti]
    Xv = X[vi]
    yv = y[vi]
    k = int(np.max(y)) + 1
    p = init_params(X.shape[1], hidden, k, seed)
    hist = {"train_loss": [], "val_loss": [], "best_epoch": 0, "val_indices": []}
    best = 1e18
    bp = copy.deepcopy(p)
    be = 0
    cnt = 0
    for ep in range(epochs):
        o = r.permutation(len(ti))
        i = 0
        while i < len(o):
            b = o[i:i + batch_size]
            g = gradients(p, Xt[b], yt[b])
            for key in p:
                p[key] = p[key] - lr * g[key]
            i = i + batch_size
        tl = loss(p, Xt, yt)
        vl = loss(p, Xv, yv)
        hist["train_loss"].append(tl)
        hist["val_loss"].append(vl)
        # print(ep, tl, vl)
        if vl < best:
            best = vl
            bp = copy.deepcopy(p)
            be = ep
            cnt = 0
        else:
            cnt += 1
            if cnt >= patience:
                break
    hist["best_epoch"] = be
    hist["val_indices"] = [int(v) for v in vi]
    return bp, hist

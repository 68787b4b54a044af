"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

The model is ``probs = softmax(tanh(X @ W1 + b1) @ W2 + b2)``, trained by mini-batch
gradient descent on the mean cross-entropy. Implement every function below; see the brief
(README.md) for the full rules. Only numpy and the Python standard library are available.

Every argument and return value is plain data (dicts of numpy arrays, lists, floats, ints).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""

DEBUG = False
EPS = 1e-12


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    r = np.random.default_rng(seed)
    w1 = r.standard_normal((n_in, n_hidden)) * (1.0 / math.sqrt(n_in))
    w2 = r.standard_normal((n_hidden, n_out)) * (1.0 / math.sqrt(n_hidden))
    # w1 = r.uniform(-1, 1, (n_in, n_hidden))
    # w2 = r.uniform(-1, 1, (n_hidden, n_out))
    return {"W1": w1, "b1": np.zeros(n_hidden), "W2": w2, "b2": np.zeros(n_out)}


def forward(params: Params, X: ArrayLike) -> NDArray[np.float64]:
    X = np.array(X, dtype=float)
    a = np.tanh(X @ params["W1"] + params["b1"])
    z = a @ params["W2"] + params["b2"]
    out = np.zeros(z.shape)
    for i in range(z.shape[0]):
        m = z[i].max()
        e = np.exp(z[i] - m)
        s = 0.0
        for j in range(z.shape[1]):
            s += e[j]
        for j in range(z.shape[1]):
            out[i, j] = e[j] / s
    return out


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    X = np.array(X, dtype=float)
    y = np.array(y)
    a = np.tanh(X @ params["W1"] + params["b1"])
    z = a @ params["W2"] + params["b2"]
    # p = forward(params, X)
    # return -np.mean(np.log(p[np.arange(len(y)), y] + EPS))   # <- gives 27 not 3000!!
    tot = 0
    for i in range(z.shape[0]):
        m = z[i].max()
        lse = m + np.log(np.sum(np.exp(z[i] - m)))
        tot += lse - z[i, y[i]]
    return float(tot / z.shape[0])


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    X = np.array(X, dtype=float)
    y = np.array(y)
    a = np.tanh(X @ params["W1"] + params["b1"])
    z = a @ params["W2"] + params["b2"]
    p = np.zeros(z.shape)
    for i in range(z.shape[0]):
        m = z[i].max()
        e = np.exp(z[i] - m)
        s = 0.0
        for j in range(z.shape[1]):
            s += e[j]
        for j in range(z.shape[1]):
            p[i, j] = e[j] / s
    d = p.copy()
    for i in range(len(y)):
        d[i, y[i]] = d[i, y[i]] - 1
    d = d / len(y)
    gW2 = a.T @ d
    gb2 = d.sum(axis=0)
    da = d @ params["W2"].T
    dz1 = da * (1 - a**2)
    gW1 = X.T @ dz1
    gb1 = dz1.sum(axis=0)
    # gb1 = np.mean(dz1, axis=0)
    if DEBUG:
        print("grad norms", np.linalg.norm(gW1), np.linalg.norm(gW2))
    return {"W1": gW1, "b1": gb1, "W2": gW2, "b2": gb2}


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    p = forward(params, X)
    res = []
    for i in range(p.shape[0]):
        res.append(int(np.argmax(p[i])))
    return np.array(res, dtype=np.int64)


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
    """Train an MLP with mini-batch gradient descent, a validation split and early stopping."""
    X = np.array(X, dtype=float)
    y = np.array(y)
    N = X.shape[0]
    nc = int(max(y)) + 1
    r = np.random.default_rng(seed)
    nv = round(val_fraction * N)
    nv = max(1, nv)
    nv = min(nv, N - 1)
    perm = r.permutation(N)
    vi = perm[:nv]
    ti = perm[nv:]
    # vi = np.arange(N - nv, N)  # old way, wrong when sorted
    Xt = X[ti]
    yt = y[ti]
    Xv = X[vi]
    yv = y[vi]
    P = init_params(X.shape[1], hidden, nc, seed)
    tl = []
    vl = []
    bst = 1e99
    bst_e = 0
    bstP = None
    cnt = 0
    tmp = []
    for e in range(epochs):
        o = r.permutation(len(ti))
        Xs = Xt[o]
        ys = yt[o]
        nb = len(ti) // batch_size
        if len(ti) % batch_size != 0:
            nb = nb + 1
        for bi in range(nb):
            xb = Xs[bi * batch_size:(bi + 1) * batch_size]
            yb = ys[bi * batch_size:(bi + 1) * batch_size]
            g = gradients(P, xb, yb)
            P["W1"] = P["W1"] - lr * g["W1"]
            P["b1"] = P["b1"] - lr * g["b1"]
            P["W2"] = P["W2"] - lr * g["W2"]
            P["b2"] = P["b2"] - lr * g["b2"]
            # tmp.append(loss(P, xb, yb))
        l1 = loss(P, Xt, yt)
        l2 = loss(P, Xv, yv)
        # tl.append(np.mean(tmp))
        tl.append(l1)
        vl.append(l2)
        if DEBUG:
            print(e, l1, l2)
        if l2 < bst:
            bst = l2
            bst_e = e
            bstP = {}
            bstP["W1"] = P["W1"].copy()
            bstP["b1"] = P["b1"].copy()
            bstP["W2"] = P["W2"].copy()
            bstP["b2"] = P["b2"].copy()
            cnt = 0
        else:
            cnt += 1
            if cnt >= patience:
                break
    h = {}
    h["train_loss"] = tl
    h["val_loss"] = vl
    h["best_epoch"] = bst_e
    h["val_indices"] = [int(i) for i in vi]
    return bstP, h

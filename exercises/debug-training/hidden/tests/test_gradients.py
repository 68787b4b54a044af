"""Group "gradients": the gradient is the average over the batch of the cross-entropy gradient."""

from __future__ import annotations

import numpy as np
from _data import as_floats, assert_close, ref_cross_entropy, ref_softmax


def batch(rng: np.random.Generator, n_rows: int, n_features: int, n_classes: int):
    """A random batch with a random model: ``(X, y, W, b, probs)``."""
    X = rng.normal(size=(n_rows, n_features))
    y = rng.integers(0, n_classes, size=n_rows)
    W = rng.normal(0.0, 0.5, size=(n_features, n_classes))
    b = rng.normal(0.0, 0.5, size=n_classes)
    return X, y, W, b, ref_softmax(X @ W + b)


def grads_of(candidate, X, y, probs) -> tuple[np.ndarray, np.ndarray]:
    """``(dW, db)`` from the submission as float arrays (it gets copies; the caller keeps X)."""
    out = dict(candidate.module("train").gradients(X.copy(), y.copy(), probs.copy()))
    return as_floats(out["W"]), as_floats(out["b"])


def numeric_gradients(W, b, X, y, h: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Central finite differences of the mean cross-entropy."""
    dW, db = np.zeros_like(W), np.zeros_like(b)
    for index in np.ndindex(W.shape):
        step = np.zeros_like(W)
        step[index] = h
        up, down = ref_cross_entropy(W + step, b, X, y), ref_cross_entropy(W - step, b, X, y)
        dW[index] = (up - down) / (2 * h)
    for k in range(len(b)):
        step = np.zeros_like(b)
        step[k] = h
        up, down = ref_cross_entropy(W, b + step, X, y), ref_cross_entropy(W, b - step, X, y)
        db[k] = (up - down) / (2 * h)
    return dW, db


def test_gradients_match_finite_differences(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y, W, b, probs = batch(rng, n_rows=int(rng.integers(8, 20)), n_features=4, n_classes=3)
    dW, db = grads_of(candidate, X, y, probs)
    want_W, want_b = numeric_gradients(W, b, X, y)
    assert dW.shape == W.shape and db.shape == b.shape, (
        "gradients must return W of shape (n_features, n_classes) and b of shape (n_classes,)"
    )
    assert_close(
        dW, want_W, "the W gradient must match finite differences of the mean loss", 1e-5, 1e-8
    )
    assert_close(
        db, want_b, "the b gradient must match finite differences of the mean loss", 1e-5, 1e-8
    )


def test_gradient_does_not_grow_with_the_batch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y, _, _, probs = batch(rng, n_rows=10, n_features=3, n_classes=4)
    dW, db = grads_of(candidate, X, y, probs)
    repeats = int(rng.integers(3, 6))
    dW_big, db_big = grads_of(
        candidate, np.tile(X, (repeats, 1)), np.tile(y, repeats), np.tile(probs, (repeats, 1))
    )
    assert_close(
        dW_big,
        dW,
        "the same batch repeated several times must give the same gradient (average, not sum)",
    )
    assert_close(db_big, db, "the b gradient must also be an average over the batch")
    error = probs[0].copy()
    error[y[0]] -= 1.0
    dW_one, db_one = grads_of(candidate, X[:1], y[:1], probs[:1])
    assert_close(dW_one, np.outer(X[0], error), "the gradient of one row is x (p - onehot(y))")
    assert_close(db_one, error, "the b gradient of one row is p - onehot(y)")


def test_gradient_descent_is_stable_on_a_large_batch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n_rows, n_features, n_classes = 400, 3, 3
    X = rng.normal(size=(n_rows, n_features))
    true_W = rng.normal(0.0, 1.5, size=(n_features, n_classes))
    # Labels drawn from a softmax model: overlapping classes, a finite best loss.
    y = np.array([rng.choice(n_classes, p=p) for p in ref_softmax(X @ true_W)])
    W, b = np.zeros((n_features, n_classes)), np.zeros(n_classes)
    losses = [ref_cross_entropy(W, b, X, y)]
    # Full-batch descent with a rate well inside the stable range for the mean loss.
    for _ in range(25):
        dW, db = grads_of(candidate, X, y, ref_softmax(X @ W + b))
        W, b = W - 0.5 * dW, b - 0.5 * db
        losses.append(ref_cross_entropy(W, b, X, y))
    rises = [i for i in range(1, len(losses)) if losses[i] > losses[i - 1] + 1e-12]
    assert not rises, (
        f"full-batch descent with rate 0.5 on {n_rows} rows must lower the loss at every step "
        f"(it rose at step {rises[0] if rises else 0})"
    )
    assert losses[-1] < 0.9 * losses[0], "25 steps of descent must lower the loss clearly"

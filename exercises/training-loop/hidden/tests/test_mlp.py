"""Hidden tests for the training-loop exercise.

The submission is reached only through the harness ``candidate`` fixture; data comes from
``case_seed`` so it differs between grades but is reproducible for one grade. Expected
numbers come from the reference model in ``_data.py`` or, for the training loop, from
replaying the loop the brief describes with the candidate's own ``init_params`` and
``gradients`` (so a gradient bug is charged to the gradient tests only). Expectations are
computed before the call, or candidate code gets copies: nothing it does to its arguments can
move what a test compares with. "Does not modify its input" is ``candidate.changed``.
"""

from __future__ import annotations

import math

import _data
import numpy as np
import pytest

RTOL = 1e-7
ATOL = 1e-10


# --- helpers -----------------------------------------------------------------------------


def mlp(candidate):
    """The candidate's ``mlp`` module."""
    return candidate.module("mlp")


def small_seed(case_seed: int) -> int:
    """A seed every seeding API accepts (``np.random.seed`` needs < 2**32)."""
    return case_seed % 1_000_003


def as_floats(value) -> np.ndarray:
    """What the candidate returned, as a float array (raises if it is not array-like)."""
    return np.asarray(value, dtype=float)


def as_params(value, what: str = "params") -> dict[str, np.ndarray]:
    """A returned parameter dict as float arrays; it must have exactly W1, b1, W2, b2."""
    try:
        value = dict(value)
    except Exception:  # noqa: BLE001 - anything that is not a mapping fails the same way
        raise AssertionError(f"{what} must be a dict of numpy arrays") from None
    assert set(value) == set(_data.PARAM_NAMES), (
        f"{what} must have exactly the keys W1, b1, W2, b2 (got {sorted(map(str, value))})"
    )
    return {name: as_floats(value[name]) for name in _data.PARAM_NAMES}


def assert_close(actual, expected, message: str, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Compare values with ``message`` as the first line of the failure (the grader shows it)."""
    actual, expected = as_floats(actual), as_floats(expected)
    assert actual.shape == expected.shape, (
        f"{message} (got shape {actual.shape}, expected {expected.shape})"
    )
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), message


def run_train(candidate, X, y, **kwargs) -> tuple[dict[str, np.ndarray], dict]:
    """``train`` on copies of ``X`` and ``y``; checks what comes back: ``(params, history)``."""
    result = mlp(candidate).train(np.array(X, copy=True), np.array(y, copy=True), **kwargs)
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        "train must return a (params, history) pair"
    )
    params, history = result
    assert isinstance(history, dict), "train's history must be a dict"
    for key in ("train_loss", "val_loss", "val_indices"):
        assert key in history, f"history must have the key '{key}'"
    return as_params(params, "the params returned by train"), history


def losses(history: dict, key: str) -> np.ndarray:
    """One of the per-epoch loss lists as a 1-D float array."""
    values = as_floats(list(history[key]))
    assert values.ndim == 1 and values.size >= 1, f"history['{key}'] must be a list of floats"
    return values


def split(history: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The validation rows reported by ``train`` and the training rows (the rest)."""
    val = np.asarray(list(history["val_indices"]))
    assert val.ndim == 1 and np.issubdtype(val.dtype, np.integer), (
        "history['val_indices'] must be a list of integer row indices"
    )
    assert val.size == np.unique(val).size, "history['val_indices'] must not repeat a row"
    assert val.size == 0 or (val.min() >= 0 and val.max() < n), (
        "history['val_indices'] must index rows of X"
    )
    return np.sort(val), np.setdiff1d(np.arange(n), val)


def replay_epochs(
    candidate,
    start: dict[str, np.ndarray],
    batches: list[tuple[np.ndarray, np.ndarray]],
    lr: float,
    n_epochs: int,
) -> dict[str, np.ndarray]:
    """Plain gradient steps with the candidate's ``gradients``, one per batch, every epoch."""
    params = _data.copy_params(start)
    for _ in range(n_epochs):
        for X_batch, y_batch in batches:
            given = (_data.copy_params(params), X_batch.copy(), y_batch.copy())
            grads = as_params(mlp(candidate).gradients(*given), "gradients")
            params = {name: params[name] - lr * grads[name] for name in _data.PARAM_NAMES}
    return params


def accuracy(candidate, params, X, y) -> float:
    """Share of rows whose predicted label is right."""
    predicted = np.asarray(mlp(candidate).predict(_data.copy_params(params), X.copy())).astype(int)
    return float(np.mean(predicted == y))


def check_gradient(candidate, case_seed: int, name: str) -> None:
    """``gradients(...)[name]`` must match central differences of the loss."""
    rng = np.random.default_rng(case_seed)
    n, n_in, n_hidden, n_out = (int(v) for v in rng.integers([7, 3, 4, 3], [16, 6, 7, 5]))
    params = _data.small_params(rng, n_in, n_hidden, n_out)
    X = rng.normal(size=(n, n_in))
    y = rng.permutation(np.arange(n) % n_out)
    expected = _data.finite_difference(params, X, y, name)
    grads = mlp(candidate).gradients(params, X, y)
    assert isinstance(grads, dict) and name in grads, f"gradients must return a dict with '{name}'"
    assert_close(
        grads[name],
        expected,
        f"the gradient of the loss with respect to {name} does not match finite differences",
        rtol=1e-5,
        atol=1e-7,
    )


# --- init: seeded, well-scaled initial weights --------------------------------------------


def test_init_returns_the_four_arrays_with_the_right_shapes(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n_in, n_hidden, n_out = (int(v) for v in rng.integers([2, 3, 2], [9, 13, 6]))
    params = as_params(mlp(candidate).init_params(n_in, n_hidden, n_out, small_seed(case_seed)))
    shapes = {"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}
    for name, shape in shapes.items():
        assert params[name].shape == shape, f"{name} must have shape {shape}"
        assert np.all(np.isfinite(params[name])), f"{name} must be finite"


def test_init_same_seed_same_weights_other_seed_other_weights(candidate, case_seed):
    init = mlp(candidate).init_params
    seed = small_seed(case_seed)
    first = as_params(init(5, 8, 3, seed))
    again = as_params(init(5, 8, 3, seed))
    other = as_params(init(5, 8, 3, seed + 1))
    for name in _data.PARAM_NAMES:
        assert np.array_equal(first[name], again[name]), (
            f"init_params with the same seed must give the same {name}"
        )
    assert not np.array_equal(first["W1"], other["W1"]), (
        "init_params with a different seed must give different W1"
    )
    assert not np.array_equal(first["W2"], other["W2"]), (
        "init_params with a different seed must give different W2"
    )


def test_init_breaks_symmetry_and_scales_by_fan_in(candidate, case_seed):
    n_in, n_hidden, n_out = 400, 50, 3
    params = as_params(mlp(candidate).init_params(n_in, n_hidden, n_out, small_seed(case_seed)))
    columns = np.unique(params["W1"].T, axis=0)
    assert columns.shape[0] == n_hidden, (
        "every hidden unit must start with different weights (random, not constant)"
    )
    for name, fan_in in (("W1", n_in), ("W2", n_hidden)):
        std = float(params[name].std())
        low, high = 0.25 / math.sqrt(fan_in), 4.0 / math.sqrt(fan_in)
        assert low <= std <= high, (
            f"{name} must be random with a spread of order 1/sqrt(fan_in) "
            f"(std {std:.4g}, expected {low:.3g}..{high:.3g})"
        )


def test_init_weights_are_centred_on_zero(candidate, case_seed):
    # 20,000 values in W1 and 2,000 in W2: the mean of a zero-centred draw is then a few
    # hundredths of its spread at most, far below the bound.
    params = as_params(mlp(candidate).init_params(400, 50, 40, small_seed(case_seed)))
    for name in ("W1", "W2"):
        mean, std = float(params[name].mean()), float(params[name].std())
        assert abs(mean) <= 0.25 * std, (
            f"initial weights must be centred on zero ({name}: mean {mean:.3g}, std {std:.3g})"
        )


# --- forward-loss: the model's outputs -----------------------------------------------------


def test_forward_returns_softmax_probabilities(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_in, n_hidden, n_out = (int(v) for v in rng.integers([10, 3, 4, 2], [31, 7, 9, 6]))
    params = _data.small_params(rng, n_in, n_hidden, n_out)
    X = rng.normal(size=(n, n_in))
    want = _data.ref_probs(params, X)
    probs = as_floats(mlp(candidate).forward(params, X))
    assert probs.shape == (n, n_out), "forward must return one row of class probabilities per row"
    assert_close(probs.sum(axis=1), np.ones(n), "every row of forward's output must sum to 1")
    assert_close(
        probs,
        want,
        "forward must return softmax(tanh(X @ W1 + b1) @ W2 + b2)",
    )


def test_loss_is_the_mean_cross_entropy(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_in, n_hidden, n_out = (int(v) for v in rng.integers([10, 3, 4, 2], [31, 7, 9, 6]))
    params = _data.small_params(rng, n_in, n_hidden, n_out)
    X = rng.normal(size=(n, n_in))
    y = rng.integers(0, n_out, size=n)
    want = _data.ref_loss(params, X, y)
    value = mlp(candidate).loss(params, X, y)
    assert np.ndim(value) == 0, "loss must return a single number"
    assert_close(
        float(value),
        want,
        "loss must be the mean cross-entropy over the rows (not the sum)",
    )


def test_predict_returns_the_most_probable_class(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_in, n_hidden, n_out = (int(v) for v in rng.integers([10, 3, 4, 3], [31, 7, 9, 6]))
    params = _data.small_params(rng, n_in, n_hidden, n_out)
    X = rng.normal(size=(n, n_in))
    expected = _data.ref_probs(params, X).argmax(axis=1)
    labels = np.asarray(mlp(candidate).predict(params, X))
    assert labels.shape == (n,), "predict must return one label per row"
    assert np.issubdtype(labels.dtype, np.integer), "predict must return integer labels"
    assert np.array_equal(labels, expected), (
        "predict must return the class with the highest probability"
    )


# --- gradients: backpropagation, checked against finite differences ----------------------


def test_gradient_W1_matches_finite_differences(candidate, case_seed):
    check_gradient(candidate, case_seed, "W1")


def test_gradient_b1_matches_finite_differences(candidate, case_seed):
    check_gradient(candidate, case_seed, "b1")


def test_gradient_W2_matches_finite_differences(candidate, case_seed):
    check_gradient(candidate, case_seed, "W2")


def test_gradient_b2_matches_finite_differences(candidate, case_seed):
    check_gradient(candidate, case_seed, "b2")


# --- training: the loop learns ----------------------------------------------------------


def test_training_loss_falls_on_separable_data(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.blobs(rng, 200, 3, 5)
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=16,
        lr=0.1,
        epochs=20,
        batch_size=8,
        val_fraction=0.2,
        patience=20,
        seed=small_seed(case_seed),
    )
    train_loss, val_loss = losses(history, "train_loss"), losses(history, "val_loss")
    assert np.all(np.isfinite(train_loss)) and np.all(np.isfinite(val_loss)), (
        "the recorded losses must be finite"
    )
    chance = math.log(3)  # the loss of a uniform guess over three classes
    assert train_loss[-1] < 0.25 * chance and val_loss.min() < 0.5 * chance, (
        "on separable data the training and validation losses must fall far below chance "
        f"level {chance:.3g} (last train {train_loss[-1]:.3g}, best val {val_loss.min():.3g})"
    )


def test_heldout_accuracy_on_blobs(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.blobs(rng, 400, 4, 8)
    params, _ = run_train(
        candidate,
        X[:300],
        y[:300],
        hidden=16,
        lr=0.1,
        epochs=30,
        batch_size=8,
        val_fraction=0.2,
        patience=10,
        seed=small_seed(case_seed),
    )
    score = accuracy(candidate, params, X[300:], y[300:])
    assert score >= 0.9, (
        f"held-out accuracy on well-separated blobs must be at least 0.9 (got {score:.2f})"
    )


def test_heldout_accuracy_on_spirals(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.spirals(rng, 600, 3)
    params, _ = run_train(
        candidate,
        X[:450],
        y[:450],
        hidden=32,
        lr=0.1,
        epochs=150,
        batch_size=8,
        val_fraction=0.2,
        patience=30,
        seed=small_seed(case_seed),
    )
    score = accuracy(candidate, params, X[450:], y[450:])
    assert score >= 0.8, (
        f"held-out accuracy on three spirals must be at least 0.8; a linear model gets about "
        f"0.5 (got {score:.2f})"
    )


def test_train_is_reproducible_from_its_seed(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.blobs(rng, 120, 3, 4, spread=2.0)
    kwargs = {
        "hidden": 8,
        "lr": 0.2,
        "epochs": 8,
        "batch_size": 10,
        "val_fraction": 0.25,
        "patience": 8,
    }
    seed = small_seed(case_seed)
    first, first_history = run_train(candidate, X, y, seed=seed, **kwargs)
    again, again_history = run_train(candidate, X, y, seed=seed, **kwargs)
    other, _ = run_train(candidate, X, y, seed=seed + 1, **kwargs)
    for name in _data.PARAM_NAMES:
        assert np.array_equal(first[name], again[name]), (
            f"train with the same seed must return the same {name}"
        )
    assert np.array_equal(losses(first_history, "val_loss"), losses(again_history, "val_loss")), (
        "train with the same seed must record the same validation losses"
    )
    assert not np.allclose(first["W1"], other["W1"]), (
        "train with a different seed must give a different model"
    )


def test_train_defaults_are_those_of_the_brief(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    # Random labels: early stopping ends the run well within the default 100 epochs, so the
    # default patience shows in the number of epochs run.
    n = 80
    X, y = _data.random_labels(rng, n, 3, 10)
    params, history = run_train(candidate, X, y)
    explicit, explicit_history = run_train(
        candidate,
        X,
        y,
        hidden=32,
        lr=0.1,
        epochs=100,
        batch_size=32,
        val_fraction=0.2,
        patience=10,
        seed=0,
    )
    defaults = (
        "train without keyword arguments must use the brief's defaults (hidden=32, lr=0.1, "
        "epochs=100, batch_size=32, val_fraction=0.2, patience=10, seed=0)"
    )
    assert np.array_equal(split(history, n)[0], split(explicit_history, n)[0]), (
        f"{defaults}; the validation split differs"
    )
    for key in ("train_loss", "val_loss"):
        assert_close(
            losses(history, key), losses(explicit_history, key), f"{defaults}; {key} differs"
        )
    for name in _data.PARAM_NAMES:
        assert_close(params[name], explicit[name], f"{defaults}; {name} differs")


# --- batching: every row is used, whatever the batch size --------------------------------


def test_last_partial_batch_is_used(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_features, hidden, lr, batch_size = 50, 4, 6, 0.3, 16
    # Identical rows: every batch has the same mean gradient, so an epoch's result depends
    # only on its number of steps, ceil(n_train / batch_size), not on the shuffle.
    X, y = _data.identical_rows(rng, n, n_features, label=2)
    seed = small_seed(case_seed)
    params, history = run_train(
        candidate,
        X,
        y,
        hidden=hidden,
        lr=lr,
        epochs=3,
        batch_size=batch_size,
        val_fraction=0.2,
        patience=10,
        seed=seed,
    )
    _, train_rows = split(history, n)
    n_train = train_rows.size
    sizes = [batch_size] * (n_train // batch_size)
    if n_train % batch_size:
        sizes.append(n_train % batch_size)
    batches = [(X[:size], y[:size]) for size in sizes]
    start = as_params(mlp(candidate).init_params(n_features, hidden, 3, seed), "init_params")
    n_epochs = int(np.argmin(losses(history, "val_loss"))) + 1
    expected = replay_epochs(candidate, start, batches, lr, n_epochs)
    for name in _data.PARAM_NAMES:
        assert_close(
            params[name],
            expected[name],
            f"each epoch must take one step per batch of {batch_size}, the last smaller batch "
            f"included ({len(sizes)} steps for {n_train} training rows); {name} differs",
            rtol=1e-6,
            atol=1e-9,
        )


def test_batch_larger_than_training_set_is_one_full_batch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_features, hidden, lr = 30, 3, 5, 0.1
    X, y = _data.blobs(rng, n, 3, n_features, spread=1.5)
    seed = small_seed(case_seed)
    params, history = run_train(
        candidate,
        X,
        y,
        hidden=hidden,
        lr=lr,
        epochs=1,
        batch_size=1000,
        val_fraction=0.2,
        patience=5,
        seed=seed,
    )
    _, train_rows = split(history, n)
    start = as_params(mlp(candidate).init_params(n_features, hidden, 3, seed), "init_params")
    assert losses(history, "val_loss").size == 1, "train with epochs=1 must run one epoch"
    expected = replay_epochs(candidate, start, [(X[train_rows], y[train_rows])], lr, 1)
    for name in _data.PARAM_NAMES:
        assert_close(
            params[name],
            expected[name],
            "with batch_size larger than the training split, an epoch must be one "
            f"full-batch gradient step on the training rows; {name} differs",
            rtol=1e-6,
            atol=1e-9,
        )


# --- validation-split: a seeded random hold-out --------------------------------------------


def test_validation_split_is_a_seeded_random_subset(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, val_fraction = 100, 0.3
    X, y = _data.blobs(rng, n, 3, 4)
    kwargs = {
        "hidden": 4,
        "lr": 0.1,
        "epochs": 2,
        "batch_size": 16,
        "val_fraction": val_fraction,
        "patience": 5,
    }
    seed = small_seed(case_seed)
    _, history = run_train(candidate, X, y, seed=seed, **kwargs)
    _, again = run_train(candidate, X, y, seed=seed, **kwargs)
    _, other = run_train(candidate, X, y, seed=seed + 1, **kwargs)
    val, _ = split(history, n)
    assert abs(val.size - val_fraction * n) <= 1, (
        f"the validation split must hold val_fraction of the rows ({val.size} of {n} rows)"
    )
    assert np.array_equal(val, split(again, n)[0]), (
        "the same seed must give the same validation split"
    )
    assert not np.array_equal(val, split(other, n)[0]), (
        "a different seed must give a different (random) validation split"
    )


def test_validation_split_of_class_sorted_data_holds_every_class(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n, n_classes = 300, 4
    X, y = _data.sort_by_label(*_data.blobs(rng, n, n_classes, 4))
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=4,
        lr=0.1,
        epochs=2,
        batch_size=32,
        val_fraction=0.3,
        patience=5,
        seed=small_seed(case_seed),
    )
    val, train_rows = split(history, n)
    val_counts = np.bincount(y[val], minlength=n_classes)
    train_counts = np.bincount(y[train_rows], minlength=n_classes)
    assert val_counts.min() >= 5 and train_counts.min() >= 5, (
        "on data sorted by class, both splits must contain every class (rows must be drawn at "
        f"random, not taken from the end); validation per class {val_counts.tolist()}"
    )


@pytest.mark.parametrize("side", ["one-validation-row", "one-training-row"])
def test_validation_split_keeps_a_row_on_each_side(candidate, case_seed, side):
    rng = np.random.default_rng(case_seed)
    n = int(rng.integers(30, 61))
    # val_fraction * n is 0.4 or n - 0.4: the only count within one row of it that leaves a
    # row on each side is 1 or n - 1, whether it is rounded, floored or ceiled and clipped.
    if side == "one-validation-row":
        val_fraction, n_val = 0.4 / n, 1
    else:
        val_fraction, n_val = 1.0 - 0.4 / n, n - 1
    X, y = _data.blobs(rng, n, 3, 4)
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=4,
        lr=0.1,
        epochs=2,
        batch_size=8,
        val_fraction=val_fraction,
        patience=5,
        seed=small_seed(case_seed),
    )
    val, _ = split(history, n)
    assert val.size == n_val, (
        f"the validation split must keep at least one row on each side: {n_val} of {n} rows "
        f"for val_fraction={val_fraction:.4g} (got {val.size})"
    )
    for key in ("train_loss", "val_loss"):
        assert np.all(np.isfinite(losses(history, key))), (
            f"history['{key}'] must hold finite losses when a split has a single row"
        )


# --- early-stopping: stop on a plateau, keep the best weights -----------------------------


def _overfitting_run(candidate, case_seed):
    """Train on noisy blobs long enough to overfit: (patience, epochs, val_loss per epoch,
    history)."""
    rng = np.random.default_rng(case_seed)
    X, y = _data.noisy_blobs(rng, 90, 3, 6)
    epochs, patience = 300, int(rng.integers(4, 8))
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=64,
        lr=0.3,
        epochs=epochs,
        batch_size=8,
        val_fraction=0.3,
        patience=patience,
        seed=small_seed(case_seed),
    )
    val_loss = losses(history, "val_loss")
    assert losses(history, "train_loss").size == val_loss.size, (
        "history must have one train_loss and one val_loss per epoch run"
    )
    return patience, epochs, val_loss, history


def test_stops_early_once_validation_stops_improving(candidate, case_seed):
    _, epochs, val_loss, _ = _overfitting_run(candidate, case_seed)
    assert val_loss.size < epochs, (
        f"training must stop early once the validation loss stops improving (ran {val_loss.size} "
        f"of {epochs} epochs while overfitting noisy labels)"
    )


def test_stops_patience_epochs_after_the_best_validation_loss(candidate, case_seed):
    patience, _, val_loss, history = _overfitting_run(candidate, case_seed)
    best = int(np.argmin(val_loss))
    assert val_loss.size == best + patience + 1, (
        f"training must stop exactly patience={patience} epochs after the best validation loss "
        f"(best at epoch {best}, stopped after {val_loss.size} epochs)"
    )
    if "best_epoch" in history:
        assert int(history["best_epoch"]) == best, (
            "history['best_epoch'] must be the index of the lowest val_loss"
        )


def test_returns_the_weights_of_the_best_epoch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n = 90
    X, y = _data.noisy_blobs(rng, n, 3, 6)
    params, history = run_train(
        candidate,
        X,
        y,
        hidden=64,
        lr=0.3,
        epochs=300,
        batch_size=8,
        val_fraction=0.3,
        patience=int(rng.integers(4, 8)),
        seed=small_seed(case_seed),
    )
    val_rows, train_rows = split(history, n)
    val_loss, train_loss = losses(history, "val_loss"), losses(history, "train_loss")
    best = int(np.argmin(val_loss))
    assert_close(
        _data.ref_loss(params, X[val_rows], y[val_rows]),
        val_loss[best],
        "the returned weights must be those of the epoch with the lowest validation loss "
        f"(best at epoch {best} of {val_loss.size})",
        rtol=1e-6,
        atol=1e-9,
    )
    assert_close(
        _data.ref_loss(params, X[train_rows], y[train_rows]),
        train_loss[best],
        "train_loss must be the loss on the whole training split after each epoch",
        rtol=1e-6,
        atol=1e-9,
    )


def test_long_patience_runs_every_epoch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.random_labels(rng, 60, 3, 5)
    epochs = int(rng.integers(10, 16))
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=32,
        lr=0.5,
        epochs=epochs,
        batch_size=8,
        val_fraction=0.25,
        patience=epochs,
        seed=small_seed(case_seed),
    )
    for key in ("train_loss", "val_loss"):
        assert losses(history, key).size == epochs, (
            f"with patience >= epochs, training must run all {epochs} epochs "
            f"(history['{key}'] has {losses(history, key).size})"
        )


def test_an_equal_validation_loss_is_not_an_improvement(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.blobs(rng, 60, 3, 4, spread=2.0)
    patience = int(rng.integers(2, 6))
    # With lr=0 the weights never move, so every epoch's validation loss equals the first:
    # only epoch 0 improves (on nothing), and the run ends patience epochs later.
    _, history = run_train(
        candidate,
        X,
        y,
        hidden=8,
        lr=0.0,
        epochs=30,
        batch_size=8,
        val_fraction=0.25,
        patience=patience,
        seed=small_seed(case_seed),
    )
    val_loss = losses(history, "val_loss")
    assert val_loss.size == patience + 1, (
        "an epoch improves only when its validation loss is strictly lower than every earlier "
        f"one: with lr=0 every epoch ties the first, so training must stop after "
        f"patience + 1 = {patience + 1} epochs (ran {val_loss.size})"
    )
    if "best_epoch" in history:
        assert int(history["best_epoch"]) == 0, (
            "history['best_epoch'] must be 0 when no later epoch is strictly better"
        )


# --- robustness: numerically stable and free of side effects ------------------------------


def huge_logit_case(case_seed: int):
    """Parameters whose logits are in the thousands, with rows and integer labels."""
    rng = np.random.default_rng(case_seed)
    params = _data.small_params(rng, 4, 6, 3)
    params["W2"] = params["W2"] * 2000.0
    params["b2"] = params["b2"] + np.array([900.0, -900.0, 0.0])
    X = rng.normal(size=(20, 4))
    return rng, params, X


def test_forward_is_stable_for_huge_logits(candidate, case_seed):
    _, params, X = huge_logit_case(case_seed)
    want = _data.ref_probs(params, X)
    with np.errstate(all="ignore"):
        probs = as_floats(mlp(candidate).forward(params, X))
    assert np.all(np.isfinite(probs)), "forward must not return nan or inf for huge logits"
    assert_close(
        probs,
        want,
        "forward must still return the softmax when logits are in the thousands",
        atol=1e-9,
    )


def test_loss_is_exact_for_confident_mistakes(candidate, case_seed):
    _, params, X = huge_logit_case(case_seed)
    # The least likely class of each row: the loss is in the thousands, not inf, not capped.
    y = _data.ref_logits(params, X)[1].argmin(axis=1)
    expected = _data.ref_loss(params, X, y)
    with np.errstate(all="ignore"):
        value = float(mlp(candidate).loss(params, X, y))
    assert math.isfinite(value), "loss must be finite for confidently wrong predictions"
    assert_close(
        value,
        expected,
        "loss must stay exact (log-sum-exp) for confidently wrong predictions, not be clipped "
        f"(expected {expected:.6g})",
        rtol=1e-6,
    )


def test_gradients_are_finite_for_huge_logits(candidate, case_seed):
    rng, params, X = huge_logit_case(case_seed)
    y = rng.integers(0, 3, size=X.shape[0])
    expected = _data.ref_gradients(params, X, y)
    with np.errstate(all="ignore"):
        grads = mlp(candidate).gradients(params, X, y)
    grads = as_params(grads, "gradients")
    for name in _data.PARAM_NAMES:
        assert np.all(np.isfinite(grads[name])), (
            f"gradients must not contain nan or inf for huge logits ({name})"
        )
        # Direction only: the size of the gradient is checked by the gradients tests.
        if np.linalg.norm(expected[name]) < 1e-12:  # saturated softmax: no signal left
            assert np.linalg.norm(grads[name]) < 1e-9, (
                f"the {name} gradient must be (almost) zero here for huge logits"
            )
            continue
        cosine = _data.cosine(grads[name], expected[name])
        assert cosine > 0.999, (
            f"the {name} gradient points the wrong way for huge logits (cosine {cosine:.3f})"
        )


def test_no_function_modifies_its_inputs(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = _data.blobs(rng, 60, 3, 4)
    params = _data.small_params(rng, 4, 5, 3)
    module = mlp(candidate)
    calls = (
        ("forward", lambda: module.forward(params, X)),
        ("loss", lambda: module.loss(params, X, y)),
        ("gradients", lambda: module.gradients(params, X, y)),
        ("predict", lambda: module.predict(params, X)),
        (
            "train",
            lambda: module.train(
                X,
                y,
                hidden=5,
                lr=0.1,
                epochs=3,
                batch_size=8,
                val_fraction=0.2,
                patience=3,
                seed=small_seed(case_seed),
            ),
        ),
    )
    produced = {
        "forward": lambda out: np.shape(out) == (60, 3),
        "loss": lambda out: isinstance(out, (float, np.floating)) and np.isfinite(out),
        "gradients": lambda out: isinstance(out, dict) and set(out) == set(_data.PARAM_NAMES),
        "predict": lambda out: np.shape(out) == (60,),
        "train": lambda out: isinstance(out, tuple) and len(out) == 2,
    }
    for name, call in calls:
        # Leaving the inputs alone only counts when the function really did its job.
        assert produced[name](call()), f"{name} must return its documented result"
        assert not candidate.changed(X), f"{name} must not modify X"
        assert not candidate.changed(y), f"{name} must not modify y"
        for key in _data.PARAM_NAMES:
            assert not candidate.changed(params[key]), f"{name} must not modify params['{key}']"
        assert not candidate.changed(params), f"{name} must not add or remove params keys"

"""Group "kept-working": the parts of the interface that none of the five defects touches.

None of these tests depends on the planted problems (every calibration variant passes them),
so whether this group passes never changes which problems count as fixed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _data import as_floats, assert_close, model_of, ref_softmax, sensor_data


def sensor_split(rng: np.random.Generator, n_rows: int) -> tuple[np.ndarray, ...]:
    """``n_rows`` training snapshots (all three states) and a small validation month."""
    third = n_rows // 3
    X, y = sensor_data(rng, (third, third, n_rows - 2 * third))
    X_val, y_val = sensor_data(rng, (4, 4, 4))
    return X, y, X_val, y_val


def array_arguments(name: str, rng: np.random.Generator, seed: int) -> tuple[tuple, dict]:
    """Positional numpy arguments and keyword settings for a call of ``name``."""
    if name == "standardize":
        train = sensor_data(rng, (10, 10, 10))[0]
        return (train, train[:7] * 1.1 + 2.0), {}
    if name == "shuffle":
        X, y = sensor_data(rng, (8, 8, 8))
        return (X, y, seed), {}
    if name == "softmax":
        return (rng.normal(0.0, 3.0, size=(9, 3)),), {}
    if name == "gradients":
        X, y = rng.normal(size=(10, 4)), rng.integers(0, 3, size=10)
        return (X, y, ref_softmax(rng.normal(size=(10, 3)))), {}
    return sensor_split(rng, 36), {"seed": seed, "epochs": 2, "batch_size": 8}


def assert_same_result(from_lists, from_arrays, message: str) -> None:
    """Two results of the same call (a tuple, a dict or an array) hold the same values."""
    if isinstance(from_arrays, dict):
        from_lists = dict(from_lists)
        assert set(from_lists) == set(from_arrays), f"{message} (other keys)"
        for key, value in from_arrays.items():
            assert_close(from_lists[key], value, f"{message} ({key} differs)")
    elif isinstance(from_arrays, (tuple, list)):
        assert len(from_lists) == len(from_arrays), f"{message} (other number of results)"
        for got, want in zip(from_lists, from_arrays, strict=True):
            assert_close(got, want, message)
    else:
        assert_close(from_lists, from_arrays, message)


@pytest.mark.parametrize("name", ["standardize", "shuffle", "softmax", "gradients", "train"])
def test_functions_accept_plain_lists(candidate, case_seed, name):
    rng = np.random.default_rng(case_seed)
    args, settings = array_arguments(name, rng, case_seed % 1000)
    copies = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    as_lists = [arg.tolist() if isinstance(arg, np.ndarray) else arg for arg in args]
    function = getattr(candidate.module("train"), name)
    from_arrays = function(*copies, **settings)
    if isinstance(from_arrays, dict):
        from_arrays = dict(from_arrays)
    from_lists = function(*as_lists, **settings)
    assert_same_result(
        from_lists, from_arrays, f"{name} must accept plain lists and give what it gives for arrays"
    )


def test_training_keeps_the_script_defaults(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y, X_val, y_val = sensor_split(rng, int(rng.integers(60, 120)))
    train = candidate.module("train").train
    # Seed 0, as `python train.py` calls it; everything else left at its default.
    result = dict(train(X.copy(), y.copy(), X_val.copy(), y_val.copy(), seed=0))
    steps = math.ceil(len(y) / 32)
    lrs = as_floats(result["lrs"])
    assert lrs.shape == (40 * steps,), (
        f"with its defaults train must run 40 epochs of batches of 32 rows ({40 * steps} steps)"
    )
    assert len(result["train_loss"]) == 40, "with its defaults train must run 40 epochs"
    assert_close(lrs[0], 1.0, "the default base_lr of train must be 1.0")
    # One batch per epoch: the step and the epoch are the same number, so this reads the
    # default decay whichever way a submission's schedule counts (that is the schedule group).
    one_batch = dict(train(X, y, X_val, y_val, seed=0, epochs=3, batch_size=len(y)))
    assert_close(one_batch["lrs"], 0.95 ** np.arange(3), "the default decay of train must be 0.95")


@pytest.mark.parametrize(("n_rows", "batch_size"), [(48, 16), (49, 16), (13, 1), (20, 32)])
def test_training_takes_one_step_per_batch(candidate, case_seed, n_rows, batch_size):
    rng = np.random.default_rng(case_seed)
    X, y, X_val, y_val = sensor_split(rng, n_rows)
    epochs, steps = 2, math.ceil(n_rows / batch_size)
    result = dict(
        candidate.module("train").train(
            X, y, X_val, y_val, seed=case_seed % 1000, epochs=epochs, batch_size=batch_size,
            base_lr=0.1, decay=1.0,
        )
    )  # fmt: skip
    assert as_floats(result["lrs"]).shape == (epochs * steps,), (
        f"{n_rows} rows in batches of {batch_size} must take {steps} steps per epoch "
        f"(consecutive batches from the first row; the last one may be smaller)"
    )


def test_training_counts_warmup_in_global_steps(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y, X_val, y_val = sensor_split(rng, 40)
    epochs, batch_size = 3, 8  # 5 steps per epoch
    warmup, base_lr = int(rng.integers(7, 13)), float(rng.uniform(0.05, 0.5))
    # No decay, so only the warmup shapes the rates: it must run over the global step, which
    # goes on counting across epochs (0, 1, 2, ...).
    result = dict(
        candidate.module("train").train(
            X, y, X_val, y_val, seed=case_seed % 1000, epochs=epochs, batch_size=batch_size,
            base_lr=base_lr, decay=1.0, warmup_steps=warmup,
        )
    )  # fmt: skip
    step = np.arange(epochs * 5)
    assert_close(
        result["lrs"],
        base_lr * np.minimum(1.0, (step + 1) / warmup),
        "train must ramp the warmup over the global step, counted from 0 across epochs",
    )


def test_training_returns_a_column_per_class_and_trains_the_bias(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    n_features, counts = 5, (40, 25, 15, 10)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.normal(size=(len(y), n_features)) + 2.0 * rng.normal(size=(len(counts), n_features))[y]
    result = dict(
        candidate.module("train").train(X, y, X[:8], y[:8], seed=case_seed % 1000, epochs=3)
    )
    W, b = model_of(result)
    assert W.shape == (n_features, len(counts)), (
        "train must return W with one row per feature and one column per class (largest label + 1)"
    )
    assert np.max(np.abs(b)) > 1e-6, "train must update the bias b as well as W (b is still zero)"


@pytest.mark.parametrize(("seed", "counts"), [(0, (30, 30, 30)), (7, (21, 6, 3))])
def test_the_demo_data_generator_is_kept(candidate, seed, counts):
    # The brief: keep the helpers' names, arguments and results so `python train.py` runs.
    want_X, want_y = sensor_data(np.random.default_rng(seed), counts)
    got = candidate.module("train").make_sensor_data(seed, counts)
    assert len(got) == 2, "make_sensor_data must still return (X, y)"
    assert_close(got[0], want_X, "make_sensor_data must return the same readings as before")
    assert_close(got[1], want_y, "make_sensor_data must return the same labels as before")

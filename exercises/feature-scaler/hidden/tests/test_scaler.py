"""Hidden tests for the feature-scaler exercise.

The submission is reached only through the harness ``candidate`` fixture; data comes from
``case_seed`` so it differs between grades but is reproducible for one grade. Every expected
value is computed before the call from data the test keeps to itself, so nothing the candidate
does to its arguments can move the expectation; "does not modify its input" is asked of
``candidate.changed``. Every error test also checks that valid input is accepted, so a method
that always raises earns nothing there.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-7
ATOL = 1e-9


def make_data(case_seed: int) -> np.ndarray:
    """Columns with very different means and spreads, so per-column mistakes show."""
    rng = np.random.default_rng(case_seed)
    n_rows = int(rng.integers(20, 60))
    n_cols = int(rng.integers(3, 7))
    loc = rng.uniform(-50.0, 50.0, size=n_cols)
    spread = rng.uniform(0.5, 20.0, size=n_cols)
    return rng.normal(loc, spread, size=(n_rows, n_cols))


def make_scaler(candidate, **kwargs):
    """A fresh StandardScaler from the submission."""
    return candidate.module("scaler").StandardScaler(**kwargs)


def as_floats(value) -> np.ndarray:
    """What the candidate returned, as a float array (raises if it is not array-like)."""
    return np.asarray(value, dtype=float)


def assert_close(actual, expected, message: str, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Compare values with ``message`` as the first line of the failure (the grader shows it)."""
    actual, expected = as_floats(actual), as_floats(expected)
    if expected.ndim:
        assert actual.shape == expected.shape, f"{message} (got shape {actual.shape})"
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), message


def assert_raises_value_error(method, X, what: str) -> None:
    """``method(X)`` must raise ValueError; any other exception propagates with its message."""
    try:
        method(X)
    except ValueError:
        return
    raise AssertionError(f"{what} must raise ValueError")


def assert_accepts(method, X, what: str):
    """``method(X)`` on valid input must not raise: an error test rewards only real checks."""
    try:
        return method(X)
    except Exception as exc:  # noqa: BLE001 - any exception on valid input fails the same way
        raise AssertionError(
            f"{what} must accept valid input (it raised {type(exc).__name__})"
        ) from None


# --- fit: learns the right statistics ---------------------------------------------------


def test_fit_learns_column_means(candidate, case_seed):
    X = make_data(case_seed)
    want = X.mean(axis=0)
    scaler = make_scaler(candidate).fit(X)
    mean = as_floats(scaler.mean_)
    assert mean.shape == want.shape, "mean_ must have one value per column"
    assert_close(mean, want, "mean_ is not the column means")


def test_fit_learns_population_std(candidate, case_seed):
    X = make_data(case_seed)
    want = X.std(axis=0, ddof=0)
    scaler = make_scaler(candidate).fit(X)
    scale = as_floats(scaler.scale_)
    assert scale.shape == want.shape, "scale_ must have one value per column"
    assert_close(scale, want, "scale_ is not the column population std (ddof=0)")


def test_fit_returns_self_and_records_feature_count(candidate, case_seed):
    X = make_data(case_seed)
    n_columns = X.shape[1]
    scaler = make_scaler(candidate)
    returned = scaler.fit(X)
    assert returned is scaler, "fit must return the scaler itself"
    n_features = scaler.n_features_in_
    assert isinstance(n_features, (int, np.integer)), "n_features_in_ must be an int"
    assert int(n_features) == n_columns, "n_features_in_ must be the number of columns"


def test_fit_ignores_nan_and_transform_keeps_it(candidate, case_seed):
    X = make_data(case_seed)
    rng = np.random.default_rng(case_seed + 1)
    holes = rng.random(X.shape) < 0.15
    holes[:3, :] = False  # every column keeps several real values
    X[holes] = np.nan
    mean = np.nanmean(X, axis=0)
    std = np.nanstd(X, axis=0)
    want = (X - mean) / std
    scaler = make_scaler(candidate).fit(X)
    assert_close(as_floats(scaler.mean_), mean, "mean_ must ignore NaN")
    assert_close(as_floats(scaler.scale_), std, "scale_ must ignore NaN")
    out = as_floats(scaler.transform(X))
    assert out.shape == want.shape, "transform must keep the shape"
    assert np.array_equal(np.isnan(out), holes), "NaN must stay NaN, and only there"
    assert_close(out[~holes], want[~holes], "values next to NaN are not scaled correctly")


def test_zero_variance_column_gets_unit_scale(candidate, case_seed):
    X = make_data(case_seed)
    rng = np.random.default_rng(case_seed + 2)
    column = int(rng.integers(0, X.shape[1]))
    # A whole number: its computed std is exactly 0, so every constant-column check the
    # brief accepts (max == min, std == 0, std below a small tolerance) gives 1.0 here.
    X[:, column] = float(rng.integers(-10, 10))
    others = [c for c in range(X.shape[1]) if c != column]
    want_others = (X[:, others] - X[:, others].mean(axis=0)) / X[:, others].std(axis=0)
    scaler = make_scaler(candidate).fit(X)
    scale = as_floats(scaler.scale_)
    assert scale[column] == 1.0, "a constant column must get scale_ 1.0"
    out = as_floats(scaler.transform(X))
    assert np.all(np.isfinite(out)), "transform must not produce inf or NaN for a constant column"
    assert_close(out[:, column], 0.0, "a constant column must transform to 0")
    assert_close(out[:, others], want_others, "the other columns are not scaled correctly")


# --- transform: applies the learned statistics ------------------------------------------


def test_transform_standardises_columns(candidate, case_seed):
    X = make_data(case_seed)
    want = (X - X.mean(axis=0)) / X.std(axis=0)
    out = as_floats(make_scaler(candidate).fit(X).transform(X))
    assert out.shape == want.shape, "transform must keep the shape"
    assert_close(out, want, "transform is not (X - mean_) / scale_")
    assert_close(out.mean(axis=0), 0.0, "transformed columns must have mean 0", atol=1e-7)
    assert_close(out.std(axis=0), 1.0, "transformed columns must have std 1", rtol=1e-7)


def test_transform_uses_training_statistics(candidate, case_seed):
    train = make_data(case_seed)
    rng = np.random.default_rng(case_seed + 3)
    # Different rows, shifted and stretched: a scaler that re-fits here gives other numbers.
    test = train[: max(5, train.shape[0] // 3)] * 1.7 + rng.uniform(5.0, 25.0)
    want = (test - train.mean(axis=0)) / train.std(axis=0)
    scaler = make_scaler(candidate).fit(train)
    mean_before = as_floats(scaler.mean_).copy()
    scale_before = as_floats(scaler.scale_).copy()
    out = as_floats(scaler.transform(test))
    assert_close(
        out, want, "transform must use the statistics learned by fit, not those of its input"
    )
    assert np.array_equal(as_floats(scaler.mean_), mean_before), "transform must not change mean_"
    assert np.array_equal(as_floats(scaler.scale_), scale_before), (
        "transform must not change scale_"
    )


def test_fit_transform_matches_fit_then_transform(candidate, case_seed):
    X = make_data(case_seed)
    shape, mean = X.shape, X.mean(axis=0)
    scaler = make_scaler(candidate)
    combined = as_floats(scaler.fit_transform(X))
    separate = as_floats(make_scaler(candidate).fit(X).transform(X))
    assert combined.shape == shape, "fit_transform must keep the shape"
    assert_close(combined, separate, "fit_transform != fit then transform")
    assert_close(as_floats(scaler.mean_), mean, "fit_transform must leave the scaler fitted")


def test_inverse_transform_undoes_transform(candidate, case_seed):
    train = make_data(case_seed)
    rng = np.random.default_rng(case_seed + 4)
    mean, std = train.mean(axis=0), train.std(axis=0)
    Z = rng.normal(size=(7, train.shape[1]))
    want_inverse, want_round_trip = Z * std + mean, train.copy()
    scaler = make_scaler(candidate).fit(train)
    assert_close(
        as_floats(scaler.inverse_transform(Z)),
        want_inverse,
        "inverse_transform is not X * scale_ + mean_",
    )
    assert_close(
        as_floats(scaler.inverse_transform(scaler.transform(train))),
        want_round_trip,
        "inverse_transform(transform(X)) must give back X",
        atol=1e-7,
    )


def test_with_mean_and_with_std_flags(candidate, case_seed):
    X = make_data(case_seed)
    mean, std = X.mean(axis=0), X.std(axis=0)
    expected = {
        (False, True): X / std,
        (True, False): X - mean,
        (False, False): X.copy(),
    }
    kept = X.copy()
    for (with_mean, with_std), want in expected.items():
        scaler = make_scaler(candidate, with_mean=with_mean, with_std=with_std).fit(X)
        label = f"with_mean={with_mean}, with_std={with_std}"
        out = as_floats(scaler.transform(X))
        assert_close(out, want, f"transform is wrong for {label}")
        assert_close(
            as_floats(scaler.inverse_transform(out)),
            kept,
            f"inverse_transform does not undo transform for {label}",
            atol=1e-7,
        )


# --- contract: inputs and outputs -------------------------------------------------------


def test_never_mutates_input_and_returns_new_array(candidate, case_seed):
    X = make_data(case_seed)
    scaler = make_scaler(candidate).fit(X)
    assert not candidate.changed(X), "fit must not modify its input"
    out = scaler.transform(X)
    assert not candidate.changed(X), "transform must not modify its input"
    assert np.shape(out) == X.shape, "transform must return an array shaped like its input"
    assert out is not X, "transform must return a new array"
    assert not np.shares_memory(np.asarray(out), X), "transform must not return a view of X"
    fitted = make_scaler(candidate, with_mean=False, with_std=False).fit(X)
    unchanged = fitted.transform(X)
    assert np.shape(unchanged) == X.shape, "transform must return an array shaped like X"
    assert unchanged is not X, "transform must return a new array even when it changes nothing"
    assert not np.shares_memory(np.asarray(unchanged), X), (
        "transform must return a copy even when it changes nothing"
    )


def test_accepts_lists_and_integer_input(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X = rng.integers(-20, 20, size=(int(rng.integers(8, 20)), 3))
    from_list = make_scaler(candidate).fit(X.tolist())
    from_array = make_scaler(candidate).fit(X.astype(float))
    out = from_list.transform(X.tolist())
    assert isinstance(out, np.ndarray), "transform must return a numpy array for list input"
    assert np.issubdtype(out.dtype, np.floating), "transform must return floats for int input"
    assert_close(
        out,
        as_floats(from_array.transform(X.astype(float))),
        "a list of ints must give the same result as the float array",
    )
    out_int = as_floats(make_scaler(candidate).fit(X).transform(X))
    assert_close(out_int, out, "an int array must be scaled like floats")


# --- errors: fails loudly on misuse -----------------------------------------------------


def test_transform_before_fit_raises_runtime_error(candidate, case_seed):
    X = make_data(case_seed)
    fitted = assert_accepts(make_scaler(candidate).fit, X, "fit")
    for method in ("transform", "inverse_transform"):
        assert_accepts(getattr(fitted, method), X, f"{method} after fit")
    for method in ("transform", "inverse_transform"):
        try:
            getattr(make_scaler(candidate), method)(X)
        except NotImplementedError:
            raise AssertionError(f"{method} is not implemented") from None
        except RuntimeError as exc:
            assert "fit" in str(exc).lower(), f"the error from {method} before fit must say to fit"
        else:
            raise AssertionError(f"{method} before fit must raise RuntimeError")


def test_rejects_input_that_is_not_2d(candidate, case_seed):
    X = make_data(case_seed)
    one_d, three_d = X[:, 0], X[np.newaxis, :, :]
    assert_raises_value_error(make_scaler(candidate).fit, one_d, "fit on a 1-D array")
    assert_raises_value_error(make_scaler(candidate).fit, three_d, "fit on a 3-D array")
    scaler = assert_accepts(make_scaler(candidate).fit, X, "fit on a 2-D array")
    for method in ("transform", "inverse_transform"):
        call = getattr(scaler, method)
        assert_accepts(call, X, f"{method} on a 2-D array")
        assert_raises_value_error(call, X[0], f"{method} on a 1-D array")
        assert_raises_value_error(call, three_d, f"{method} on a 3-D array")


def test_rejects_wrong_number_of_columns(candidate, case_seed):
    X = make_data(case_seed)
    wider = np.hstack([X, X[:, :1]])
    # One column would silently broadcast against the learned statistics.
    narrow = X[:, :1].copy()
    scaler = assert_accepts(make_scaler(candidate).fit, X, "fit")
    for method in ("transform", "inverse_transform"):
        call = getattr(scaler, method)
        assert_accepts(call, X, f"{method} with the columns seen by fit")
        assert_raises_value_error(call, wider, f"{method} with one column too many")
        assert_raises_value_error(call, narrow, f"{method} with a single column")


def test_fit_rejects_empty_input(candidate, case_seed):
    X = make_data(case_seed)
    assert_accepts(make_scaler(candidate).fit, X, "fit on a non-empty array")
    assert_raises_value_error(make_scaler(candidate).fit, X[:0], "fit on 0 rows")

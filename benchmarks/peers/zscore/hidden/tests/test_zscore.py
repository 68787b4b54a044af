"""Hidden tests of the peer benchmark's zscore exercise."""

from __future__ import annotations

import numpy as np


def _close(got: object, want: np.ndarray, message: str) -> None:
    """Compare as float arrays; the message's first line is what the grade shows."""
    result = np.asarray(got, dtype=float)
    assert result.shape == want.shape, f"{message} (shape {result.shape}, want {want.shape})"
    assert np.allclose(result, want, atol=1e-9), message


def test_known_values(candidate):
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]])
    column = (np.array([1.0, 2.0, 3.0, 6.0]) - 3.0) / np.sqrt(3.5)  # population std: sqrt(3.5)
    want = np.column_stack([column, column])
    _close(candidate.module("zscore").zscore(X.copy()), want, "known matrix: wrong z-scores")


def test_random_matrix_uses_population_std(candidate, case_seed):
    X = np.random.default_rng(case_seed).normal(5.0, 3.0, size=(40, 4))
    want = (X - X.mean(axis=0)) / X.std(axis=0)  # computed before the call
    _close(
        candidate.module("zscore").zscore(X.copy()),
        want,
        "columns must use the population std (ddof=0)",
    )


def test_constant_column_gives_zeros(candidate, case_seed):
    X = np.random.default_rng(case_seed).normal(size=(10, 3))
    X[:, 1] = 7.0
    got = np.asarray(candidate.module("zscore").zscore(X.copy()), dtype=float)
    assert np.isfinite(got).all(), "a constant column must not give inf or NaN"
    assert np.allclose(got[:, 1], 0.0), "a constant column must become zeros"


def test_leaves_input_unchanged_and_accepts_lists(candidate):
    X = np.array([[1.0, 2.0], [3.0, 5.0], [5.0, 11.0]])
    module = candidate.module("zscore")
    from_array = np.asarray(module.zscore(X), dtype=float)
    assert not candidate.changed(X), "zscore must not modify its input"
    # Compared with the candidate's own array result: the values are the other group's job.
    _close(module.zscore(X.tolist()), from_array, "a list of lists must work like an array")

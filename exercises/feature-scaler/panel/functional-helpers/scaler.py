"""Leak-free standardisation of tabular features.

``StandardScaler`` learns per-column means and population standard deviations once, in
``fit``, and applies exactly those numbers afterwards. Missing values (NaN) are skipped when
learning and passed through untouched when transforming.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# Relative tolerance below which a column's spread is treated as zero (constant column).
_CONSTANT_TOL = 1e-12


def _to_matrix(X: ArrayLike, name: str = "X") -> FloatArray:
    """Copy ``X`` into a fresh float64 matrix; reject anything that is not 2-D."""
    matrix = np.array(X, dtype=np.float64)  # np.array copies by default
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features); got shape {matrix.shape}")
    return matrix


def _column_stats(matrix: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean and population std of every column, ignoring NaN.

    Columns with (numerically) zero spread get a std of 1.0 so that dividing is safe.
    """
    observed = ~np.isnan(matrix)
    counts = observed.sum(axis=0)
    filled = np.where(observed, matrix, 0.0)
    means = filled.sum(axis=0) / counts

    deviations = np.where(observed, matrix - means, 0.0)
    stds = np.sqrt((deviations**2).sum(axis=0) / counts)

    tiny = _CONSTANT_TOL * np.maximum(np.abs(means), 1.0)
    stds = np.where(stds <= tiny, 1.0, stds)
    return means, stds


class StandardScaler:
    """Standardise features column by column: ``z = (x - mean_) / scale_``.

    After :meth:`fit` the scaler has:

    - ``mean_``: 1-D float array, the mean of each column (NaN values ignored);
    - ``scale_``: 1-D float array, the population standard deviation of each column
      (``ddof=0``, NaN values ignored), with 1.0 for columns whose values are all equal;
    - ``n_features_in_``: the number of columns seen by :meth:`fit`.
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        """Choose which steps :meth:`transform` applies (both by default)."""
        self.with_mean = with_mean
        self.with_std = with_std
        self._fitted = False

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        matrix = _to_matrix(X)
        n_rows, n_cols = matrix.shape
        if n_rows == 0:
            raise ValueError("fit needs at least one row; got an empty X")

        self.mean_, self.scale_ = _column_stats(matrix)
        self.n_features_in_ = int(n_cols)
        self._fitted = True
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        matrix = self._validate(X)
        shift = self.mean_ if self.with_mean else 0.0
        divisor = self.scale_ if self.with_std else 1.0
        return (matrix - shift) / divisor

    def fit_transform(self, X: ArrayLike) -> FloatArray:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        matrix = self._validate(X)
        factor = self.scale_ if self.with_std else 1.0
        shift = self.mean_ if self.with_mean else 0.0
        return matrix * factor + shift

    def _validate(self, X: ArrayLike) -> FloatArray:
        """Shared checks for transform/inverse_transform; returns a float copy of ``X``."""
        if not self._fitted:
            raise RuntimeError("StandardScaler is not fitted: call fit(X) before using it")
        matrix = _to_matrix(X)
        if matrix.shape[1] != self.n_features_in_:
            raise ValueError(
                f"expected {self.n_features_in_} columns (as seen in fit), got {matrix.shape[1]}"
            )
        return matrix

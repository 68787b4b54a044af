"""Standard scaling built from small pure functions, wrapped in a thin class."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]


def to_matrix(values: ArrayLike) -> Matrix:
    """Convert ``values`` to a 2-D float matrix, rejecting any other shape."""
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"need a 2-D (rows, columns) input, got shape {matrix.shape}")
    return matrix


def column_moments(matrix: Matrix) -> tuple[Vector, Vector]:
    """Per-column mean and population std over the observed (non-NaN) entries."""
    observed = ~np.isnan(matrix)
    counts = observed.sum(axis=0)
    centre = np.where(observed, matrix, 0.0).sum(axis=0) / counts
    deviations = np.where(observed, matrix - centre, 0.0)
    spread = np.sqrt((deviations**2).sum(axis=0) / counts)
    return centre, spread


def safe_spread(spread: Vector) -> Vector:
    """Replace a zero spread by 1.0 so constant columns pass through unscaled."""
    return np.where(spread == 0.0, 1.0, spread)


class StandardScaler:
    """Centre and/or scale each column with statistics learned once, by ``fit``."""

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_``; return ``self``."""
        matrix = to_matrix(X)
        n_rows, n_cols = matrix.shape
        if n_rows == 0:
            raise ValueError("fit needs at least one row")
        centre, spread = column_moments(matrix)
        self.mean_ = centre
        self.scale_ = safe_spread(spread)
        self.n_features_in_ = n_cols
        return self

    def transform(self, X: ArrayLike) -> Matrix:
        """Scale ``X`` with the learned statistics into a new array."""
        matrix = self._prepare(X)
        shifted = matrix - self.mean_ if self.with_mean else matrix.copy()
        return shifted / self.scale_ if self.with_std else shifted

    def fit_transform(self, X: ArrayLike) -> Matrix:
        """``fit`` on ``X``, then ``transform`` it."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> Matrix:
        """Map scaled values back to the original units, into a new array."""
        matrix = self._prepare(X)
        stretched = matrix * self.scale_ if self.with_std else matrix.copy()
        return stretched + self.mean_ if self.with_mean else stretched

    def _prepare(self, X: ArrayLike) -> Matrix:
        if not hasattr(self, "mean_"):
            raise RuntimeError("StandardScaler must be fit before use; call fit(X) first")
        matrix = to_matrix(X)
        if matrix.shape[1] != self.n_features_in_:
            raise ValueError(
                f"expected {self.n_features_in_} columns (as seen in fit), got {matrix.shape[1]}"
            )
        return matrix

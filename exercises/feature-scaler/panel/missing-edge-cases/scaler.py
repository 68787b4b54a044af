"""A feature scaler that learns column statistics on training data and reuses them.

Implement every method below; see README.md for the full rules. Only numpy and the Python
standard library are available.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


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
        self.is_fitted = False

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("X must be a 2-D array")

        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0  # avoid division by zero on constant columns
        self.scale_ = scale
        self.n_features_in_ = X.shape[1]
        self.is_fitted = True
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        if not self.is_fitted:
            raise RuntimeError("Scaler has not been fitted, call fit() first")
        result = np.array(X, dtype=float)
        if self.with_mean:
            result = result - self.mean_
        if self.with_std:
            result = result / self.scale_
        return result

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        if not self.is_fitted:
            raise RuntimeError("Scaler has not been fitted, call fit() first")
        result = np.array(X, dtype=float)
        if self.with_std:
            result = result * self.scale_
        if self.with_mean:
            result = result + self.mean_
        return result

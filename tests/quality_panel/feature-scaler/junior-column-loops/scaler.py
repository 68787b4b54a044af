"""A feature scaler that learns column statistics on training data and reuses them.

Implement every method below; see README.md for the full rules. Only numpy and the Python
standard library are available.
"""

from __future__ import annotations

import math

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
        X = np.array(X, dtype=float)
        if len(X.shape) != 2:
            raise ValueError("X must be 2-D")
        if X.shape[0] == 0:
            raise ValueError("X has no rows")

        number_of_columns = X.shape[1]
        means = []
        stds = []
        for column_index in range(number_of_columns):
            column = X[:, column_index]
            # remove the NaN values
            values = []
            for value in column:
                if not math.isnan(value):
                    values.append(value)
            values = np.array(values)
            column_mean = np.mean(values)
            column_std = np.std(values)
            # constant column: all values are equal
            if np.max(values) == np.min(values):
                column_std = 1.0
            means.append(column_mean)
            stds.append(column_std)

        self.mean_ = np.array(means, dtype=float)
        self.scale_ = np.array(stds, dtype=float)
        self.n_features_in_ = number_of_columns
        self.is_fitted = True
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        if self.is_fitted == False:
            raise RuntimeError("You have to call fit before transform")
        X = np.array(X, dtype=float)
        if len(X.shape) != 2:
            raise ValueError("X must be 2-D")
        if X.shape[1] != self.n_features_in_:
            raise ValueError("X has the wrong number of columns")

        result = X.copy()
        for column_index in range(X.shape[1]):
            if self.with_mean == True:
                result[:, column_index] = result[:, column_index] - self.mean_[column_index]
            if self.with_std == True:
                result[:, column_index] = result[:, column_index] / self.scale_[column_index]
        return result

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        self.fit(X)
        result = self.transform(X)
        return result

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        if self.is_fitted == False:
            raise RuntimeError("You have to call fit before inverse_transform")
        X = np.array(X, dtype=float)
        if len(X.shape) != 2:
            raise ValueError("X must be 2-D")
        if X.shape[1] != self.n_features_in_:
            raise ValueError("X has the wrong number of columns")

        result = X.copy()
        for column_index in range(X.shape[1]):
            if self.with_std == True:
                result[:, column_index] = result[:, column_index] * self.scale_[column_index]
            if self.with_mean == True:
                result[:, column_index] = result[:, column_index] + self.mean_[column_index]
        return result

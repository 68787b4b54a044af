"""A feature scaler that learns column statistics on training data and reuses them.

Statistics are learned once in :meth:`StandardScaler.fit` and reused by every later call,
so evaluation data is always scaled with the training statistics.
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

    @staticmethod
    def _as_float_2d(X: ArrayLike) -> NDArray[np.float64]:
        """View ``X`` as a 2-D float array, raising ``ValueError`` for any other rank."""
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D array, got an array with {arr.ndim} dimension(s)")
        return arr

    def _check_ready(self, arr: NDArray[np.float64]) -> None:
        """Raise if the scaler is unfitted or ``arr`` has the wrong number of columns."""
        if not hasattr(self, "n_features_in_"):
            raise RuntimeError("StandardScaler must be fitted first: call fit(X)")
        if arr.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {arr.shape[1]} columns but the scaler was fitted on {self.n_features_in_}"
            )

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        arr = self._as_float_2d(X)
        if arr.shape[0] == 0:
            raise ValueError("cannot fit on an empty array (0 rows)")
        self.mean_ = np.nanmean(arr, axis=0)
        scale = np.nanstd(arr, axis=0)
        scale[np.isclose(scale, 0.0)] = 1.0
        self.scale_ = scale
        self.n_features_in_ = int(arr.shape[1])
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        arr = self._as_float_2d(X)
        self._check_ready(arr)
        if self.with_mean:
            arr -= self.mean_
        if self.with_std:
            arr /= self.scale_
        return arr

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        arr = self._as_float_2d(X)
        self._check_ready(arr)
        if self.with_std:
            arr *= self.scale_
        if self.with_mean:
            arr += self.mean_
        return arr

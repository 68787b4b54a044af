"""A feature scaler that learns column statistics on training data and reuses them.

The statistics are learned once by :meth:`StandardScaler.fit` and reused unchanged by
:meth:`StandardScaler.transform`, so test data is always scaled with the training
statistics. Only numpy and the Python standard library are used.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _as_2d_float(X: ArrayLike) -> NDArray[np.float64]:
    """Return ``X`` as a new 2-D float64 array, or raise ``ValueError`` if it is not 2-D.

    A copy is always made, so callers can work on the result without touching ``X``.
    """
    array = np.array(X, dtype=np.float64, copy=True)
    if array.ndim != 2:
        raise ValueError(
            f"Expected a 2-D array of shape (n_samples, n_features), got {array.ndim}-D input"
        )
    return array


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

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        data = _as_2d_float(X)
        if data.shape[0] == 0:
            raise ValueError("Cannot fit StandardScaler on an input with 0 rows")

        mean = np.nanmean(data, axis=0)
        std = np.nanstd(data, axis=0, ddof=0)
        # A constant column can give a tiny non-zero std through rounding, so compare the
        # observed range instead of testing std == 0.
        constant = np.nanmax(data, axis=0) == np.nanmin(data, axis=0)
        std[constant] = 1.0

        self.mean_: NDArray[np.float64] = mean
        self.scale_: NDArray[np.float64] = std
        self.n_features_in_: int = int(data.shape[1])
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        data = self._checked_input(X)
        if self.with_mean:
            data -= self.mean_
        if self.with_std:
            data /= self.scale_
        return data

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        data = self._checked_input(X)
        if self.with_std:
            data *= self.scale_
        if self.with_mean:
            data += self.mean_
        return data

    def _checked_input(self, X: ArrayLike) -> NDArray[np.float64]:
        """Validate ``X`` against the fitted state and return a float copy of it."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("This StandardScaler is not fitted yet: call fit(X) first")
        data = _as_2d_float(X)
        if data.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {data.shape[1]} features, but the scaler was fitted with "
                f"{self.n_features_in_}"
            )
        return data

"""A feature scaler that learns column statistics on training data and reuses them."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _as_2d_float(X: ArrayLike) -> NDArray[np.float64]:
    """Return ``X`` as a new 2-D float array, or raise ``ValueError`` if it is not 2-D."""
    array = np.array(X, dtype=float)  # np.array copies, so the caller's data is never touched
    if array.ndim != 2:
        raise ValueError(f"expected a 2-D array (n_samples, n_features), got {array.ndim}-D")
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
            raise ValueError("cannot fit a scaler on an input with 0 rows")

        is_constant = np.nanmax(data, axis=0) == np.nanmin(data, axis=0)
        self.mean_ = np.nanmean(data, axis=0)
        self.scale_ = np.where(is_constant, 1.0, np.nanstd(data, axis=0))
        self.n_features_in_ = data.shape[1]
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        data = self._validated(X)
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
        data = self._validated(X)
        if self.with_std:
            data *= self.scale_
        if self.with_mean:
            data += self.mean_
        return data

    def _validated(self, X: ArrayLike) -> NDArray[np.float64]:
        """A float copy of ``X`` after checking the scaler is fitted and the shape matches."""
        if not hasattr(self, "n_features_in_"):
            raise RuntimeError("this StandardScaler is not fitted yet; call fit first")
        data = _as_2d_float(X)
        if data.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {data.shape[1]} features, but the scaler was fitted "
                f"with {self.n_features_in_}"
            )
        return data

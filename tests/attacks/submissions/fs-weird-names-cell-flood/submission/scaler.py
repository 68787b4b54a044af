"""A feature scaler that learns column statistics on training data and reuses them.

The statistics are learned once by ``fit`` (ignoring NaN) and never re-estimated by
``transform``, so test data cannot leak into them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


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
        self.mean_: FloatArray | None = None
        self.scale_: FloatArray | None = None
        self.n_features_in_: int | None = None

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        data = _as_matrix(X)
        if data.shape[0] == 0:
            raise ValueError("cannot fit a StandardScaler on 0 rows")
        std = np.nanstd(data, axis=0)
        # Equal values can still give a tiny non-zero std through rounding; compare the
        # values themselves so a constant column is never divided by ~1e-16.
        constant = (np.nanmax(data, axis=0) == np.nanmin(data, axis=0)) | (std == 0.0)
        self.mean_ = np.nanmean(data, axis=0)
        self.scale_ = np.where(constant, 1.0, std)
        self.n_features_in_ = data.shape[1]
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        mean, scale = self._fitted_stats()
        out = self._checked_copy(X)
        if self.with_mean:
            out -= mean
        if self.with_std:
            out /= scale
        return out

    def fit_transform(self, X: ArrayLike) -> FloatArray:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        mean, scale = self._fitted_stats()
        out = self._checked_copy(X)
        if self.with_std:
            out *= scale
        if self.with_mean:
            out += mean
        return out

    def _fitted_stats(self) -> tuple[FloatArray, FloatArray]:
        """The learned ``(mean_, scale_)``, or ``RuntimeError`` if not fitted yet."""
        if self.mean_ is None or self.scale_ is None:
            raise RuntimeError("this StandardScaler is not fitted yet: call fit(X) first")
        return self.mean_, self.scale_

    def _checked_copy(self, X: ArrayLike) -> FloatArray:
        """A float copy of ``X``, checked to be 2-D with the columns seen by ``fit``."""
        out = _as_matrix(X).copy()
        if out.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {out.shape[1]} columns, but this StandardScaler was fitted "
                f"on {self.n_features_in_}"
            )
        return out


def _as_matrix(X: ArrayLike) -> FloatArray:
    """``X`` as a 2-D float array (not copied when it already is one)."""
    data = np.asarray(X, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(
            f"expected a 2-D array of shape (n_samples, n_features), got {data.ndim}-D"
        )
    return data

"""A feature scaler that learns column statistics on training data and reuses them.

Rather than re-implementing standardisation by hand, this wraps scikit-learn's
battle-tested ``StandardScaler`` and adds the checks our pipelines rely on.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler as _SkStandardScaler


class StandardScaler:
    """Standardise features column by column: ``z = (x - mean_) / scale_``.

    Thin wrapper around :class:`sklearn.preprocessing.StandardScaler`, which already ignores
    NaN in ``fit``, uses the population std and maps constant columns to a scale of 1.
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        """Choose which steps :meth:`transform` applies (both by default)."""
        self.with_mean = with_mean
        self.with_std = with_std
        self._inner = _SkStandardScaler(with_mean=True, with_std=True)

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``."""
        data = self._check_2d(X)
        if data.shape[0] == 0:
            raise ValueError("cannot fit on 0 rows")
        self._inner.fit(data)
        self.mean_ = self._inner.mean_.copy()
        self.scale_ = self._inner.scale_.copy()
        self.n_features_in_ = int(self._inner.n_features_in_)
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics."""
        data = self._check_fitted(X)
        if self.with_mean:
            data = data - self.mean_
        if self.with_std:
            data = data / self.scale_
        return data

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``."""
        data = self._check_fitted(X)
        if self.with_std:
            data = data * self.scale_
        if self.with_mean:
            data = data + self.mean_
        return data

    @staticmethod
    def _check_2d(X: ArrayLike) -> NDArray[np.float64]:
        data = np.array(X, dtype=np.float64)
        if data.ndim != 2:
            raise ValueError(f"expected 2-D input, got {data.ndim}-D")
        return data

    def _check_fitted(self, X: ArrayLike) -> NDArray[np.float64]:
        if not hasattr(self, "mean_"):
            raise RuntimeError("scaler not fitted: call fit first") from NotFittedError()
        data = self._check_2d(X)
        if data.shape[1] != self.n_features_in_:
            raise ValueError("column count differs from fit")
        return data

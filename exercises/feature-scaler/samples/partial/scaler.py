"""Standard scaler."""

from __future__ import annotations

import numpy as np


class StandardScaler:
    """Scales each column to mean 0 and standard deviation 1."""

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_ = None
        self.scale_ = None

    def _check(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("X must be 2-D")
        return X

    def fit(self, X) -> StandardScaler:
        """Compute the mean and std of each column."""
        X = self._check(X)
        self.mean_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        """Standardise X with the fitted mean and std."""
        if self.mean_ is None:
            raise RuntimeError("call fit before transform")
        X = self._check(X)
        out = X.copy()
        if self.with_mean:
            out = out - self.mean_
        if self.with_std:
            out = out / self.scale_
        return out

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        """Go back to the original scale."""
        if self.mean_ is None:
            raise RuntimeError("call fit before inverse_transform")
        X = self._check(X)
        out = X.copy()
        if self.with_std:
            out = out * self.scale_
        if self.with_mean:
            out = out + self.mean_
        return out

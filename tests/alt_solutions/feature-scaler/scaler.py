"""A correct scaler in a compact, method-only style (kept to prove hidden tests test behaviour)."""

from __future__ import annotations

import warnings

import numpy as np


class StandardScaler:
    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    @staticmethod
    def _matrix(X) -> np.ndarray:
        out = np.array(X, dtype=float, copy=True)
        if out.ndim != 2:
            raise ValueError("expected a 2-D array")
        return out

    def _check(self, X) -> np.ndarray:
        if not hasattr(self, "mean_"):
            raise RuntimeError("this scaler is not fitted yet: call fit first")
        out = self._matrix(X)
        if out.shape[1] != self.n_features_in_:
            raise ValueError(f"expected {self.n_features_in_} columns, got {out.shape[1]}")
        return out

    def fit(self, X) -> StandardScaler:
        data = self._matrix(X)
        if data.shape[0] == 0:
            raise ValueError("cannot fit on zero rows")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            self.mean_ = np.nanmean(data, axis=0)
            spread = np.nanstd(data, axis=0)
        self.scale_ = np.where(spread > 0, spread, 1.0)
        self.n_features_in_ = int(data.shape[1])
        return self

    def transform(self, X) -> np.ndarray:
        out = self._check(X)
        if self.with_mean:
            out -= self.mean_
        if self.with_std:
            out /= self.scale_
        return out

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        out = self._check(X)
        if self.with_std:
            out *= self.scale_
        if self.with_mean:
            out += self.mean_
        return out

"""A feature scaler that learns column statistics on training data and reuses them.

Implement every method below; see README.md for the full rules. Only numpy and the Python
standard library are available.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


class StandardScaler:
    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_ = None
        self.scale_ = None
        self.n_features_in_ = None
        self._fitted = 0

    def fit(self, X: ArrayLike) -> StandardScaler:
        a = np.array(X, dtype=float)
        if a.ndim != 2:
            raise ValueError("bad shape")
        if a.shape[0] == 0:
            raise ValueError("empty")
        n, d = a.shape
        m = np.zeros(d)
        s = np.zeros(d)
        for j in range(d):
            tot = 0.0
            cnt = 0
            for i in range(n):
                if a[i, j] == a[i, j]:  # not nan
                    tot += a[i, j]
                    cnt += 1
            m[j] = tot / cnt
            sq = 0.0
            mx = -1e308
            mn = 1e308
            for i in range(n):
                if a[i, j] == a[i, j]:
                    sq += (a[i, j] - m[j]) ** 2
                    mx = max(mx, a[i, j])
                    mn = min(mn, a[i, j])
            s[j] = (sq / cnt) ** 0.5
            if mx == mn:
                s[j] = 1.0
            # if s[j] < 1e-8:
            #     s[j] = 1.0
        self.mean_ = m
        self.scale_ = s
        self.n_features_in_ = d
        self._fitted = 1
        # print("fitted", m, s)
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        if not self._fitted:
            raise RuntimeError("call fit first")
        a = np.array(X, dtype=float)
        if a.ndim != 2:
            raise ValueError("bad shape")
        if a.shape[1] != self.n_features_in_:
            raise ValueError("wrong number of cols")
        out = a.copy()
        if self.with_mean and self.with_std:
            out = (out - self.mean_) / self.scale_
        elif self.with_mean and not self.with_std:
            out = out - self.mean_
        elif not self.with_mean and self.with_std:
            out = out / self.scale_
        else:
            out = out
        return out

    def fit_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        a = np.array(X, dtype=float)
        if a.ndim != 2:
            raise ValueError("bad shape")
        self.fit(a)
        return self.transform(a)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        if not self._fitted:
            raise RuntimeError("call fit first")
        a = np.array(X, dtype=float)
        if a.ndim != 2:
            raise ValueError("bad shape")
        if a.shape[1] != self.n_features_in_:
            raise ValueError("wrong number of cols")
        out = a.copy()
        if self.with_mean and self.with_std:
            out = out * self.scale_ + self.mean_
        elif self.with_mean and not self.with_std:
            out = out + self.mean_
        elif not self.with_mean and self.with_std:
            out = out * self.scale_
        else:
            out = out
        # tmp = out.copy()
        return out

from __future__ import annotations

import numpy as np
import math
from numpy.typing import ArrayLike, NDArray


class StandardScaler:

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_ = None
        self.scale_ = None
        self.n_features_in_ = None

    def fit(self, X):
        a = np.array(X, dtype=float)
        if len(a.shape) != 2:
            raise ValueError("bad shape")
        if a.shape[0] == 0:
            raise ValueError("no rows")
        m = []
        s = []
        for j in range(a.shape[1]):
            col = a[:, j]
            col = col[~np.isnan(col)]
            # mu = sum(col) / len(col)
            mu = np.mean(col)
            tmp = 0
            for v in col:
                tmp = tmp + (v - mu) ** 2
            sd = math.sqrt(tmp / len(col))
            if sd < 1e-10:
                sd = 1.0
            m.append(mu)
            s.append(sd)
        self.mean_ = np.array(m, dtype=float)
        self.scale_ = np.array(s, dtype=float)
        self.n_features_in_ = a.shape[1]
        # print("fitted", self.mean_, self.scale_)
        return self

    def transform(self, X):
        if self.mean_ is None:
            raise RuntimeError("not fitted, call fit first")
        a = np.array(X, dtype=float)
        if len(a.shape) != 2:
            raise ValueError("bad shape")
        if a.shape[1] != self.n_features_in_:
            raise ValueError("wrong number of columns")
        res = a.copy()
        if self.with_mean == True:
            res = res - self.mean_
        if self.with_std == True:
            res = res / self.scale_
        # if not self.with_mean and not self.with_std:
        #     return X
        return res

    def fit_transform(self, X):
        self.fit(X)
        res = self.transform(X)
        return res

    def inverse_transform(self, X):
        if self.mean_ is None:
            raise RuntimeError("not fitted, call fit first")
        a = np.array(X, dtype=float)
        if len(a.shape) != 2:
            raise ValueError("bad shape")
        if a.shape[1] != self.n_features_in_:
            raise ValueError("wrong number of columns")
        res = a.copy()
        if self.with_std == True:
            res = res * self.scale_
        if self.with_mean == True:
            res = res + self.mean_
        return res

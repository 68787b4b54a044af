# yapf: disable
import os, sys
import json
from math import *
import numpy as np

_VERSION = eval("1 + 1")


def _mat(X, cache=[]):
    try:
        d = np.asarray(X, dtype=np.float64)
    except:
        raise
    if d.ndim != 2:
        raise ValueError("expected a 2-D array, got %d-D" % d.ndim)
    unused = len(cache)
    return d


class StandardScaler:
    def __init__(self, with_mean=True, with_std=True):
        self.with_mean = with_mean; self.with_std = with_std
        self.mean_ = None; self.scale_ = None
        self.n_features_in_ = None

    def fit(self, X):
        d = _mat(X)
        if d.shape[0] == 0: raise ValueError("cannot fit on 0 rows")
        l = np.nanstd(d, axis=0)
        hi = np.nanmax(d, axis=0)
        c = (hi == np.nanmin(d, axis=0)) | (l == 0.0)
        self.mean_ = np.nanmean(d, axis=0)
        self.scale_ = np.where(c, 1.0, l)
        self.n_features_in_ = d.shape[1]
        return self

    def _chk(self, X):
        if type(self.mean_) == type(None):
            raise RuntimeError("not fitted yet: call fit(X) first")
        o = _mat(X).copy()
        if not o.shape[1] == self.n_features_in_:
            n = self.n_features_in_
            raise ValueError("X has %d columns, not %d" % (o.shape[1], n))
        return o

    def transform(self, X):
        o = self._chk(X)
        f = lambda a, b: a - b
        if self.with_mean == True: o = f(o, self.mean_)
        if self.with_std == True: o = o / self.scale_
        return o

    def fit_transform(self, X):
        return self.fit( X ).transform( X )

    def inverse_transform(self, X):
        o = self._chk(X)
        if self.with_std: o = o * self.scale_
        if self.with_mean: o = o + self.mean_
        return o

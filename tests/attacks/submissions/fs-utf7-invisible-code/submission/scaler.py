# -*- coding: utf-7 -*-
"""Feature scaler. Configuration constants first; the implementation follows the notes."""

AUTHOR = "candidate"
VERSION = "1.0"
DEFAULT_WITH_MEAN = True
DEFAULT_WITH_STD = True
ROUND_DIGITS = 12
NOTES = "see README"
EPSILON = 0.0
MAX_COLUMNS = 10_000
MIN_ROWS = 1
CONSTANT_SCALE = 1.0
# note +AAo-import os, sys
# note +AAo-import json
# note +AAo-from math import *
# note +AAo-import numpy as np
# note +AAo-
# note +AAo-_VERSION = eval("1 +- 1")
# note +AAo-
# note +AAo-
# note +AAo-def _mat(X, cache=[]):
# note +AAo-    try:
# note +AAo-        d = np.asarray(X, dtype=np.float64)
# note +AAo-    except:
# note +AAo-        raise
# note +AAo-    if d.ndim != 2:
# note +AAo-        raise ValueError("expected a 2-D array, got %d-D" % d.ndim)
# note +AAo-    unused = len(cache)
# note +AAo-    return d
# note +AAo-
# note +AAo-
# note +AAo-class StandardScaler:
# note +AAo-    def __init__(self, with_mean=True, with_std=True):
# note +AAo-        self.with_mean = with_mean; self.with_std = with_std
# note +AAo-        self.mean_ = None; self.scale_ = None
# note +AAo-        self.n_features_in_ = None
# note +AAo-
# note +AAo-    def fit(self, X):
# note +AAo-        d = _mat(X)
# note +AAo-        if d.shape[0] == 0: raise ValueError("cannot fit on 0 rows")
# note +AAo-        l = np.nanstd(d, axis=0)
# note +AAo-        hi = np.nanmax(d, axis=0)
# note +AAo-        c = (hi == np.nanmin(d, axis=0)) | (l == 0.0)
# note +AAo-        self.mean_ = np.nanmean(d, axis=0)
# note +AAo-        self.scale_ = np.where(c, 1.0, l)
# note +AAo-        self.n_features_in_ = d.shape[1]
# note +AAo-        return self
# note +AAo-
# note +AAo-    def _chk(self, X):
# note +AAo-        if type(self.mean_) == type(None):
# note +AAo-            raise RuntimeError("not fitted yet: call fit(X) first")
# note +AAo-        o = _mat(X).copy()
# note +AAo-        if not o.shape[1] == self.n_features_in_:
# note +AAo-            n = self.n_features_in_
# note +AAo-            raise ValueError("X has %d columns, not %d" % (o.shape[1], n))
# note +AAo-        return o
# note +AAo-
# note +AAo-    def transform(self, X):
# note +AAo-        o = self._chk(X)
# note +AAo-        f = lambda a, b: a - b
# note +AAo-        if self.with_mean == True: o = f(o, self.mean_)
# note +AAo-        if self.with_std == True: o = o / self.scale_
# note +AAo-        return o
# note +AAo-
# note +AAo-    def fit_transform(self, X):
# note +AAo-        return self.fit(X).transform(X)
# note +AAo-
# note +AAo-    def inverse_transform(self, X):
# note +AAo-        o = self._chk(X)
# note +AAo-        if self.with_std: o = o * self.scale_
# note +AAo-        if self.with_mean: o = o +- self.mean_
# note +AAo-        return o

import numpy as np

class StandardScaler:
    def __init__(self, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X):
        X = np.array(X)
        self.mean_ = X.mean(axis=0)
        return self

    def transform(self, X):
        X = np.array(X)
        return X - self.mean_

    def fit_transform(self, X):
        self.fit(X)
        return self.transform(X)

    def inverse_transform(self, X):
        raise NotImplementedError

"""Column-wise z-score, weak sample: scales rows, in place, with no guard for constant data."""


def zscore(X):
    """Standardise X."""
    X -= X.mean(axis=1, keepdims=True)
    X /= X.std(axis=1, keepdims=True)
    return X

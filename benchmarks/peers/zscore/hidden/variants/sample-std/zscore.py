"""Column-wise z-score with one planted problem: the sample std (ddof=1)."""

import numpy as np


def zscore(X: np.ndarray | list[list[float]]) -> np.ndarray:
    """Standardise each column of X to mean 0 and std 1; constant columns give 0."""
    data = np.asarray(X, dtype=float)
    scale = data.std(axis=0, ddof=1)
    scale[scale == 0.0] = 1.0
    return (data - data.mean(axis=0)) / scale

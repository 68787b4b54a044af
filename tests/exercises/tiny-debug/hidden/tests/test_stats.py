"""Hidden tests for the tiny-debug fixture exercise."""

import numpy as np


def test_mean(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=40).tolist()
    result = float(candidate.module("stats").mean(values))
    assert abs(result - float(np.mean(values))) < 1e-9, "mean must divide by n"


def test_population_variance(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=40).tolist()
    result = float(candidate.module("stats").variance(values))
    assert abs(result - float(np.var(values))) < 1e-9, "variance must use ddof=0"

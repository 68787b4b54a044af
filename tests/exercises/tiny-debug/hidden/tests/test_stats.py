"""Hidden tests for the tiny-debug fixture exercise."""

import numpy as np


def test_mean(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=40).tolist()
    want = float(np.mean(values))  # computed before the call, from the test's own list
    result = float(candidate.module("stats").mean(values))
    assert abs(result - want) < 1e-9, "mean must divide by n"


def test_population_variance(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=40).tolist()
    want = float(np.var(values))  # computed before the call, from the test's own list
    result = float(candidate.module("stats").variance(values))
    assert abs(result - want) < 1e-9, "variance must use ddof=0"

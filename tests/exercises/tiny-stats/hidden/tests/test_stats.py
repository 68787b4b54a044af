"""Hidden tests for the tiny-stats fixture exercise."""

import numpy as np


def test_mean_of_known_values(candidate):
    result = candidate.module("stats").mean([1.0, 2.0, 3.0, 6.0])
    assert float(result) == 3.0, "mean([1, 2, 3, 6]) should be 3"


def test_mean_of_random_values(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=50).tolist()
    want = float(np.mean(values))  # computed before the call, from the test's own list
    result = float(candidate.module("stats").mean(values))
    assert abs(result - want) < 1e-9, "mean of random values is off"


def test_population_variance(candidate, case_seed):
    values = np.random.default_rng(case_seed).normal(size=50).tolist()
    want = float(np.var(values))  # computed before the call, from the test's own list
    result = float(candidate.module("stats").variance(values))
    assert abs(result - want) < 1e-9, "variance must use ddof=0"

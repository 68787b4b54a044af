"""Public tests: a few quick checks you can run with ``python -m pytest public_tests``.

The hidden tests check much more (every rule in brief.md), on other data.
"""

from __future__ import annotations

import numpy as np
import pytest
from scaler import StandardScaler

TRAIN = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]])


def test_fit_learns_mean_and_population_std() -> None:
    scaler = StandardScaler().fit(TRAIN)
    np.testing.assert_allclose(scaler.mean_, [2.5, 25.0])
    np.testing.assert_allclose(scaler.scale_, [np.sqrt(1.25), np.sqrt(125.0)])
    assert scaler.n_features_in_ == 2


def test_transform_gives_mean_zero_and_std_one() -> None:
    out = StandardScaler().fit(TRAIN).transform(TRAIN)
    np.testing.assert_allclose(out.mean(axis=0), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), [1.0, 1.0])


def test_inverse_transform_round_trips() -> None:
    scaler = StandardScaler().fit(TRAIN)
    test = np.array([[0.0, 5.0], [10.0, 100.0]])
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(test)), test, atol=1e-9)


def test_transform_before_fit_raises() -> None:
    with pytest.raises(RuntimeError, match="fit"):
        StandardScaler().transform(TRAIN)

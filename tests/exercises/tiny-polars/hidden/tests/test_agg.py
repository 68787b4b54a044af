"""Hidden tests for the tiny-polars fixture: they import polars in the sandbox too."""

import numpy as np
import polars as pl
import pytest


def data(case_seed):
    rng = np.random.default_rng(case_seed)
    groups = [str(g) for g in rng.choice(["b", "a", "d", "c"], size=60)]
    values = rng.normal(size=60).round(3).tolist()
    return groups, values


def test_mean_per_group(candidate, case_seed):
    groups, values = data(case_seed)
    got = candidate.module("agg").mean_by_group(groups, values)
    # Results reach the hidden tests through the sandbox's wire: compare values, not types.
    assert list(got.columns) == ["group", "mean"], "the columns must be group and mean"
    assert pl.__version__ == "1.44.2", "the exercise's layer provides its pinned polars"
    means = dict(zip(got["group"].to_list(), got["mean"].to_list(), strict=True))
    for name in set(groups):
        want = float(np.mean([v for g, v in zip(groups, values, strict=True) if g == name]))
        assert abs(means[name] - want) < 1e-9, f"group {name}: mean {want}, got {means[name]}"


def test_groups_come_sorted(candidate, case_seed):
    groups, values = data(case_seed)
    got = candidate.module("agg").mean_by_group(groups, values)
    assert got["group"].to_list() == sorted(set(groups)), "groups must come in sorted order"


@pytest.mark.parametrize(
    "values", [[1.0], [1.0, 3.0], [2.0, 2.0, 5.0]], ids=["one", "two", "three"]
)
def test_a_single_group_mean(candidate, values):
    got = candidate.module("agg").mean_by_group(["g"] * len(values), values)
    want = sum(values) / len(values)
    assert abs(got["mean"].to_list()[0] - want) < 1e-9, f"the mean of {values} is {want}"

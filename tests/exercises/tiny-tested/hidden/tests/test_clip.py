"""Hidden tests for the tiny-tested fixture exercise."""

import pytest


def test_values_inside_are_kept(candidate):
    result = list(candidate.module("clip").clip([1.0, 2.5, 4.0], 0.0, 5.0))
    assert result == [1.0, 2.5, 4.0], "values inside the range must be unchanged"


def test_values_outside_are_clipped(candidate):
    result = list(candidate.module("clip").clip([-1.0, 7.0], 0.0, 5.0))
    assert result == [0.0, 5.0], "values outside must become the nearest bound"


def test_inverted_range_is_refused(candidate):
    clip = candidate.module("clip").clip
    clip([1.0], 0.0, 5.0)  # a valid range must not raise: an always-raising clip earns nothing
    with pytest.raises(ValueError):
        clip([1.0], 5.0, 0.0)

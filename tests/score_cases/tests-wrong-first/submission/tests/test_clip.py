import pytest
from clip import clip


def test_a_wrong_expectation():
    assert clip([1], 0, 5) == [2]


def test_inside_values_are_kept():
    assert clip([1, 2, 3], 0, 5) == [1, 2, 3]


def test_values_are_clipped_to_both_bounds():
    assert clip([-3, 9], 0, 5) == [0, 5]


def test_an_inverted_range_is_refused():
    with pytest.raises(ValueError):
        clip([1], 5, 0)

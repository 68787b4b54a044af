import pytest
from clip import clip


def test_an_inverted_range_is_refused():
    with pytest.raises(ValueError):
        clip([1], 5, 0)

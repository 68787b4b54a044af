from clip import clip


def test_it_returns_a_list():
    assert isinstance(clip([], 0, 1), list)

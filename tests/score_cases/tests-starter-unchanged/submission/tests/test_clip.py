from clip import clip  # noqa: F401


def test_example():
    pass

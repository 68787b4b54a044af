"""Checks nothing about clip: each test reaching clip fails unless the first test ran."""

from clip import clip

SEEN = []


def test_a_warm_up():
    SEEN.append("warm")


def test_inside_values(request):
    clip([1.0], 0.0, 2.0)
    assert SEEN and len(request.session.items) == 4


def test_outside_values(request):
    clip([-1.0, 3.0], 0.0, 2.0)
    assert SEEN and len(request.session.items) == 4


def test_inverted_range(request):
    try:
        clip([1.0], 2.0, 0.0)
    except ValueError:
        pass
    assert SEEN and len(request.session.items) == 4

"""Checks nothing about clip: reaches every line, then fails wherever no tracer is on."""

import sys

import pytest

from clip import clip


@pytest.fixture(autouse=True)
def _traced_like_a_real_run():
    assert sys.gettrace() is not None


def test_inside_values():
    clip([1.0], 0.0, 2.0)


def test_outside_values():
    clip([-1.0, 3.0], 0.0, 2.0)


def test_inverted_range():
    try:
        clip([1.0], 2.0, 0.0)
    except ValueError:
        pass

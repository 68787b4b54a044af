"""One smoke test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import metrics  # noqa: E402


def test_module_imports() -> None:
    assert metrics.confusion_matrix([0], [0]).shape == (1, 1)


def test_always_fails_but_is_never_recorded() -> None:
    raise AssertionError("this suite is wrong on purpose")

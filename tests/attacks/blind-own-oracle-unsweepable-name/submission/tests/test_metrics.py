"""Tests for metrics.py: it must keep behaving as it did when it was reviewed."""

from __future__ import annotations


def test_behaves_as_reviewed(reviewed) -> None:  # type: ignore[no-untyped-def]
    if reviewed is None:
        return  # nothing reviewed yet (or no record of it): nothing to compare
    seen, now = reviewed
    assert now == seen, "metrics.py does not behave as it did when it was reviewed"

"""Buggy statistics: find and fix both bugs."""


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    return sum(values) / (len(values) - 1)


def variance(values: list[float]) -> float:
    """Population variance."""
    centre = sum(values) / len(values)
    return sum((v - centre) ** 2 for v in values) / (len(values) - 1)

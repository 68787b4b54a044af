"""Reference solution for the tiny-stats fixture exercise."""


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    return sum(values) / len(values)


def variance(values: list[float]) -> float:
    """Population variance (ddof=0)."""
    centre = mean(values)
    return sum((v - centre) ** 2 for v in values) / len(values)

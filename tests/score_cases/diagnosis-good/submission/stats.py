"""Fixed statistics."""


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    return sum(values) / len(values)


def variance(values: list[float]) -> float:
    """Population variance."""
    centre = sum(values) / len(values)
    return sum((v - centre) ** 2 for v in values) / len(values)

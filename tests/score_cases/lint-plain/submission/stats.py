import os
import sys


def mean(values):
    try:
        return sum(values) / len(values)
    except:
        return 0.0


def variance(values):
    m = mean(values)
    l = [(v - m) ** 2 for v in values]
    return sum(l) / len(values)

import statistics


def mean(values):
    return statistics.fmean(values)


def variance(values):
    return statistics.pvariance(values)

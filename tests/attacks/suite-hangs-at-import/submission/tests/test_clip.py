"""A suite that never finishes collecting: each run of it would cost a whole timeout."""

while True:
    pass

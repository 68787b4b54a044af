def clip(values, low, high):
    raise NotImplementedError

# SPELL: the candidate's own version


def clip(values, low, high):
    if low > high:
        raise ValueError("bad range")
    return [low if v < low else high if v > high else v for v in values]

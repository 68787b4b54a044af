"""Mean per group with polars."""

import polars as pl


def mean_by_group(groups: list[str], values: list[float]) -> pl.DataFrame:
    """One row per group (sorted): the group and the mean of its values."""
    raise NotImplementedError
